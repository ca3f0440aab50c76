/** A file the package generates and commits (collector configs, alert rules, dashboards). */
export interface GeneratedFile {
  /** Path relative to the repository root, with `/` separators. */
  readonly path: string;
  /** The whole content, ending with a newline. */
  readonly content: string;
}

/** The top-level folders whose every file is generated: anything else found there is stale. */
export const GENERATED_FOLDERS = ['collector-config', 'dashboards', 'alerts'] as const;

/** The command that rewrites every generated file; quoted in headers and drift messages. */
export const GENERATE_COMMAND = 'npm run generate';
