/**
 * Every failure becomes one line per problem (on stderr, or under --json one JSON object on stdout),
 * a stable error code and an exit code (exit-codes.ts); no stack traces. AWS
 * errors are recognised by their `name` (the SDK's error code) and described with the action that
 * failed, so "access denied" says which IAM action to grant.
 */
import { GrafanaApiError } from '../grafana/http';
import { ProfileError } from '../profile-loader/load';
import { ERROR_CODES, type ErrorCode, type ExitCode, GENERIC_ERROR_CODE } from './exit-codes';

/** An error whose message is ready for the operator. */
export class CliError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCode;

  /** @param code the error code (which sets the exit code), or only an exit code for the generic code */
  constructor(message: string, code: ErrorCode | Exclude<ExitCode, 0>) {
    super(message);
    this.name = 'CliError';
    this.code = typeof code === 'number' ? GENERIC_ERROR_CODE[code] : code;
    this.exitCode = ERROR_CODES[this.code].exit;
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
  readonly code: ErrorCode;
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
  if (error instanceof CliError) return lines(error.code, error.message.split('\n'));
  if (error instanceof ProfileError) return lines('invalid-profile', error.message.split('\n'));
  if (error instanceof AwsCallError) return describeAwsError(error.action, error.cause);
  if (error instanceof GrafanaApiError) {
    return line(error.reason === 'auth' ? 'grafana-auth' : 'grafana-error', error.message);
  }
  return line('unexpected', `obsctl: unexpected error: ${firstLine(errorMessage(error))}`);
}

function describeAwsError(action: string, cause: unknown): DescribedError {
  const name = cause instanceof Error ? cause.name : 'Error';
  const message = firstLine(errorMessage(cause));
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (CREDENTIAL_ERRORS.has(name)) {
    return line(
      'no-credentials',
      `No AWS credentials for ${action}: pass --profile <name>, set AWS_PROFILE, or sign in (aws sso login). (${message})`,
    );
  }
  if (REJECTED_CREDENTIALS.has(name)) {
    return line(
      'credentials-rejected',
      `AWS rejected the credentials for ${action} (${name}): sign in again. (${message})`,
    );
  }
  if (ACCESS_DENIED.has(name) || /not authorized to perform/i.test(message)) {
    const denied = message.match(/perform:? ([a-z0-9-]+:[A-Za-z0-9*]+)/)?.[1] ?? action;
    const resource = message.match(/on resource:? (\S+)/)?.[1];
    return line(
      'access-denied',
      `Access denied: the caller may not ${denied}${resource ? ` on ${resource}` : ''}. Grant ${denied} or use another --profile. (${message})`,
    );
  }
  if (THROTTLED.has(name)) {
    return line(
      'throttled',
      `AWS throttled ${action} even after the SDK's retries: wait a minute and try again. (${message})`,
    );
  }
  if (name === 'LimitExceededException' && action === 'logs:StartQuery') {
    return line(
      'too-many-queries',
      'Too many Logs Insights queries are running in this account and region: wait for some to finish and try again.',
    );
  }
  if (name === 'ParameterNotFound') return line('not-found', `SSM parameter not found (${action}). (${message})`);
  if (name === 'ResourceNotFoundException') return line('not-found', `${action}: not found. (${message})`);
  if ((typeof code === 'string' && NETWORK_CODES.has(code)) || name === 'TimeoutError') {
    return line(
      'network',
      `Cannot reach the AWS endpoint for ${action} (${typeof code === 'string' ? code : name}): check the region, --endpoint-url and the network.`,
    );
  }
  const requestId = (cause as { $metadata?: { requestId?: string } } | undefined)?.$metadata?.requestId;
  return line('aws-error', `${action} failed: ${name}: ${message}${requestId ? ` (request id ${requestId})` : ''}`);
}

function lines(code: ErrorCode, text: readonly string[]): DescribedError {
  return { code, lines: text, exitCode: ERROR_CODES[code].exit };
}

function line(code: ErrorCode, text: string): DescribedError {
  return lines(code, [text]);
}

/**
 * The error as `--json` prints it: `{"error": {"code", "message", "exitCode", "details"?}}`;
 * `details` holds the further lines of a multi-line error (each problem of an invalid profile).
 */
export function errorJson(described: DescribedError): string {
  const [message, ...rest] = described.lines;
  const details = rest.map((detail) => detail.replace(/^\s*-\s*/, ''));
  return `${JSON.stringify(
    {
      error: {
        code: described.code,
        message,
        exitCode: described.exitCode,
        ...(details.length === 0 ? {} : { details }),
      },
    },
    null,
    2,
  )}\n`;
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
