/**
 * Every alarm of every stack of every environment of the example app has exactly the actions its
 * severity and routing strategy say (docs/design.md, "Alarm routing"), read from the template alone:
 * the severity and strategy from the metadata AlarmFactory writes, the topics from the actions'
 * references (a platform's own topics by TopicName, a service stack's through the SSM parameters
 * of the platform's topic ARNs). The expected table is written out here, not imported.
 */
import { buildTestApp, exampleEnvironments } from '../support/default-app';

type Severity = 'critical' | 'warning' | 'info';
type Template = { Resources?: Record<string, Resource>; Parameters?: Record<string, { Default?: string }> };
type Resource = { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> };

const ALARM_TYPES = ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm'];

/** The routing the design states: severity and strategy -> topics on ALARM and on OK. */
const EXPECTED: Record<string, Record<Severity, { alarm: string[]; ok: string[] }>> = {
  bySeverity: {
    critical: { alarm: ['critical'], ok: ['critical'] },
    warning: { alarm: ['warning'], ok: [] },
    info: { alarm: ['info'], ok: [] },
  },
  pageThroughComposite: {
    critical: { alarm: ['warning'], ok: ['warning'] },
    warning: { alarm: ['warning'], ok: [] },
    info: { alarm: ['info'], ok: [] },
  },
  reportOnAnotherChannel: {
    critical: { alarm: ['critical'], ok: [] },
    warning: { alarm: ['warning'], ok: [] },
    info: { alarm: ['info'], ok: [] },
  },
};

interface AlarmRow {
  /** `<stack>/<logical id>` */
  readonly key: string;
  readonly logicalId: string;
  readonly name: string;
  readonly description: string;
  readonly type: string;
  readonly metadata?: { signal: string; severity: Severity; strategy: string };
  readonly actions: { alarm: string[]; ok: string[]; insufficientData: string[] };
  readonly rule: string;
}

/** The severity topic an action points at, or what it points at when it is no severity topic. */
function topicOf(template: Template, action: unknown): string {
  const ref = (action as { Ref?: string }).Ref;
  const resource = ref === undefined ? undefined : template.Resources?.[ref];
  const parameter = ref === undefined ? undefined : template.Parameters?.[ref];
  const name =
    resource?.Type === 'AWS::SNS::Topic' ? String(resource.Properties.TopicName) : String(parameter?.Default ?? '');
  return (
    /(?:-alerts-|\/alarm-topics\/)(critical|warning|info)$/.exec(name)?.[1] ??
    `not a severity topic: ${JSON.stringify(action)}`
  );
}

function alarmRows(stackName: string, template: Template): AlarmRow[] {
  return Object.entries(template.Resources ?? {})
    .filter(([, resource]) => ALARM_TYPES.includes(resource.Type))
    .map(([logicalId, { Type, Properties, Metadata }]) => {
      const topics = (property: string) =>
        ((Properties[property] as unknown[] | undefined) ?? []).map((action) => topicOf(template, action));
      return {
        key: `${stackName}/${logicalId}`,
        logicalId,
        name: String(Properties.AlarmName),
        description: String(Properties.AlarmDescription),
        type: Type,
        metadata: Metadata?.StarmatesAlarm as AlarmRow['metadata'],
        actions: {
          alarm: topics('AlarmActions'),
          ok: topics('OKActions'),
          insufficientData: topics('InsufficientDataActions'),
        },
        rule: JSON.stringify(Properties.AlarmRule ?? ''),
      };
    });
}

function appAlarms(environments?: unknown, selection?: string): AlarmRow[] {
  const { app } = buildTestApp({ environments, selection, compliance: false });
  return app.synth().stacks.flatMap((stack) => alarmRows(stack.stackName, stack.template as Template));
}

// One synth of the whole example app (dev, staging, prod) for the routing tests.
const alarms = appAlarms();

test('the example app has alarms in every stack of every environment, of every strategy and severity', () => {
  expect({
    stacks: new Set(alarms.map((row) => row.key.split('/')[0])).size,
    strategies: [...new Set(alarms.map((row) => row.metadata?.strategy))].sort(),
    severities: [...new Set(alarms.map((row) => row.metadata?.severity))].sort(),
  }).toEqual({
    stacks: 15,
    strategies: ['bySeverity', 'pageThroughComposite', 'reportOnAnotherChannel'],
    severities: ['critical', 'info', 'warning'],
  });
});

test('every alarm records its signal, severity and strategy in its template metadata', () => {
  expect(alarms.filter((row) => row.metadata === undefined).map((row) => row.key)).toEqual([]);
});

test('every alarm has exactly the actions its severity and strategy say, and no INSUFFICIENT_DATA action', () => {
  const actual = alarms.map((row) => ({ key: row.key, ...row.actions }));
  const expected = alarms.map((row) => {
    const { severity, strategy } = row.metadata ?? { severity: 'critical' as const, strategy: 'no metadata' };
    return { key: row.key, ...(EXPECTED[strategy]?.[severity] ?? { alarm: [], ok: [] }), insufficientData: [] };
  });
  expect(actual).toEqual(expected);
});

test("every critical alarm routed through a composite, and every SLO burn window alarm, is in the rule of its service's paging composite", () => {
  const paging = alarms.filter((row) => row.metadata?.signal === 'page');
  const reference = (row: AlarmRow) => JSON.stringify({ 'Fn::GetAtt': [row.logicalId, 'Arn'] });
  // CloudWatch keeps only the fast (critical) burn, whose long AND short windows are a term of Page.
  const pages = (row: AlarmRow) =>
    row.metadata?.strategy === 'pageThroughComposite' &&
    (row.metadata.severity === 'critical' || row.metadata.signal.startsWith('sloBurn:'));
  const orphans = alarms
    .filter(pages)
    .filter(
      (row) =>
        !paging.some((page) => page.key.split('/')[0] === row.key.split('/')[0] && page.rule.includes(reference(row))),
    );
  expect({ pagingComposites: paging.length > 0, orphans: orphans.map((row) => row.key) }).toEqual({
    pagingComposites: true,
    orphans: [],
  });
});

test('the paging composites page: critical, bySeverity, one per service stack', () => {
  const paging = alarms.filter((row) => row.metadata?.signal === 'page');
  const serviceStacks = [...new Set(alarms.map((row) => row.key.split('/')[0]))].filter(
    (stack) => !stack.endsWith('-Platform'),
  );
  expect(paging.map((row) => ({ type: row.type, ...row.metadata, actions: row.actions }))).toEqual(
    serviceStacks.map(() => ({
      type: 'AWS::CloudWatch::CompositeAlarm',
      signal: 'page',
      severity: 'critical',
      strategy: 'bySeverity',
      actions: { alarm: ['critical'], ok: ['critical'], insufficientData: [] },
    })),
  );
});

test('changing thresholds, and so every description text they appear in, changes no alarm name or logical id', () => {
  const environments = exampleEnvironments();
  environments.dev.alertThresholds = {
    serviceDown: { critical: { threshold: 1, windowMinutes: 3 } },
    errorRate: { critical: { threshold: 11, windowMinutes: 6 }, warning: { threshold: 4, windowMinutes: 12 } },
    latencyP95: { critical: { threshold: 4, windowMinutes: 6 }, warning: { threshold: 1.5, windowMinutes: 12 } },
    taskRestarts: { critical: { threshold: 4, windowMinutes: 15 } },
    logGroupGrowth: { warning: { threshold: 70, windowMinutes: 30 } },
    collectorHealth: { warning: { threshold: 5, windowMinutes: 10 } },
  };
  const before = alarms.filter((row) => row.key.startsWith('StarmatesAiTeam-Dev-'));
  const after = appAlarms(environments, 'dev');
  const identities = (rows: AlarmRow[]) => rows.map((row) => `${row.key} ${row.name}`).sort();
  const descriptions = (rows: AlarmRow[]) => new Set(rows.map((row) => `${row.key} ${row.description}`));
  const changed = [...descriptions(after)].filter((description) => !descriptions(before).has(description));
  expect({ identities: identities(after), descriptionsChanged: changed.length >= 20 }).toEqual({
    identities: identities(before),
    descriptionsChanged: true,
  });
});
