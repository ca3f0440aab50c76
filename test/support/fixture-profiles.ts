/**
 * A fixture `environments` value that uses every field of the profile schema, with values of its
 * own (not the operator's cdk.json): the base the bad-profile table mutates. `shop-dev` has no
 * gateway; `shop-prod` has the gateway, two tenants, Slack, threshold overrides and every optional
 * service field.
 */
import type { RawEnvironments } from './profile-problems';

export function fixtureEnvironments(): RawEnvironments {
  const grafanaCloud = (environment: string) => ({
    otlpEndpoint: 'https://otlp-gateway-prod-eu-west-2.grafana.net/otlp',
    stackUrl: 'https://fixture-shop.grafana.net',
    instanceId: '900001',
    apiKeyParameterName: `/fixture-shop/${environment}/monitoring/grafana-cloud-api-key`,
    configParameterName: `/fixture-shop/${environment}/monitoring/grafana-cloud-config`,
    metricNameTranslation: 'UnderscoreEscapingWithSuffixes',
  });
  const notifications = (environment: string) => ({
    emails: [`sre-${environment}@shop.example`],
    onCallWebhook: { secretsManagerSecretName: `/shop/${environment}/monitoring/oncall-webhook-url` },
    heartbeat: { secretsManagerSecretName: `/shop/${environment}/monitoring/oncall-heartbeat-url` },
  });
  const service = (port: number, extra: Record<string, unknown> = {}) => ({
    image: `public.ecr.aws/fixture-shop/app-${port}:2.0.1`,
    port,
    healthCheckPath: '/healthz',
    cpu: 512,
    memoryMiB: 2048,
    user: '1000:1000',
    desiredCount: 2,
    ...extra,
  });
  return {
    'shop-dev': {
      account: '210987654321',
      region: 'eu-central-1',
      availabilityZones: ['eu-central-1a', 'eu-central-1b'],
      project: 'fixture-shop',
      production: false,
      logRetentionDays: 14,
      sampling: { ratio: 1 },
      notifications: notifications('shop-dev'),
      grafanaCloud: grafanaCloud('shop-dev'),
      services: { checkout: service(9000), catalog: service(9001) },
    },
    'shop-prod': {
      account: '310987654321',
      region: 'eu-central-1',
      availabilityZones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
      project: 'fixture-shop',
      production: true,
      logRetentionDays: 90,
      sampling: { ratio: 0.2, slowTraceThresholdMs: 1500 },
      collector: { debugExporter: false, cpu: 128, memoryMiB: 512 },
      alertThresholds: { errorRate: { warning: { threshold: 4, windowMinutes: 15 } } },
      gateway: {
        expectedTracesPerSecond: 50,
        spansPerTrace: 10,
        decisionWaitSeconds: 8,
        cpu: 1024,
        memoryMiB: 4096,
        minTasks: 2,
        maxTasks: 4,
      },
      notifications: {
        ...notifications('shop-prod'),
        slack: { workspaceId: 'T0FIXTURE1', channelId: 'C0FIXTURE1' },
        alertmanager: {
          onCallWebhook: { secretsManagerSecretName: '/shop/shop-prod/monitoring/alertmanager-oncall-url' },
          slackWebhook: { secretsManagerSecretName: '/shop/shop-prod/monitoring/alertmanager-slack-url' },
          smtp: {
            smarthost: 'smtp.shop.example:587',
            from: 'alerts@shop.example',
            username: 'shop-alerts',
            password: { secretsManagerSecretName: '/shop/shop-prod/monitoring/alertmanager-smtp-password' },
          },
        },
      },
      grafanaCloud: {
        ...grafanaCloud('shop-prod'),
        parameterKeyArn: 'arn:aws:kms:eu-central-1:310987654321:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        publish: {
          prometheusUrl: 'https://prometheus-prod-01-eu-west-0.grafana.net',
          prometheusUserId: '900201',
          grafanaTokenParameterName: '/fixture-shop/shop-prod/monitoring/grafana-service-account-token',
        },
      },
      tenants: {
        'north-wind': {
          grafanaCloud: {
            otlpEndpoint: 'https://otlp-gateway-prod-eu-west-2.grafana.net/otlp',
            stackUrl: 'https://north-wind.grafana.net',
            instanceId: '900101',
            apiKeyParameterName: '/fixture-shop/shop-prod/tenants/north-wind/grafana-cloud-api-key',
          },
          gatewayPort: 4400,
          readerPrincipalArns: ['arn:aws:iam::410987654321:role/north-wind-sre'],
        },
        contoso: {
          grafanaCloud: {
            otlpEndpoint: 'https://otlp-gateway-prod-eu-west-2.grafana.net/otlp',
            stackUrl: 'https://contoso.grafana.net',
            instanceId: '900102',
            apiKeyParameterName: '/fixture-shop/shop-prod/tenants/contoso/grafana-cloud-api-key',
          },
          gatewayPort: 4401,
          readerPrincipalArns: ['arn:aws:iam::510987654321:role/contoso-sre'],
        },
      },
      services: {
        checkout: service(9000, {
          instrumentation: true,
          logVolumeGiBPerDay: 2,
          alertThresholds: { latencyP95: { critical: { threshold: 3, windowMinutes: 5 } } },
        }),
        catalog: service(9001),
        'north-wind-portal': service(9100, { tenant: 'north-wind' }),
        'contoso-portal': service(9101, { tenant: 'contoso' }),
      },
    },
  };
}
