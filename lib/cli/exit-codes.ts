/**
 * The process exit codes of obsctl and the error codes under them, one meaning each, so scripts
 * can branch on them. This table is the one definition: `CliError`s name a code, `--json` prints it,
 * and `obsctl --help` lists them from here. A code, once published, is never renamed.
 */
export const EXIT = {
  ok: 0,
  /** A check failed, or nothing was found (no log records for a tracking id, a refused overwrite). */
  failed: 1,
  /** A usage error or an invalid profile: fix the command line or cdk.json. */
  usage: 2,
  /** No AWS credentials, expired ones, or permission denied. */
  auth: 3,
  /** An AWS service error, throttling after retries, a network error or a query timeout. */
  aws: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

interface ErrorCodeDefinition {
  readonly exit: ExitCode;
  readonly meaning: string;
}

/** Every error obsctl reports, by its stable `code` (the `error.code` of `--json` output). */
export const ERROR_CODES = {
  'not-found': { exit: EXIT.failed, meaning: 'an AWS resource the command needs does not exist' },
  'not-deployed': { exit: EXIT.failed, meaning: "none of the environment's service log groups exists yet" },
  'already-exists': {
    exit: EXIT.failed,
    meaning: 'the token parameter exists and --rotate was not given, or the webhook secret exists',
  },
  failed: { exit: EXIT.failed, meaning: 'the command could not do what was asked' },
  usage: { exit: EXIT.usage, meaning: 'unknown command or option, or a missing argument' },
  'invalid-argument': {
    exit: EXIT.usage,
    meaning: 'an argument or option value is invalid (duration, tracking id, URL)',
  },
  'no-environment': { exit: EXIT.usage, meaning: 'no --env, no OBSCTL_ENV, and cdk.json has several environments' },
  'unknown-environment': { exit: EXIT.usage, meaning: 'the environment is not in cdk.json' },
  'unknown-tenant': { exit: EXIT.usage, meaning: 'the tenant is not declared in the environment' },
  'unknown-query': { exit: EXIT.usage, meaning: 'no saved query has that name, or it needs a tracking id' },
  'invalid-config': { exit: EXIT.usage, meaning: 'cdk.json cannot be read or is not JSON' },
  'invalid-profile': { exit: EXIT.usage, meaning: 'an environment profile in cdk.json is invalid' },
  'invalid-secret': {
    exit: EXIT.usage,
    meaning: 'no token or webhook URL on standard input, or not of the expected shape',
  },
  cancelled: { exit: EXIT.usage, meaning: 'the prompt for a token or URL was cancelled' },
  'no-credentials': { exit: EXIT.auth, meaning: 'no AWS credentials were found' },
  'credentials-rejected': { exit: EXIT.auth, meaning: 'AWS rejected the credentials (expired or invalid)' },
  'access-denied': { exit: EXIT.auth, meaning: 'the caller lacks an IAM permission' },
  'wrong-account': { exit: EXIT.auth, meaning: "the credentials are for another account than the environment's" },
  auth: { exit: EXIT.auth, meaning: 'another credentials problem' },
  throttled: { exit: EXIT.aws, meaning: "AWS throttled a call even after the SDK's retries" },
  'too-many-queries': { exit: EXIT.aws, meaning: 'the account runs too many Logs Insights queries' },
  network: { exit: EXIT.aws, meaning: 'the AWS endpoint cannot be reached' },
  'query-failed': { exit: EXIT.aws, meaning: 'a Logs Insights query ended failed, cancelled or timed out in AWS' },
  'query-too-wide': {
    exit: EXIT.failed,
    meaning: 'a saved query that aggregates cannot run over more than 50 service log groups',
  },
  'query-timeout': { exit: EXIT.aws, meaning: 'a Logs Insights query did not finish within --timeout' },
  'aws-error': { exit: EXIT.aws, meaning: 'another AWS service error' },
  'grafana-auth': { exit: EXIT.auth, meaning: 'Grafana Cloud refused the token read from SSM (401/403)' },
  'grafana-error': { exit: EXIT.aws, meaning: 'a Grafana Cloud API could not be reached or answered with an error' },
  'changed-by-hand': {
    exit: EXIT.failed,
    meaning:
      'grafana publish left a live object alone: it was changed by hand since the last publish (--force replaces it)',
  },
  unexpected: { exit: EXIT.aws, meaning: 'an error obsctl does not recognise (please report it)' },
} as const satisfies Record<string, ErrorCodeDefinition>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The code of an error that names only its exit code. */
export const GENERIC_ERROR_CODE: Readonly<Record<Exclude<ExitCode, 0>, ErrorCode>> = {
  [EXIT.failed]: 'failed',
  [EXIT.usage]: 'usage',
  [EXIT.auth]: 'auth',
  [EXIT.aws]: 'aws-error',
};

const EXIT_MEANINGS: Readonly<Record<ExitCode, string>> = {
  [EXIT.ok]: 'success',
  [EXIT.failed]: 'a check failed, nothing was found, or an overwrite was refused',
  [EXIT.usage]: 'usage error, invalid argument or token, or invalid profile in cdk.json',
  [EXIT.auth]: 'AWS credentials missing, expired or rejected, or permission denied',
  [EXIT.aws]: 'AWS service error, throttling after retries, network error, failed query',
};

const HELP_WIDTH = 80;
const CODE_COLUMN = 7;
const MEANING_COLUMN = CODE_COLUMN + 22;

/** `text` in lines of at most `width`, broken at spaces. */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** Appended to `obsctl --help`: each exit code, then its error codes, within 80 columns. */
export const EXIT_CODE_HELP = [
  'Exit codes, and the error codes under each (with --json an error is',
  '{"error": {"code", "message", "exitCode"}} on stdout, and nothing on stderr):',
  ...Object.entries(EXIT_MEANINGS).flatMap(([exit, meaning]) => [
    `  ${exit}  ${meaning}`,
    ...Object.entries(ERROR_CODES)
      .filter(([, definition]) => definition.exit === Number(exit))
      .flatMap(([code, definition]) =>
        wrapWords(definition.meaning, HELP_WIDTH - MEANING_COLUMN).map((line, index) =>
          index === 0
            ? `${' '.repeat(CODE_COLUMN)}${code.padEnd(MEANING_COLUMN - CODE_COLUMN)}${line}`
            : `${' '.repeat(MEANING_COLUMN)}${line}`,
        ),
      ),
  ]),
].join('\n');
