/**
 * Grafana's template-variable syntax, so queries can be checked the way Grafana will run them:
 * substitute representative values, then parse. Grafana replaces `$name`, `${name}`,
 * `${name:format}`, `${name.path}` and `[[name]]` before a query reaches the data source.
 */

/**
 * Grafana's own pattern (public/app/features/variables/utils.ts `variableRegex`). Groups:
 * 1 `$name`; 2, 3 `[[name:format]]`; 4, 5, 6 `${name.fieldPath:format}`.
 */
export const VARIABLE_PATTERN = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g;

/**
 * Representative values of Grafana's built-in interval variables, as Grafana would fill them for a
 * typical panel: `$__rate_interval` is at least four scrape intervals, so a rate has samples.
 */
export const BUILT_IN_VALUES: Readonly<Record<string, string>> = {
  __rate_interval: '5m',
  __rate_interval_ms: '300000',
  __interval: '1m',
  __interval_ms: '60000',
  __range: '1h',
  __range_s: '3600',
  __range_ms: '3600000',
};

/** One use of a variable in a text. */
export interface VariableReference {
  readonly name: string;
  /** What the variable's use looks like in the text: `$environment`, `${__field.labels.x}`. */
  readonly text: string;
  readonly offset: number;
}

/** Every variable a text uses, in order. */
export function variableReferences(text: string): VariableReference[] {
  return [...text.matchAll(VARIABLE_PATTERN)].map((match) => ({
    name: match[1] ?? match[2] ?? match[4],
    text: match[0],
    offset: match.index,
  }));
}

/** Grafana's global and data-link variables (`$__from`, `${__field.labels.x}`): never declared by a dashboard. */
export function isBuiltIn(name: string): boolean {
  return name.startsWith('__');
}

export interface Substitution {
  readonly text: string;
  /** Variables without a value, each once, in order of appearance. */
  readonly unknown: readonly string[];
}

/**
 * `text` with every variable replaced by its value from `values` (then BUILT_IN_VALUES); a
 * variable with neither stays as written and is listed in `unknown`.
 */
export function substituteVariables(text: string, values: Readonly<Record<string, string>>): Substitution {
  const unknown: string[] = [];
  const substituted = text.replace(VARIABLE_PATTERN, (whole: string, ...groups: (string | undefined)[]) => {
    const name = groups[0] ?? groups[1] ?? groups[3] ?? '';
    const value = Object.hasOwn(values, name) ? values[name] : BUILT_IN_VALUES[name];
    if (value !== undefined) return value;
    if (!unknown.includes(name)) unknown.push(name);
    return whole;
  });
  return { text: substituted, unknown };
}

/** encodeURIComponent for everything but Grafana variables, which Grafana interpolates when a link is clicked. */
export function encodeKeepingVariables(text: string): string {
  let encoded = '';
  let last = 0;
  for (const reference of variableReferences(text)) {
    encoded += encodeURIComponent(text.slice(last, reference.offset)) + reference.text;
    last = reference.offset + reference.text.length;
  }
  return encoded + encodeURIComponent(text.slice(last));
}
