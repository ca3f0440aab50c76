/**
 * Collector configs (the generated YAML under collector-config/) of two sides: pipelines and
 * their components, exporters and processors added, removed or changed, tail-sampling policies
 * with the share of errors, slow traces and other traces they keep, memory limits and PII rules.
 */
import { shortValue } from './digest';
import { fileEnvironment, type GeneratedDocument, type GeneratedFiles } from './generated';
import { ALL_ENVIRONMENTS, type Change, type FieldChange, PLATFORM_SERVICE, splitKeys } from './model';

type Config = Record<string, unknown>;
type Section = Record<string, unknown>;

const COMPONENT_SECTIONS = ['receivers', 'processors', 'exporters', 'connectors', 'extensions'] as const;

/** At most this many leaf changes are listed per component; the rest are counted. */
const MAX_LEAF_CHANGES = 8;

export function reviewCollectorConfigs(base: GeneratedFiles, head: GeneratedFiles): Change[] {
  const { removed, added, common } = splitKeys(base.collectorConfigs, head.collectorConfigs);
  const change = (path: string, kind: Change['kind'], fields: FieldChange[], risks: string[]): Change => ({
    environment: fileEnvironment(path) ?? ALL_ENVIRONMENTS,
    service: PLATFORM_SERVICE,
    category: 'collector',
    subject: `collector config ${path}`,
    kind,
    fields,
    risks,
    source: path,
  });
  const changes: Change[] = [];
  for (const path of common) {
    const old = (base.collectorConfigs.get(path) as GeneratedDocument).content as Config;
    const now = (head.collectorConfigs.get(path) as GeneratedDocument).content as Config;
    const { fields, risks } = compareConfigs(old, now);
    if (fields.length > 0) changes.push(change(path, 'changed', fields, risks));
  }
  for (const path of removed) changes.push(change(path, 'removed', [], []));
  for (const path of added) {
    const now = (head.collectorConfigs.get(path) as GeneratedDocument).content as Config;
    changes.push(
      change(
        path,
        'added',
        Object.keys(pipelines(now)).map((name) => ({
          field: `pipeline ${name}`,
          new: pipelineText(pipelines(now)[name]),
        })),
        [],
      ),
    );
  }
  return changes;
}

export function compareConfigs(old: Config, now: Config): { fields: FieldChange[]; risks: string[] } {
  const fields: FieldChange[] = [];
  const risks: string[] = [];

  const oldPipelines = pipelines(old);
  const nowPipelines = pipelines(now);
  for (const name of unionKeys(oldPipelines, nowPipelines)) {
    const [before, after] = [oldPipelines[name], nowPipelines[name]];
    if (before === undefined || after === undefined) {
      fields.push({
        field: `pipeline ${name}`,
        old: before && pipelineText(before),
        new: after && pipelineText(after),
      });
      continue;
    }
    for (const role of ['receivers', 'processors', 'exporters'] as const) {
      const [a, b] = [listText(before[role]), listText(after[role])];
      if (a !== b) fields.push({ field: `pipeline ${name}: ${role}`, old: a, new: b });
    }
    for (const processor of asList(before.processors).filter((p) => !asList(after.processors).includes(p))) {
      if (isPiiProcessor(processor)) risks.push(`PII rule ${processor} no longer runs in pipeline ${name}`);
    }
  }

  for (const section of COMPONENT_SECTIONS) {
    const [before, after] = [sectionOf(old, section), sectionOf(now, section)];
    for (const id of unionKeys(before, after)) {
      const kind = section.slice(0, -1);
      if (!(id in before)) {
        fields.push({ field: `${kind} ${id}`, new: 'added' });
        continue;
      }
      if (!(id in after)) {
        fields.push({ field: `${kind} ${id}`, old: 'present', new: 'removed' });
        continue;
      }
      if (componentType(id) === 'tail_sampling') {
        const sampling = compareTailSampling(id, before[id] as Section, after[id] as Section);
        fields.push(...sampling.fields);
        risks.push(...sampling.risks);
        continue;
      }
      fields.push(...leafChanges(`${kind} ${id}`, before[id], after[id]));
    }
  }
  return { fields, risks };
}

/** The kind of a component: `tail_sampling` for `tail_sampling/errors`. */
function componentType(id: string): string {
  return id.split('/')[0];
}

/** Processors that remove personal or secret data: redaction, and transforms or attribute rules named for it. */
function isPiiProcessor(id: string): boolean {
  return componentType(id) === 'redaction' || /pii|secret|redact|mask/i.test(id);
}

interface Pipeline {
  readonly receivers?: unknown;
  readonly processors?: unknown;
  readonly exporters?: unknown;
}

function pipelines(config: Config): Record<string, Pipeline> {
  return ((config.service as { pipelines?: Record<string, Pipeline> } | undefined)?.pipelines ?? {}) as Record<
    string,
    Pipeline
  >;
}

function pipelineText(pipeline: Pipeline): string {
  return `${listText(pipeline.receivers)} → ${listText(pipeline.processors)} → ${listText(pipeline.exporters)}`;
}

function asList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function listText(value: unknown): string {
  return `[${asList(value).join(', ')}]`;
}

function sectionOf(config: Config, section: string): Section {
  const value = config[section];
  return typeof value === 'object' && value !== null ? (value as Section) : {};
}

function unionKeys(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

/** Leaf values (`memory_limiter: limit_mib`) that differ, each `path: old → new`. */
function leafChanges(prefix: string, old: unknown, now: unknown): FieldChange[] {
  const [a, b] = [flatten(old), flatten(now)];
  const changed = unionKeys(Object.fromEntries(a), Object.fromEntries(b))
    .filter((path) => a.get(path) !== b.get(path))
    .map((path) => ({
      field: `${prefix}${path === '' ? '' : `: ${path}`}`,
      old: shortValue(a.get(path)),
      new: shortValue(b.get(path)),
    }));
  if (changed.length <= MAX_LEAF_CHANGES) return changed;
  return [
    ...changed.slice(0, MAX_LEAF_CHANGES),
    { field: `${prefix}: ...`, new: `${changed.length - MAX_LEAF_CHANGES} more settings changed` },
  ];
}

/** Scalars by dotted path; lists of scalars stay one value; list items with a `name` are keyed by it. */
function flatten(value: unknown, path = '', into = new Map<string, string>()): Map<string, string> {
  if (value === null || typeof value !== 'object') {
    into.set(path, value === undefined ? '(none)' : String(value));
    return into;
  }
  const join = (key: string) => (path === '' ? key : `${path}.${key}`);
  if (Array.isArray(value)) {
    if (value.every((item) => item === null || typeof item !== 'object')) {
      into.set(path, `[${value.join(', ')}]`);
      return into;
    }
    value.forEach((item, index) => {
      const name = (item as { name?: unknown } | null)?.name;
      flatten(item, join(typeof name === 'string' ? name : String(index)), into);
    });
    return into;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) into.set(path, '{}');
  for (const [key, item] of entries) flatten(item, join(key), into);
  return into;
}

// ---------------------------------------------------------------------------------------------
// Tail sampling: which share of each class of trace the policies keep. The processor keeps a trace
// when any policy says "sample" (opentelemetry-collector-contrib processor/tailsamplingprocessor
// README and config.go: `and_sub_policy`, `composite_sub_policy`, `drop_sub_policy`), so a class's
// keep rate is the highest rate any policy gives it; `and` keeps the lowest of its sub-policies;
// a `drop` policy whose sub-policies all match wins over every "sample" and removes its share. A
// policy that matches on something else (an attribute, a rate limit) is not a guarantee for the
// class: it counts as 0 (and a `drop` on an attribute as dropping nothing of the class).

export type TraceClass = 'errors' | 'slow traces' | 'other traces';
const TRACE_CLASSES: readonly TraceClass[] = ['errors', 'slow traces', 'other traces'];

interface Policy {
  readonly name?: unknown;
  readonly type?: unknown;
  readonly [key: string]: unknown;
}

/** The percentage (0 to 100) of traces of `traceClass` that a list of policies keeps. */
export function keepRate(policies: readonly Policy[], traceClass: TraceClass): number {
  const sampling = policies.filter((policy) => policy.type !== 'drop');
  const kept = Math.max(0, ...sampling.map((policy) => policyRate(policy, traceClass)));
  const dropped = Math.max(
    0,
    ...policies
      .filter((policy) => policy.type === 'drop')
      .map((policy) => {
        const subs = (policy.drop as { drop_sub_policy?: Policy[] } | undefined)?.drop_sub_policy ?? [];
        return subs.length === 0 ? 0 : Math.min(...subs.map((sub) => policyRate(sub, traceClass)));
      }),
  );
  return Math.round(kept * (1 - dropped / 100) * 1e6) / 1e6;
}

function policyRate(policy: Policy, traceClass: TraceClass): number {
  switch (policy.type) {
    case 'always_sample':
      return 100;
    case 'probabilistic':
      return Number((policy.probabilistic as { sampling_percentage?: unknown } | undefined)?.sampling_percentage ?? 0);
    case 'status_code': {
      const codes = asList((policy.status_code as { status_codes?: unknown } | undefined)?.status_codes);
      return traceClass === 'errors' && codes.includes('ERROR') ? 100 : 0;
    }
    case 'latency':
      return traceClass === 'slow traces' ? 100 : 0;
    case 'and': {
      const subs = (policy.and as { and_sub_policy?: Policy[] } | undefined)?.and_sub_policy ?? [];
      return subs.length === 0 ? 0 : Math.min(...subs.map((sub) => policyRate(sub, traceClass)));
    }
    case 'composite': {
      const subs = (policy.composite as { composite_sub_policy?: Policy[] } | undefined)?.composite_sub_policy ?? [];
      return keepRate(subs, traceClass);
    }
    default:
      return 0;
  }
}

function policiesOf(processor: Section | undefined): Policy[] {
  const policies = processor?.policies;
  return Array.isArray(policies) ? (policies as Policy[]) : [];
}

function compareTailSampling(id: string, old: Section, now: Section): { fields: FieldChange[]; risks: string[] } {
  const fields: FieldChange[] = [];
  const risks: string[] = [];
  const [before, after] = [policiesOf(old), policiesOf(now)];
  const byName = (policies: Policy[]) =>
    new Map(policies.map((policy, index) => [String(policy.name ?? index), policy]));
  const [a, b] = [byName(before), byName(after)];
  for (const name of unionKeys(Object.fromEntries(a), Object.fromEntries(b))) {
    const [x, y] = [a.get(name), b.get(name)];
    const text = (policy: Policy | undefined) => (policy === undefined ? undefined : policyText(policy));
    if (text(x) !== text(y)) fields.push({ field: `${id}: policy ${name}`, old: text(x), new: text(y) });
  }
  for (const traceClass of TRACE_CLASSES) {
    const [was, is] = [keepRate(before, traceClass), keepRate(after, traceClass)];
    if (was === is) continue;
    fields.push({ field: `${id}: ${traceClass} kept`, old: `${was} %`, new: `${is} %` });
    if (is < was && traceClass !== 'other traces') {
      risks.push(`${id} keeps ${is} % of ${traceClass} instead of ${was} %`);
    }
  }
  const { policies: _old, ...oldRest } = old;
  const { policies: _new, ...newRest } = now;
  fields.push(...leafChanges(id, oldRest, newRest));
  return { fields, risks };
}

/** A policy in one line: `status_code [ERROR]`, `and(status_code [ERROR], probabilistic 1 %)`. */
function policyText(policy: Policy): string {
  const settings = policy[String(policy.type)] as Record<string, unknown> | undefined;
  switch (policy.type) {
    case 'probabilistic':
      return `probabilistic ${String(settings?.sampling_percentage)} %`;
    case 'status_code':
      return `status_code ${listText(settings?.status_codes)}`;
    case 'latency':
      return `latency ≥ ${String(settings?.threshold_ms)} ms`;
    case 'and':
      return `and(${((settings?.and_sub_policy ?? []) as Policy[]).map(policyText).join(', ')})`;
    case 'composite':
      return `composite(${((settings?.composite_sub_policy ?? []) as Policy[]).map(policyText).join(', ')})`;
    default:
      return `${String(policy.type)} ${JSON.stringify(settings ?? {})}`;
  }
}
