import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { Threshold } from '../../lib/alerting/thresholds';
import { EnvironmentDashboard, type EnvironmentDashboardProps } from '../../lib/constructs/environment-dashboard';

/** An error-rate threshold line of `value`: what the dashboard draws on a service's error-rate graph. */
const errorRate = (value: number): Threshold => ({
  signal: 'errorRate',
  severity: 'critical',
  threshold: value,
  windowMinutes: 5,
  comparison: 'above',
  unit: '%',
  description: 'error rate',
});

/** The dashboard's widgets, as CloudWatch reads them. */
function widgetsOf(props: Partial<EnvironmentDashboardProps> = {}): { properties: Record<string, unknown> }[] {
  const stack = new Stack(new App(), 'Views', { env: { account: '111111111111', region: 'eu-west-1' } });
  new EnvironmentDashboard(stack, 'Dashboard', {
    project: 'shop',
    environmentName: 'prod',
    clusterName: 'shop-prod',
    services: ['checkout', 'catalog'],
    thresholds: [errorRate(5)],
    sourceToken: 'token',
    ...props,
  });
  const [dashboard] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
  const body = dashboard.Properties.DashboardBody;
  const text =
    typeof body === 'string'
      ? body
      : (body['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  return JSON.parse(text).widgets;
}

/** The threshold lines on a service's error-rate graph. */
function errorRateLines(widgets: { properties: Record<string, unknown> }[], service: string): unknown[] {
  const graph = widgets.find((widget) => widget.properties.title === `${service}: error rate (%)`);
  if (graph === undefined) throw new Error(`no error-rate graph for ${service}`);
  const annotations = graph.properties.annotations as { horizontal?: { value: number }[] } | undefined;
  return (annotations?.horizontal ?? []).map((line) => line.value);
}

describe('EnvironmentDashboard', () => {
  test('names its dashboard and alarms from the project and environment it is given', () => {
    const stack = new Stack(new App(), 'Views', { env: { account: '111111111111', region: 'eu-west-1' } });
    new EnvironmentDashboard(stack, 'Dashboard', {
      project: 'shop',
      environmentName: 'prod',
      clusterName: 'shop-prod',
      services: ['checkout'],
      thresholds: [errorRate(5)],
      sourceToken: 'token',
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'shop-prod' });
    expect(JSON.stringify(template.toJSON())).toContain('alarm:shop-prod-checkout-page');
  });

  test("draws the environment's threshold lines for a service without thresholds of its own", () => {
    expect(errorRateLines(widgetsOf(), 'catalog')).toEqual([5]);
  });

  test("draws a service's own thresholds where serviceThresholds has them", () => {
    expect(errorRateLines(widgetsOf({ serviceThresholds: { checkout: [errorRate(9)] } }), 'checkout')).toEqual([9]);
  });

  test('serviceThresholds naming a service the page does not show is an error naming the field', () => {
    expect(() => widgetsOf({ serviceThresholds: { orders: [errorRate(9)] } })).toThrow(
      /Views\/Dashboard: serviceThresholds\.orders names a service this page does not show\. Add orders to services/,
    );
  });
});
