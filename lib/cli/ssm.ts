/** The SSM Parameter Store calls obsctl makes. None of them decrypts: obsctl never reads the token. */
import {
  DescribeParametersCommand,
  GetParameterCommand,
  type ParameterType,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { awsCall, isAwsError } from './errors';

/** DescribeParameters pages to follow at most; a name filter matches few parameters, so this is generous. */
export const MAX_PAGES = 100;

export interface ParameterInfo {
  readonly name: string;
  readonly type?: ParameterType;
  /** The KMS key of a SecureString, as SSM reports it (`alias/aws/ssm`, a key id or an ARN). */
  readonly keyId?: string;
  readonly version?: number;
  readonly arn?: string;
}

/** The most values one DescribeParameters `Name` filter takes. */
export const MAX_NAMES_PER_FILTER = 50;

/** The metadata of the named parameters that exist, by name (types and keys, never values). */
export async function describeParameters(
  ssm: SSMClient,
  names: readonly string[],
): Promise<ReadonlyMap<string, ParameterInfo>> {
  const found = new Map<string, ParameterInfo>();
  // Many tenants mean many token parameters: one filter takes at most 50 names.
  for (let start = 0; start < names.length; start += MAX_NAMES_PER_FILTER) {
    await describeSome(ssm, names.slice(start, start + MAX_NAMES_PER_FILTER), found);
  }
  return found;
}

async function describeSome(
  ssm: SSMClient,
  names: readonly string[],
  found: Map<string, ParameterInfo>,
): Promise<void> {
  let nextToken: string | undefined;
  // With a filter SSM may return empty pages that still carry a NextToken: follow them, boundedly.
  for (let page = 0; page < MAX_PAGES; page++) {
    const output = await awsCall('ssm:DescribeParameters', () =>
      ssm.send(
        new DescribeParametersCommand({
          ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [...names] }],
          MaxResults: 50,
          NextToken: nextToken,
        }),
      ),
    );
    for (const parameter of output.Parameters ?? []) {
      if (parameter.Name === undefined) continue;
      found.set(parameter.Name, {
        name: parameter.Name,
        type: parameter.Type,
        keyId: parameter.KeyId,
        version: parameter.Version,
        arn: parameter.ARN,
      });
    }
    nextToken = output.NextToken;
    if (nextToken === undefined || nextToken === '') break;
  }
}

export interface StringParameterValue {
  readonly value: string;
  readonly type?: ParameterType;
  readonly version?: number;
}

/** A plain parameter's value, or undefined when it does not exist. */
export async function getStringParameter(ssm: SSMClient, name: string): Promise<StringParameterValue | undefined> {
  try {
    const output = await awsCall('ssm:GetParameter', () =>
      ssm.send(new GetParameterCommand({ Name: name, WithDecryption: false })),
    );
    return { value: output.Parameter?.Value ?? '', type: output.Parameter?.Type, version: output.Parameter?.Version };
  } catch (error) {
    if (isAwsError(error, 'ParameterNotFound')) return undefined;
    throw error;
  }
}

/** The account id in an ARN (`arn:aws:ssm:eu-west-1:123456789012:parameter/x` -> `123456789012`). */
export function arnAccount(arn: string | undefined): string | undefined {
  return arn?.split(':')[4] || undefined;
}

export interface PutInput {
  readonly name: string;
  readonly value: string;
  readonly type: 'String' | 'SecureString';
  readonly description: string;
  readonly overwrite: boolean;
  readonly keyId?: string;
}

/** Writes a parameter and returns its new version. */
export async function putParameter(ssm: SSMClient, input: PutInput): Promise<number | undefined> {
  const output = await awsCall('ssm:PutParameter', () =>
    ssm.send(
      new PutParameterCommand({
        Name: input.name,
        Value: input.value,
        Type: input.type,
        Description: input.description,
        Overwrite: input.overwrite,
        Tier: 'Standard',
        DataType: 'text',
        ...(input.keyId === undefined ? {} : { KeyId: input.keyId }),
      }),
    ),
  );
  return output.Version;
}
