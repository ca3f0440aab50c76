/**
 * Proves the 500-service environment (issue 23): synthesizes the default app for the example
 * app's prod profile scaled to 500 services (`bench/profiles.ts`), prints resources, bytes,
 * parameters and outputs per stack kind with the synth time and peak memory, and exits 1 when any
 * stack passes a CloudFormation limit or any dashboard page or saved query passes a CloudWatch
 * limit, or when a service is missing from the views. A script run by `.ci/run`
 * (scripts/check-500-services.sh), not a jest test: the synth takes 45 s to minutes and about 900 MB.
 *
 *   npx tsx scripts/check-500-services.ts [services]
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { cdkContext } from '../bench/context';
import { flattenIntrinsic } from '../bench/cost-model/inventory';
import { scaledEnvironments } from '../bench/profiles';
import { serviceLogGroupName } from '../lib/naming';
import { loadEnvironmentProfiles } from '../lib/profile-loader/load';
import { CLOUDFORMATION_LIMITS, viewedServices } from '../lib/profile-loader/scale';
import { buildDefaultApp } from '../lib/stacks/default-app';
import { exampleEnvironments } from '../test/support/example-app';

// CloudWatch dashboard body (Dashboard Body Structure) and StartQuery (logGroupNames).
const MAX_DASHBOARD_WIDGETS = 500;
const MAX_ALARM_WIDGET_ALARMS = 100;
const MAX_QUERY_LOG_GROUPS = 50;

interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}

const count = Number(process.argv[2] ?? 500);
const started = process.hrtime.bigint();
// The generated services are the whole environment: none observed from elsewhere.
const base = { ...loadEnvironmentProfiles(exampleEnvironments()).prod, externalServices: undefined };
const environments = scaledEnvironments({ prod: base }, 'prod', count);
const profile = loadEnvironmentProfiles(environments).prod;
// CloudFormation's own validator is off: sizes are the point, and it costs seconds per stack.
const app = new App({ context: cdkContext(), builtinCloudFormationValidation: false });
buildDefaultApp(app, { environments });
const assembly = app.synth();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

const problems: string[] = [];
const loggedServices = new Map<string, number>();
const rows = assembly.stacks.map((stack) => {
  const template = stack.template as {
    Resources?: Record<string, Resource>;
    Parameters?: object;
    Outputs?: object;
  };
  const resources = Object.values(template.Resources ?? {});
  const row = {
    stack: stack.stackName,
    kind: /-Platform$/.test(stack.stackName) ? 'platform' : /-Views\d+$/.test(stack.stackName) ? 'view' : 'service',
    resources: resources.length,
    bytes: statSync(join(assembly.directory, stack.templateFile)).size,
    parameters: Object.keys(template.Parameters ?? {}).length,
    outputs: Object.keys(template.Outputs ?? {}).length,
  };
  for (const limit of ['resources', 'bytes', 'parameters', 'outputs'] as const) {
    if (row[limit] > CLOUDFORMATION_LIMITS[limit]) {
      problems.push(`${row.stack}: ${row[limit]} ${limit}; CloudFormation allows ${CLOUDFORMATION_LIMITS[limit]}`);
    }
  }
  for (const dashboard of resources.filter((r) => r.Type === 'AWS::CloudWatch::Dashboard')) {
    const { widgets } = JSON.parse(flattenIntrinsic(dashboard.Properties.DashboardBody)) as {
      widgets: { type: string; properties: { alarms?: unknown[] } }[];
    };
    if (widgets.length > MAX_DASHBOARD_WIDGETS) problems.push(`${row.stack}: a dashboard of ${widgets.length} widgets`);
    for (const widget of widgets.filter((w) => (w.properties.alarms?.length ?? 0) > MAX_ALARM_WIDGET_ALARMS)) {
      problems.push(`${row.stack}: an alarm widget of ${widget.properties.alarms?.length} alarms`);
    }
  }
  for (const query of resources.filter((r) => r.Type === 'AWS::Logs::QueryDefinition')) {
    const names = (query.Properties.LogGroupNames ?? []) as string[];
    if (names.length > MAX_QUERY_LOG_GROUPS)
      problems.push(`${row.stack}: ${query.Properties.Name} names ${names.length} log groups`);
    if (
      String(query.Properties.Name).endsWith('/Top error types') &&
      !String(query.Properties.Name).includes('/tenants/')
    ) {
      for (const name of names) loggedServices.set(name, (loggedServices.get(name) ?? 0) + 1);
    }
  }
  return row;
});
for (const service of viewedServices(profile)) {
  const seen = loggedServices.get(serviceLogGroupName(profile.project, 'prod', service)) ?? 0;
  if (seen !== 1) problems.push(`${service}: in ${seen} saved query groups, expected exactly 1`);
}

const summary = ['platform', 'view', 'service'].map((kind) => {
  const ofKind = rows.filter((row) => row.kind === kind);
  const max = (field: 'resources' | 'bytes' | 'parameters' | 'outputs') => Math.max(...ofKind.map((row) => row[field]));
  return `${kind.padEnd(8)} ${String(ofKind.length).padStart(4)} stacks  max ${String(max('resources')).padStart(3)} resources  ${String(max('bytes')).padStart(7)} bytes  ${max('parameters')} parameters  ${max('outputs')} outputs`;
});
console.log(
  `${count} services in prod: ${rows.length} stacks, synthesized in ${seconds.toFixed(1)} s, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
);
for (const line of summary) console.log(line);
for (const row of rows.filter((r) => r.kind !== 'service')) {
  console.log(
    `  ${row.stack}: ${row.resources} resources, ${row.bytes} bytes, ${row.parameters} parameters, ${row.outputs} outputs`,
  );
}
if (problems.length > 0) {
  for (const problem of problems) console.error(`FAIL ${problem}`);
  process.exit(1);
}
console.log(
  `every stack under CloudFormation's limits (${JSON.stringify(CLOUDFORMATION_LIMITS)}); every dashboard page and saved query under CloudWatch's; every service in exactly one query group`,
);
