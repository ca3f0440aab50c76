/** The process exit codes of obsctl, one meaning each, so scripts can branch on them. */
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

/** Appended to `obsctl --help`. */
export const EXIT_CODE_HELP = [
  'Exit codes:',
  `  ${EXIT.ok}  success`,
  `  ${EXIT.failed}  a check failed, nothing was found, or an overwrite was refused`,
  `  ${EXIT.usage}  usage error, invalid tracking id or token shape, or invalid profile in cdk.json`,
  `  ${EXIT.auth}  AWS credentials missing, expired or rejected, or permission denied`,
  `  ${EXIT.aws}  AWS service error, throttling after retries, network error, or query failure/timeout`,
].join('\n');
