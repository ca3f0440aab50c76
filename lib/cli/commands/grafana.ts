/**
 * `obsctl grafana publish --env <env>`: puts the environment's committed dashboards, rule groups
 * and Alertmanager configuration into its Grafana Cloud stack, and `grafanaDrift` tells doctor
 * what differs. What is sent is read from the files next to cdk.json (dashboards/*.json,
 * alerts/<env>.rules.yaml, alerts/<env>.alertmanager.yaml): what was reviewed, not a fresh
 * generation. How a live object is judged (unchanged, ours to update, changed by hand) is
 * lib/grafana/plan.ts; the documents and stamps are lib/grafana/objects.ts.
 *
 * Credentials: the Grafana service-account token and the Mimir access-policy token are SecureString
 * parameters (grafanaCloud.publish.grafanaTokenParameterName, grafanaCloud.apiKeyParameterName); the
 * Alertmanager's receiver secrets are the Secrets Manager secrets the configuration references.
 * None is ever printed: each is added to the redactor as soon as it is read.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { parse } from 'yaml';
import { alertmanagerFilePath, alertmanagerSecrets, SECRET_REFERENCE_PREFIX } from '../../alerting/alertmanager';
import { ruleFilePath } from '../../alerting/rule-files';
import { GrafanaCloudClient, type GrafanaCloudEndpoints } from '../../grafana/http';
import {
  alertmanagerDocument,
  dashboardCanonical,
  dashboardStamp,
  environmentDashboard,
  folderUid,
  namespaceName,
  type RuleGroup,
  readAlertmanagerDocument,
  ruleGroupCanonical,
  ruleGroupStamp,
  stampedDashboard,
  stampedRuleGroupYaml,
  tagStamp,
} from '../../grafana/objects';
import {
  type Action,
  contentStamp,
  type ObjectState,
  type PlannedObject,
  planObject,
  writes,
} from '../../grafana/plan';
import { awsCall, CliError } from '../errors';
import type { Progress, Redactor } from '../io';
import type { RunContext } from './context';
import type { DoctorCheck } from './doctor';

export const DASHBOARDS_FOLDER = 'dashboards';

export interface PublishOptions {
  /** The folder of cdk.json, where the committed files are. */
  readonly root: string;
  readonly dryRun: boolean;
  readonly force: boolean;
  /** Replace the profile's URLs (a test's loopback server, a proxy). */
  readonly grafanaUrl?: string;
  readonly prometheusUrl?: string;
  readonly redactor: Redactor;
  readonly progress: Progress;
}

export interface PublishReport {
  readonly environment: string;
  readonly dryRun: boolean;
  readonly objects: readonly PlannedObject[];
  readonly summary: Readonly<Record<Action, number>>;
}

/** One object to publish: its live state, and how to write it. */
interface Publishable {
  readonly state: ObjectState;
  readonly write: () => Promise<void>;
}

export async function publishGrafana(run: RunContext, options: PublishOptions): Promise<PublishReport> {
  const publishables = await readPublishables(run, options);
  const objects: PlannedObject[] = [];
  for (const publishable of publishables) {
    const planned = planObject(publishable.state, options.force);
    if (!options.dryRun && writes(planned.action)) {
      options.progress.update(`publishing ${planned.kind} ${planned.name}`);
      await publishable.write();
    }
    objects.push(planned);
  }
  options.progress.stop();
  return { environment: run.environmentName, dryRun: options.dryRun, objects, summary: summarise(objects) };
}

function summarise(objects: readonly PlannedObject[]): Record<Action, number> {
  const summary: Record<Action, number> = { create: 0, update: 0, unchanged: 0, 'changed-by-hand': 0, overwrite: 0 };
  for (const object of objects) summary[object.action] += 1;
  return summary;
}

/** Exit 1 when an object was left alone because it was changed by hand. */
export function publishFailed(report: PublishReport): boolean {
  return report.summary['changed-by-hand'] > 0;
}

async function readPublishables(run: RunContext, options: PublishOptions): Promise<Publishable[]> {
  const { environmentName, profile } = run;
  const publish = profile.grafanaCloud.publish;
  if (publish === undefined) {
    throw new CliError(
      `environments.${environmentName}.grafanaCloud.publish is not set: add prometheusUrl, prometheusUserId and grafanaTokenParameterName (docs/reference/profile.md)`,
      'invalid-profile',
    );
  }
  const client = new GrafanaCloudClient(await endpoints(run, options));
  const progress = options.progress;
  progress.update('reading the live dashboards, rule groups and Alertmanager configuration');
  return [
    ...(await dashboardPublishables(run, options, client)),
    ...(await ruleGroupPublishables(run, options, client)),
    ...(await alertmanagerPublishables(run, options, client)),
  ];
}

async function endpoints(run: RunContext, options: PublishOptions): Promise<GrafanaCloudEndpoints> {
  const publish = run.profile.grafanaCloud.publish;
  if (publish === undefined) throw new Error('unreachable: checked by readPublishables');
  const grafanaToken = await secureParameter(run, publish.grafanaTokenParameterName, options.redactor);
  const mimirToken = await secureParameter(run, run.profile.grafanaCloud.apiKeyParameterName, options.redactor);
  return {
    grafanaUrl: options.grafanaUrl ?? run.profile.grafanaCloud.stackUrl,
    grafanaToken,
    mimirUrl: options.prometheusUrl ?? publish.prometheusUrl,
    mimirUser: publish.prometheusUserId,
    mimirToken,
  };
}

async function secureParameter(run: RunContext, name: string, redactor: Redactor): Promise<string> {
  const output = await awsCall('ssm:GetParameter', () =>
    run.clients.ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true })),
  );
  const value = output.Parameter?.Value ?? '';
  redactor.add(value);
  return value;
}

function readCommitted(root: string, path: string): string {
  const absolute = join(root, path);
  if (!existsSync(absolute)) {
    throw new CliError(
      `${path}: not found next to cdk.json (${root}). Run obsctl from the repository that holds the generated files, after \`npm run generate\``,
      'not-found',
    );
  }
  return readFileSync(absolute, 'utf8');
}

// --- Dashboards ---------------------------------------------------------------------------

async function dashboardPublishables(
  run: RunContext,
  options: PublishOptions,
  client: GrafanaCloudClient,
): Promise<Publishable[]> {
  const folder = folderUid(run.profile.project, run.environmentName);
  const folderTitle = `${run.profile.project} ${run.environmentName}`;
  const directory = join(options.root, DASHBOARDS_FOLDER);
  const files = existsSync(directory)
    ? readdirSync(directory)
        .filter((name) => name.endsWith('.json'))
        .sort()
    : [];
  if (files.length === 0) {
    throw new CliError(`${DASHBOARDS_FOLDER}/: no dashboards next to cdk.json (${options.root})`, 'not-found');
  }
  let folderReady = (await client.folder(folder)) !== undefined;
  const ensureFolder = async () => {
    if (folderReady) return;
    await client.createFolder(folder, folderTitle);
    folderReady = true;
  };
  const publishables: Publishable[] = [];
  for (const file of files) {
    const dashboard = environmentDashboard(
      JSON.parse(readCommitted(options.root, `${DASHBOARDS_FOLDER}/${file}`)),
      run.environmentName,
    );
    const uid = String(dashboard.uid);
    const live = await client.dashboard(uid);
    const desired = dashboardCanonical(dashboard, folder);
    const liveCanonical = live === undefined ? undefined : dashboardCanonical(live.dashboard, live.meta.folderUid);
    publishables.push({
      state: {
        kind: 'dashboard',
        name: uid,
        desired,
        live:
          live === undefined || liveCanonical === undefined
            ? undefined
            : { content: liveCanonical, stamped: dashboardStamp(live.dashboard) === tagStamp(liveCanonical) },
      },
      write: async () => {
        await ensureFolder();
        await client.saveDashboard(stampedDashboard(dashboard, folder), folder, 'obsctl grafana publish');
      },
    });
  }
  return publishables;
}

// --- Rule groups --------------------------------------------------------------------------

async function ruleGroupPublishables(
  run: RunContext,
  options: PublishOptions,
  client: GrafanaCloudClient,
): Promise<Publishable[]> {
  const namespace = namespaceName(run.profile.project, run.environmentName);
  const { groups } = parse(readCommitted(options.root, ruleFilePath(run.environmentName))) as { groups: RuleGroup[] };
  const publishables: Publishable[] = [];
  for (const group of groups) {
    const liveYaml = await client.ruleGroup(namespace, group.name);
    const live = liveYaml === undefined ? undefined : (parse(liveYaml) as RuleGroup);
    const liveCanonical = live === undefined ? undefined : ruleGroupCanonical(live);
    publishables.push({
      state: {
        kind: 'rule group',
        name: `${namespace}/${group.name}`,
        desired: ruleGroupCanonical(group),
        live:
          live === undefined || liveCanonical === undefined
            ? undefined
            : { content: liveCanonical, stamped: ruleGroupStamp(live) === contentStamp(liveCanonical) },
      },
      write: () => client.setRuleGroup(namespace, stampedRuleGroupYaml(group)),
    });
  }
  return publishables;
}

// --- Alertmanager -------------------------------------------------------------------------

async function alertmanagerPublishables(
  run: RunContext,
  options: PublishOptions,
  client: GrafanaCloudClient,
): Promise<Publishable[]> {
  const alertmanager = run.profile.notifications.alertmanager;
  if (alertmanager === undefined) return [];
  // Without the file's header comments, which speak of the repository, not of Mimir.
  let config = readCommitted(options.root, alertmanagerFilePath(run.environmentName)).replace(/^(#[^\n]*\n)+/, '');
  for (const secret of alertmanagerSecrets(alertmanager)) {
    const value = await secretValue(run, secret.secretName, secret.field, options.redactor);
    config = config.split(secret.reference).join(value);
  }
  if (config.includes(SECRET_REFERENCE_PREFIX)) {
    throw new CliError(
      `${alertmanagerFilePath(run.environmentName)} references a secret the profile does not name (${SECRET_REFERENCE_PREFIX}...): run \`npm run generate\` and review the file`,
      'failed',
    );
  }
  const liveDocument = await client.alertmanagerConfig();
  const live = liveDocument === undefined ? undefined : readAlertmanagerDocument(liveDocument);
  return [
    {
      state: {
        kind: 'alertmanager',
        name: 'alertmanager',
        desired: config,
        live:
          live === undefined
            ? undefined
            : { content: live.content, stamped: live.stamp === contentStamp(live.content) },
      },
      write: () => client.setAlertmanagerConfig(alertmanagerDocument(config)),
    },
  ];
}

async function secretValue(run: RunContext, secretName: string, field: string, redactor: Redactor): Promise<string> {
  const output = await awsCall('secretsmanager:GetSecretValue', () =>
    run.clients.secretsManager.send(new GetSecretValueCommand({ SecretId: secretName })),
  );
  const value = output.SecretString;
  if (value === undefined || value === '') {
    throw new CliError(
      `Secrets Manager secret ${secretName} (environments.${run.environmentName}.${field}) holds no SecretString`,
      'not-found',
    );
  }
  redactor.add(value);
  return value;
}

// --- Output -------------------------------------------------------------------------------

const ACTION_WORDS: Readonly<Record<Action, { readonly done: string; readonly planned: string }>> = {
  create: { done: 'created', planned: 'would create' },
  update: { done: 'updated', planned: 'would update' },
  unchanged: { done: 'unchanged', planned: 'unchanged' },
  'changed-by-hand': {
    done: 'changed by hand, left alone (--force replaces it)',
    planned: 'changed by hand, would be left alone (--force replaces it)',
  },
  overwrite: {
    done: 'changed by hand, overwritten (--force)',
    planned: 'changed by hand, would be overwritten (--force)',
  },
};

export function formatPublishReport(report: PublishReport): string {
  const lines = report.objects.map(
    (object) =>
      `${object.kind} ${object.name}: ${report.dryRun ? ACTION_WORDS[object.action].planned : ACTION_WORDS[object.action].done}`,
  );
  const changes = report.objects.filter((object) => object.action !== 'unchanged').length;
  const verb = report.dryRun ? 'would change' : 'changed';
  lines.push(
    `${report.environment}: ${changes === 0 ? 'no changes' : `${verb} ${changes} of ${report.objects.length} objects`}` +
      `${report.dryRun ? ' (dry run)' : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}

export function publishJson(report: PublishReport): string {
  return `${JSON.stringify(report)}\n`;
}

// --- Doctor -------------------------------------------------------------------------------

const DRIFT_WORDS: Readonly<Record<Action, string>> = {
  create: 'not published',
  update: 'differs from the committed file',
  overwrite: 'changed by hand',
  'changed-by-hand': 'changed by hand',
  unchanged: 'matches',
};

/** `obsctl doctor --grafana`: the drift a dry-run publish found, as one check. */
export function grafanaDriftCheck(report: PublishReport, environmentName: string): DoctorCheck {
  const check = 'Grafana Cloud matches dashboards/ and alerts/';
  const drifted = report.objects.filter((object) => object.action !== 'unchanged');
  if (drifted.length === 0) {
    return {
      check,
      result: 'pass',
      detail: `all ${report.objects.length} dashboards, rule groups and configurations match`,
    };
  }
  const handEdited = drifted.some((object) => object.action === 'changed-by-hand');
  return {
    check,
    result: 'fail',
    detail: drifted.map((object) => `${object.kind} ${object.name}: ${DRIFT_WORDS[object.action]}`).join('; '),
    fix: `obsctl grafana publish --env ${environmentName}${handEdited ? ' --dry-run (then --force once the hand edits are in the files)' : ''}`,
  };
}
