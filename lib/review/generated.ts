/**
 * The generated files a review reads next to the templates: collector configs
 * (`collector-config/<env>/*.yaml`), Prometheus rule files (`alerts/<env>.rules.yaml`) and Grafana
 * dashboards (`dashboards/*.json`), as parsed documents keyed by their path.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { ReviewInputError } from './assembly';

export interface GeneratedDocument {
  /** The path from the root, with `/`: `collector-config/prod/gateway.yaml`. */
  readonly path: string;
  readonly content: unknown;
  /** The file as written, to recognise it where a template embeds it. */
  readonly text?: string;
}

export interface GeneratedFiles {
  readonly root: string;
  readonly collectorConfigs: ReadonlyMap<string, GeneratedDocument>;
  readonly ruleFiles: ReadonlyMap<string, GeneratedDocument>;
  readonly dashboards: ReadonlyMap<string, GeneratedDocument>;
}

export const GENERATED_REVIEW_FOLDERS = ['collector-config', 'alerts', 'dashboards'] as const;

/** Whether `directory` holds any of the generated folders. */
export function hasGeneratedFiles(directory: string): boolean {
  return GENERATED_REVIEW_FOLDERS.some((folder) => existsSync(join(directory, folder)));
}

/** No generated files: a side without them compares as empty, so only the templates are reviewed. */
export const NO_GENERATED_FILES: GeneratedFiles = {
  root: '',
  collectorConfigs: new Map(),
  ruleFiles: new Map(),
  dashboards: new Map(),
};

export function readGeneratedFiles(root: string): GeneratedFiles {
  const documents = (folder: string, matches: (path: string) => boolean, parseContent: (text: string) => unknown) => {
    const result = new Map<string, GeneratedDocument>();
    for (const file of listFiles(join(root, folder))) {
      const path = relative(root, file).split('\\').join('/');
      if (!matches(path)) continue;
      try {
        const text = readFileSync(file, 'utf8');
        result.set(path, { path, content: parseContent(text), text });
      } catch (error) {
        throw new ReviewInputError(
          `${file}: cannot be parsed (${(error as Error).message}); regenerate it with npm run generate.`,
        );
      }
    }
    return result;
  };
  const collectorConfigs = new Map(
    [
      ...documents(
        'collector-config',
        (path) => path.endsWith('.yaml'),
        (text) => parse(text),
      ),
    ].filter(([, document]) => isCollectorConfig(document.content)),
  );
  return {
    root,
    collectorConfigs,
    ruleFiles: documents(
      'alerts',
      (path) => /^alerts\/[^/]+\.rules\.ya?ml$/.test(path),
      (text) => parse(text),
    ),
    dashboards: documents(
      'dashboards',
      (path) => path.endsWith('.json'),
      (text) => JSON.parse(text),
    ),
  };
}

/** A collector config has `service.pipelines` (docker-compose.yaml and prometheus.yml do not). */
export function isCollectorConfig(content: unknown): boolean {
  const service = (content as { service?: { pipelines?: unknown } } | null)?.service;
  return typeof service?.pipelines === 'object' && service.pipelines !== null;
}

function listFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .sort()
    .flatMap((name) => {
      const path = join(directory, name);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}

/** The environment of a generated file: its folder under collector-config/, or the stem of a rule file. */
export function fileEnvironment(path: string): string | undefined {
  const collector = path.match(/^collector-config\/([^/]+)\//);
  if (collector !== null) return collector[1];
  return path.match(/^alerts\/([^/.]+)\.rules\.ya?ml$/)?.[1];
}
