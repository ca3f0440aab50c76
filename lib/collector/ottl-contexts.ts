/**
 * Where an OTTL statement or condition runs: the contexts of the transform and filter processors
 * and of the routing connector, which path prefixes each context parses, and the rule by which a
 * processor picks the context of a group that does not name one. Upstream's rules as data, and a
 * pure function that applies them, so a check can say at which level each generated group runs.
 *
 * Source: open-telemetry/opentelemetry-collector-contrib (Apache-2.0), read from the code index,
 * not from the v0.159.0 tag itself (the repository is over the size a mirror may have here, and
 * the index stores untagged versions). The rules below agree in every version read from v0.120.0
 * (context inference, README "Context inference") to the newest stored one:
 * - pkg/ottl/context_inferrer.go: `defaultContextInferPriority` and `inferFromHints`: the context
 *   of a group is the path context with the highest priority among all its paths; when a function
 *   or enum is not available there, the first of its lower contexts (contexts that parse its paths)
 *   that has them all. The version read puts `resource` after `scope` (older ones put it before).
 * - pkg/ottl/parser_collection.go: `ParseStatements` infers once per group; a group with a
 *   `context` is parsed with that context's parser (`ParseStatementsWithContext`), and paths with
 *   no context prefix get that context prepended.
 * - pkg/ottl/contexts/ottl{resource,scope,span,spanevent,metric,datapoint,log}: each parser's
 *   `EnablePathContextNames` list, the path prefixes it parses.
 * - processor/transformprocessor/internal/common/config.go (`ContextStatements`: context,
 *   conditions, statements, error_mode) and README "Basic Config" (a flat list of strings is one
 *   group, context inferred) and "Supported functions" (functions registered for one context only).
 * - processor/filterprocessor/config.go `Unmarshal` (a flat `*_conditions` list becomes one
 *   `ContextConditions` group with no context) and internal/condition (`ContextConditions`:
 *   context, conditions, error_mode).
 * - connector/routingconnector README (`table[].context`, default `resource`).
 */

export const OTTL_CONTEXTS_SOURCE = {
  repository: 'open-telemetry/opentelemetry-collector-contrib',
  pinned: 'v0.159.0 (not read directly; see the module comment)',
  paths: [
    'pkg/ottl/context_inferrer.go',
    'pkg/ottl/parser_collection.go',
    'pkg/ottl/contexts/ottl*/',
    'processor/transformprocessor/internal/common/config.go',
    'processor/transformprocessor/README.md#context-inference',
    'processor/filterprocessor/config.go',
  ],
} as const;

/** The OTTL contexts our processors can run at (exemplar and profile are left out: we write neither). */
export type OttlContext = 'resource' | 'scope' | 'span' | 'spanevent' | 'metric' | 'datapoint' | 'log';

/**
 * The path prefixes each context's parser accepts (`EnablePathContextNames`): its own and those of
 * the contexts above it. A statement at `span` can read `resource.attributes`; it cannot read
 * `spanevent.attributes`.
 */
export const OTTL_CONTEXT_PATH_NAMES: Readonly<Record<OttlContext, readonly string[]>> = {
  resource: ['resource'],
  scope: ['scope', 'resource'],
  span: ['span', 'resource', 'instrumentation_scope', 'scope'],
  spanevent: ['spanevent', 'span', 'resource', 'instrumentation_scope', 'scope'],
  metric: ['metric', 'resource', 'instrumentation_scope', 'scope'],
  datapoint: ['datapoint', 'resource', 'instrumentation_scope', 'scope', 'metric'],
  log: ['log', 'instrumentation_scope', 'scope', 'resource'],
};

/** `defaultContextInferPriority`: the earlier, the more a path of that context weighs in inference. */
export const OTTL_CONTEXT_INFERENCE_PRIORITY: readonly string[] = [
  'log',
  'datapoint',
  'metric',
  'spanevent',
  'span',
  'profile',
  'scope',
  'instrumentation_scope',
  'resource',
];

/** Functions the transform processor registers for one context only (README "Supported functions"). */
export const TRANSFORM_CONTEXT_ONLY_FUNCTIONS: Readonly<Record<string, OttlContext>> = {
  convert_sum_to_gauge: 'metric',
  convert_gauge_to_sum: 'metric',
  extract_count_metric: 'metric',
  extract_percentile_metric: 'metric',
  extract_sum_metric: 'metric',
  convert_summary_count_val_to_sum: 'metric',
  convert_summary_quantile_val_to_gauge: 'metric',
  convert_summary_sum_val_to_sum: 'metric',
  copy_metric: 'metric',
  scale_metric: 'metric',
  aggregate_on_attributes: 'metric',
  convert_exponential_histogram_to_histogram: 'metric',
  aggregate_on_attribute_value: 'metric',
  merge_histogram_buckets: 'metric',
  ParseCEF: 'log',
  ParseCLF: 'log',
  ParseELF: 'log',
  ParseLEEF: 'log',
  set_semconv_span_name: 'span',
};

/** One OTTL list of a component: the contexts its groups may name, and what its strings are. */
export interface OttlField {
  readonly contexts: readonly OttlContext[];
  readonly kind: 'statements' | 'conditions';
}

/** The OTTL lists of each component type, by key (transform `ContextID`, filter `condition.ContextID`). */
export const OTTL_FIELDS: Readonly<Record<string, Readonly<Record<string, OttlField>>>> = {
  transform: {
    trace_statements: { contexts: ['resource', 'scope', 'span', 'spanevent'], kind: 'statements' },
    metric_statements: { contexts: ['resource', 'scope', 'metric', 'datapoint'], kind: 'statements' },
    log_statements: { contexts: ['resource', 'scope', 'log'], kind: 'statements' },
  },
  filter: {
    trace_conditions: { contexts: ['resource', 'scope', 'span', 'spanevent'], kind: 'conditions' },
    metric_conditions: { contexts: ['resource', 'scope', 'metric', 'datapoint'], kind: 'conditions' },
    log_conditions: { contexts: ['resource', 'scope', 'log'], kind: 'conditions' },
  },
};

/** The routing connector's route contexts that are OTTL contexts (`request` reads request metadata, not paths). */
export const ROUTING_CONTEXTS: readonly OttlContext[] = ['resource', 'span', 'metric', 'datapoint', 'log'];

/** A group of statements or conditions, as the processor sees it after reading its config. */
export interface OttlGroup {
  /** The context the group names; undefined for a flat list or a group that leaves it to inference. */
  readonly context?: string;
  readonly texts: readonly string[];
}

/** The context a processor will run a group at, or why it cannot parse the group. */
export type OttlContextResolution =
  | { readonly context: OttlContext; readonly inferred: boolean }
  | { readonly error: string };

const KEYWORDS = new Set(['where', 'and', 'or', 'not', 'nil', 'true', 'false']);

/** The text with every string literal emptied, so nothing inside a literal reads as a path. */
function withoutLiterals(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
}

/**
 * The context prefix of every path in a statement or condition, in order: the first segment of a
 * path followed by `.` (OTTL's grammar: `(Lowercase '.')? Fields`), or '' for a path without one.
 */
export function ottlPathContexts(text: string): string[] {
  const found: string[] = [];
  const identifier = /(?<![\w.])([a-z_][a-z0-9_]*)(\s*\()?(\.)?/g;
  const code = withoutLiterals(text);
  for (let match = identifier.exec(code); match !== null; match = identifier.exec(code)) {
    const [, name, call, dot] = match;
    if (call !== undefined || KEYWORDS.has(name)) continue;
    found.push(dot === undefined ? '' : name);
  }
  return found;
}

/** The functions (editors and converters) a statement or condition calls. */
export function ottlFunctionNames(text: string): string[] {
  return [...withoutLiterals(text).matchAll(/(?<![\w.])([A-Za-z_]\w*)\s*\(/g)].map((match) => match[1]);
}

/** The context a statement or condition would be inferred at on its own ('' when no path names one). */
function ownContext(text: string): string {
  const prefixes = ottlPathContexts(text).filter((prefix) => prefix !== '');
  return prefixes.length === 0
    ? ''
    : prefixes.reduce((best, prefix) => (priority(prefix) < priority(best) ? prefix : best));
}

function priority(context: string): number {
  const index = OTTL_CONTEXT_INFERENCE_PRIORITY.indexOf(context);
  return index < 0 ? Number.MAX_SAFE_INTEGER : index;
}

function supportsFunctions(context: OttlContext, functions: readonly string[]): boolean {
  return functions.every((name) => (TRANSFORM_CONTEXT_ONLY_FUNCTIONS[name] ?? context) === context);
}

/** Why `context` cannot parse the group's paths or functions, or undefined when it can. */
function unparsable(context: OttlContext, group: OttlGroup): string | undefined {
  for (const text of group.texts) {
    for (const prefix of ottlPathContexts(text)) {
      // A path without a prefix gets the group's context prepended.
      if (prefix !== '' && !OTTL_CONTEXT_PATH_NAMES[context].includes(prefix)) {
        return (
          `the ${prefix}. path in ${JSON.stringify(text)} cannot be parsed at context "${context}" (it parses ` +
          `${OTTL_CONTEXT_PATH_NAMES[context].join(', ')}); move the statement to a group with "context: ${prefix}"`
        );
      }
    }
    const wrongFunction = ottlFunctionNames(text).find((name) => !supportsFunctions(context, [name]));
    if (wrongFunction !== undefined) {
      const home = TRANSFORM_CONTEXT_ONLY_FUNCTIONS[wrongFunction];
      return (
        `the function ${wrongFunction} in ${JSON.stringify(text)} exists at context "${home}" only, not at ` +
        `"${context}"; move the statement to a group with "context: ${home}"`
      );
    }
  }
  return undefined;
}

/**
 * The context the processor will use for a group of one of its OTTL lists (upstream's rules, see
 * the module comment): the named one, or the inferred one for a group that names none.
 */
export function resolveOttlContext(group: OttlGroup, field: OttlField): OttlContextResolution {
  if (group.context !== undefined) {
    const context = group.context.toLowerCase() as OttlContext;
    if (!field.contexts.includes(context)) {
      return { error: `unknown context "${group.context}"; name one of ${field.contexts.join(', ')}` };
    }
    const problem = unparsable(context, group);
    return problem === undefined ? { context, inferred: false } : { error: problem };
  }
  const prefixes = group.texts.flatMap(ottlPathContexts);
  if (prefixes.length === 0 || prefixes.every((prefix) => prefix === '')) {
    return {
      error: 'no path names a context, so none can be inferred; name the context of the group ("context: ...")',
    };
  }
  const candidate = prefixes.reduce((best, prefix) => (priority(prefix) < priority(best) ? prefix : best));
  if (!field.contexts.includes(candidate as OttlContext)) {
    return {
      error: `the inferred context "${candidate}" is not one of ${field.contexts.join(', ')}; name one of them ("context: ...")`,
    };
  }
  const functions = group.texts.flatMap(ottlFunctionNames);
  const lower = field.contexts
    .filter((context) => context !== candidate && OTTL_CONTEXT_PATH_NAMES[context].includes(candidate))
    .sort((a, b) => priority(a) - priority(b));
  const chosen = [candidate as OttlContext, ...lower].find((context) => supportsFunctions(context, functions));
  if (chosen === undefined) {
    return {
      error:
        `no context parses every path and function of the group (inferred "${candidate}"); split it into one ` +
        'group per context ("context: ...")',
    };
  }
  const problem = unparsable(chosen, group);
  return problem === undefined ? { context: chosen, inferred: true } : { error: problem };
}

/** A group as written in a config, with the place it was read from. */
export interface LocatedOttlGroup extends OttlGroup {
  /** `processors.transform/drop_secrets.trace_statements[1]`, or the list itself for a flat list. */
  readonly path: string;
  /** True for a list of plain strings: the processor reads the whole list as one group. */
  readonly flat: boolean;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The groups of one OTTL list as the processor reads them: plain strings form one flat group. */
export function ottlGroupsOf(list: unknown, path: string, kind: OttlField['kind']): LocatedOttlGroup[] {
  if (!Array.isArray(list)) return [];
  const flat = strings(list);
  const groups: LocatedOttlGroup[] = flat.length > 0 ? [{ path, flat: true, texts: flat }] : [];
  list.forEach((item, i) => {
    if (!isMap(item)) return;
    const context = typeof item.context === 'string' ? item.context : undefined;
    // A transform group's `conditions` are parsed at the group's context too, so they count in inference.
    const texts =
      kind === 'statements' ? [...strings(item.conditions), ...strings(item.statements)] : strings(item[kind]);
    groups.push({ path: `${path}[${i}]`, flat: false, context, texts });
  });
  return groups;
}

/** Every OTTL group of a config's transform and filter processors, with the list it belongs to. */
export function configOttlGroups(processors: Readonly<Record<string, unknown>>): {
  readonly group: LocatedOttlGroup;
  readonly field: OttlField;
}[] {
  const found: { group: LocatedOttlGroup; field: OttlField }[] = [];
  for (const [id, settings] of Object.entries(processors)) {
    const fields = OTTL_FIELDS[id.split('/')[0]];
    if (fields === undefined || !isMap(settings)) continue;
    for (const [key, field] of Object.entries(fields)) {
      for (const group of ottlGroupsOf(settings[key], `processors.${id}.${key}`, field.kind)) {
        found.push({ group, field });
      }
    }
  }
  return found;
}

/**
 * One line per OTTL group that would not run where it says: a list or group without a context
 * that mixes the paths of several contexts (it runs once per item of the lowest of them), a group
 * whose statements its named context cannot parse, an unknown context.
 */
export function ottlContextProblems(config: {
  readonly processors?: Readonly<Record<string, unknown>>;
  readonly connectors?: Readonly<Record<string, unknown>>;
}): string[] {
  const problems: string[] = [];
  for (const { group, field } of configOttlGroups(config.processors ?? {})) {
    const resolution = resolveOttlContext(group, field);
    if ('error' in resolution) {
      problems.push(`${group.path}: ${resolution.error}`);
      continue;
    }
    // Each statement's own level: the lowest context among its paths. One statement may read a
    // higher level (a data point from its resource); statements of different levels must not share a group.
    const levels = [...new Set(group.texts.map(ownContext).filter((level) => level !== ''))];
    if (resolution.inferred && levels.length > 1) {
      const what = group.flat ? 'a flat list' : 'a group without a context';
      problems.push(
        `${group.path}: ${what} of ${levels.join(', ')} statements runs as one group at the inferred context ` +
          `"${resolution.context}", once per ${resolution.context}, so its other statements miss every item ` +
          `without a ${resolution.context}. Fix: one group per context ("- context: resource", ` +
          `"  ${field.kind}: [...]"), each statement in the group of the level it changes`,
      );
    }
  }
  for (const [id, settings] of Object.entries(config.connectors ?? {})) {
    if (id.split('/')[0] !== 'routing' || !isMap(settings) || !Array.isArray(settings.table)) continue;
    settings.table.forEach((route: unknown, r: number) => {
      if (!isMap(route)) return;
      const context = typeof route.context === 'string' ? route.context : 'resource';
      if (context === 'request') return;
      const texts = [...strings([route.condition]), ...strings([route.statement])];
      const resolution = resolveOttlContext({ context, texts }, { contexts: ROUTING_CONTEXTS, kind: 'conditions' });
      if ('error' in resolution) problems.push(`connectors.${id}.table[${r}]: ${resolution.error}`);
    });
  }
  return problems;
}
