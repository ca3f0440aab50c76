/**
 * Every metric name in the committed dashboards, rule files, promtool tests and README is one the
 * OTLP translator makes from the catalogue under the stacks' strategy (or, in prose about the
 * SDK, CloudWatch and the collectors, the catalogue's OTel name): nothing is hand-written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VariableModel } from '@grafana/grafana-foundation-sdk/dashboard';
import { parse } from 'yaml';
import { metricNamesIn } from '../../lib/alerting/promql';
import { representativeValues } from '../../lib/dashboards/checks';
import { sharedSeriesNames } from '../../lib/dashboards/context';
import { substituteVariables } from '../../lib/dashboards/template-variables';
import { ALL_METRICS } from '../../lib/metrics/catalogue';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { cdkJsonEnvironments } from '../support/cdk-json';

const root = join(__dirname, '..', '..');
// The committed files are the operator's, generated from cdk.json: their names follow its strategy.
const profiles = loadEnvironmentProfiles(cdkJsonEnvironments());
const series = sharedSeriesNames(profiles).all();
/** Series promtool itself makes: the alert state of every rule. */
const PROMETHEUS_SERIES = new Set(['ALERTS', 'ALERTS_FOR_STATE']);

function filesIn(folder: string, suffix: string): string[] {
  return readdirSync(join(root, folder))
    .filter((name) => name.endsWith(suffix))
    .map((name) => `${folder}/${name}`);
}

/** Every string value under a key in a parsed YAML or JSON document. */
function valuesOf(node: unknown, key: string): string[] {
  if (Array.isArray(node)) return node.flatMap((item) => valuesOf(item, key));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([name, value]) => [
    ...(name === key && typeof value === 'string' ? [value] : []),
    ...valuesOf(value, key),
  ]);
}

/** `file: name` for each metric a file's queries select outside the catalogue. */
function unknownNames(
  files: readonly string[],
  queriesOf: (document: unknown) => string[],
  read: (text: string) => unknown = (text) => parse(text),
): string[] {
  return files.flatMap((file) => {
    const document = read(readFileSync(join(root, file), 'utf8'));
    const names = queriesOf(document).flatMap((query) => metricNamesIn(query));
    return [...new Set(names)]
      .filter((name) => !series.has(name) && !PROMETHEUS_SERIES.has(name))
      .map((name) => `${file}: ${name}`);
  });
}

/**
 * A dashboard's PromQL, variables filled with representative values: panel targets' `expr`, and
 * the series selector of `label_values(<selector>, <label>)` variables.
 */
function dashboardQueries(document: unknown): string[] {
  const dashboard = document as { templating: { list: VariableModel[] }; panels: unknown };
  const values = representativeValues(dashboard.templating.list);
  const selectors = valuesOf(dashboard.templating, 'query').flatMap(
    (query) => /^label_values\((.*),\s*\w+\)$/.exec(query)?.slice(1) ?? [],
  );
  return [...valuesOf(dashboard.panels, 'expr'), ...selectors].map((query) => substituteVariables(query, values).text);
}

describe('metric names in the committed files', () => {
  test('the dashboards query only series the translator makes from the catalogue', () => {
    const files = filesIn('dashboards', '.json');
    expect(files.length).toBeGreaterThan(0);
    expect(unknownNames(files, dashboardQueries, (text) => JSON.parse(text))).toEqual([]);
  });

  test('the rule files query only series the translator makes from the catalogue', () => {
    const files = filesIn('alerts', '.rules.yaml');
    expect(files).toHaveLength(Object.keys(profiles).length);
    expect(unknownNames(files, (document) => valuesOf(document, 'expr'))).toEqual([]);
  });

  test("the promtool tests' input series are the series the translator makes", () => {
    const files = filesIn('alerts/tests', '.yaml');
    expect(files.length).toBeGreaterThan(0);
    expect(unknownNames(files, (document) => [...valuesOf(document, 'series'), ...valuesOf(document, 'expr')])).toEqual(
      [],
    );
  });

  test('the README and the hand-written docs name only catalogue metrics: their OTel names or their series names', () => {
    const readme = ['README.md', 'docs/guide.md', 'docs/design.md']
      .map((path) => readFileSync(join(root, path), 'utf8'))
      .join('\n');
    const otelNames = new Set(ALL_METRICS.map((metric) => metric.otelName));
    // Words shaped like metric names: the collectors' otelcol_*, and anything with a series suffix.
    const candidates = readme.match(/\b(otelcol_[a-z_]+|[a-z][a-z0-9_]*_(total|bucket|count|sum|seconds))\b/g) ?? [];
    const catalogued = candidates.filter((name) => otelNames.has(name) || series.has(name));
    expect(catalogued.length).toBeGreaterThan(0);
    expect([...new Set(candidates)].filter((name) => !otelNames.has(name) && !series.has(name))).toEqual([]);
  });
});
