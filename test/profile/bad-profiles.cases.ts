/**
 * The bad-profile table: mutations of the fixture profile (test/support/fixture-profiles.ts), each
 * with the exact problems the loader must report. Grouped by class; `test/profile/bad-profiles.test.ts`
 * runs them and checks that every field of the schema has at least one.
 */
import type { RawEnvironments } from '../support/profile-problems';

export type ProblemClass =
  | 'schema'
  | 'injection'
  | 'ports'
  | 'budgets'
  | 'reserved names'
  | 'stack ids'
  | 'ssm names'
  | 'secrets'
  | 'urls'
  | 'thresholds'
  | 'environments'
  | 'tenants'
  | 'zones'
  | 'scale';

export interface BadProfileCase {
  readonly problemClass: ProblemClass;
  readonly title: string;
  readonly mutate: (environments: RawEnvironments) => void;
  readonly expected: readonly string[];
}

const bad = (
  problemClass: ProblemClass,
  title: string,
  mutate: (environments: RawEnvironments) => void,
  expected: readonly string[],
): BadProfileCase => ({ problemClass, title, mutate, expected });

const S = 'cdk.json: environments.shop-prod';
const D = 'cdk.json: environments.shop-dev';

/** A service copied from the fixture's catalog under a new name and port. */
const copyService = (envs: RawEnvironments, name: string, port: number, env = 'shop-prod') => {
  envs[env].services[name] = {
    ...envs[env].services.catalog,
    image: `public.ecr.aws/fixture-shop/${name}:1.0.0`,
    port,
  };
};

export const HAND_CASES: readonly BadProfileCase[] = [
  // ---- schema: one field at a time ----
  bad(
    'schema',
    'no environments at all',
    (e) => {
      for (const k of Object.keys(e)) delete e[k];
    },
    [
      'cdk.json: environments: is empty; expected environment profiles by name (lower-case letters, digits and "-", up to 20), for example {"dev":{}}',
    ],
  ),
  bad(
    'schema',
    'an environment name with capitals',
    (e) => {
      e.Prod = e['shop-dev'];
      delete e['shop-dev'];
    },
    [
      'cdk.json: environments: "Prod" is not a valid name; expected environment profiles by name (lower-case letters, digits and "-", up to 20)',
    ],
  ),
  bad(
    'schema',
    'an unknown top-level key',
    (e) => {
      e['shop-dev'].acount = '1';
    },
    [
      D +
        '.acount: unknown key. Did you mean "account"? Keys allowed here: account, region, availabilityZones, project, production, logRetentionDays, auditLogRetentionDays, sampling, collector, alertThresholds, trafficAnomaly, notifications, grafanaCloud, gateway, tenants, services, externalServices',
    ],
  ),
  bad(
    'schema',
    'an account id of 11 digits',
    (e) => {
      e['shop-dev'].account = '21098765432';
    },
    [
      D +
        '.account: "21098765432" does not have the expected form; expected the AWS account id: 12 digits, in quotes, for example "123456789012"',
    ],
  ),
  bad(
    'schema',
    'an account id as a number',
    (e) => {
      e['shop-dev'].account = 210987654321;
    },
    [
      D +
        '.account: 210987654321 has the wrong type; expected the AWS account id: 12 digits, in quotes, for example "123456789012"',
    ],
  ),
  bad(
    'schema',
    'an unknown region',
    (e) => {
      e['shop-dev'].region = 'eu-central-9';
    },
    [`${D}.region: "eu-central-9" is not allowed; expected an AWS region name, for example "eu-west-1"`],
  ),
  bad(
    'schema',
    'one availability zone',
    (e) => {
      e['shop-dev'].availabilityZones = ['eu-central-1a'];
    },
    [
      D +
        '.availabilityZones: is empty; expected the 2 or 3 availability zones of the VPC, named explicitly so synth needs no AWS look-up (AZ names differ per account), for example ["eu-west-1a","eu-west-1b"]',
    ],
  ),
  bad(
    'schema',
    'a zone id instead of a zone name',
    (e) => {
      e['shop-dev'].availabilityZones[1] = 'euc1-az2';
    },
    [
      D +
        '.availabilityZones.1: "euc1-az2" does not have the expected form; expected an availability zone name of the region, for example "eu-west-1a"',
    ],
  ),
  bad(
    'schema',
    'the same zone twice',
    (e) => {
      e['shop-dev'].availabilityZones = ['eu-central-1a', 'eu-central-1a'];
    },
    [
      D +
        '.availabilityZones: lists the same value twice; expected the 2 or 3 availability zones of the VPC, named explicitly so synth needs no AWS look-up (AZ names differ per account), for example ["eu-west-1a","eu-west-1b"]',
    ],
  ),
  bad(
    'schema',
    'a project with capitals and "_"',
    (e) => {
      e['shop-dev'].project = 'Fixture_Shop';
    },
    [
      D +
        '.project: "Fixture_Shop" does not have the expected form; expected the project name: 3 to 40 lower-case letters, digits and "-", starting with a letter, for example "starmates-ai-team"',
    ],
  ),
  bad(
    'schema',
    'production as a string',
    (e) => {
      e['shop-dev'].production = 'yes';
    },
    [
      D +
        '.production: "yes" has the wrong type; expected whether this environment is production: a NAT gateway per zone, and log groups and keys kept when a stack is deleted, for example true',
    ],
  ),
  bad(
    'schema',
    'a retention CloudWatch does not offer',
    (e) => {
      e['shop-dev'].logRetentionDays = 10;
    },
    [
      D +
        '.logRetentionDays: 10 is not allowed; expected a retention CloudWatch Logs accepts, in days: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, for example 30',
    ],
  ),
  bad(
    'schema',
    'no sampling',
    (e) => {
      delete e['shop-dev'].sampling;
    },
    [`${D}: missing key "sampling"; add trace sampling, for example "sampling": {"ratio":0.1}`],
  ),
  bad(
    'schema',
    'a sampling ratio above 1',
    (e) => {
      e['shop-dev'].sampling.ratio = 1.5;
    },
    [
      D +
        '.sampling.ratio: 1.5 is out of range; expected the share of traces kept by head sampling, from 0 to 1 (1 keeps every trace), for example 0.1',
    ],
  ),
  bad(
    'schema',
    'a slow-trace threshold of 0',
    (e) => {
      e['shop-prod'].sampling.slowTraceThresholdMs = 0;
    },
    [
      S +
        '.sampling.slowTraceThresholdMs: 0 is out of range; expected traces at least this long (ms) are always kept by tail sampling; default 2000, for example 2000',
    ],
  ),
  bad(
    'schema',
    'debugExporter as a string',
    (e) => {
      e['shop-prod'].collector.debugExporter = 'true';
    },
    [
      S +
        '.collector.debugExporter: "true" has the wrong type; expected also print telemetry with the debug exporter (dev only); default false, for example true',
    ],
  ),
  bad(
    'schema',
    'collector cpu below 64',
    (e) => {
      e['shop-prod'].collector.cpu = 32;
    },
    [
      S +
        '.collector.cpu: 32 is out of range; expected cpu units reserved for the collector sidecar (64 to 4096); default 256, for example 256',
    ],
  ),
  bad(
    'schema',
    'collector memory below 128',
    (e) => {
      e['shop-prod'].collector.memoryMiB = 100;
    },
    [
      S +
        '.collector.memoryMiB: 100 is out of range; expected memory (MiB) of the collector sidecar (128 to 8192); its memory_limiter is derived from it; default 512, for example 512',
    ],
  ),
  bad(
    'schema',
    'an unknown collector key',
    (e) => {
      e['shop-prod'].collector.memory = 512;
    },
    [
      `${S}.collector.memory: unknown key. Did you mean "memoryMiB"? Keys allowed here: image, debugExporter, cpu, memoryMiB`,
    ],
  ),
  bad(
    'schema',
    'gateway traces per second of 0',
    (e) => {
      e['shop-prod'].gateway.expectedTracesPerSecond = 0;
    },
    [
      S +
        '.gateway.expectedTracesPerSecond: 0 is out of range; expected the traces per second the environment starts at peak (all services together); sizes the trace cache, for example 200',
    ],
  ),
  bad(
    'schema',
    'gateway spans per trace of 0',
    (e) => {
      e['shop-prod'].gateway.spansPerTrace = 0;
    },
    [
      S +
        '.gateway.spansPerTrace: 0 is out of range; expected the average spans per trace (1 to 10000); default 20, for example 20',
    ],
  ),
  bad(
    'schema',
    'gateway decision wait of 121 s',
    (e) => {
      e['shop-prod'].gateway.decisionWaitSeconds = 121;
    },
    [
      S +
        '.gateway.decisionWaitSeconds: 121 is out of range; expected how long a trace is buffered before the sampling decision, in seconds (1 to 120); longer than the slow-trace threshold; default 10, for example 10',
    ],
  ),
  bad(
    'schema',
    'gateway cpu Fargate does not offer',
    (e) => {
      e['shop-prod'].gateway.cpu = 768;
    },
    [
      S +
        '.gateway.cpu: 768 is not allowed; expected Fargate cpu units of one gateway task: one of 256, 512, 1024, 2048, 4096, 8192, 16384, for example 1024',
    ],
  ),
  bad(
    'schema',
    'gateway memory below 512',
    (e) => {
      e['shop-prod'].gateway.memoryMiB = 256;
    },
    [
      S +
        '.gateway.memoryMiB: 256 is out of range; expected Fargate memory (MiB) of one gateway task; a size Fargate accepts for the cpu value, for example 2048',
    ],
  ),
  bad(
    'schema',
    'gateway minTasks of 0',
    (e) => {
      e['shop-prod'].gateway.minTasks = 0;
    },
    [
      S +
        '.gateway.minTasks: 0 is out of range; expected the fewest gateway tasks (1 to 100); at least 2 in production, one per zone, for example 2',
    ],
  ),
  bad(
    'schema',
    'gateway maxTasks of 101',
    (e) => {
      e['shop-prod'].gateway.maxTasks = 101;
    },
    [
      S +
        '.gateway.maxTasks: 101 is out of range; expected the most gateway tasks auto scaling may run (1 to 100), at least minTasks, for example 6',
    ],
  ),
  bad(
    'schema',
    'no e-mail address',
    (e) => {
      e['shop-dev'].notifications.emails = [];
    },
    [`${D}.notifications.emails: is empty; expected e-mail addresses for alerts, for example ["sre@example.com"]`],
  ),
  bad(
    'schema',
    'an e-mail address without "@"',
    (e) => {
      e['shop-dev'].notifications.emails = ['sre.shop.example'];
    },
    [
      D +
        '.notifications.emails.0: "sre.shop.example" is not a valid email; expected an e-mail address, for example "sre@example.com"',
    ],
  ),
  bad(
    'secrets',
    'the on-call webhook URL in the profile, under its old key',
    (e) => {
      delete e['shop-dev'].notifications.onCallWebhook;
      e['shop-dev'].notifications.onCallWebhookUrl = 'https://oncall.shop.example/integrations/v1/amazon_sns/x/';
    },
    [
      'cdk.json: environments.shop-dev.notifications: missing key "onCallWebhook"; add the HTTPS webhook URL of the on-call tool, which critical alerts call, kept in Secrets Manager, for example "onCallWebhook": {"secretsManagerSecretName":"/starmates-ai-team/prod/monitoring/oncall-webhook-url"}',
      'cdk.json: environments.shop-dev.notifications.onCallWebhookUrl: unknown key. Did you mean "onCallWebhook"? Keys allowed here: emails, onCallWebhook, heartbeat, alertmanager, slack',
    ],
  ),
  bad(
    'secrets',
    'an Alertmanager section without its SMTP settings',
    (e) => {
      delete e['shop-prod'].notifications.alertmanager.smtp;
    },
    [
      'cdk.json: environments.shop-prod.notifications.alertmanager: missing key "smtp"; add how the Alertmanager sends e-mail (STARTTLS required), for example "smtp": {"smarthost":"email-smtp.eu-west-1.amazonaws.com:587","from":"alerts@example.com","username":"AKIAEXAMPLESMTPUSER","password":{"secretsManagerSecretName":"/starmates-ai-team/prod/monitoring/alertmanager-smtp-password"}}',
    ],
  ),
  bad(
    'secrets',
    'the Alertmanager on-call URL pasted as the secret name',
    (e) => {
      e['shop-prod'].notifications.alertmanager.onCallWebhook.secretsManagerSecretName =
        'https://oncall.shop.example/integrations/v1/alertmanager/s3cr3t-token/';
    },
    [
      'cdk.json: environments.shop-prod.notifications.alertmanager.onCallWebhook.secretsManagerSecretName: the value (not shown: it may be a secret) does not have the expected form; expected the name of the Secrets Manager secret whose SecretString is the URL of the Grafana OnCall Alertmanager integration, which critical Prometheus alerts call (OnCall gives each integration its own URL: onCallWebhook above is the Amazon SNS one) (create it before the deploy), for example "/starmates-ai-team/prod/monitoring/alertmanager-oncall-url"',
    ],
  ),
  bad(
    'secrets',
    'the Slack webhook URL under a key of its own',
    (e) => {
      e['shop-prod'].notifications.alertmanager.slackWebhook = { url: 'https://hooks.slack.com/services/T0/B0/s3cr3t' };
    },
    [
      'cdk.json: environments.shop-prod.notifications.alertmanager.slackWebhook: missing key "secretsManagerSecretName"; add the name of the Secrets Manager secret whose SecretString is the Slack incoming-webhook URL of the warnings channel; without it warnings are mailed only, as CloudWatch warnings are without notifications.slack (create it before the deploy), for example "secretsManagerSecretName": "/starmates-ai-team/prod/monitoring/alertmanager-slack-url"',
      'cdk.json: environments.shop-prod.notifications.alertmanager.slackWebhook.url: unknown key. Did you mean "secretsManagerSecretName"? Keys allowed here: secretsManagerSecretName',
    ],
  ),
  bad(
    'secrets',
    'an SMTP password written in the profile',
    (e) => {
      e['shop-prod'].notifications.alertmanager.smtp.password = 's3cr3t-password';
    },
    [
      'cdk.json: environments.shop-prod.notifications.alertmanager.smtp.password: the value (not shown: it may be a secret) has the wrong type; expected the SMTP password, kept in Secrets Manager, for example {"secretsManagerSecretName":"/starmates-ai-team/prod/monitoring/alertmanager-smtp-password"}',
    ],
  ),
  bad(
    'schema',
    'an SMTP relay without its port, a sender that is not an address, an empty user name, a password secret name with a space',
    (e) => {
      e['shop-prod'].notifications.alertmanager.smtp.smarthost = 'smtp.shop.example';
      e['shop-prod'].notifications.alertmanager.smtp.from = 'alerts';
      e['shop-prod'].notifications.alertmanager.smtp.username = '';
      e['shop-prod'].notifications.alertmanager.smtp.password.secretsManagerSecretName = 'the password';
    },
    [
      'cdk.json: environments.shop-prod.notifications.alertmanager.smtp.smarthost: "smtp.shop.example" does not have the expected form; expected the SMTP relay that sends the alert e-mails, host:port, for example "email-smtp.eu-west-1.amazonaws.com:587"',
      'cdk.json: environments.shop-prod.notifications.alertmanager.smtp.from: "alerts" is not a valid email; expected the sender address of the alert e-mails, for example "alerts@example.com"',
      'cdk.json: environments.shop-prod.notifications.alertmanager.smtp.username: "" is not valid (must NOT have fewer than 1 characters); expected the SMTP user name, for example "AKIAEXAMPLESMTPUSER"',
      'cdk.json: environments.shop-prod.notifications.alertmanager.smtp.password.secretsManagerSecretName: the value (not shown: it may be a secret) does not have the expected form; expected the name of the Secrets Manager secret whose SecretString is the SMTP password (create it before the deploy), for example "/starmates-ai-team/prod/monitoring/alertmanager-smtp-password"',
    ],
  ),
  bad(
    'schema',
    'a publish section with a plain-HTTP Prometheus URL, a user name for the user id and a token parameter without its leading slash',
    (e) => {
      e['shop-prod'].grafanaCloud.publish = {
        prometheusUrl: 'http://prometheus-prod-01-eu-west-0.grafana.net',
        prometheusUserId: 'shop',
        grafanaTokenParameterName: 'fixture-shop/grafana-token',
      };
    },
    [
      'cdk.json: environments.shop-prod.grafanaCloud.publish.prometheusUrl: "http://prometheus-prod-01-eu-west-0.grafana.net" does not have the expected form; expected the stack\'s Prometheus (Mimir) URL, whose ruler and Alertmanager APIs `obsctl grafana publish` writes to, for example "https://prometheus-prod-24-prod-eu-west-2.grafana.net"',
      'cdk.json: environments.shop-prod.grafanaCloud.publish.prometheusUserId: "shop" does not have the expected form; expected the numeric user id of the stack\'s Prometheus instance, the Basic auth user of the ruler and Alertmanager APIs, in quotes; the password is the token of apiKeyParameterName, whose access policy must allow rules:write and alerts:write, for example "1234567"',
      'cdk.json: environments.shop-prod.grafanaCloud.publish.grafanaTokenParameterName: "fixture-shop/grafana-token" does not have the expected form; expected an SSM parameter name: a path of letters, digits, "_", "." and "-" segments starting with "/", for example "/starmates-ai-team/prod/monitoring/grafana-service-account-token"',
    ],
  ),
  bad(
    'schema',
    'an audit retention CloudWatch Logs does not offer',
    (e) => {
      e['shop-prod'].auditLogRetentionDays = 366;
    },
    [
      'cdk.json: environments.shop-prod.auditLogRetentionDays: 366 is not allowed; expected how long the audit log group keeps audit events, in days (a retention CloudWatch Logs accepts); default 365 in production, else logRetentionDays, for example 365',
    ],
  ),
  bad(
    'secrets',
    'no heartbeat secret',
    (e) => {
      delete e['shop-dev'].notifications.heartbeat;
    },
    [
      'cdk.json: environments.shop-dev.notifications: missing key "heartbeat"; add the HTTPS URL of the on-call tool\'s heartbeat endpoint: the alert path calls it every 5 minutes, and its silence raises the tool\'s own alert, kept in Secrets Manager, for example "heartbeat": {"secretsManagerSecretName":"/starmates-ai-team/prod/monitoring/oncall-heartbeat-url"}',
    ],
  ),
  bad(
    'secrets',
    'a webhook URL pasted as the secret name',
    (e) => {
      e['shop-dev'].notifications.onCallWebhook.secretsManagerSecretName =
        'https://oncall.shop.example/integrations/v1/amazon_sns/s3cr3t-token/';
    },
    [
      'cdk.json: environments.shop-dev.notifications.onCallWebhook.secretsManagerSecretName: the value (not shown: it may be a secret) does not have the expected form; expected the name of the Secrets Manager secret whose SecretString is the HTTPS webhook URL of the on-call tool, which critical alerts call (create it before the deploy), for example "/starmates-ai-team/prod/monitoring/oncall-webhook-url"',
    ],
  ),
  bad(
    'secrets',
    'a secret name longer than Secrets Manager allows',
    (e) => {
      e['shop-dev'].notifications.heartbeat.secretsManagerSecretName = `/shop/${'x'.repeat(512)}`;
    },
    [
      'cdk.json: environments.shop-dev.notifications.heartbeat.secretsManagerSecretName: the value (not shown: it may be a secret) is too long; expected the name of the Secrets Manager secret whose SecretString is the HTTPS URL of the on-call tool\'s heartbeat endpoint: the alert path calls it every 5 minutes, and its silence raises the tool\'s own alert (create it before the deploy), for example "/starmates-ai-team/prod/monitoring/oncall-heartbeat-url"',
    ],
  ),
  bad(
    'schema',
    'a Slack workspace id of a channel',
    (e) => {
      e['shop-prod'].notifications.slack.workspaceId = 'C0FIXTURE1';
    },
    [
      S +
        '.notifications.slack.workspaceId: "C0FIXTURE1" does not have the expected form; expected the Slack workspace id authorised in AWS Chatbot (T...), for example "T0123ABCD45"',
    ],
  ),
  bad(
    'schema',
    'a Slack direct-message channel',
    (e) => {
      e['shop-prod'].notifications.slack.channelId = 'D0FIXTURE1';
    },
    [
      S +
        '.notifications.slack.channelId: "D0FIXTURE1" does not have the expected form; expected the Slack channel id (C... or G...), for example "C0123ABCD45"',
    ],
  ),
  bad(
    'schema',
    'an OTLP endpoint over http',
    (e) => {
      e['shop-dev'].grafanaCloud.otlpEndpoint = 'http://otlp.grafana.net/otlp';
    },
    [
      D +
        '.grafanaCloud.otlpEndpoint: "http://otlp.grafana.net/otlp" does not have the expected form; expected the Grafana Cloud OTLP gateway of the stack, for example "https://otlp-gateway-prod-eu-west-2.grafana.net/otlp"',
    ],
  ),
  bad(
    'schema',
    'a stack URL with a space',
    (e) => {
      e['shop-dev'].grafanaCloud.stackUrl = 'https://fixture shop.grafana.net';
    },
    [
      D +
        '.grafanaCloud.stackUrl: "https://fixture shop.grafana.net" is not a valid uri; expected the Grafana Cloud stack URL, for links to Explore (Tempo traces, Loki logs) in alerts and the CLI, for example "https://starmates.grafana.net"',
    ],
  ),
  bad(
    'schema',
    'an instance id as a number',
    (e) => {
      e['shop-dev'].grafanaCloud.instanceId = 900001;
    },
    [
      D +
        '.grafanaCloud.instanceId: 900001 has the wrong type; expected the numeric Grafana Cloud instance id used as the Basic auth user, in quotes, for example "123456"',
    ],
  ),
  bad(
    'schema',
    'a token parameter without the leading "/"',
    (e) => {
      e['shop-dev'].grafanaCloud.apiKeyParameterName = 'fixture-shop/token';
    },
    [
      D +
        '.grafanaCloud.apiKeyParameterName: "fixture-shop/token" does not have the expected form; expected an SSM parameter name: a path of letters, digits, "_", "." and "-" segments starting with "/", for example "/starmates-ai-team/prod/monitoring/grafana-cloud-api-key"',
    ],
  ),
  bad(
    'schema',
    'a config parameter with a space',
    (e) => {
      e['shop-dev'].grafanaCloud.configParameterName = '/fixture-shop/grafana config';
    },
    [
      D +
        '.grafanaCloud.configParameterName: "/fixture-shop/grafana config" does not have the expected form; expected an SSM parameter name: a path of letters, digits, "_", "." and "-" segments starting with "/", for example "/starmates-ai-team/prod/monitoring/grafana-cloud-config"',
    ],
  ),
  bad(
    'schema',
    'a translation strategy with UTF-8 names',
    (e) => {
      e['shop-dev'].grafanaCloud.metricNameTranslation = 'NoTranslation';
    },
    [
      D +
        '.grafanaCloud.metricNameTranslation: "NoTranslation" is not allowed; expected how the stack names OTLP metrics (Mimir\'s OTLP translation strategy): UnderscoreEscapingWithSuffixes (Grafana Cloud\'s default: unit, _total and _ratio suffixes) or UnderscoreEscapingWithoutSuffixes (open-source Mimir\'s default); the same in every environment, since dashboards/ is shared. The UTF-8 strategies are not offered: they keep dots in label names (service.name), which the queries name escaped, for example "UnderscoreEscapingWithSuffixes"',
    ],
  ),
  bad(
    'schema',
    'a KMS alias instead of a key ARN',
    (e) => {
      e['shop-prod'].grafanaCloud.parameterKeyArn = 'alias/aws/ssm';
    },
    [
      S +
        '.grafanaCloud.parameterKeyArn: "alias/aws/ssm" does not have the expected form; expected the ARN of the customer-managed KMS key that encrypts the token parameter; omit it for the default aws/ssm key, for example "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"',
    ],
  ),
  bad(
    'schema',
    'an empty tenants object',
    (e) => {
      e['shop-dev'].tenants = {};
    },
    [
      D +
        '.tenants: is empty; expected the tenants whose telemetry is kept apart, by tenant id (the `tenant.id` resource attribute: 2 to 32 lower-case letters, digits and single "-"), for example {"acme-corp":{"grafanaCloud":{"otlpEndpoint":"https://otlp-gateway-prod-eu-west-2.grafana.net/otlp","stackUrl":"https://acme-corp.grafana.net","instanceId":"654321","apiKeyParameterName":"/starmates-ai-team/prod/tenants/acme-corp/grafana-cloud-api-key"},"gatewayPort":4320,"readerPrincipalArns":["arn:aws:iam::444444444444:role/acme-corp-sre"]}}',
    ],
  ),
  bad(
    'schema',
    'a tenant id with "_"',
    (e) => {
      e['shop-prod'].tenants.north_wind = e['shop-prod'].tenants['north-wind'];
    },
    [
      S +
        '.tenants: "north_wind" is not a valid name; expected the tenants whose telemetry is kept apart, by tenant id (the `tenant.id` resource attribute: 2 to 32 lower-case letters, digits and single "-")',
    ],
  ),
  bad(
    'schema',
    'a tenant without its Grafana Cloud stack',
    (e) => {
      delete e['shop-prod'].tenants.contoso.grafanaCloud;
    },
    [
      S +
        '.tenants.contoso: missing key "grafanaCloud"; add a Grafana Cloud stack: OTLP endpoint, stack URL, instance id and the SSM parameter of its token, for example "grafanaCloud": {"otlpEndpoint":"https://otlp-gateway-prod-eu-west-2.grafana.net/otlp","stackUrl":"https://acme-corp.grafana.net","instanceId":"654321","apiKeyParameterName":"/starmates-ai-team/prod/tenants/acme-corp/grafana-cloud-api-key"}',
    ],
  ),
  bad(
    'schema',
    "a tenant's stack without its token parameter",
    (e) => {
      delete e['shop-prod'].tenants.contoso.grafanaCloud.apiKeyParameterName;
    },
    [
      S +
        '.tenants.contoso.grafanaCloud: missing key "apiKeyParameterName"; add an SSM parameter name: a path of letters, digits, "_", "." and "-" segments starting with "/", for example "apiKeyParameterName": "/starmates-ai-team/prod/monitoring/grafana-cloud-api-key"',
    ],
  ),
  bad(
    'schema',
    "a tenant's instance id with letters",
    (e) => {
      e['shop-prod'].tenants.contoso.grafanaCloud.instanceId = 'abc';
    },
    [
      S +
        '.tenants.contoso.grafanaCloud.instanceId: "abc" does not have the expected form; expected the numeric Grafana Cloud instance id used as the Basic auth user, in quotes, for example "123456"',
    ],
  ),
  bad(
    'schema',
    "a tenant's OTLP endpoint over http",
    (e) => {
      e['shop-prod'].tenants.contoso.grafanaCloud.otlpEndpoint = 'http://otlp.grafana.net/otlp';
    },
    [
      S +
        '.tenants.contoso.grafanaCloud.otlpEndpoint: "http://otlp.grafana.net/otlp" does not have the expected form; expected the Grafana Cloud OTLP gateway of the stack, for example "https://otlp-gateway-prod-eu-west-2.grafana.net/otlp"',
    ],
  ),
  bad(
    'schema',
    "a tenant's stack URL that is not a URL",
    (e) => {
      e['shop-prod'].tenants.contoso.grafanaCloud.stackUrl = 'contoso.grafana.net';
    },
    [
      S +
        '.tenants.contoso.grafanaCloud.stackUrl: "contoso.grafana.net" does not have the expected form; expected the Grafana Cloud stack URL, for links to Explore (Tempo traces, Loki logs) in alerts and the CLI, for example "https://starmates.grafana.net"',
    ],
  ),
  bad(
    'schema',
    "a tenant's key ARN of another service",
    (e) => {
      e['shop-prod'].tenants.contoso.grafanaCloud.parameterKeyArn = 'arn:aws:s3:::bucket';
    },
    [
      S +
        '.tenants.contoso.grafanaCloud.parameterKeyArn: "arn:aws:s3:::bucket" does not have the expected form; expected the ARN of the customer-managed KMS key that encrypts the token parameter; omit it for the default aws/ssm key, for example "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"',
    ],
  ),
  bad(
    'schema',
    'a tenant gateway port below 1024',
    (e) => {
      e['shop-prod'].tenants.contoso.gatewayPort = 80;
    },
    [
      S +
        ".tenants.contoso.gatewayPort: 80 is out of range; expected the tenant's own OTLP/gRPC port on the collector gateway (1024 to 65535, not 4317, 4318, 13133 or 14318, unique): only the tenant's tasks may reach it, and the gateway stamps tenant.id from it; required when the profile has a gateway, for example 4320",
    ],
  ),
  bad(
    'schema',
    'a tenant without readers',
    (e) => {
      e['shop-prod'].tenants.contoso.readerPrincipalArns = [];
    },
    [
      S +
        '.tenants.contoso.readerPrincipalArns: is empty; expected the IAM principals that may assume the tenant\'s read-only role, for example ["arn:aws:iam::444444444444:role/acme-corp-sre"]',
    ],
  ),
  bad(
    'schema',
    'a reader that is a group',
    (e) => {
      e['shop-prod'].tenants.contoso.readerPrincipalArns = ['arn:aws:iam::510987654321:group/sre'];
    },
    [
      S +
        '.tenants.contoso.readerPrincipalArns.0: "arn:aws:iam::510987654321:group/sre" does not have the expected form; expected an IAM role, user or account root ARN, for example "arn:aws:iam::444444444444:role/acme-corp-sre"',
    ],
  ),
  bad(
    'schema',
    'no services',
    (e) => {
      e['shop-dev'].services = {};
    },
    [
      D +
        '.services: is empty; expected the services to observe, by name (2 to 32 lower-case letters, digits and single "-"), for example {"api-gateway":{"image":"123456789012.dkr.ecr.eu-west-1.amazonaws.com/api-gateway:1.4.2","port":8000,"healthCheckPath":"/health","cpu":512,"memoryMiB":1024}}',
    ],
  ),
  bad(
    'schema',
    'a service name with capitals',
    (e) => {
      e['shop-dev'].services.Checkout = e['shop-dev'].services.checkout;
    },
    [
      D +
        '.services: "Checkout" is not a valid name; expected the services to observe, by name (2 to 32 lower-case letters, digits and single "-")',
    ],
  ),
  bad(
    'schema',
    'a service name with "--"',
    (e) => {
      e['shop-dev'].services['check--out'] = e['shop-dev'].services.checkout;
    },
    [
      D +
        '.services: "check--out" is not a valid name; expected the services to observe, by name (2 to 32 lower-case letters, digits and single "-")',
    ],
  ),
  bad(
    'schema',
    'an image with capitals',
    (e) => {
      e['shop-dev'].services.checkout.image = 'Shop/Checkout:1';
    },
    [
      D +
        '.services.checkout.image: "Shop/Checkout:1" does not have the expected form; expected the container image reference, with a tag or digest, for example "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api-gateway:1.4.2"',
    ],
  ),
  bad(
    'schema',
    'port 0',
    (e) => {
      e['shop-dev'].services.checkout.port = 0;
    },
    [
      D +
        '.services.checkout.port: 0 is out of range; expected the TCP port the service listens on (1 to 65535), unique within the environment, for example 8000',
    ],
  ),
  bad(
    'schema',
    'a port above 65535',
    (e) => {
      e['shop-dev'].services.checkout.port = 70000;
    },
    [
      D +
        '.services.checkout.port: 70000 is out of range; expected the TCP port the service listens on (1 to 65535), unique within the environment, for example 8000',
    ],
  ),
  bad(
    'schema',
    'a task cpu Fargate does not offer',
    (e) => {
      e['shop-dev'].services.checkout.cpu = 500;
    },
    [
      D +
        '.services.checkout.cpu: 500 is not allowed; expected Fargate task cpu units: one of 256, 512, 1024, 2048, 4096, 8192, 16384, for example 512',
    ],
  ),
  bad(
    'schema',
    'task memory below 512',
    (e) => {
      e['shop-dev'].services.checkout.memoryMiB = 256;
    },
    [
      D +
        '.services.checkout.memoryMiB: 256 is out of range; expected Fargate task memory in MiB; it must be a size Fargate accepts for the cpu value, for example 1024',
    ],
  ),
  bad(
    'schema',
    'desiredCount 0, which would pin serviceDown',
    (e) => {
      e['shop-dev'].services.checkout.desiredCount = 0;
    },
    [
      D +
        '.services.checkout.desiredCount: 0 is out of range; expected how many tasks run (1 to 1000; 0 would keep the serviceDown alarm, and so the page, firing: remove the service instead); default 1, for example 2',
    ],
  ),
  bad(
    'schema',
    'desiredCount above 1000',
    (e) => {
      e['shop-dev'].services.checkout.desiredCount = 1001;
    },
    [
      D +
        '.services.checkout.desiredCount: 1001 is out of range; expected how many tasks run (1 to 1000; 0 would keep the serviceDown alarm, and so the page, firing: remove the service instead); default 1, for example 2',
    ],
  ),
  bad(
    'schema',
    'the root user',
    (e) => {
      e['shop-dev'].services.checkout.user = 'root';
    },
    [
      D +
        '.services.checkout.user: "root" does not have the expected form; expected the non-root user the application container runs as: uid, uid:gid, user or user:group (not 0 or root); give the gid with a numeric uid the image has no /etc/passwd entry for; default the image\'s own USER, which Control Tower (CT.ECS.PR.3) rejects because the task definition does not show it, for example "1000:1000"',
    ],
  ),
  bad(
    'schema',
    'instrumentation as a string',
    (e) => {
      e['shop-dev'].services.checkout.instrumentation = 'off';
    },
    [
      D +
        '.services.checkout.instrumentation: "off" has the wrong type; expected the enable-observability-instrumentation switch: false turns the SDK off and removes the collector; default true, for example true',
    ],
  ),
  bad(
    'schema',
    'a tenant id with capitals on a service',
    (e) => {
      e['shop-prod'].services.checkout.tenant = 'NorthWind';
    },
    [
      S +
        '.services.checkout.tenant: "NorthWind" does not have the expected form; expected the tenant the service belongs to, a key of the profile\'s tenants: its telemetry goes only to that tenant\'s Grafana Cloud stack; omit it for a platform service, for example "acme-corp"',
    ],
  ),
  bad(
    'schema',
    'a log volume of 0',
    (e) => {
      e['shop-prod'].services.checkout.logVolumeGiBPerDay = 0;
    },
    [
      S +
        '.services.checkout.logVolumeGiBPerDay: 0 is out of range; expected the application log volume the service writes to CloudWatch Logs, in GiB per day (more than 0, at most 10240), for the cost report (npm run cost); default 1, for example 0.5',
    ],
  ),
  bad(
    'schema',
    'an unknown signal in the thresholds',
    (e) => {
      e['shop-prod'].alertThresholds.errorRatio = {};
    },
    [
      S +
        '.alertThresholds.errorRatio: unknown key. Did you mean "errorRate"? Keys allowed here: serviceDown, errorRate, latencyP95, taskRestarts, aiCostPerHour, logGroupGrowth, collectorHealth',
    ],
  ),
  bad(
    'schema',
    'an unknown severity in the thresholds',
    (e) => {
      e['shop-prod'].alertThresholds.errorRate.page = { threshold: 1 };
    },
    [
      S +
        '.alertThresholds.errorRate.page: unknown key. Did you mean "info"? Keys allowed here: critical, warning, info',
    ],
  ),
  bad(
    'schema',
    'a negative threshold',
    (e) => {
      e['shop-prod'].services.checkout.alertThresholds.latencyP95.critical.threshold = -1;
    },
    [
      S +
        '.services.checkout.alertThresholds.latencyP95.critical.threshold: -1 is out of range; expected the value the signal must cross, in the unit of the signal, for example 5',
    ],
  ),
  bad(
    'schema',
    'an override without threshold',
    (e) => {
      e['shop-prod'].services.checkout.alertThresholds.latencyP95.critical = { windowMinutes: 5 };
    },
    [
      S +
        '.services.checkout.alertThresholds.latencyP95.critical: missing key "threshold"; add the value the signal must cross, in the unit of the signal, for example "threshold": 5',
    ],
  ),
  bad(
    'schema',
    'an unknown service key',
    (e) => {
      e['shop-dev'].services.checkout.healthcheck = '/healthz';
    },
    [
      D +
        '.services.checkout.healthcheck: unknown key. Did you mean "healthCheckPath"? Keys allowed here: image, port, healthCheckPath, cpu, memoryMiB, desiredCount, user, instrumentation, alertThresholds, trafficAnomaly, tenant, logVolumeGiBPerDay',
    ],
  ),

  // ---- injection: the health-check path reaches the probe, so it is strict ----
  bad(
    'injection',
    'a quote that would end the probe string',
    (e) => {
      e['shop-dev'].services.checkout.healthCheckPath = "/healthz'";
    },
    [
      D +
        '.services.checkout.healthCheckPath: "/healthz\'" does not have the expected form; expected the HTTP path of the health check: "/" then letters, digits and . _ ~ - / (at most 200 characters), optionally a query of the same characters with = and &; no quotes, spaces, "%" or "#", for example "/health"',
    ],
  ),
  bad(
    'injection',
    'a crafted path that runs code',
    (e) => {
      e['shop-dev'].services.checkout.healthCheckPath = "/x', timeout=4); __import__('os').system('id'); ('";
    },
    [
      D +
        '.services.checkout.healthCheckPath: "/x\', timeout=4); __import__(\'os\').system(\'id\'); (\'" does not have the expected form; expected the HTTP path of the health check: "/" then letters, digits and . _ ~ - / (at most 200 characters), optionally a query of the same characters with = and &; no quotes, spaces, "%" or "#", for example "/health"',
    ],
  ),
  bad(
    'injection',
    'a double quote',
    (e) => {
      e['shop-dev'].services.checkout.healthCheckPath = '/"x"';
    },
    [
      D +
        '.services.checkout.healthCheckPath: "/\\"x\\"" does not have the expected form; expected the HTTP path of the health check: "/" then letters, digits and . _ ~ - / (at most 200 characters), optionally a query of the same characters with = and &; no quotes, spaces, "%" or "#", for example "/health"',
    ],
  ),
  bad(
    'injection',
    'a shell substitution',
    (e) => {
      e['shop-dev'].services.checkout.healthCheckPath = '/$(id)';
    },
    [
      D +
        '.services.checkout.healthCheckPath: "/$(id)" does not have the expected form; expected the HTTP path of the health check: "/" then letters, digits and . _ ~ - / (at most 200 characters), optionally a query of the same characters with = and &; no quotes, spaces, "%" or "#", for example "/health"',
    ],
  ),
  bad(
    'injection',
    'a semicolon',
    (e) => {
      e['shop-dev'].services.checkout.healthCheckPath = '/health;reboot';
    },
    [
      D +
        '.services.checkout.healthCheckPath: "/health;reboot" does not have the expected form; expected the HTTP path of the health check: "/" then letters, digits and . _ ~ - / (at most 200 characters), optionally a query of the same characters with = and &; no quotes, spaces, "%" or "#", for example "/health"',
    ],
  ),
  bad(
    'injection',
    'a percent-encoded quote',
    (e) => {
      e['shop-dev'].services.checkout.healthCheckPath = '/health%27';
    },
    [
      D +
        '.services.checkout.healthCheckPath: "/health%27" does not have the expected form; expected the HTTP path of the health check: "/" then letters, digits and . _ ~ - / (at most 200 characters), optionally a query of the same characters with = and &; no quotes, spaces, "%" or "#", for example "/health"',
    ],
  ),
  bad(
    'injection',
    'a newline',
    (e) => {
      e['shop-dev'].services.checkout.healthCheckPath = '/health\nimport os';
    },
    [
      D +
        '.services.checkout.healthCheckPath: "/health\\nimport os" does not have the expected form; expected the HTTP path of the health check: "/" then letters, digits and . _ ~ - / (at most 200 characters), optionally a query of the same characters with = and &; no quotes, spaces, "%" or "#", for example "/health"',
    ],
  ),
  bad(
    'injection',
    'a backslash',
    (e) => {
      e['shop-dev'].services.checkout.healthCheckPath = '/health\\x27';
    },
    [
      D +
        '.services.checkout.healthCheckPath: "/health\\\\x27" does not have the expected form; expected the HTTP path of the health check: "/" then letters, digits and . _ ~ - / (at most 200 characters), optionally a query of the same characters with = and &; no quotes, spaces, "%" or "#", for example "/health"',
    ],
  ),
  bad(
    'injection',
    'a path without the leading "/"',
    (e) => {
      e['shop-dev'].services.checkout.healthCheckPath = 'healthz';
    },
    [
      D +
        '.services.checkout.healthCheckPath: "healthz" does not have the expected form; expected the HTTP path of the health check: "/" then letters, digits and . _ ~ - / (at most 200 characters), optionally a query of the same characters with = and &; no quotes, spaces, "%" or "#", for example "/health"',
    ],
  ),
  bad(
    'injection',
    'a full URL to another host',
    (e) => {
      e['shop-dev'].services.checkout.healthCheckPath = '@evil.example/';
    },
    [
      D +
        '.services.checkout.healthCheckPath: "@evil.example/" does not have the expected form; expected the HTTP path of the health check: "/" then letters, digits and . _ ~ - / (at most 200 characters), optionally a query of the same characters with = and &; no quotes, spaces, "%" or "#", for example "/health"',
    ],
  ),
  bad(
    'injection',
    'a path of 201 characters',
    (e) => {
      e['shop-dev'].services.checkout.healthCheckPath = `/${'a'.repeat(200)}`;
    },
    [
      D +
        '.services.checkout.healthCheckPath: "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" is too long; expected the HTTP path of the health check: "/" then letters, digits and . _ ~ - / (at most 200 characters), optionally a query of the same characters with = and &; no quotes, spaces, "%" or "#", for example "/health"',
    ],
  ),

  // ---- ports per task ----
  bad(
    'ports',
    "the sidecar's OTLP/gRPC port",
    (e) => {
      e['shop-dev'].services.checkout.port = 4317;
    },
    [
      D +
        '.services.checkout.port: 4317 is a port the collector sidecar listens on in the same task (4317, 4318, 13133, 14318). Use another port, for example 8080',
    ],
  ),
  bad(
    'ports',
    "the sidecar's OTLP/HTTP port",
    (e) => {
      e['shop-dev'].services.checkout.port = 4318;
    },
    [
      D +
        '.services.checkout.port: 4318 is a port the collector sidecar listens on in the same task (4317, 4318, 13133, 14318). Use another port, for example 8080',
    ],
  ),
  bad(
    'ports',
    "the sidecar's health-check port",
    (e) => {
      e['shop-prod'].services.catalog.port = 13133;
    },
    [
      S +
        '.services.catalog.port: 13133 is a port the collector sidecar listens on in the same task (4317, 4318, 13133, 14318). Use another port, for example 8080',
    ],
  ),
  bad(
    'ports',
    "a tenant on the gateway's own port",
    (e) => {
      e['shop-prod'].tenants.contoso.gatewayPort = 4317;
    },
    [
      S +
        '.tenants.contoso.gatewayPort: 4317 is already used by the gateway itself. Give every tenant its own port (not 4317, 4318, 13133, 14318)',
    ],
  ),
  bad(
    'ports',
    'two tenants on one gateway port',
    (e) => {
      e['shop-prod'].tenants.contoso.gatewayPort = 4400;
    },
    [
      S +
        '.tenants.contoso.gatewayPort: 4400 is already used by tenants.north-wind. Give every tenant its own port (not 4317, 4318, 13133, 14318)',
    ],
  ),
  bad(
    'ports',
    'a tenant without a gateway port',
    (e) => {
      delete e['shop-prod'].tenants.contoso.gatewayPort;
    },
    [
      S +
        '.tenants.contoso.gatewayPort: missing. With a gateway each tenant sends its traces to its own port, which only its tasks may reach; add an unused port, for example "gatewayPort": 4320',
    ],
  ),

  // ---- cpu and memory budgets ----
  bad(
    'budgets',
    'collector cpu equal to the task cpu',
    (e) => {
      e['shop-prod'].collector.cpu = 512;
    },
    [
      S +
        ".services.checkout.cpu: 512 does not hold the collector's 512 cpu units (environments.shop-prod.collector.cpu) and leave the application any. Raise cpu above 512 or lower collector.cpu",
      S +
        ".services.catalog.cpu: 512 does not hold the collector's 512 cpu units (environments.shop-prod.collector.cpu) and leave the application any. Raise cpu above 512 or lower collector.cpu",
      S +
        ".services.north-wind-portal.cpu: 512 does not hold the collector's 512 cpu units (environments.shop-prod.collector.cpu) and leave the application any. Raise cpu above 512 or lower collector.cpu",
      S +
        ".services.contoso-portal.cpu: 512 does not hold the collector's 512 cpu units (environments.shop-prod.collector.cpu) and leave the application any. Raise cpu above 512 or lower collector.cpu",
    ],
  ),
  bad(
    'budgets',
    'collector cpu above every task cpu',
    (e) => {
      e['shop-dev'].collector = { cpu: 4096 };
    },
    [
      D +
        ".services.checkout.cpu: 512 does not hold the collector's 4096 cpu units (environments.shop-dev.collector.cpu) and leave the application any. Raise cpu above 4096 or lower collector.cpu",
      D +
        ".services.catalog.cpu: 512 does not hold the collector's 4096 cpu units (environments.shop-dev.collector.cpu) and leave the application any. Raise cpu above 4096 or lower collector.cpu",
    ],
  ),
  bad(
    'budgets',
    'collector memory equal to the task memory',
    (e) => {
      e['shop-dev'].collector = { memoryMiB: 2048 };
    },
    [
      D +
        ".services.checkout.memoryMiB: 2048 leaves the application 0 MiB next to the collector's 2048 MiB (environments.shop-dev.collector.memoryMiB). Give the task at least 2176 MiB or lower collector.memoryMiB",
      D +
        ".services.catalog.memoryMiB: 2048 leaves the application 0 MiB next to the collector's 2048 MiB (environments.shop-dev.collector.memoryMiB). Give the task at least 2176 MiB or lower collector.memoryMiB",
    ],
  ),
  bad(
    'budgets',
    'collector memory above the task memory',
    (e) => {
      e['shop-dev'].services.catalog.memoryMiB = 1024;
      e['shop-dev'].collector = { memoryMiB: 4096 };
    },
    [
      D +
        ".services.checkout.memoryMiB: 2048 leaves the application -2048 MiB next to the collector's 4096 MiB (environments.shop-dev.collector.memoryMiB). Give the task at least 4224 MiB or lower collector.memoryMiB",
      D +
        ".services.catalog.memoryMiB: 1024 leaves the application -3072 MiB next to the collector's 4096 MiB (environments.shop-dev.collector.memoryMiB). Give the task at least 4224 MiB or lower collector.memoryMiB",
    ],
  ),
  bad(
    'budgets',
    'a task memory Fargate does not offer for the cpu',
    (e) => {
      e['shop-dev'].services.checkout.memoryMiB = 8192;
    },
    [
      D +
        '.services.checkout.memoryMiB: 8192 is not a Fargate memory size for cpu 512. Use one of 1024, 2048, 3072, 4096',
    ],
  ),
  bad(
    'budgets',
    'a gateway memory Fargate does not offer for the cpu',
    (e) => {
      e['shop-prod'].gateway.memoryMiB = 1024;
    },
    [
      S +
        '.gateway.memoryMiB: 1024 is not a Fargate memory size for cpu 1024. Use one of 2048, 3072, 4096, 5120, 6144, 7168, 8192',
    ],
  ),
  bad(
    'budgets',
    'gateway maxTasks below minTasks',
    (e) => {
      e['shop-prod'].gateway.maxTasks = 1;
    },
    [`${S}.gateway.maxTasks: 1 is below minTasks 2. Raise maxTasks`],
  ),
  bad(
    'budgets',
    'one gateway task in production',
    (e) => {
      e['shop-prod'].gateway.minTasks = 1;
    },
    [
      S +
        '.gateway.minTasks: 1 in a production environment; one task is a single point of failure for every trace. Use at least 2 (tasks spread over the zones)',
    ],
  ),
  bad(
    'budgets',
    'a decision wait shorter than the slow-trace threshold',
    (e) => {
      e['shop-prod'].gateway.decisionWaitSeconds = 1;
    },
    [
      S +
        '.gateway.decisionWaitSeconds: 1 s is not longer than sampling.slowTraceThresholdMs (1500 ms), so a slow trace is decided before it ends. Use at least 7',
    ],
  ),
  bad(
    'budgets',
    'too few gateway tasks for the traffic',
    (e) => {
      e['shop-prod'].gateway.expectedTracesPerSecond = 5000;
    },
    [
      S +
        '.gateway.minTasks: 2 task(s) of 1024 cpu units carry about 9600 spans/s at 60 % cpu, but expectedTracesPerSecond x spansPerTrace is 50000 spans/s. Raise minTasks to 11 (and maxTasks with it) or give each task more cpu',
    ],
  ),

  // ---- names the platform already uses ----
  bad(
    'reserved names',
    'a service named like the gateway',
    (e) => {
      copyService(e, 'otel-gateway', 9200);
    },
    [
      S +
        '.services.otel-gateway: the name "otel-gateway" gives log group "/ecs/fixture-shop-shop-prod/otel-gateway", which the collector gateway uses. Rename the service, for example "otel-gateway-app"',
    ],
  ),
  bad(
    'reserved names',
    'a service named like the EMF log group',
    (e) => {
      copyService(e, 'otel-emf', 9200);
    },
    [
      S +
        '.services.otel-emf: the name "otel-emf" gives log group "/ecs/fixture-shop-shop-prod/otel-emf", which the collectors\' EMF metrics use. Rename the service, for example "otel-emf-app"',
    ],
  ),
  bad(
    'reserved names',
    'a service named like the task events log group',
    (e) => {
      copyService(e, 'ecs-task-events', 9200);
    },
    [
      S +
        '.services.ecs-task-events: the name "ecs-task-events" gives log group "/ecs/fixture-shop-shop-prod/ecs-task-events", which the ECS task events use. Rename the service, for example "ecs-task-events-app"',
    ],
  ),
  bad(
    'reserved names',
    'a service named like the flow logs log group',
    (e) => {
      copyService(e, 'vpc-flow-logs', 9200, 'shop-dev');
    },
    [
      D +
        '.services.vpc-flow-logs: the name "vpc-flow-logs" gives log group "/ecs/fixture-shop-shop-dev/vpc-flow-logs", which the VPC flow logs use. Rename the service, for example "vpc-flow-logs-app"',
    ],
  ),
  bad(
    'reserved names',
    'a service named like the collector container',
    (e) => {
      copyService(e, 'otel-collector', 9200, 'shop-dev');
    },
    [
      D +
        '.services.otel-collector: the name "otel-collector" gives container "otel-collector", which the collector sidecar uses. Rename the service, for example "otel-collector-app"',
    ],
  ),
  bad(
    'reserved names',
    'a service named like the platform stack',
    (e) => {
      copyService(e, 'platform', 9200, 'shop-dev');
    },
    [
      D +
        '.services.platform: the name "platform" gives stack "FixtureShop-ShopDev-Platform", which the platform stack uses. Rename the service, for example "platform-app"',
    ],
  ),

  // ---- stack and construct ids ----
  bad(
    'stack ids',
    'two services that differ only in "-"',
    (e) => {
      copyService(e, 'api-gateway-2', 9200);
      copyService(e, 'api-gateway2', 9201);
    },
    [
      S +
        '.services.api-gateway2: its stack name "FixtureShop-ShopProd-ApiGateway2" is also that of service "api-gateway-2" (stack names drop the "-" and capitalise each part). Rename one of the two so they differ in more than "-"',
    ],
  ),
  bad(
    'stack ids',
    'two services that differ only in "-" in dev',
    (e) => {
      copyService(e, 'checkout-2', 9200, 'shop-dev');
      copyService(e, 'checkout2', 9201, 'shop-dev');
    },
    [
      D +
        '.services.checkout2: its stack name "FixtureShop-ShopDev-Checkout2" is also that of service "checkout-2" (stack names drop the "-" and capitalise each part). Rename one of the two so they differ in more than "-"',
    ],
  ),
  bad(
    'stack ids',
    'two tenants that differ only in "-"',
    (e) => {
      const t = e['shop-prod'].tenants;
      for (const [id, port, instance] of [
        ['contoso-2', 4402, '900103'],
        ['contoso2', 4403, '900104'],
      ] as const) {
        t[id] = structuredClone(t.contoso);
        t[id].gatewayPort = port;
        t[id].grafanaCloud.instanceId = instance;
        t[id].grafanaCloud.apiKeyParameterName = `/fixture-shop/shop-prod/tenants/${id}/grafana-cloud-api-key`;
      }
    },
    [
      S +
        '.tenants.contoso2: its construct id "TenantContoso2" is also that of tenant "contoso-2" (ids drop the "-" and capitalise each part). Rename one of the two so they differ in more than "-"',
    ],
  ),

  // ---- SSM parameter names (AWS's rules) ----
  bad(
    'ssm names',
    'a token parameter under /aws',
    (e) => {
      e['shop-dev'].grafanaCloud.apiKeyParameterName = '/aws/fixture-shop/token';
    },
    [
      D +
        '.grafanaCloud.apiKeyParameterName: "/aws/fixture-shop/token" begins with "aws", which AWS reserves for its own parameters. Start with your project, for example "/fixture-shop/<env>/monitoring/grafana-cloud-api-key"',
    ],
  ),
  bad(
    'ssm names',
    'a config parameter under /AWSconfig',
    (e) => {
      e['shop-dev'].grafanaCloud.configParameterName = '/AWSconfig/fixture-shop';
    },
    [
      D +
        '.grafanaCloud.configParameterName: "/AWSconfig/fixture-shop" begins with "AWS", which AWS reserves for its own parameters. Start with your project, for example "/fixture-shop/<env>/monitoring/grafana-cloud-config"',
    ],
  ),
  bad(
    'ssm names',
    'a token parameter under /ssm',
    (e) => {
      e['shop-dev'].grafanaCloud.apiKeyParameterName = '/ssm/token';
    },
    [
      D +
        '.grafanaCloud.apiKeyParameterName: "/ssm/token" begins with "ssm", which AWS reserves for its own parameters. Start with your project, for example "/fixture-shop/<env>/monitoring/grafana-cloud-api-key"',
    ],
  ),
  bad(
    'ssm names',
    "a tenant's token parameter under /Ssm-tenants",
    (e) => {
      e['shop-prod'].tenants.contoso.grafanaCloud.apiKeyParameterName = '/Ssm-tenants/contoso';
    },
    [
      S +
        '.tenants.contoso.grafanaCloud.apiKeyParameterName: "/Ssm-tenants/contoso" begins with "Ssm", which AWS reserves for its own parameters. Start with your project, for example "/fixture-shop/<env>/tenants/contoso/grafana-cloud-api-key"',
    ],
  ),
  bad(
    'ssm names',
    'a parameter 16 levels deep',
    (e) => {
      e['shop-dev'].grafanaCloud.configParameterName = `/fixture-shop${'/l'.repeat(15)}`;
    },
    [
      D +
        '.grafanaCloud.configParameterName: "/fixture-shop/l/l/l/l/l/l/l/l/l/l/l/l/l/l/l" has 16 levels; SSM allows at most 15. Use a shorter path, for example "/fixture-shop/<env>/monitoring/grafana-cloud-config"',
    ],
  ),
  bad(
    'ssm names',
    'a parameter too long with its ARN',
    (e) => {
      e['shop-dev'].grafanaCloud.configParameterName = `/fixture-shop/${'c'.repeat(980)}`;
    },
    [
      D +
        '.grafanaCloud.configParameterName: 994 characters; with its ARN prefix (47) that is more than SSM\'s 1011. Use a shorter name, for example "/fixture-shop/<env>/monitoring/grafana-cloud-config"',
    ],
  ),
  bad(
    'ssm names',
    'the token and the config in one parameter',
    (e) => {
      e['shop-dev'].grafanaCloud.configParameterName = e['shop-dev'].grafanaCloud.apiKeyParameterName;
    },
    [
      D +
        '.grafanaCloud.configParameterName: "/fixture-shop/shop-dev/monitoring/grafana-cloud-api-key" is also environments.shop-dev.grafanaCloud.apiKeyParameterName, and each parameter holds one thing (one token, or the config). Give it its own name, for example "/fixture-shop/<env>/monitoring/grafana-cloud-config"',
    ],
  ),
  bad(
    'ssm names',
    "a tenant's token in the platform's parameter",
    (e) => {
      e['shop-prod'].tenants.contoso.grafanaCloud.apiKeyParameterName = e['shop-prod'].grafanaCloud.apiKeyParameterName;
    },
    [
      S +
        '.tenants.contoso.grafanaCloud.apiKeyParameterName: "/fixture-shop/shop-prod/monitoring/grafana-cloud-api-key" is also environments.shop-prod.grafanaCloud.apiKeyParameterName, and each parameter holds one thing (one token, or the config). Give it its own name, for example "/fixture-shop/<env>/tenants/contoso/grafana-cloud-api-key"',
    ],
  ),
  bad(
    'ssm names',
    "a tenant's token in the config parameter",
    (e) => {
      e['shop-prod'].tenants.contoso.grafanaCloud.apiKeyParameterName = e['shop-prod'].grafanaCloud.configParameterName;
    },
    [
      S +
        '.tenants.contoso.grafanaCloud.apiKeyParameterName: "/fixture-shop/shop-prod/monitoring/grafana-cloud-config" is also environments.shop-prod.grafanaCloud.configParameterName, and each parameter holds one thing (one token, or the config). Give it its own name, for example "/fixture-shop/<env>/tenants/contoso/grafana-cloud-api-key"',
    ],
  ),

  bad(
    'ports',
    "the sidecar's self-telemetry port",
    (e) => {
      e['shop-dev'].services.checkout.port = 14318;
    },
    [
      'cdk.json: environments.shop-dev.services.checkout.port: 14318 is a port the collector sidecar listens on in the same task (4317, 4318, 13133, 14318). Use another port, for example 8080',
    ],
  ),
  bad(
    'schema',
    'a collector image with a malformed digest',
    (e) => {
      e['shop-prod'].collector.image =
        'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.159.0@sha256:1234';
    },
    [
      'cdk.json: environments.shop-prod.collector.image: the digest "sha256:1234" is malformed; a digest is "sha256:" and 64 lower-case hex digits. Copy it from the registry (crane digest ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.159.0)',
    ],
  ),
  bad(
    'schema',
    'a collector image of another version than the configs are checked against',
    (e) => {
      e['shop-prod'].collector.image =
        'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.150.0';
    },
    [
      'cdk.json: environments.shop-prod.collector.image: the tag "0.150.0" is not 0.159.0; the generated configs are checked against otelcol-contrib v0.159.0, so the image must be that version. Use ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.159.0@sha256:<digest>',
    ],
  ),
  // ---- URL shape ----
  bad(
    'secrets',
    'the webhook and the heartbeat in one secret',
    (e) => {
      e['shop-dev'].notifications.heartbeat.secretsManagerSecretName =
        e['shop-dev'].notifications.onCallWebhook.secretsManagerSecretName;
    },
    [
      'cdk.json: environments.shop-dev.notifications.heartbeat.secretsManagerSecretName: the same secret as environments.shop-dev.notifications.onCallWebhook.secretsManagerSecretName, and each holds one URL (the heartbeat endpoint is not the alert webhook). Name its own secret, for example "/fixture-shop/<env>/monitoring/oncall-heartbeat-url"',
    ],
  ),
  bad(
    'environments',
    'two environments of one account and region sharing the webhook secret',
    (e) => {
      e['shop-dev'].account = e['shop-prod'].account;
      e['shop-dev'].region = e['shop-prod'].region;
      e['shop-dev'].availabilityZones = e['shop-prod'].availabilityZones;
      e['shop-dev'].notifications.onCallWebhook = e['shop-prod'].notifications.onCallWebhook;
    },
    [
      'cdk.json: environments.shop-prod.notifications.onCallWebhook.secretsManagerSecretName: "/shop/shop-prod/monitoring/oncall-webhook-url" is also environments.shop-dev.notifications.onCallWebhook.secretsManagerSecretName (account 310987654321 in eu-central-1), so one environment would overwrite or read the other\'s. Give each environment its own secrets, named after the environment, for example "/fixture-shop/shop-prod/..." and "/fixture-shop/shop-dev/..."',
    ],
  ),
  bad(
    'urls',
    'a stack URL without a host',
    (e) => {
      e['shop-dev'].grafanaCloud.stackUrl = 'https://';
    },
    [
      'cdk.json: environments.shop-dev.grafanaCloud.stackUrl: "https://" has no host name with a domain. Use https://<host name>/<path>, for example "https://host.example.com/path"',
    ],
  ),
  bad(
    'urls',
    'a stack URL with credentials',
    (e) => {
      e['shop-dev'].grafanaCloud.stackUrl = 'https://viewer:s3cret@fixture-shop.grafana.net';
    },
    [
      'cdk.json: environments.shop-dev.grafanaCloud.stackUrl: "https://***@fixture-shop.grafana.net" carries credentials before the host, which would land in the template. Remove them from the URL (the token belongs in an SSM parameter)',
    ],
  ),
  bad(
    'urls',
    'an OTLP endpoint on a single-label host',
    (e) => {
      e['shop-dev'].grafanaCloud.otlpEndpoint = 'https://localhost/otlp';
    },
    [
      D +
        '.grafanaCloud.otlpEndpoint: "https://localhost/otlp" has no host name with a domain. Use https://<host name>/<path>, for example "https://host.example.com/path"',
    ],
  ),
  bad(
    'urls',
    "a tenant's stack URL without a host",
    (e) => {
      e['shop-prod'].tenants.contoso.grafanaCloud.stackUrl = 'https://?x=1';
    },
    [
      S +
        '.tenants.contoso.grafanaCloud.stackUrl: "https://?x=1" has no host name with a domain. Use https://<host name>/<path>, for example "https://host.example.com/path"',
    ],
  ),

  // ---- thresholds that cannot fire or clear (more in the generated cases) ----
  bad(
    'thresholds',
    'an error rate of 150 %',
    (e) => {
      e['shop-prod'].alertThresholds.errorRate.warning.threshold = 150;
    },
    [
      S +
        '.alertThresholds.errorRate.warning.threshold: 150 % can never fire or never clear (a share of requests: above 0 fires on any single error, and no rate is above 100 %). Use above 0 and below 100',
    ],
  ),
  bad(
    'thresholds',
    'a latency of 0 s',
    (e) => {
      e['shop-prod'].services.checkout.alertThresholds.latencyP95.critical.threshold = 0;
    },
    [
      S +
        '.services.checkout.alertThresholds.latencyP95.critical.threshold: 0 s can never fire or never clear (every request takes more than 0 s, and a p95 above 5 minutes is a hung request, which serviceDown and the health check catch). Use above 0 and at most 300',
    ],
  ),
  bad(
    'thresholds',
    'serviceDown above the service desiredCount',
    (e) => {
      e['shop-prod'].services.catalog.alertThresholds = { serviceDown: { critical: { threshold: 3 } } };
    },
    [
      S +
        '.services.catalog.alertThresholds.serviceDown.critical.threshold: 3 healthy tasks is more than service "catalog" runs (desiredCount 2), so serviceDown would fire forever. Use at most 2, or raise environments.shop-prod.services.catalog.desiredCount',
    ],
  ),
  bad(
    'thresholds',
    'an environment serviceDown above a desiredCount',
    (e) => {
      e['shop-dev'].services.catalog.desiredCount = 1;
      e['shop-dev'].alertThresholds = { serviceDown: { critical: { threshold: 2 } } };
    },
    [
      D +
        '.alertThresholds.serviceDown.critical.threshold: 2 healthy tasks is more than service "catalog" runs (desiredCount 1), so serviceDown would fire forever. Use at most 1, or raise environments.shop-dev.services.catalog.desiredCount',
    ],
  ),

  // ---- thresholds alerts/ cannot express (the Prometheus rules come from the same thresholds) ----
  bad(
    'thresholds',
    'an error-rate window shorter than a rate needs',
    (e) => {
      e['shop-prod'].alertThresholds.errorRate.warning.windowMinutes = 3;
    },
    [
      S +
        '.alertThresholds.errorRate.warning: the generated Prometheus rules (alerts/) cannot express it: ElevatedErrorRate for catalog in shop-prod: the errorRate window of 3 m is too short for a Prometheus rule; use at least 4 m (a rate over 60 s pushes needs 3 m, and the window must outlast it to tell a breach from a spike).',
    ],
  ),
  bad(
    'thresholds',
    'a serviceDown warning, which has no Prometheus rule',
    (e) => {
      e['shop-prod'].alertThresholds.serviceDown = { warning: { threshold: 1 } };
    },
    [
      S +
        '.alertThresholds.serviceDown.warning: the generated Prometheus rules (alerts/) cannot express it: catalog in shop-prod: serviceDown.warning has no Prometheus alert rule. Name one in the declaration of the signal (promql.alerts, lib/signals/library.ts) and add its runbook to lib/alerting/runbooks.ts.',
    ],
  ),
  bad(
    'thresholds',
    'a latency info on a service, which has no Prometheus rule',
    (e) => {
      e['shop-prod'].services.catalog.alertThresholds = { latencyP95: { info: { threshold: 1 } } };
    },
    [
      S +
        '.services.catalog.alertThresholds.latencyP95.info: the generated Prometheus rules (alerts/) cannot express it: catalog in shop-prod: latencyP95.info has no Prometheus alert rule. Name one in the declaration of the signal (promql.alerts, lib/signals/library.ts) and add its runbook to lib/alerting/runbooks.ts.',
    ],
  ),
  bad(
    'thresholds',
    'an AI cost window of 2 minutes',
    (e) => {
      e['shop-prod'].alertThresholds.aiCostPerHour = { warning: { threshold: 5, windowMinutes: 2 } };
    },
    [
      S +
        '.alertThresholds.aiCostPerHour.warning: the generated Prometheus rules (alerts/) cannot express it: HighAICost for shop-prod: the aiCostPerHour window of 2 m is too short for a Prometheus rule; use at least 4 m (a rate over 60 s pushes needs 3 m, and the window must outlast it to tell a breach from a spike).',
    ],
  ),
  bad(
    'thresholds',
    'a critical AI cost, which has no Prometheus rule',
    (e) => {
      e['shop-prod'].alertThresholds.aiCostPerHour = { critical: { threshold: 5 } };
    },
    [
      S +
        '.alertThresholds.aiCostPerHour.critical: the generated Prometheus rules (alerts/) cannot express it: environments.shop-prod: aiCostPerHour.critical has no Prometheus alert rule. Name one in the declaration of the signal (promql.alerts, lib/signals/library.ts) and add its runbook to lib/alerting/runbooks.ts.',
    ],
  ),
  bad(
    'thresholds',
    'a critical collector health, which has no Prometheus rule',
    (e) => {
      e['shop-prod'].alertThresholds.collectorHealth = { critical: { threshold: 5 } };
    },
    [
      S +
        '.alertThresholds.collectorHealth.critical: the generated Prometheus rules (alerts/) cannot express it: environments.shop-prod: collectorHealth.critical has no Prometheus alert rule. Name one in the declaration of the signal (promql.alerts, lib/signals/library.ts) and add its runbook to lib/alerting/runbooks.ts.',
    ],
  ),

  // ---- environments sharing an account and region ----
  bad(
    'environments',
    'two environments in one account sharing the token parameter',
    (e) => {
      e['shop-dev'].account = e['shop-prod'].account;
      e['shop-dev'].grafanaCloud.apiKeyParameterName = e['shop-prod'].grafanaCloud.apiKeyParameterName;
    },
    [
      S +
        '.grafanaCloud.apiKeyParameterName: "/fixture-shop/shop-prod/monitoring/grafana-cloud-api-key" is also environments.shop-dev.grafanaCloud.apiKeyParameterName (account 310987654321 in eu-central-1), so one environment would overwrite or read the other\'s. Give each environment its own parameters, named after the environment, for example "/fixture-shop/shop-prod/..." and "/fixture-shop/shop-dev/..."',
    ],
  ),
  bad(
    'environments',
    'two environments in one account sharing the config parameter',
    (e) => {
      e['shop-dev'].account = e['shop-prod'].account;
      e['shop-dev'].grafanaCloud.configParameterName = e['shop-prod'].grafanaCloud.configParameterName;
    },
    [
      S +
        '.grafanaCloud.configParameterName: "/fixture-shop/shop-prod/monitoring/grafana-cloud-config" is also environments.shop-dev.grafanaCloud.configParameterName (account 310987654321 in eu-central-1), so one environment would overwrite or read the other\'s. Give each environment its own parameters, named after the environment, for example "/fixture-shop/shop-prod/..." and "/fixture-shop/shop-dev/..."',
    ],
  ),
  bad(
    'environments',
    'two environments whose resource names coincide',
    (e) => {
      e['shop-prod'].account = e['shop-dev'].account;
      e.dev = structuredClone(e['shop-dev']);
      e.dev.project = 'fixture-shop-shop';
      e.dev.grafanaCloud.apiKeyParameterName = '/fixture-shop/dev/token';
      e.dev.grafanaCloud.configParameterName = '/fixture-shop/dev/config';
      e.dev.notifications.onCallWebhook.secretsManagerSecretName = '/fixture-shop/dev/webhook';
      e.dev.notifications.heartbeat.secretsManagerSecretName = '/fixture-shop/dev/heartbeat';
    },
    [
      'cdk.json: environments.dev: its resource names start "fixture-shop-shop-dev", as those of environment "shop-dev" (account 210987654321 in eu-central-1). Rename the environment or change project',
    ],
  ),
  bad(
    'environments',
    'two environments whose stack names coincide',
    (e) => {
      e['shop-dev-'] = structuredClone(e['shop-dev']);
      e['shop-dev-'].grafanaCloud.apiKeyParameterName = '/fixture-shop/dev2/token';
      e['shop-dev-'].grafanaCloud.configParameterName = '/fixture-shop/dev2/config';
      e['shop-dev-'].notifications.onCallWebhook.secretsManagerSecretName = '/fixture-shop/dev2/webhook';
      e['shop-dev-'].notifications.heartbeat.secretsManagerSecretName = '/fixture-shop/dev2/heartbeat';
    },
    [
      D +
        '-: its stacks are named "FixtureShop-ShopDev-Platform", as those of environment "shop-dev" (account 210987654321 in eu-central-1). Rename the environment so it differs in more than "-"',
    ],
  ),
  bad(
    'environments',
    'environments that name metrics differently',
    (e) => {
      e['shop-dev'].grafanaCloud.metricNameTranslation = 'UnderscoreEscapingWithoutSuffixes';
    },
    [
      S +
        '.grafanaCloud.metricNameTranslation: "UnderscoreEscapingWithSuffixes" differs from "UnderscoreEscapingWithoutSuffixes" (environments.shop-dev); dashboards/ is shared by every environment and names each series one way. Set the same value in every profile',
    ],
  ),

  // ---- tenants ----
  bad(
    'tenants',
    'a service of an undeclared tenant',
    (e) => {
      e['shop-prod'].services.catalog.tenant = 'northwind';
    },
    [
      S +
        '.services.catalog.tenant: "northwind" is not declared in environments.shop-prod.tenants. Did you mean "north-wind"? Declared tenants: north-wind, contoso',
    ],
  ),
  bad(
    'tenants',
    'a tenant in an environment without tenants',
    (e) => {
      e['shop-dev'].services.catalog.tenant = 'contoso';
    },
    [
      D +
        '.services.catalog.tenant: "contoso" is not declared in environments.shop-dev.tenants. Declare it under tenants (its Grafana Cloud stack and readers) or remove the field',
    ],
  ),
  bad(
    'tenants',
    "a tenant on the platform's Grafana Cloud stack",
    (e) => {
      e['shop-prod'].tenants.contoso.grafanaCloud.instanceId = '900001';
    },
    [
      S +
        '.tenants.contoso.grafanaCloud.instanceId: "900001" is also the stack of grafanaCloud, so its data would be visible there. Give every tenant its own Grafana Cloud stack',
    ],
  ),
  bad(
    'tenants',
    'two tenants on one Grafana Cloud stack',
    (e) => {
      e['shop-prod'].tenants.contoso.grafanaCloud.instanceId = '900101';
    },
    [
      S +
        '.tenants.contoso.grafanaCloud.instanceId: "900101" is also the stack of tenants.north-wind, so its data would be visible there. Give every tenant its own Grafana Cloud stack',
    ],
  ),

  // ---- zones ----
  bad(
    'zones',
    'a zone of another region',
    (e) => {
      e['shop-dev'].availabilityZones[1] = 'eu-west-1b';
    },
    [
      D +
        '.availabilityZones.1: "eu-west-1b" is not a zone of region eu-central-1. Use a zone of that region, for example "eu-central-1a"',
    ],
  ),
  bad(
    'zones',
    'a zone name one letter too long',
    (e) => {
      e['shop-dev'].availabilityZones[0] = 'eu-central-1aa';
    },
    [
      D +
        '.availabilityZones.0: "eu-central-1aa" does not have the expected form; expected an availability zone name of the region, for example "eu-west-1a"',
    ],
  ),

  // ---- traffic anomaly band ----
  bad(
    'schema',
    'the traffic anomaly switch of an environment as a string',
    (e) => {
      e['shop-prod'].trafficAnomaly = { enabled: 'no' };
    },
    [
      S +
        '.trafficAnomaly.enabled: "no" has the wrong type; expected whether the traffic anomaly alarms and rules exist: false turns them off (a service with too little or too irregular traffic for a band); default true, for example false',
    ],
  ),
  bad(
    'schema',
    'a traffic drop band of 0 standard deviations',
    (e) => {
      e['shop-prod'].trafficAnomaly = { drop: { bandWidth: 0 } };
    },
    [
      S +
        ".trafficAnomaly.drop.bandWidth: 0 is out of range; expected the CloudWatch anomaly band's width in standard deviations of the learned model (above 0, at most 10); default 3, for example 3",
    ],
  ),
  bad(
    'schema',
    'a traffic drop window that is not whole 5-minute periods',
    (e) => {
      e['shop-prod'].trafficAnomaly = { drop: { windowMinutes: 12 } };
    },
    [
      S +
        '.trafficAnomaly.drop.windowMinutes: 12 is not valid (must be multiple of 5); expected how long traffic must stay past the band, in minutes (10 to 60, whole 5-minute periods); default 15, for example 15',
    ],
  ),
  bad(
    'schema',
    'a traffic spike band wider than 10 standard deviations',
    (e) => {
      e['shop-prod'].trafficAnomaly = { spike: { bandWidth: 11 } };
    },
    [
      S +
        ".trafficAnomaly.spike.bandWidth: 11 is out of range; expected the CloudWatch anomaly band's width in standard deviations of the learned model (above 0, at most 10); default 3, for example 3",
    ],
  ),
  bad(
    'schema',
    'a traffic spike window of one period',
    (e) => {
      e['shop-prod'].trafficAnomaly = { spike: { windowMinutes: 5 } };
    },
    [
      S +
        '.trafficAnomaly.spike.windowMinutes: 5 is out of range; expected how long traffic must stay past the band, in minutes (10 to 60, whole 5-minute periods); default 15, for example 15',
    ],
  ),
  bad(
    'schema',
    "a service's traffic anomaly switch as a number",
    (e) => {
      e['shop-prod'].services.checkout.trafficAnomaly = { enabled: 1 };
    },
    [
      S +
        '.services.checkout.trafficAnomaly.enabled: 1 has the wrong type; expected whether the traffic anomaly alarms and rules exist: false turns them off (a service with too little or too irregular traffic for a band); default true, for example false',
    ],
  ),
  bad(
    'schema',
    "a service's negative traffic drop band",
    (e) => {
      e['shop-prod'].services.checkout.trafficAnomaly = { drop: { bandWidth: -1 } };
    },
    [
      S +
        ".services.checkout.trafficAnomaly.drop.bandWidth: -1 is out of range; expected the CloudWatch anomaly band's width in standard deviations of the learned model (above 0, at most 10); default 3, for example 3",
    ],
  ),
  bad(
    'schema',
    "a service's traffic drop window over an hour",
    (e) => {
      e['shop-prod'].services.checkout.trafficAnomaly = { drop: { windowMinutes: 90 } };
    },
    [
      S +
        '.services.checkout.trafficAnomaly.drop.windowMinutes: 90 is out of range; expected how long traffic must stay past the band, in minutes (10 to 60, whole 5-minute periods); default 15, for example 15',
    ],
  ),
  bad(
    'schema',
    "a service's traffic spike band as a string",
    (e) => {
      e['shop-prod'].services.checkout.trafficAnomaly = { spike: { bandWidth: '3' } };
    },
    [
      S +
        '.services.checkout.trafficAnomaly.spike.bandWidth: "3" has the wrong type; expected the CloudWatch anomaly band\'s width in standard deviations of the learned model (above 0, at most 10); default 3, for example 3',
    ],
  ),
  bad(
    'schema',
    "a service's traffic spike window of 17 minutes",
    (e) => {
      e['shop-prod'].services.checkout.trafficAnomaly = { spike: { windowMinutes: 17 } };
    },
    [
      S +
        '.services.checkout.trafficAnomaly.spike.windowMinutes: 17 is not valid (must be multiple of 5); expected how long traffic must stay past the band, in minutes (10 to 60, whole 5-minute periods); default 15, for example 15',
    ],
  ),

  // ---- every problem at once ----
  bad(
    'budgets',
    'several problems are all reported, in order',
    (e) => {
      e['shop-dev'].services.checkout.port = 4317;
      e['shop-dev'].services.catalog.memoryMiB = 3000;
      e['shop-dev'].grafanaCloud.apiKeyParameterName = '/aws/token';
    },
    [
      D +
        '.services.catalog.memoryMiB: 3000 is not a Fargate memory size for cpu 512. Use one of 1024, 2048, 3072, 4096',
      D +
        '.services.checkout.port: 4317 is a port the collector sidecar listens on in the same task (4317, 4318, 13133, 14318). Use another port, for example 8080',
      D +
        '.grafanaCloud.apiKeyParameterName: "/aws/token" begins with "aws", which AWS reserves for its own parameters. Start with your project, for example "/fixture-shop/<env>/monitoring/grafana-cloud-api-key"',
    ],
  ),
  // ---- services observed from other repositories, and the view split ----
  bad(
    'schema',
    'an external service name that is not kebab-case',
    (e) => {
      e['shop-prod'].externalServices = ['Orders'];
    },
    [
      S +
        '.externalServices.0: "Orders" does not have the expected form; expected a service name (2 to 32 lower-case letters, digits and single "-"), for example "orders"',
    ],
  ),
  bad(
    'reserved names',
    'an external service that the profile also deploys',
    (e) => {
      e['shop-prod'].externalServices = ['orders', 'catalog'];
    },
    [
      S +
        '.externalServices.1: "catalog" is also in environments.shop-prod.services, so the default app deploys it here. List it in one place: in services if this repository deploys it, in externalServices if another does',
    ],
  ),
  bad(
    'reserved names',
    'an external service named like the gateway',
    (e) => {
      e['shop-prod'].externalServices = ['otel-gateway'];
    },
    [
      S +
        '.externalServices.0: the name "otel-gateway" gives log group "/ecs/fixture-shop-shop-prod/otel-gateway", which the collector gateway uses. Rename the service, for example "otel-gateway-app"',
    ],
  ),
  bad(
    'reserved names',
    'a service named like a view stack',
    (e) => {
      copyService(e, 'views-2', 9200);
    },
    [
      S +
        '.services.views-2: the name "views-2" gives stack "FixtureShop-ShopProd-Views2", which a view stack of the dashboards and saved queries uses. Rename the service, for example "views-2-app"',
    ],
  ),
  bad(
    'scale',
    'a tenant with more services than one saved query reads',
    (e) => {
      for (let index = 0; index < 50; index++) {
        copyService(e, `contoso-app-${index}`, 9200);
        e['shop-prod'].services[`contoso-app-${index}`].tenant = 'contoso';
      }
    },
    [
      S +
        '.tenants.contoso: 51 services have this tenant; its saved Logs Insights queries name every one of their log groups, and a query reads at most 50 (StartQuery logGroupNames). Split the tenant into 2 tenants of at most 50 services each',
    ],
  ),
];
