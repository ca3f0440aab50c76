/**
 * The names Prometheus-compatible backends give OTLP metrics and attributes: our implementation of
 * the rules of github.com/prometheus/otlptranslator v1.0.0 (the version Grafana Mimir's go.mod
 * requires; Prometheus' own OTLP receiver uses the same package). Pure, no dependencies.
 *
 * It is tested against upstream's own test tables (test/fixtures/otlptranslator/, carried over by
 * scripts/otlptranslator-fixtures.ts), including their quirks: with escaping, a unit word counts as
 * present when it is any `_`-separated token of the name (`request_duration_seconds` keeps its
 * name), while with UTF-8 names it counts only at the end.
 */

/**
 * How a backend translates OTLP names (Mimir `-distributor.otel-translation-strategy`, Prometheus
 * `otlp.translation_strategy`). Grafana Cloud's default is UnderscoreEscapingWithSuffixes.
 */
export const TRANSLATION_STRATEGIES = [
  'UnderscoreEscapingWithSuffixes',
  'UnderscoreEscapingWithoutSuffixes',
  'NoUTF8EscapingWithSuffixes',
  'NoTranslation',
] as const;
export type TranslationStrategy = (typeof TRANSLATION_STRATEGIES)[number];

/** What the backend makes of the OTLP metric type (a Sum is a monotonic counter when `is_monotonic`). */
export type PrometheusMetricType =
  | 'unknown'
  | 'non-monotonic-counter'
  | 'monotonic-counter'
  | 'gauge'
  | 'histogram'
  | 'exponential-histogram'
  | 'summary';

export interface MetricNamerOptions {
  /** Prefixed with `_`. @default - none */
  readonly namespace?: string;
  /** Append unit, `_total` and `_ratio` suffixes. */
  readonly withMetricSuffixes: boolean;
  /** Keep names as they are instead of escaping them to `[a-zA-Z0-9_:]`. */
  readonly utf8Allowed: boolean;
}

export interface OtlpMetric {
  readonly name: string;
  /** The UCUM unit the instrument declares (`s`, `By`, `{request}`, `1`, `By/s`). */
  readonly unit: string;
  readonly type: PrometheusMetricType;
}

export class MetricNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricNameError';
  }
}

/** The namer options a strategy stands for. */
export function metricNamerOptions(strategy: TranslationStrategy, namespace = ''): MetricNamerOptions {
  return {
    namespace,
    withMetricSuffixes: strategy === 'UnderscoreEscapingWithSuffixes' || strategy === 'NoUTF8EscapingWithSuffixes',
    utf8Allowed: strategy === 'NoUTF8EscapingWithSuffixes' || strategy === 'NoTranslation',
  };
}

/**
 * The metric family name (histograms then get `_bucket`, `_sum` and `_count` series).
 * @throws MetricNameError when escaping leaves nothing, or only underscores, of the name
 */
export function buildMetricName(metric: OtlpMetric, options: MetricNamerOptions): string {
  const namespace = options.namespace ?? '';
  if (options.utf8Allowed) return utf8MetricName(metric, namespace, options.withMetricSuffixes);
  const built = options.withMetricSuffixes
    ? escapedNameWithSuffixes(metric, namespace)
    : escapedNameWithoutSuffixes(metric.name, namespace);
  if (built === '')
    throw new MetricNameError(`normalization for metric ${goQuote(metric.name)} resulted in empty name`);
  if (built !== metric.name && /^_+$/.test(built)) {
    throw new MetricNameError(
      `normalization for metric ${goQuote(metric.name)} resulted in invalid name ${goQuote(built)}`,
    );
  }
  return built;
}

/** The unit part of a name as the translator spells it (`By/s` -> `bytes_per_second`; `{request}` -> ``). */
export function buildUnitName(unit: string, utf8Allowed: boolean): string {
  let { main, per } = unitWords(unit);
  if (!utf8Allowed) {
    main = cleanUnit(main);
    per = cleanUnit(per);
  }
  const joined = main !== '' && per !== '' ? `${main}_${per}` : main !== '' ? main : per;
  return joined.replace(/^_/, '').replace(/_$/, '');
}

export interface LabelNamerOptions {
  readonly utf8Allowed: boolean;
  /** Keep runs of `_` instead of collapsing them (against the OTel spec; legacy). @default false */
  readonly preserveMultipleUnderscores?: boolean;
  /** Prefix `key` to a name starting with a single `_` (deprecated upstream). @default false */
  readonly underscoreLabelSanitization?: boolean;
}

/**
 * The label an attribute becomes (`service.name` -> `service_name`; `123` -> `key_123`).
 * @throws MetricNameError for an empty name or one of underscores only
 */
export function buildLabelName(attribute: string, options: LabelNamerOptions): string {
  if (attribute === '') throw new MetricNameError('label name is empty');
  if (options.utf8Allowed) {
    if (/^_+$/.test(attribute)) throw new MetricNameError(`label name ${goQuote(attribute)} contains only underscores`);
    return attribute;
  }
  let name = sanitizeLabel(attribute, options.preserveMultipleUnderscores ?? false);
  if (/^[0-9]/.test(name)) name = `key_${name}`;
  else if (options.underscoreLabelSanitization && name.startsWith('_') && !name.startsWith('__')) name = `key${name}`;
  if (/^_*$/.test(name)) {
    throw new MetricNameError(
      `normalization for label name ${goQuote(attribute)} resulted in invalid name ${goQuote(name)}`,
    );
  }
  return name;
}

/** UCUM units and the words Prometheus names use for them; any other unit is kept as written. */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '1': '',
  '%': 'percent',
};

/** The denominators of `x/y` units: `By/s` -> `per_second`. Note `m` is a minute here, a meter above. */
const PER_UNIT_WORDS: Readonly<Record<string, string>> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

/** Main and `per_` words of a unit, before escaping; a part in braces is an annotation and adds nothing. */
function unitWords(unit: string): { main: string; per: string } {
  const slash = unit.indexOf('/');
  const mainPart = (slash < 0 ? unit : unit.slice(0, slash)).trim();
  const perPart = slash < 0 ? '' : unit.slice(slash + 1).trim();
  const annotation = (part: string) => /[{}]/.test(part);
  const main = mainPart !== '' && !annotation(mainPart) ? (UNIT_WORDS[mainPart] ?? mainPart) : '';
  const perWord = perPart !== '' && !annotation(perPart) ? (PER_UNIT_WORDS[perPart] ?? perPart) : '';
  return { main, per: perWord === '' ? '' : `per_${perWord}` };
}

const COMPLIANT_METRIC_CHAR = /[a-zA-Z0-9:]/;

/** Invalid characters to `_`, runs of `_` to one, one leading `_` dropped. */
function cleanUnit(word: string): string {
  return escapeChars(word, COMPLIANT_METRIC_CHAR).replace(/_+/g, '_').replace(/^_/, '');
}

function escapeChars(text: string, valid: RegExp): string {
  let out = '';
  for (const char of text) out += valid.test(char) ? char : '_';
  return out;
}

/** `[a-zA-Z0-9:]` runs of the name; every other character (including `_`) separates them. */
function tokens(name: string): string[] {
  return escapeChars(name, COMPLIANT_METRIC_CHAR)
    .split('_')
    .filter((token) => token !== '');
}

function escapedNameWithSuffixes(metric: OtlpMetric, namespace: string): string {
  let parts = tokens(metric.name);
  const words = unitWords(metric.unit);
  let main = cleanUnit(words.main);
  let per = cleanUnit(words.per);
  // A unit already named by a token is not repeated (`request_duration_seconds` with unit `s`).
  if (parts.includes(main)) main = '';
  if (per === 'per_') per = '';
  else {
    per = per.replace(/_$/, '');
    if (parts.includes(per)) per = '';
  }
  if (per !== '') main = main.replace(/_$/, '');
  if (main !== '') parts.push(main);
  if (per !== '') parts.push(per);
  if (metric.type === 'monotonic-counter') parts = [...parts.filter((part) => part !== 'total'), 'total'];
  // Only gauges: OTel receivers have used `1` for counts of things (upstream's comment).
  if (metric.unit === '1' && metric.type === 'gauge') parts = [...parts.filter((part) => part !== 'ratio'), 'ratio'];
  if (namespace !== '') parts.unshift(namespace);
  const name = parts.join('_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

function escapedNameWithoutSuffixes(name: string, namespace: string): string {
  const escaped = collapseInvalidRuns(name);
  if (namespace !== '') return `${collapseInvalidRuns(namespace)}_${escaped}`;
  return /^[0-9]/.test(escaped) ? `_${escaped}` : escaped;
}

/**
 * `metric@@##$$name` -> `metric_name`, `@_#_$_%` -> `_____`: the name split at every run of
 * characters outside `[a-zA-Z0-9:_]`, the pieces joined with `_`.
 */
function collapseInvalidRuns(text: string): string {
  const pieces: string[] = [];
  let current = '';
  for (const char of text) {
    if (/[a-zA-Z0-9:_]/.test(char)) current += char;
    else if (current !== '') {
      pieces.push(current);
      current = '';
    }
  }
  if (current !== '') pieces.push(current);
  return pieces.join('_');
}

function utf8MetricName(metric: OtlpMetric, namespace: string, withSuffixes: boolean): string {
  let name = namespace === '' ? metric.name : `${namespace}_${metric.name}`;
  if (!withSuffixes) return name;
  const ratio = metric.unit === '1' && metric.type === 'gauge';
  const total = metric.type === 'monotonic-counter';
  const { main, per } = unitWords(metric.unit);
  // Suffixes are removed outermost first and put back in the order unit, per-unit, total, ratio.
  if (ratio) name = trimSuffixAndDelimiter(name, 'ratio');
  if (total) name = trimSuffixAndDelimiter(name, 'total');
  if (per !== '') name = trimSuffixAndDelimiter(name, per);
  if (main !== '' && !name.endsWith(main)) name = `${name}_${main}`;
  if (per !== '') name = `${name}_${per}`;
  if (total) name = `${name}_total`;
  if (ratio) name = `${name}_ratio`;
  return name;
}

/** `foo_total` -> `foo`: the suffix and the one character before it, if anything is left (lengths in UTF-8 bytes). */
function trimSuffixAndDelimiter(name: string, suffix: string): string {
  const bytes = Buffer.from(name, 'utf8');
  const suffixBytes = Buffer.byteLength(suffix, 'utf8');
  if (name.endsWith(suffix) && bytes.length > suffixBytes + 1) {
    return bytes.subarray(0, bytes.length - suffixBytes - 1).toString('utf8');
  }
  return name;
}

/** Label characters outside `[a-zA-Z0-9]` to `_` (runs collapsed unless preserved); `__x__` stays reserved. */
function sanitizeLabel(label: string, preserveMultipleUnderscores: boolean): string {
  if (preserveMultipleUnderscores) return escapeChars(label, /[a-zA-Z0-9]/);
  const reserved = Buffer.byteLength(label, 'utf8') >= 4 && label.startsWith('__') && label.endsWith('__');
  const inner = reserved ? label.slice(2, -2) : label;
  const collapsed = escapeChars(inner, /[a-zA-Z0-9]/).replace(/_+/g, '_');
  return reserved ? `__${collapsed}__` : collapsed;
}

/** Go's `%q` for the names in upstream's error messages (printable Unicode is kept). */
function goQuote(text: string): string {
  return JSON.stringify(text);
}
