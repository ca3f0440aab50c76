/**
 * PromQL checks for generated queries (alert rules, dashboards), with the Prometheus project's
 * own grammar (`@prometheus-io/lezer-promql`): syntax errors with their position, the metrics a
 * query selects, and whether those are in the metric catalogue with the labels it matches on.
 *
 * The grammar follows the latest Prometheus, so it accepts functions and syntax an older server
 * may lack; `promtool check rules` is the authority on what a given Prometheus version runs.
 */
import { parser } from '@prometheus-io/lezer-promql';

/** A problem in a query, at a character offset. */
export interface PromQLProblem {
  /** 0-based offset into the expression. */
  readonly offset: number;
  /** 1-based line and column of `offset`, for multi-line expressions. */
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export type MatchOperator = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  readonly label: string;
  readonly operator: MatchOperator;
  readonly value: string;
}

/** One `name{matchers}` of a query. */
export interface VectorSelector {
  /** The metric name, from the identifier, a quoted name or a `__name__="…"` matcher. */
  readonly metricName?: string;
  /** Every matcher but the one that gives the name. */
  readonly matchers: readonly LabelMatcher[];
  readonly offset: number;
}

/** Syntax errors of an expression, each with its position; empty when it parses. */
export function checkPromQL(expr: string): PromQLProblem[] {
  if (expr.trim() === '') return [problemAt(expr, 0, 'empty expression')];
  const problems: PromQLProblem[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (!node.type.isError) return;
      const near = expr.slice(node.from, node.from + 20).split('\n')[0];
      problems.push(
        problemAt(
          expr,
          node.from,
          near === '' ? 'syntax error: unexpected end of expression' : `syntax error near "${near}"`,
        ),
      );
    },
  });
  return problems;
}

/** The vector selectors of a (syntactically valid) expression, in order of appearance. */
export function vectorSelectorsIn(expr: string): VectorSelector[] {
  const selectors: VectorSelector[] = [];
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.type.name !== 'VectorSelector') continue;
    const selector = cursor.node;
    let metricName: string | undefined;
    const matchers: LabelMatcher[] = [];
    for (let child = selector.firstChild; child !== null; child = child.nextSibling) {
      if (child.type.name === 'Identifier') metricName = expr.slice(child.from, child.to);
      if (child.type.name !== 'LabelMatchers') continue;
      for (let part = child.firstChild; part !== null; part = part.nextSibling) {
        // `{"metric.name", …}`: a quoted name on its own is the metric name.
        if (part.type.name === 'QuotedLabelName') metricName = unquote(expr.slice(part.from, part.to));
        if (part.type.name !== 'UnquotedLabelMatcher' && part.type.name !== 'QuotedLabelMatcher') continue;
        const name = part.firstChild;
        const operator = name?.nextSibling;
        const value = operator?.nextSibling;
        if (name == null || operator == null || value == null) continue;
        const matcher: LabelMatcher = {
          label:
            name.type.name === 'QuotedLabelName'
              ? unquote(expr.slice(name.from, name.to))
              : expr.slice(name.from, name.to),
          operator: expr.slice(operator.from, operator.to) as MatchOperator,
          value: unquote(expr.slice(value.from, value.to)),
        };
        if (matcher.label === '__name__' && matcher.operator === '=') metricName = matcher.value;
        else matchers.push(matcher);
      }
    }
    selectors.push({ metricName, matchers, offset: selector.from });
  } while (cursor.next());
  return selectors;
}

/** The metric names a query selects, sorted, each once. */
export function metricNamesIn(expr: string): string[] {
  const names = vectorSelectorsIn(expr).flatMap((selector) => (selector.metricName ? [selector.metricName] : []));
  return [...new Set(names)].sort();
}

/** Series names a query may select, with the labels each carries (`SeriesNames.all()`). */
export type SeriesCatalogue = ReadonlyMap<string, readonly string[]>;

/**
 * Everything wrong with a query: syntax errors, then selectors whose metric is not a series of
 * the catalogue under the stack's translation strategy (`SeriesNames.all()`),
 * that select by anything but an exact name, or that match on a label the series does not carry
 * (a typo there silently matches nothing).
 */
export function checkQuery(expr: string, catalogue: SeriesCatalogue): PromQLProblem[] {
  const syntax = checkPromQL(expr);
  if (syntax.length > 0) return syntax;
  return vectorSelectorsIn(expr).flatMap((selector): PromQLProblem[] => {
    if (selector.metricName === undefined) {
      return [problemAt(expr, selector.offset, 'selector without an exact metric name: name the metric')];
    }
    const labels = catalogue.get(selector.metricName);
    if (labels === undefined) {
      return [
        problemAt(
          expr,
          selector.offset,
          `metric ${selector.metricName} is not a series of the metric catalogue (lib/metrics/catalogue.ts) as the stack's translation strategy names it`,
        ),
      ];
    }
    return selector.matchers
      .filter((matcher) => !labels.includes(matcher.label))
      .map((matcher) =>
        problemAt(
          expr,
          selector.offset,
          `${selector.metricName} has no label ${matcher.label} (it has ${labels.join(', ')})`,
        ),
      );
  });
}

/** `line:column: message`, for error messages. */
export function formatProblem(problem: PromQLProblem): string {
  return `${problem.line}:${problem.column}: ${problem.message}`;
}

function problemAt(expr: string, offset: number, message: string): PromQLProblem {
  const before = expr.slice(0, offset).split('\n');
  return { offset, line: before.length, column: before[before.length - 1].length + 1, message };
}

/** The value of a PromQL string literal: "…" and '…' take Go escapes, `…` is raw. */
function unquote(literal: string): string {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === '`') return body;
  return body.replace(/\\(.)/g, (_, escaped: string) => ESCAPES[escaped] ?? escaped);
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" };
