/** A file the package generates and commits (collector configs, alert rules, dashboards, reference docs). */
export interface GeneratedFile {
  /** Path relative to the repository root, with `/` separators. */
  readonly path: string;
  /** The whole content, ending with a newline. */
  readonly content: string;
}

/**
 * The folders whose every file is generated: anything else found there is stale. docs/reference/
 * is generated; hand-written pages sit beside it in docs/, which the drift check leaves alone.
 */
export const GENERATED_FOLDERS = [
  'collector-config',
  'dashboards',
  'alerts',
  'docs/reference',
  'platform-settings',
] as const;

/** The command that rewrites every generated file; quoted in headers and drift messages. */
export const GENERATE_COMMAND = 'npm run generate';
