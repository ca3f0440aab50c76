/**
 * The objects `obsctl grafana publish` owns in an environment's Grafana Cloud stack, as they are
 * sent and as they are read back, each reduced to the canonical text lib/grafana/plan.ts compares.
 * Pure: files and live documents in, documents out.
 *
 * - Dashboards: the committed dashboards/ (shared by every environment) in one folder per
 *   environment, `<project>-<env>`, each with the uid `<file uid>-<env>` (stable, and unique in a
 *   stack several environments share). Tagged `obsctl`, and stamped with the tag `obsctl:<stamp>`.
 * - Rule groups: the groups of alerts/<env>.rules.yaml in the ruler namespace `<project>-<env>`;
 *   each rule carries the annotation `obsctl_sha256` (the group's stamp).
 * - The Alertmanager configuration: alerts/<env>.alertmanager.yaml with its secrets resolved, in
 *   Mimir's upload document, stamped by its first line `# obsctl-sha256: <stamp>`.
 */
import { parse, stringify } from 'yaml';
import { canonicalJson, contentStamp } from './plan';

export const OWNER_TAG = 'obsctl';
const STAMP_TAG_PREFIX = 'obsctl:';
/** Grafana limits tags to 50 characters: the stamp tag holds the first 32 hex digits of the hash. */
const TAG_STAMP_LENGTH = 32;
export const RULE_STAMP_ANNOTATION = 'obsctl_sha256';
const ALERTMANAGER_STAMP_PREFIX = '# obsctl-sha256: ';
/** Grafana's uid limit. */
export const MAX_UID_LENGTH = 40;

export function namespaceName(project: string, environmentName: string): string {
  return `${project}-${environmentName}`;
}

export function folderUid(project: string, environmentName: string): string {
  return `${project}-${environmentName}`;
}

export function dashboardUid(fileUid: string, environmentName: string): string {
  const uid = `${fileUid}-${environmentName}`;
  if (uid.length > MAX_UID_LENGTH) {
    throw new Error(
      `dashboard uid ${uid} is longer than Grafana's ${MAX_UID_LENGTH} characters: shorten the uid of the dashboard in lib/dashboards or the environment name`,
    );
  }
  return uid;
}

// --- Dashboards ---------------------------------------------------------------------------

type Json = Record<string, unknown>;

function tagsOf(dashboard: Json): string[] {
  return Array.isArray(dashboard.tags) ? (dashboard.tags as string[]) : [];
}

/** The dashboard as the environment gets it, before its stamp: uid, owner tag. */
export function environmentDashboard(file: Json, environmentName: string): Json {
  const { id: _id, version: _version, ...rest } = file;
  return {
    ...rest,
    uid: dashboardUid(String(file.uid), environmentName),
    tags: [...tagsOf(file).filter((tag) => tag !== OWNER_TAG), OWNER_TAG],
  };
}

/** The canonical text of a dashboard in a folder, without what the server adds and without the stamp. */
export function dashboardCanonical(dashboard: Json, folder: string | undefined): string {
  const { id: _id, version: _version, ...rest } = dashboard;
  return canonicalJson({
    folderUid: folder ?? null,
    dashboard: { ...rest, tags: tagsOf(dashboard).filter((tag) => !tag.startsWith(STAMP_TAG_PREFIX)) },
  });
}

export function dashboardStamp(dashboard: Json): string | undefined {
  return tagsOf(dashboard)
    .find((tag) => tag.startsWith(STAMP_TAG_PREFIX))
    ?.slice(STAMP_TAG_PREFIX.length);
}

export function tagStamp(canonical: string): string {
  return contentStamp(canonical).slice(0, TAG_STAMP_LENGTH);
}

/** The dashboard to POST: the environment's dashboard with its stamp tag. */
export function stampedDashboard(dashboard: Json, folder: string): Json {
  return {
    ...dashboard,
    tags: [...tagsOf(dashboard), `${STAMP_TAG_PREFIX}${tagStamp(dashboardCanonical(dashboard, folder))}`],
  };
}

// --- Rule groups --------------------------------------------------------------------------

export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly { readonly annotations?: Readonly<Record<string, string>> }[];
}

function unstampedGroup(group: RuleGroup): RuleGroup {
  return {
    ...group,
    rules: group.rules.map((rule) => {
      const { [RULE_STAMP_ANNOTATION]: _stamp, ...annotations } = rule.annotations ?? {};
      return { ...rule, annotations };
    }),
  };
}

export function ruleGroupCanonical(group: RuleGroup): string {
  return canonicalJson(unstampedGroup(group));
}

/** The group's stamp when every rule carries the same one; undefined otherwise. */
export function ruleGroupStamp(group: RuleGroup): string | undefined {
  const stamps = new Set(group.rules.map((rule) => rule.annotations?.[RULE_STAMP_ANNOTATION]));
  const [stamp] = stamps;
  return stamps.size === 1 ? stamp : undefined;
}

/** The group as YAML to POST, each rule stamped. */
export function stampedRuleGroupYaml(group: RuleGroup): string {
  const stamp = contentStamp(ruleGroupCanonical(group));
  const stamped = {
    ...group,
    rules: group.rules.map((rule) => ({
      ...rule,
      annotations: { ...rule.annotations, [RULE_STAMP_ANNOTATION]: stamp },
    })),
  };
  return stringify(stamped, { lineWidth: 0 });
}

// --- Alertmanager -------------------------------------------------------------------------

/** Mimir's upload document for a resolved configuration, stamped. */
export function alertmanagerDocument(resolvedConfig: string): string {
  return stringify(
    {
      template_files: {},
      alertmanager_config: `${ALERTMANAGER_STAMP_PREFIX}${contentStamp(resolvedConfig)}\n${resolvedConfig}`,
    },
    { lineWidth: 0 },
  );
}

/** The live configuration text, without its stamp line, and the stamp. */
export function readAlertmanagerDocument(documentText: string): { content: string; stamp?: string } {
  const document = parse(documentText) as { alertmanager_config?: string } | null;
  const config = document?.alertmanager_config ?? '';
  if (!config.startsWith(ALERTMANAGER_STAMP_PREFIX)) return { content: config };
  const end = config.indexOf('\n');
  return { content: config.slice(end + 1), stamp: config.slice(ALERTMANAGER_STAMP_PREFIX.length, end) };
}
