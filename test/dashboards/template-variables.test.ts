// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Grafana variables (${name}), which Grafana fills in, not JavaScript templates
import { VariableType } from '@grafana/grafana-foundation-sdk/dashboard';
import { checkQuery } from '../../lib/alerting/promql';
import { representativeValues } from '../../lib/dashboards/checks';
import {
  BUILT_IN_VALUES,
  encodeKeepingVariables,
  substituteVariables,
  variableReferences,
} from '../../lib/dashboards/template-variables';
import { SeriesNames } from '../../lib/metrics/series-names';

describe('Grafana variable substitution', () => {
  test('replaces $name, ${name}, ${name:format} and [[name]] with their values', () => {
    const values = { service_name: 'api-gateway', environment: 'prod' };
    expect(
      substituteVariables(
        'x{a="$service_name",b="${environment}",c=~"${service_name:regex}",d="[[environment]]"}',
        values,
      ),
    ).toEqual({ text: 'x{a="api-gateway",b="prod",c=~"api-gateway",d="prod"}', unknown: [] });
  });

  test("fills Grafana's interval variables with representative durations", () => {
    const { text } = substituteVariables(
      'rate(x[$__rate_interval]) + rate(x[$__interval]) + increase(x[$__range])',
      {},
    );
    expect(text).toBe(
      `rate(x[${BUILT_IN_VALUES.__rate_interval}]) + rate(x[${BUILT_IN_VALUES.__interval}]) + increase(x[${BUILT_IN_VALUES.__range}])`,
    );
    expect(
      checkQuery(text.replaceAll('x', 'request_count_total'), new SeriesNames('UnderscoreEscapingWithSuffixes').all()),
    ).toEqual([]);
  });

  test('lists variables without a value once each, and leaves them as written', () => {
    expect(substituteVariables('x{a="$nope",b="${nope}",c="$other"}', {})).toEqual({
      text: 'x{a="$nope",b="${nope}",c="$other"}',
      unknown: ['nope', 'other'],
    });
  });

  test("leaves CloudWatch dynamic labels alone: ${PROP('Dim.X')} is not a Grafana variable", () => {
    expect(variableReferences("${PROP('Dim.ServiceName')} used")).toEqual([]);
  });

  test('a variable stands for its current value, All for the All value, or else its first option', () => {
    expect(
      representativeValues([
        {
          type: VariableType.Custom,
          name: 'environment',
          current: { text: 'prod', value: 'prod' },
          options: [{ text: 'dev', value: 'dev' }],
        },
        {
          type: VariableType.Query,
          name: 'model',
          multi: true,
          allValue: '.+',
          current: { text: ['All'], value: ['$__all'] },
        },
        { type: VariableType.Custom, name: 'region', options: [{ text: 'eu-west-1', value: 'eu-west-1' }] },
      ]),
    ).toEqual({ environment: 'prod', model: '.+', region: 'eu-west-1' });
  });

  test('URL encoding keeps variables literal and encodes everything else', () => {
    expect(encodeKeepingVariables('{"q":"a = \\"${__value.raw}\\" && $environment"}')).toBe(
      '%7B%22q%22%3A%22a%20%3D%20%5C%22${__value.raw}%5C%22%20%26%26%20$environment%22%7D',
    );
  });
});
