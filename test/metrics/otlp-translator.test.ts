/**
 * Our OTLP-to-Prometheus naming against upstream's own test tables (prometheus/otlptranslator,
 * carried into test/fixtures/otlptranslator by scripts/otlptranslator-fixtures.ts).
 */

import {
  buildLabelName,
  buildMetricName,
  buildUnitName,
  type MetricNamerOptions,
  metricNamerOptions,
  type PrometheusMetricType,
  type TranslationStrategy,
} from '../../lib/metrics/otlp-translator';
import labelTables from '../fixtures/otlptranslator/label-namer.json';
import metricTable from '../fixtures/otlptranslator/metric-namer.json';

const GO_METRIC_TYPES: Readonly<Record<string, PrometheusMetricType>> = {
  MetricTypeUnknown: 'unknown',
  MetricTypeNonMonotonicCounter: 'non-monotonic-counter',
  MetricTypeMonotonicCounter: 'monotonic-counter',
  MetricTypeGauge: 'gauge',
  MetricTypeHistogram: 'histogram',
  MetricTypeExponentialHistogram: 'exponential-histogram',
  MetricTypeSummary: 'summary',
};

type MetricCase = (typeof metricTable.cases)[number];

function namer(testCase: MetricCase): MetricNamerOptions {
  const given = testCase.namer as {
    namespace: string;
    strategy?: string;
    utf8Allowed?: boolean;
    withMetricSuffixes?: boolean;
  };
  if (given.strategy !== undefined) return metricNamerOptions(given.strategy as TranslationStrategy, given.namespace);
  return {
    namespace: given.namespace,
    utf8Allowed: given.utf8Allowed ?? false,
    withMetricSuffixes: given.withMetricSuffixes ?? false,
  };
}

/** What our namer gives for a case, as upstream's test compares it: the name, or the error text. */
function outcome(testCase: MetricCase): { name: string; error: string } {
  const metric = { ...testCase.metric, type: GO_METRIC_TYPES[testCase.metric.type] };
  try {
    return { name: buildMetricName(metric, namer(testCase)), error: '' };
  } catch (error) {
    return { name: '', error: (error as Error).message };
  }
}

describe(`otlptranslator ${metricTable.source.tag} (${metricTable.source.commit.slice(0, 12)}): ${metricTable.test}`, () => {
  test('the table carries every case of upstream test', () => {
    expect(metricTable.cases).toHaveLength(84);
  });

  test.each(metricTable.cases.map((testCase, index) => [`${index}: ${testCase.name}`, testCase] as const))(
    'metric name: %s',
    (_label, testCase) => {
      expect(outcome(testCase)).toEqual({ name: testCase.wantMetricName, error: testCase.wantError });
    },
  );

  const withSuffixes = metricTable.cases.filter((testCase) => namer(testCase).withMetricSuffixes);
  test.each(withSuffixes.map((testCase) => [testCase.name, testCase] as const))('unit name: %s', (_label, testCase) => {
    expect(buildUnitName(testCase.metric.unit, namer(testCase).utf8Allowed)).toBe(testCase.wantUnitName);
  });
});

describe(`otlptranslator ${labelTables.source.tag}: label names`, () => {
  const labelCases = labelTables.tests.labelTestCases as {
    label: string;
    sanitized: string;
    sanitizedMultipleUnderscores?: string;
  }[];

  /** Upstream's tests ignore the error and compare the returned name, which is empty on error. */
  function label(attribute: string, options: Parameters<typeof buildLabelName>[1]): string {
    try {
      return buildLabelName(attribute, options);
    } catch {
      return '';
    }
  }

  test.each(labelCases.map((c) => [c.label, c] as const))('TestBuildLabel, collapsing underscores: %s', (_l, c) => {
    expect(label(c.label, { utf8Allowed: false })).toBe(c.sanitized);
  });

  test.each(labelCases.map((c) => [c.label, c] as const))('TestBuildLabel, preserving underscores: %s', (_l, c) => {
    expect(label(c.label, { utf8Allowed: false, preserveMultipleUnderscores: true })).toBe(
      c.sanitizedMultipleUnderscores || c.sanitized,
    );
  });

  test.each(labelCases.map((c) => [c.label, c] as const))('TestBuildLabel_UTF8Allowed: %s', (_l, c) => {
    expect(label(c.label, { utf8Allowed: true })).toBe(c.label);
  });

  const underscoreCases = labelTables.tests.TestBuildLabel_Underscores as {
    label: string;
    sanitized: string;
    sanitizedUnderscores: string;
  }[];
  test.each(underscoreCases.map((c) => [c.label, c] as const))('TestBuildLabel_Underscores: %s', (_l, c) => {
    expect([
      buildLabelName(c.label, { utf8Allowed: false }),
      buildLabelName(c.label, { utf8Allowed: false, underscoreLabelSanitization: true }),
    ]).toEqual([c.sanitized, c.sanitizedUnderscores]);
  });

  const errorCases = labelTables.tests.TestBuildLabel_Errors as {
    label: string;
    wantEscapeErr?: boolean;
    wantUTF8err?: boolean;
  }[];
  test.each(errorCases.map((c) => [JSON.stringify(c.label), c] as const))('TestBuildLabel_Errors: %s', (_l, c) => {
    const fails = (utf8Allowed: boolean) => {
      try {
        buildLabelName(c.label, { utf8Allowed });
        return false;
      } catch {
        return true;
      }
    };
    // Upstream only asserts the errors it wants; a case without one asserts nothing for that mode.
    expect({ escape: fails(false) || !c.wantEscapeErr, utf8: fails(true) || !c.wantUTF8err }).toEqual({
      escape: true,
      utf8: true,
    });
  });
});
