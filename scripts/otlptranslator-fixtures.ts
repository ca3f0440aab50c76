/**
 * Carries the test tables of github.com/prometheus/otlptranslator into test/fixtures/otlptranslator
 * as JSON data, with their source. Our translator (lib/metrics/otlp-translator.ts) is our own code;
 * these tables are upstream's statement of what the translator does, so our tests run theirs.
 *
 * Usage: tsx scripts/otlptranslator-fixtures.ts <bare git dir of prometheus/otlptranslator> [tag]
 * (the `fetch` tool or `git clone --bare https://github.com/prometheus/otlptranslator`). The tag
 * defaults to the version Grafana Mimir's go.mod requires.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const REPOSITORY = 'github.com/prometheus/otlptranslator';
const DEFAULT_TAG = 'v1.0.0';
const OUT = join(__dirname, '..', 'test', 'fixtures', 'otlptranslator');

function main(): void {
  const [gitDir, tag = DEFAULT_TAG] = process.argv.slice(2);
  if (gitDir === undefined) throw new Error('usage: tsx scripts/otlptranslator-fixtures.ts <git dir> [tag]');
  const commit = execFileSync('git', ['-C', gitDir, 'rev-list', '-n', '1', tag], { encoding: 'utf8' }).trim();
  const show = (path: string) => execFileSync('git', ['-C', gitDir, 'show', `${tag}:${path}`], { encoding: 'utf8' });
  const source = (path: string) => ({ repository: REPOSITORY, path, tag, commit });
  mkdirSync(OUT, { recursive: true });

  const metricTests = show('metric_namer_test.go');
  write('metric-namer.json', {
    source: source('metric_namer_test.go'),
    test: 'TestMetricNamer_Build',
    cases: metricNamerCases(functionBody(metricTests, 'TestMetricNamer_Build')),
  });

  const labelTests = show('label_namer_test.go');
  write('label-namer.json', {
    source: source('label_namer_test.go'),
    tests: {
      // TestBuildLabel, TestBuildLabel_UTF8Allowed: LabelNamer{}, {PreserveMultipleUnderscores: true}, {UTF8Allowed: true}.
      labelTestCases: structList(between(labelTests, 'var labelTestCases = ', '\nfunc TestBuildLabel(')),
      TestBuildLabel_Underscores: structList(
        between(functionBody(labelTests, 'TestBuildLabel_Underscores'), ':= ', '\n\tfor '),
      ),
      TestBuildLabel_Errors: structList(between(functionBody(labelTests, 'TestBuildLabel_Errors'), ':= ', '\n\tfor ')),
    },
  });
}

function write(file: string, data: unknown): void {
  writeFileSync(join(OUT, file), `${JSON.stringify(data, null, 2)}\n`);
  console.log(`wrote test/fixtures/otlptranslator/${file}`);
}

function functionBody(source: string, name: string): string {
  const start = source.indexOf(`func ${name}(`);
  if (start < 0) throw new Error(`${name} not found`);
  const end = source.indexOf('\nfunc ', start + 1);
  return source.slice(start, end < 0 ? undefined : end);
}

function between(text: string, from: string, to: string): string {
  const start = text.indexOf(from);
  const end = text.indexOf(to, start);
  if (start < 0 || end < 0) throw new Error(`cannot find ${JSON.stringify(from)} .. ${JSON.stringify(to)}`);
  return text.slice(start + from.length, end);
}

/** The `{ ... }` elements of a Go slice literal of flat structs (string and bool fields). */
function structList(literal: string): Record<string, string | boolean>[] {
  const body = literal.slice(literal.indexOf('}{') + 2);
  return topLevelBraces(body).map((element) => fields(element));
}

/** `name: "x", flag: true` pairs of one struct literal; Go's double-quoted strings are JSON strings here. */
function fields(element: string): Record<string, string | boolean> {
  const result: Record<string, string | boolean> = {};
  for (const match of element.matchAll(/(\w+):\s*("(?:[^"\\]|\\.)*"|true|false)/g)) {
    result[match[1]] = match[2] === 'true' ? true : match[2] === 'false' ? false : JSON.parse(match[2]);
  }
  return result;
}

/** The contents of each brace pair at the top level of `text` (strings may hold braces). */
function topLevelBraces(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth === 0) start = i + 1;
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) out.push(text.slice(start, i));
      if (depth < 0) break;
    }
  }
  return out;
}

/** The body of the brace pair that `marker` (ending in `{`) opens. */
function bracedAfter(text: string, marker: string): string {
  const start = text.indexOf(marker);
  if (start < 0) throw new Error(`${marker} not found in ${text.slice(0, 200)}`);
  return topLevelBraces(text.slice(start + marker.length - 1))[0];
}

function metricNamerCases(body: string): unknown[] {
  const table = body.slice(body.indexOf('}{') + 2);
  return topLevelBraces(table).map((element) => {
    const metricLiteral = bracedAfter(element, 'Metric{');
    const {
      name,
      wantMetricName = '',
      wantUnitName = '',
      wantError = '',
    } = fields(
      element.slice(0, element.indexOf('namer:')) +
        element.slice(element.indexOf(metricLiteral) + metricLiteral.length),
    );
    const metric = fields(metricLiteral);
    const type = /Type:\s*(MetricType\w+)/.exec(element)?.[1];
    const constructed = /namer:\s*NewMetricNamer\(("(?:[^"\\]|\\.)*"),\s*(\w+)\)/.exec(element);
    const namer = constructed
      ? { namespace: JSON.parse(constructed[1]) as string, strategy: constructed[2] }
      : structNamer(fields(bracedAfter(element, 'MetricNamer{')));
    if (type === undefined || typeof name !== 'string') throw new Error(`cannot read case ${element.slice(0, 200)}`);
    return {
      name,
      namer,
      metric: { name: metric.Name ?? '', unit: metric.Unit ?? '', type },
      wantMetricName,
      wantUnitName,
      wantError,
    };
  });
}

/** `MetricNamer{Namespace, UTF8Allowed, WithMetricSuffixes}` with Go's zero values made explicit. */
function structNamer(namer: Record<string, string | boolean>) {
  return {
    namespace: namer.Namespace ?? '',
    utf8Allowed: namer.UTF8Allowed ?? false,
    withMetricSuffixes: namer.WithMetricSuffixes ?? false,
  };
}

main();
