/**
 * CloudWatch alarms (metric, composite, SLO burn-rate: all `AWS::CloudWatch::Alarm` or
 * `AWS::CloudWatch::CompositeAlarm`) of two assemblies, compared field by field; actions are
 * followed to their SNS topic and on to its subscriptions, so a review says who gets paged.
 */
import {
  type Assembly,
  type AssemblyStack,
  type ResourceRef,
  referencedLogicalId,
  renderValue,
  resolveReference,
  resourceName,
  type TemplateResource,
} from './assembly';
import { type Change, type FieldChange, fieldChanges, splitKeys } from './model';

const ALARM_TYPES = new Set(['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm']);

/** The fields a review compares, in the order it prints them. */
const ALARM_FIELDS = [
  'name',
  'severity',
  'threshold',
  'comparison',
  'period',
  'evaluation periods',
  'datapoints to alarm',
  'missing data',
  'metric',
  'rule',
  'alarm actions',
  'ok actions',
] as const;

type AlarmFields = Partial<Record<(typeof ALARM_FIELDS)[number], string>>;

interface AlarmFacts {
  readonly stack: AssemblyStack;
  readonly logicalId: string;
  readonly composite: boolean;
  readonly fields: AlarmFields;
}

/** Severity words the app (and most alarm naming schemes) end an alarm name with, or put in brackets. */
const SEVERITIES = ['critical', 'warning', 'info', 'page', 'ticket'];

export const REPLACED_ALARM_RISK =
  'replaced: CloudFormation deletes the old alarm and creates a new one; its state and history start over';

export function reviewAlarms(base: Assembly, head: Assembly): Change[] {
  const before = alarmsOf(base);
  const after = alarmsOf(head);
  const { removed, added, common } = splitKeys(before, after);
  const changes: Change[] = [];
  for (const key of common) {
    const [old, now] = [before.get(key) as AlarmFacts, after.get(key) as AlarmFacts];
    const fields = fieldChanges(ALARM_FIELDS, old.fields, now.fields).map(compactRule);
    if (fields.length === 0) continue;
    const renamed = old.fields.name !== now.fields.name;
    changes.push(alarmChange(now, renamed ? 'replaced' : 'changed', fields, renamed ? [REPLACED_ALARM_RISK] : []));
  }
  // A logical id change with the same alarm name is a replacement too (the construct id changed).
  const addedByName = new Map(
    added.map((key) => [`${after.get(key)?.stack.stackName}|${after.get(key)?.fields.name}`, key]),
  );
  const replacedHeads = new Set<string>();
  for (const key of removed) {
    const old = before.get(key) as AlarmFacts;
    const match = addedByName.get(`${old.stack.stackName}|${old.fields.name}`);
    if (match !== undefined) {
      const now = after.get(match) as AlarmFacts;
      replacedHeads.add(match);
      const fields = [
        { field: 'logical id', old: old.logicalId, new: now.logicalId },
        ...fieldChanges(ALARM_FIELDS, old.fields, now.fields),
      ];
      changes.push(alarmChange(now, 'replaced', fields, [REPLACED_ALARM_RISK]));
      continue;
    }
    changes.push(alarmChange(old, 'removed', describe(old.fields, 'old'), []));
  }
  for (const key of added) {
    if (replacedHeads.has(key)) continue;
    const now = after.get(key) as AlarmFacts;
    changes.push(alarmChange(now, 'added', describe(now.fields, 'new'), []));
  }
  return changes;
}

/** A composite rule's change as the alarm terms it lost and gained, when only terms changed: rules are long. */
function compactRule(field: FieldChange): FieldChange {
  if (field.field !== 'rule' || field.old === undefined || field.new === undefined) return field;
  const terms = (rule: string): string[] => rule.match(/(ALARM|OK|INSUFFICIENT_DATA)\([^)]*\)/g) ?? [];
  const [old, now] = [terms(field.old), terms(field.new)];
  const skeleton = (rule: string) => rule.replace(/(ALARM|OK|INSUFFICIENT_DATA)\([^)]*\)/g, 'X');
  if (skeleton(field.old) !== skeleton(field.new)) return field;
  return {
    field: 'rule terms',
    old: old.filter((term) => !now.includes(term)).join(' '),
    new: now.filter((term) => !old.includes(term)).join(' '),
  };
}

/** An added or removed alarm's settings, so a reviewer sees what it watched and where it routed. */
function describe(fields: AlarmFields, side: 'old' | 'new') {
  return ALARM_FIELDS.filter((name) => name !== 'name' && fields[name] !== undefined).map((name) => ({
    field: name,
    [side]: fields[name],
  }));
}

function alarmChange(
  alarm: AlarmFacts,
  kind: Change['kind'],
  fields: Change['fields'],
  risks: readonly string[],
): Change {
  return {
    environment: alarm.stack.environment,
    service: alarm.stack.service,
    category: 'alarms',
    subject: `${alarm.composite ? 'composite alarm' : 'alarm'} ${alarm.fields.name}`,
    kind,
    fields,
    risks,
    source: `${alarm.stack.stackName}/${alarm.logicalId}`,
  };
}

function alarmsOf(assembly: Assembly): Map<string, AlarmFacts> {
  const result = new Map<string, AlarmFacts>();
  for (const stack of assembly.stacks) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (!ALARM_TYPES.has(resource.Type)) continue;
      result.set(`${stack.stackName}/${logicalId}`, {
        stack,
        logicalId,
        composite: resource.Type === 'AWS::CloudWatch::CompositeAlarm',
        fields: alarmFields(assembly, stack, logicalId, resource),
      });
    }
  }
  return result;
}

function alarmFields(
  assembly: Assembly,
  stack: AssemblyStack,
  logicalId: string,
  resource: TemplateResource,
): AlarmFields {
  const p = resource.Properties ?? {};
  const text = (value: unknown) => (value === undefined ? undefined : renderValue(value, assembly, stack));
  const name = p.AlarmName === undefined ? logicalId : text(p.AlarmName);
  return {
    name,
    severity: severityOf(name, typeof p.AlarmDescription === 'string' ? p.AlarmDescription : undefined),
    threshold: text(p.Threshold),
    comparison: text(p.ComparisonOperator),
    period: periodOf(p),
    'evaluation periods': text(p.EvaluationPeriods),
    'datapoints to alarm': text(p.DatapointsToAlarm),
    'missing data': text(p.TreatMissingData),
    metric: metricOf(p, assembly, stack),
    rule: p.AlarmRule === undefined ? undefined : renderRule(assembly, stack, p.AlarmRule),
    'alarm actions': actions(assembly, stack, p.AlarmActions),
    'ok actions': actions(assembly, stack, p.OKActions),
  };
}

function severityOf(name: string | undefined, description: string | undefined): string | undefined {
  const last = name
    ?.split(/[-_./]/)
    .pop()
    ?.toLowerCase();
  if (last !== undefined && SEVERITIES.includes(last)) return last;
  const bracket = description?.match(/\[([a-z]+)\]\s*$/i)?.[1]?.toLowerCase();
  return bracket !== undefined && SEVERITIES.includes(bracket) ? bracket : undefined;
}

/** `300 s`, or for a metric-math alarm the periods of its metrics (`300 s`, `60 s, 300 s`). */
function periodOf(p: Record<string, unknown>): string | undefined {
  if (typeof p.Period === 'number') return `${p.Period} s`;
  if (!Array.isArray(p.Metrics)) return undefined;
  const periods = new Set<number>();
  for (const metric of p.Metrics as Array<Record<string, unknown>>) {
    const stat = metric.MetricStat as { Period?: unknown } | undefined;
    if (typeof stat?.Period === 'number') periods.add(stat.Period);
    if (typeof metric.Period === 'number') periods.add(metric.Period);
  }
  return periods.size === 0
    ? undefined
    : [...periods]
        .sort((a, b) => a - b)
        .map((s) => `${s} s`)
        .join(', ');
}

/** `Namespace MetricName Stat`, or the expression of a metric-math alarm with the metrics it reads. */
function metricOf(p: Record<string, unknown>, assembly: Assembly, stack: AssemblyStack): string | undefined {
  if (typeof p.MetricName === 'string') {
    return [renderValue(p.Namespace, assembly, stack), p.MetricName, p.Statistic ?? p.ExtendedStatistic ?? '']
      .join(' ')
      .trim();
  }
  if (!Array.isArray(p.Metrics)) return undefined;
  return (p.Metrics as Array<Record<string, unknown>>)
    .map((metric) => {
      if (typeof metric.Expression === 'string') return `${metric.Id} = ${metric.Expression}`;
      const stat = metric.MetricStat as
        | { Metric?: { MetricName?: unknown; Namespace?: unknown }; Stat?: unknown }
        | undefined;
      return `${metric.Id} = ${renderValue(stat?.Metric?.Namespace)} ${renderValue(stat?.Metric?.MetricName)} ${renderValue(stat?.Stat)}`;
    })
    .join('; ');
}

/** A composite alarm's rule with each alarm ARN replaced by the alarm's name: `ALARM(shop-prod-api-errorRate-critical) OR ...`. */
function renderRule(assembly: Assembly, stack: AssemblyStack, rule: unknown): string {
  if (typeof rule === 'object' && rule !== null && 'Fn::Join' in rule) {
    const [separator, parts] = (rule as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    return parts
      .map((part) => {
        if (typeof part === 'string') return part;
        const ref = resolveReference(assembly, stack, part);
        return ref === undefined ? renderValue(part, assembly, stack) : resourceName(ref);
      })
      .join(separator)
      .replace(/"/g, '');
  }
  return renderValue(rule, assembly, stack);
}

/** Each action as `topic <name> → <subscriptions>`; several joined with `; `. */
function actions(assembly: Assembly, stack: AssemblyStack, value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.map((action) => route(assembly, stack, action)).join('; ');
}

function route(assembly: Assembly, stack: AssemblyStack, action: unknown): string {
  const topic = resolveReference(assembly, stack, action);
  if (topic === undefined || topic.resource.Type !== 'AWS::SNS::Topic') return renderValue(action, assembly, stack);
  const targets = topicTargets(assembly, topic);
  return `topic ${resourceName(topic)} → ${targets.length === 0 ? 'no subscriber' : targets.join(', ')}`;
}

/** Where a topic delivers: its subscriptions (`email sre@x`, `https secret /x/oncall-url`) and chat channels. */
function topicTargets(assembly: Assembly, topic: ResourceRef): string[] {
  const targets: string[] = [];
  for (const [, resource] of Object.entries(topic.stack.template.Resources ?? {})) {
    const p = resource.Properties ?? {};
    if (resource.Type === 'AWS::SNS::Subscription' && referencedLogicalId(p.TopicArn) === topic.logicalId) {
      targets.push(`${renderValue(p.Protocol)} ${renderValue(p.Endpoint, assembly, topic.stack)}`);
    }
    if (
      resource.Type === 'AWS::Chatbot::SlackChannelConfiguration' &&
      Array.isArray(p.SnsTopicArns) &&
      p.SnsTopicArns.some((arn) => referencedLogicalId(arn) === topic.logicalId)
    ) {
      targets.push(`Slack channel ${renderValue(p.SlackChannelId)} (workspace ${renderValue(p.SlackWorkspaceId)})`);
    }
    if (
      resource.Type === 'AWS::Chatbot::MicrosoftTeamsChannelConfiguration' &&
      Array.isArray(p.SnsTopicArns) &&
      p.SnsTopicArns.some((arn) => referencedLogicalId(arn) === topic.logicalId)
    ) {
      targets.push(`Teams channel ${renderValue(p.TeamsChannelId)}`);
    }
  }
  // Inline subscriptions of the topic itself.
  const inline = topic.resource.Properties?.Subscription;
  if (Array.isArray(inline)) {
    for (const subscription of inline as Array<Record<string, unknown>>) {
      targets.push(
        `${renderValue(subscription.Protocol)} ${renderValue(subscription.Endpoint, assembly, topic.stack)}`,
      );
    }
  }
  return targets.sort();
}
