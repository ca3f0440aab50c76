/**
 * Every failure becomes one line per problem on stderr and one exit code; no stack traces. AWS
 * errors are recognised by their `name` (the SDK's error code) and described with the action that
 * failed, so "access denied" says which IAM action to grant.
 */
import { ProfileError } from '../profile/load';
import { EXIT, type ExitCode } from './exit-codes';

/** An error whose message is ready for the operator. */
export class CliError extends Error {
  constructor(
    message: string,
    public readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** An AWS SDK call that failed, with the IAM action it needed (`ssm:PutParameter`). */
export class AwsCallError extends Error {
  constructor(
    public readonly action: string,
    public override readonly cause: unknown,
  ) {
    super(`${action} failed: ${errorMessage(cause)}`);
    this.name = 'AwsCallError';
  }
}

/** Runs one AWS call, tagging any failure with its IAM action. */
export async function awsCall<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new AwsCallError(action, error);
  }
}

/** The AWS error code (`ParameterNotFound`) of an error, looking through `AwsCallError`. */
export function awsErrorName(error: unknown): string | undefined {
  const cause = error instanceof AwsCallError ? error.cause : error;
  return cause instanceof Error ? cause.name : undefined;
}

export function isAwsError(error: unknown, ...names: readonly string[]): boolean {
  const name = awsErrorName(error);
  return name !== undefined && names.includes(name);
}

export interface DescribedError {
  /** What to print on stderr, one problem per line. */
  readonly lines: readonly string[];
  readonly exitCode: ExitCode;
}

const CREDENTIAL_ERRORS = new Set(['CredentialsProviderError', 'ProviderError', 'TokenProviderError']);
const REJECTED_CREDENTIALS = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);
const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'TooManyUpdates',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'EHOSTUNREACH']);

/** Turns any error into the lines to print and the exit code. */
export function describeError(error: unknown): DescribedError {
  if (error instanceof CliError) return { lines: error.message.split('\n'), exitCode: error.exitCode };
  if (error instanceof ProfileError) return { lines: error.message.split('\n'), exitCode: EXIT.usage };
  if (error instanceof AwsCallError) return describeAwsError(error.action, error.cause);
  return { lines: [`obsctl: unexpected error: ${firstLine(errorMessage(error))}`], exitCode: EXIT.aws };
}

function describeAwsError(action: string, cause: unknown): DescribedError {
  const name = cause instanceof Error ? cause.name : 'Error';
  const message = firstLine(errorMessage(cause));
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (CREDENTIAL_ERRORS.has(name)) {
    return line(
      `No AWS credentials for ${action}: pass --profile <name>, set AWS_PROFILE, or sign in (aws sso login). (${message})`,
      EXIT.auth,
    );
  }
  if (REJECTED_CREDENTIALS.has(name)) {
    return line(`AWS rejected the credentials for ${action} (${name}): sign in again. (${message})`, EXIT.auth);
  }
  if (ACCESS_DENIED.has(name) || /not authorized to perform/i.test(message)) {
    const denied = message.match(/perform:? ([a-z0-9-]+:[A-Za-z0-9*]+)/)?.[1] ?? action;
    const resource = message.match(/on resource:? (\S+)/)?.[1];
    return line(
      `Access denied: the caller may not ${denied}${resource ? ` on ${resource}` : ''}. Grant ${denied} or use another --profile. (${message})`,
      EXIT.auth,
    );
  }
  if (THROTTLED.has(name)) {
    return line(
      `AWS throttled ${action} even after the SDK's retries: wait a minute and try again. (${message})`,
      EXIT.aws,
    );
  }
  if (name === 'LimitExceededException' && action === 'logs:StartQuery') {
    return line(
      'Too many Logs Insights queries are running in this account and region: wait for some to finish and try again.',
      EXIT.aws,
    );
  }
  if (name === 'ParameterNotFound') return line(`SSM parameter not found (${action}). (${message})`, EXIT.failed);
  if (name === 'ResourceNotFoundException') return line(`${action}: not found. (${message})`, EXIT.failed);
  if ((typeof code === 'string' && NETWORK_CODES.has(code)) || name === 'TimeoutError') {
    return line(
      `Cannot reach the AWS endpoint for ${action} (${typeof code === 'string' ? code : name}): check the region, --endpoint-url and the network.`,
      EXIT.aws,
    );
  }
  const requestId = (cause as { $metadata?: { requestId?: string } } | undefined)?.$metadata?.requestId;
  return line(`${action} failed: ${name}: ${message}${requestId ? ` (request id ${requestId})` : ''}`, EXIT.aws);
}

function line(text: string, exitCode: ExitCode): DescribedError {
  return { lines: [text], exitCode };
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** The first line, at most 400 characters: a message is a line, not a dump. */
function firstLine(text: string): string {
  const first = text.split('\n')[0].trim();
  return first.length > 400 ? `${first.slice(0, 397)}...` : first;
}
