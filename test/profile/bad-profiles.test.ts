/**
 * The bad-profile table: every mutation of the fixture profile is refused with exactly the
 * expected one-line problems, as a ProfileError (never another exception), by validation alone
 * (nothing is synthesized here; test/scale shows the guard stops the app before any construct).
 */
import { SIGNALS } from '../../lib/alerting/thresholds';
import { ALERT_SIGNALS, type AlertSignal, EnvironmentProfileSchema, SEVERITIES } from '../../lib/profile/schema';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { fixtureEnvironments } from '../support/fixture-profiles';
import { profileProblems } from '../support/profile-problems';
import { type BadProfileCase, HAND_CASES } from './bad-profiles.cases';

/** The loader's problems for the mutated fixture; any other exception, or acceptance, fails the test. */
function problemsOf(mutate: BadProfileCase['mutate']): readonly string[] {
  return profileProblems(fixtureEnvironments(), mutate);
}

/** A bad value per signal, and how the error says to fix it (the range of SIGNALS[signal].validRange). */
const BAD_THRESHOLDS: Readonly<Record<AlertSignal, { value: number; use: string }>> = {
  serviceDown: { value: 0, use: 'a whole number at least 1' },
  errorRate: { value: 100, use: 'above 0 and below 100' },
  latencyP95: { value: 301, use: 'above 0 and at most 300' },
  taskRestarts: { value: 2.5, use: 'a whole number at least 0' },
  aiCostPerHour: { value: 0, use: 'above 0' },
  logGroupGrowth: { value: 0, use: 'above 0' },
  collectorHealth: { value: 0.5, use: 'a whole number at least 0' },
};

const WINDOW =
  'is out of range; expected how long the signal must stay past the threshold, in whole minutes (1 to 1440), for example 10';

/** Per signal and severity: a threshold that cannot fire and a window out of range, for the environment and for a service. */
const THRESHOLD_CASES: readonly BadProfileCase[] = ALERT_SIGNALS.flatMap((signal) =>
  SEVERITIES.flatMap((severity): BadProfileCase[] => {
    const { value, use } = BAD_THRESHOLDS[signal];
    const { unit, validRange } = SIGNALS[signal];
    const threshold = (where: string) =>
      `cdk.json: ${where}.${signal}.${severity}.threshold: ${value} ${unit} can never fire or never clear (${validRange.reason}). Use ${use}`;
    const env = 'environments.shop-prod.alertThresholds';
    const service = 'environments.shop-prod.services.catalog.alertThresholds';
    return [
      {
        problemClass: 'thresholds',
        title: `environment ${signal}.${severity} threshold ${value}`,
        mutate: (e) => {
          e['shop-prod'].alertThresholds = { [signal]: { [severity]: { threshold: value } } };
        },
        expected: [threshold(env)],
      },
      {
        problemClass: 'thresholds',
        title: `service ${signal}.${severity} threshold ${value}`,
        mutate: (e) => {
          e['shop-prod'].services.catalog.alertThresholds = { [signal]: { [severity]: { threshold: value } } };
        },
        expected: [threshold(service)],
      },
      {
        problemClass: 'schema',
        title: `environment ${signal}.${severity} window of 0 min`,
        mutate: (e) => {
          e['shop-prod'].alertThresholds = { [signal]: { [severity]: { threshold: 1, windowMinutes: 0 } } };
        },
        expected: [`cdk.json: ${env}.${signal}.${severity}.windowMinutes: 0 ${WINDOW}`],
      },
      {
        problemClass: 'schema',
        title: `service ${signal}.${severity} window of 1441 min`,
        mutate: (e) => {
          e['shop-prod'].services.catalog.alertThresholds = {
            [signal]: { [severity]: { threshold: 1, windowMinutes: 1441 } },
          };
        },
        expected: [`cdk.json: ${service}.${signal}.${severity}.windowMinutes: 1441 ${WINDOW}`],
      },
    ];
  }),
);

const CASES: readonly BadProfileCase[] = [...HAND_CASES, ...THRESHOLD_CASES];

test('the fixture itself is valid', () => {
  expect(Object.keys(loadEnvironmentProfiles(fixtureEnvironments()))).toEqual(['shop-dev', 'shop-prod']);
});

test('the table holds at least 150 bad profiles', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(150);
});

describe.each(CASES.map((c) => [`${c.problemClass}: ${c.title}`, c] as const))('%s', (_, badCase) => {
  test('is refused with exactly its problems, one line each', () => {
    const problems = problemsOf(badCase.mutate);
    expect(problems).toEqual(badCase.expected);
    expect(problems.filter((problem) => problem.includes('\n') || !problem.startsWith('cdk.json: '))).toEqual([]);
  });
});

interface SchemaNode {
  readonly properties?: Record<string, SchemaNode>;
  readonly patternProperties?: Record<string, SchemaNode>;
  readonly items?: SchemaNode;
}

/** Every field of the profile schema, as a path with `*` for record keys and `#` for list items. */
function schemaFields(node: SchemaNode, prefix: string): string[] {
  const children: [string, SchemaNode][] = [
    ...Object.entries(node.properties ?? {}),
    ...Object.values(node.patternProperties ?? {}).map((child): [string, SchemaNode] => ['*', child]),
    ...(node.items === undefined ? [] : [['#', node.items] as [string, SchemaNode]]),
  ];
  return children.flatMap(([key, child]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return [path, ...schemaFields(child, path)];
  });
}

/** The schema field a problem names: its path, with record keys and list indexes generalised, and the key it misses. */
function fieldOf(problem: string): string {
  const match = /^cdk\.json: environments\.[a-z0-9-]+(?:\.([^:]*))?: (?:missing key "([^"]+)")?/.exec(problem);
  const segments = [...(match?.[1]?.split('.') ?? []), ...(match?.[2] === undefined ? [] : [match[2]])];
  const generalised: string[] = [];
  let node: SchemaNode | undefined = EnvironmentProfileSchema as SchemaNode;
  for (const segment of segments) {
    if (node?.properties?.[segment] !== undefined) {
      generalised.push(segment);
      node = node.properties[segment];
    } else if (node?.patternProperties !== undefined) {
      generalised.push('*');
      node = Object.values(node.patternProperties)[0];
    } else if (node?.items !== undefined) {
      generalised.push('#');
      node = node.items;
    } else {
      generalised.push(segment);
      node = undefined;
    }
  }
  return generalised.join('.');
}

test('every field of the schema has at least one bad value in the table', () => {
  // A bad value of a field is also one of the objects holding it.
  const covered = new Set(
    CASES.flatMap((c) => c.expected.map(fieldOf)).flatMap((field) =>
      field.split('.').map((_, index, parts) => parts.slice(0, index + 1).join('.')),
    ),
  );
  const fields = schemaFields(EnvironmentProfileSchema as SchemaNode, '');
  expect(fields.length).toBeGreaterThan(100);
  expect(fields.filter((field) => !covered.has(field))).toEqual([]);
});

test('the table covers every class of problem', () => {
  const counts: Record<string, number> = {};
  for (const c of CASES) counts[c.problemClass] = (counts[c.problemClass] ?? 0) + 1;
  expect(Object.keys(counts).sort()).toEqual(
    [
      'budgets',
      'environments',
      'injection',
      'ports',
      'reserved names',
      'scale',
      'schema',
      'secrets',
      'ssm names',
      'stack ids',
      'tenants',
      'thresholds',
      'urls',
      'zones',
    ].sort(),
  );
});
