/**
 * The environment profile: one JSON Schema, from which the TypeScript types are derived
 * (TypeBox `Static`), so the two cannot drift. Every node carries a `description` (what is valid)
 * and `examples` (a valid value): the loader quotes both when a value is wrong.
 */
import { type Static, type TOptional, type TSchema, Type } from '@sinclair/typebox';
import { AWS_REGIONS, CLOUDWATCH_LOG_RETENTION_DAYS, FARGATE_CPU_UNITS } from './aws-values';
import { GENERATED_STRATEGIES, GRAFANA_CLOUD_DEFAULT_STRATEGY } from './metric-name-translation';

const strict = { additionalProperties: false } as const;

/**
 * A JSON Schema `enum` typed as the union of its values. Preferred over a union of literals
 * because ajv then reports one error (with the allowed values) instead of one per literal.
 */
function oneOfValues<T extends string | number>(values: readonly T[], options: { description: string; examples: T[] }) {
  return Type.Unsafe<T>({ type: typeof values[0] === 'number' ? 'number' : 'string', enum: [...values], ...options });
}

/** Signals the threshold model knows; overrides may name only these. */
export const ALERT_SIGNALS = [
  'serviceDown',
  'errorRate',
  'latencyP95',
  'taskRestarts',
  'aiCostPerHour',
  'logGroupGrowth',
  'collectorHealth',
] as const;

export const SEVERITIES = ['critical', 'warning', 'info'] as const;

const ThresholdOverride = Type.Object(
  {
    threshold: Type.Number({
      minimum: 0,
      description: 'the value the signal must cross, in the unit of the signal',
      examples: [5],
    }),
    windowMinutes: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1440,
        description: 'how long the signal must stay past the threshold, in whole minutes (1 to 1440)',
        examples: [10],
      }),
    ),
  },
  { ...strict, description: 'a threshold override', examples: [{ threshold: 5, windowMinutes: 10 }] },
);

const SeverityOverrides = Type.Object(
  Object.fromEntries(SEVERITIES.map((severity) => [severity, Type.Optional(ThresholdOverride)])) as Record<
    (typeof SEVERITIES)[number],
    TOptional<typeof ThresholdOverride>
  >,
  {
    ...strict,
    description: 'overrides per severity (critical, warning, info)',
    examples: [{ warning: { threshold: 5 } }],
  },
);

const TrafficBand = Type.Object(
  {
    bandWidth: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 10,
        description:
          "the CloudWatch anomaly band's width in standard deviations of the learned model (above 0, at most 10); default 3",
        examples: [3],
      }),
    ),
    windowMinutes: Type.Optional(
      Type.Integer({
        minimum: 10,
        maximum: 60,
        multipleOf: 5,
        description:
          'how long traffic must stay past the band, in minutes (10 to 60, whole 5-minute periods); default 15',
        examples: [15],
      }),
    ),
  },
  { ...strict, description: 'one side of the traffic band', examples: [{ bandWidth: 3, windowMinutes: 15 }] },
);

/** The traffic anomaly signal (lib/alerting/traffic-anomaly.ts): a drop below the usual band pages, a spike warns. */
const TrafficAnomaly = Type.Object(
  {
    enabled: Type.Optional(
      Type.Boolean({
        description:
          'whether the traffic anomaly alarms and rules exist: false turns them off (a service with too little or too irregular traffic for a band); default true',
        examples: [false],
      }),
    ),
    drop: Type.Optional(TrafficBand),
    spike: Type.Optional(TrafficBand),
  },
  {
    ...strict,
    description: 'the request-rate anomaly band: a drop below it pages, a spike above it warns',
    examples: [{ drop: { bandWidth: 3, windowMinutes: 15 } }],
  },
);

const AlertThresholdOverrides = Type.Object(
  Object.fromEntries(ALERT_SIGNALS.map((signal) => [signal, Type.Optional(SeverityOverrides)])) as Record<
    (typeof ALERT_SIGNALS)[number],
    TOptional<typeof SeverityOverrides>
  >,
  {
    ...strict,
    description: `overrides of the default alert thresholds, keyed by signal (${ALERT_SIGNALS.join(', ')})`,
    examples: [{ errorRate: { warning: { threshold: 5, windowMinutes: 10 } } }],
  },
);

const HttpsUrl = (description: string, example: string) =>
  Type.String({ format: 'uri', pattern: '^https://', description, examples: [example] });

const SsmParameterName = (example: string) =>
  Type.String({
    pattern: '^(/[a-zA-Z0-9_.-]+)+$',
    maxLength: 1011,
    description: 'an SSM parameter name: a path of letters, digits, "_", "." and "-" segments starting with "/"',
    examples: [example],
  });

/**
 * A URL that carries its own token (the on-call tool's webhook or heartbeat), named by the Secrets
 * Manager secret that holds it, never written in the profile: the profile ends up in cdk.json, the
 * package and every synthesized template. Secrets Manager, not an SSM SecureString: the
 * subscription's `Endpoint` is not among the few properties CloudFormation resolves `ssm-secure`
 * references in, while `secretsmanager` references resolve in any property (lib/constructs/alarm-routing.ts).
 */
const SecretUrl = (description: string, example: string, options: { readonly writeOnly?: boolean } = {}) =>
  Type.Object(
    {
      secretsManagerSecretName: Type.String({
        // Secrets Manager's name alphabet (":" is excluded, so a URL pasted here is refused).
        pattern: '^[A-Za-z0-9/_+=.@-]+$',
        maxLength: 512,
        // Errors do not echo the value (lib/profile-loader/load.ts): what does not match is often the URL itself.
        writeOnly: true,
        description: `the name of the Secrets Manager secret whose SecretString is ${description} (create it before the deploy)`,
        examples: [example],
      }),
    },
    {
      ...strict,
      ...options,
      description: `${description}, kept in Secrets Manager`,
      examples: [{ secretsManagerSecretName: example }],
    },
  );

/** A Grafana Cloud stack telemetry is sent to: the platform's own, or a tenant's. */
const grafanaCloudDestinationProperties = {
  otlpEndpoint: HttpsUrl(
    'the Grafana Cloud OTLP gateway of the stack',
    'https://otlp-gateway-prod-eu-west-2.grafana.net/otlp',
  ),
  stackUrl: HttpsUrl(
    'the Grafana Cloud stack URL, for links to Explore (Tempo traces, Loki logs) in alerts and the CLI',
    'https://starmates.grafana.net',
  ),
  instanceId: Type.String({
    pattern: '^[0-9]{1,12}$',
    description: 'the numeric Grafana Cloud instance id used as the Basic auth user, in quotes',
    examples: ['123456'],
  }),
  apiKeyParameterName: SsmParameterName('/starmates-ai-team/prod/monitoring/grafana-cloud-api-key'),
  parameterKeyArn: Type.Optional(
    Type.String({
      pattern: '^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$',
      description:
        'the ARN of the customer-managed KMS key that encrypts the token parameter; omit it for the default aws/ssm key',
      examples: ['arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
    }),
  ),
};

const GrafanaCloudDestination = Type.Object(grafanaCloudDestinationProperties, {
  ...strict,
  description: 'a Grafana Cloud stack: OTLP endpoint, stack URL, instance id and the SSM parameter of its token',
  examples: [
    {
      otlpEndpoint: 'https://otlp-gateway-prod-eu-west-2.grafana.net/otlp',
      stackUrl: 'https://acme-corp.grafana.net',
      instanceId: '654321',
      apiKeyParameterName: '/starmates-ai-team/prod/tenants/acme-corp/grafana-cloud-api-key',
    },
  ],
});

/** The health-check path: URL path characters that need no quoting, and an optional simple query. */
export const HEALTH_CHECK_PATH_PATTERN = '^/[A-Za-z0-9._~/-]*(\\?[A-Za-z0-9._~=&-]*)?$';

/** No "--": names become PascalCase construct ids and stack names, where `a--b` and `a-b` would collide. */
export const TENANT_ID_PATTERN = '^(?!.*--)[a-z][a-z0-9-]{0,30}[a-z0-9]$';

const TenantProfile = Type.Object(
  {
    grafanaCloud: GrafanaCloudDestination,
    gatewayPort: Type.Optional(
      Type.Integer({
        minimum: 1024,
        maximum: 65535,
        description:
          "the tenant's own OTLP/gRPC port on the collector gateway (1024 to 65535, not 4317, 4318, 13133 or 14318, unique): " +
          "only the tenant's tasks may reach it, and the gateway stamps tenant.id from it; required when the profile has a gateway",
        examples: [4320],
      }),
    ),
    readerPrincipalArns: Type.Array(
      Type.String({
        pattern: '^arn:aws[a-z-]*:iam::[0-9]{12}:(root|role/[A-Za-z0-9+=,.@_/-]+|user/[A-Za-z0-9+=,.@_/-]+)$',
        description: 'an IAM role, user or account root ARN',
        examples: ['arn:aws:iam::444444444444:role/acme-corp-sre'],
      }),
      {
        minItems: 1,
        uniqueItems: true,
        description: "the IAM principals that may assume the tenant's read-only role",
        examples: [['arn:aws:iam::444444444444:role/acme-corp-sre']],
      },
    ),
  },
  {
    ...strict,
    description: 'a tenant: its own Grafana Cloud stack and who may read its logs',
    examples: [
      {
        grafanaCloud: GrafanaCloudDestination.examples[0],
        gatewayPort: 4320,
        readerPrincipalArns: ['arn:aws:iam::444444444444:role/acme-corp-sre'],
      },
    ],
  },
);

/** The tail-sampling gateway tier of an environment; sizing rules in lib/collector/gateway-sizing.ts. */
const CollectorGatewayProfile = Type.Object(
  {
    expectedTracesPerSecond: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1_000_000,
      description:
        'the traces per second the environment starts at peak (all services together); sizes the trace cache',
      examples: [200],
    }),
    spansPerTrace: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10_000,
        description: 'the average spans per trace (1 to 10000); default 20',
        examples: [20],
      }),
    ),
    decisionWaitSeconds: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 120,
        description:
          'how long a trace is buffered before the sampling decision, in seconds (1 to 120); longer than the slow-trace threshold; default 10',
        examples: [10],
      }),
    ),
    cpu: oneOfValues(FARGATE_CPU_UNITS, {
      description: 'Fargate cpu units of one gateway task: one of 256, 512, 1024, 2048, 4096, 8192, 16384',
      examples: [1024],
    }),
    memoryMiB: Type.Integer({
      minimum: 512,
      description: 'Fargate memory (MiB) of one gateway task; a size Fargate accepts for the cpu value',
      examples: [2048],
    }),
    minTasks: Type.Integer({
      minimum: 1,
      maximum: 100,
      description: 'the fewest gateway tasks (1 to 100); at least 2 in production, one per zone',
      examples: [2],
    }),
    maxTasks: Type.Integer({
      minimum: 1,
      maximum: 100,
      description: 'the most gateway tasks auto scaling may run (1 to 100), at least minTasks',
      examples: [6],
    }),
  },
  {
    ...strict,
    description:
      'the tail-sampling gateway: sidecars route traces to it by trace id, and it keeps every error and slow trace',
    examples: [{ expectedTracesPerSecond: 200, cpu: 1024, memoryMiB: 2048, minTasks: 2, maxTasks: 6 }],
  },
);

const ServiceProfile = Type.Object(
  {
    image: Type.String({
      minLength: 1,
      pattern: '^[a-z0-9][a-z0-9._/:@-]*$',
      description: 'the container image reference, with a tag or digest',
      examples: ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/api-gateway:1.4.2'],
    }),
    port: Type.Integer({
      minimum: 1,
      maximum: 65535,
      description: 'the TCP port the service listens on (1 to 65535), unique within the environment',
      examples: [8000],
    }),
    healthCheckPath: Type.String({
      // Strict on purpose: the path reaches the container's health probe (as an argument, never as
      // code), so only URL path characters that need no quoting are allowed.
      pattern: HEALTH_CHECK_PATH_PATTERN,
      maxLength: 200,
      description:
        'the HTTP path of the health check: "/" then letters, digits and . _ ~ - / (at most 200 characters), ' +
        'optionally a query of the same characters with = and &; no quotes, spaces, "%" or "#"',
      examples: ['/health'],
    }),
    cpu: oneOfValues(FARGATE_CPU_UNITS, {
      description: 'Fargate task cpu units: one of 256, 512, 1024, 2048, 4096, 8192, 16384',
      examples: [512],
    }),
    memoryMiB: Type.Integer({
      minimum: 512,
      description: 'Fargate task memory in MiB; it must be a size Fargate accepts for the cpu value',
      examples: [1024],
    }),
    desiredCount: Type.Optional(
      Type.Integer({
        // Not 0: the serviceDown alarm counts running tasks, so a service scaled to zero would page
        // forever through its composite alarm. Remove a service from the profile to stop it.
        minimum: 1,
        maximum: 1000,
        description:
          'how many tasks run (1 to 1000; 0 would keep the serviceDown alarm, and so the page, firing: remove the service instead); default 1',
        examples: [2],
      }),
    ),
    user: Type.Optional(
      Type.String({
        pattern: '^(?!(0|root)(:|$))[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$',
        description:
          'the non-root user the application container runs as: uid, uid:gid, user or user:group (not 0 or root); ' +
          "give the gid with a numeric uid the image has no /etc/passwd entry for; default the image's own USER, " +
          'which Control Tower (CT.ECS.PR.3) rejects because the task definition does not show it',
        examples: ['1000:1000'],
      }),
    ),
    instrumentation: Type.Optional(
      Type.Boolean({
        description:
          'the enable-observability-instrumentation switch: false turns the SDK off and removes the collector; default true',
        examples: [true],
      }),
    ),
    alertThresholds: Type.Optional(AlertThresholdOverrides),
    trafficAnomaly: Type.Optional(TrafficAnomaly),
    tenant: Type.Optional(
      Type.String({
        pattern: TENANT_ID_PATTERN,
        description:
          "the tenant the service belongs to, a key of the profile's tenants: its telemetry goes only to that tenant's Grafana Cloud stack; omit it for a platform service",
        examples: ['acme-corp'],
      }),
    ),
    logVolumeGiBPerDay: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 10240,
        description:
          'the application log volume the service writes to CloudWatch Logs, in GiB per day (more than 0, at most 10240), ' +
          'for the cost report (npm run cost); default 1',
        examples: [0.5],
      }),
    ),
  },
  {
    ...strict,
    description: 'a service to observe',
    examples: [
      {
        image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api-gateway:1.4.2',
        port: 8000,
        healthCheckPath: '/health',
        cpu: 512,
        memoryMiB: 1024,
      },
    ],
  },
);

/** No "--", as for tenant ids: `a--b` and `a-b` would get the same stack name. */
export const SERVICE_NAME_PATTERN = '^(?!.*--)[a-z][a-z0-9-]{0,30}[a-z0-9]$';

export const EnvironmentProfileSchema = Type.Object(
  {
    account: Type.String({
      pattern: '^[0-9]{12}$',
      description: 'the AWS account id: 12 digits, in quotes',
      examples: ['123456789012'],
    }),
    region: oneOfValues(AWS_REGIONS, { description: 'an AWS region name', examples: ['eu-west-1'] }),
    availabilityZones: Type.Array(
      Type.String({
        pattern: '^[a-z]{2}(-[a-z]+)+-[0-9][a-z]$',
        description: 'an availability zone name of the region',
        examples: ['eu-west-1a'],
      }),
      {
        minItems: 2,
        maxItems: 3,
        uniqueItems: true,
        description:
          'the 2 or 3 availability zones of the VPC, named explicitly so synth needs no AWS look-up (AZ names differ per account)',
        examples: [['eu-west-1a', 'eu-west-1b']],
      },
    ),
    project: Type.String({
      pattern: '^[a-z][a-z0-9-]{1,38}[a-z0-9]$',
      description: 'the project name: 3 to 40 lower-case letters, digits and "-", starting with a letter',
      examples: ['starmates-ai-team'],
    }),
    production: Type.Boolean({
      description:
        'whether this environment is production: a NAT gateway per zone, and log groups and keys kept when a stack is deleted',
      examples: [true],
    }),
    logRetentionDays: oneOfValues(CLOUDWATCH_LOG_RETENTION_DAYS, {
      description: `a retention CloudWatch Logs accepts, in days: ${CLOUDWATCH_LOG_RETENTION_DAYS.join(', ')}`,
      examples: [30],
    }),
    auditLogRetentionDays: Type.Optional(
      oneOfValues(CLOUDWATCH_LOG_RETENTION_DAYS, {
        description:
          'how long the audit log group keeps audit events, in days (a retention CloudWatch Logs accepts); default 365 in production, else logRetentionDays',
        examples: [365],
      }),
    ),
    sampling: Type.Object(
      {
        ratio: Type.Number({
          minimum: 0,
          maximum: 1,
          description: 'the share of traces kept by head sampling, from 0 to 1 (1 keeps every trace)',
          examples: [0.1],
        }),
        slowTraceThresholdMs: Type.Optional(
          Type.Integer({
            minimum: 1,
            description: 'traces at least this long (ms) are always kept by tail sampling; default 2000',
            examples: [2000],
          }),
        ),
      },
      { ...strict, description: 'trace sampling', examples: [{ ratio: 0.1 }] },
    ),
    collector: Type.Optional(
      Type.Object(
        {
          image: Type.Optional(
            Type.String({
              minLength: 1,
              description:
                "the collector image of the sidecars and the gateway: the pinned distribution's tag, pinned by digest " +
                '(registry/repository:0.159.0@sha256:<digest>; a tag alone is a warning in production); default the ' +
                "pinned distribution's image by tag",
              examples: [
                'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.159.0@sha256:<digest>',
              ],
            }),
          ),
          debugExporter: Type.Optional(
            Type.Boolean({
              description: 'also print telemetry with the debug exporter (dev only); default false',
              examples: [true],
            }),
          ),
          cpu: Type.Optional(
            Type.Integer({
              minimum: 64,
              maximum: 4096,
              description: 'cpu units reserved for the collector sidecar (64 to 4096); default 256',
              examples: [256],
            }),
          ),
          memoryMiB: Type.Optional(
            Type.Integer({
              minimum: 128,
              maximum: 8192,
              description:
                'memory (MiB) of the collector sidecar (128 to 8192); its memory_limiter is derived from it; default 512',
              examples: [512],
            }),
          ),
        },
        { ...strict, description: 'collector settings', examples: [{ debugExporter: true, memoryMiB: 512 }] },
      ),
    ),
    alertThresholds: Type.Optional(AlertThresholdOverrides),
    trafficAnomaly: Type.Optional(TrafficAnomaly),
    notifications: Type.Object(
      {
        emails: Type.Array(
          Type.String({ format: 'email', description: 'an e-mail address', examples: ['sre@example.com'] }),
          {
            minItems: 1,
            uniqueItems: true,
            description: 'e-mail addresses for alerts',
            examples: [['sre@example.com']],
          },
        ),
        onCallWebhook: SecretUrl(
          'the HTTPS webhook URL of the on-call tool, which critical alerts call',
          '/starmates-ai-team/prod/monitoring/oncall-webhook-url',
        ),
        heartbeat: SecretUrl(
          "the HTTPS URL of the on-call tool's heartbeat endpoint: the alert path calls it every 5 minutes, and its silence raises the tool's own alert",
          '/starmates-ai-team/prod/monitoring/oncall-heartbeat-url',
        ),
        alertmanager: Type.Optional(
          Type.Object(
            {
              onCallWebhook: SecretUrl(
                'the URL of the Grafana OnCall Alertmanager integration, which critical Prometheus alerts call (OnCall gives each integration its own URL: onCallWebhook above is the Amazon SNS one)',
                '/starmates-ai-team/prod/monitoring/alertmanager-oncall-url',
              ),
              slackWebhook: Type.Optional(
                SecretUrl(
                  'the Slack incoming-webhook URL of the warnings channel; without it warnings are mailed only, as CloudWatch warnings are without notifications.slack',
                  '/starmates-ai-team/prod/monitoring/alertmanager-slack-url',
                ),
              ),
              smtp: Type.Object(
                {
                  smarthost: Type.String({
                    pattern: '^[A-Za-z0-9.-]+:[0-9]{1,5}$',
                    description: 'the SMTP relay that sends the alert e-mails, host:port',
                    examples: ['email-smtp.eu-west-1.amazonaws.com:587'],
                  }),
                  from: Type.String({
                    format: 'email',
                    description: 'the sender address of the alert e-mails',
                    examples: ['alerts@example.com'],
                  }),
                  username: Type.String({
                    minLength: 1,
                    description: 'the SMTP user name',
                    examples: ['AKIAEXAMPLESMTPUSER'],
                  }),
                  // writeOnly on the object too: a password pasted in its place is never echoed.
                  password: SecretUrl(
                    'the SMTP password',
                    '/starmates-ai-team/prod/monitoring/alertmanager-smtp-password',
                    {
                      writeOnly: true,
                    },
                  ),
                },
                {
                  ...strict,
                  description: 'how the Alertmanager sends e-mail (STARTTLS required)',
                  examples: [
                    {
                      smarthost: 'email-smtp.eu-west-1.amazonaws.com:587',
                      from: 'alerts@example.com',
                      username: 'AKIAEXAMPLESMTPUSER',
                      password: {
                        secretsManagerSecretName: '/starmates-ai-team/prod/monitoring/alertmanager-smtp-password',
                      },
                    },
                  ],
                },
              ),
            },
            {
              ...strict,
              description:
                "where Grafana Cloud's Alertmanager sends the Prometheus alerts of alerts/: the same routing as the CloudWatch alarms " +
                '(lib/alerting/routing.ts), with its own secrets, resolved by `obsctl grafana publish`; without it no Alertmanager configuration is generated',
              examples: [
                {
                  onCallWebhook: {
                    secretsManagerSecretName: '/starmates-ai-team/prod/monitoring/alertmanager-oncall-url',
                  },
                  smtp: {
                    smarthost: 'email-smtp.eu-west-1.amazonaws.com:587',
                    from: 'alerts@example.com',
                    username: 'AKIAEXAMPLESMTPUSER',
                    password: {
                      secretsManagerSecretName: '/starmates-ai-team/prod/monitoring/alertmanager-smtp-password',
                    },
                  },
                },
              ],
            },
          ),
        ),
        slack: Type.Optional(
          Type.Object(
            {
              workspaceId: Type.String({
                pattern: '^T[A-Z0-9]{8,}$',
                description: 'the Slack workspace id authorised in AWS Chatbot (T...)',
                examples: ['T0123ABCD45'],
              }),
              channelId: Type.String({
                pattern: '^[CG][A-Z0-9]{8,}$',
                description: 'the Slack channel id (C... or G...)',
                examples: ['C0123ABCD45'],
              }),
            },
            {
              ...strict,
              description: 'the AWS Chatbot Slack channel for warnings',
              examples: [{ workspaceId: 'T0123ABCD45', channelId: 'C0123ABCD45' }],
            },
          ),
        ),
      },
      {
        ...strict,
        description: 'where alerts go',
        examples: [
          {
            emails: ['sre@example.com'],
            onCallWebhook: { secretsManagerSecretName: '/starmates-ai-team/prod/monitoring/oncall-webhook-url' },
            heartbeat: { secretsManagerSecretName: '/starmates-ai-team/prod/monitoring/oncall-heartbeat-url' },
          },
        ],
      },
    ),
    grafanaCloud: Type.Object(
      {
        ...grafanaCloudDestinationProperties,
        configParameterName: SsmParameterName('/starmates-ai-team/prod/monitoring/grafana-cloud-config'),
        publish: Type.Optional(
          Type.Object(
            {
              prometheusUrl: HttpsUrl(
                "the stack's Prometheus (Mimir) URL, whose ruler and Alertmanager APIs `obsctl grafana publish` writes to",
                'https://prometheus-prod-24-prod-eu-west-2.grafana.net',
              ),
              prometheusUserId: Type.String({
                pattern: '^[0-9]{1,12}$',
                description:
                  "the numeric user id of the stack's Prometheus instance, the Basic auth user of the ruler and Alertmanager APIs, in quotes; " +
                  'the password is the token of apiKeyParameterName, whose access policy must allow rules:write and alerts:write',
                examples: ['1234567'],
              }),
              grafanaTokenParameterName: SsmParameterName(
                '/starmates-ai-team/prod/monitoring/grafana-service-account-token',
              ),
            },
            {
              ...strict,
              description:
                'where `obsctl grafana publish` sends the dashboards (Grafana, with the service-account token held in the SecureString parameter grafanaTokenParameterName) and the rules and Alertmanager configuration (Mimir)',
              examples: [
                {
                  prometheusUrl: 'https://prometheus-prod-24-prod-eu-west-2.grafana.net',
                  prometheusUserId: '1234567',
                  grafanaTokenParameterName: '/starmates-ai-team/prod/monitoring/grafana-service-account-token',
                },
              ],
            },
          ),
        ),
        // Required, not defaulted: the stack's setting decides every series name the rules and
        // dashboards query, and a silent default would hide a stack configured otherwise.
        metricNameTranslation: oneOfValues(GENERATED_STRATEGIES, {
          description:
            "how the stack names OTLP metrics (Mimir's OTLP translation strategy): UnderscoreEscapingWithSuffixes " +
            "(Grafana Cloud's default: unit, _total and _ratio suffixes) or UnderscoreEscapingWithoutSuffixes " +
            "(open-source Mimir's default); the same in every environment, since dashboards/ is shared. The UTF-8 " +
            'strategies are not offered: they keep dots in label names (service.name), which the queries name escaped',
          examples: [GRAFANA_CLOUD_DEFAULT_STRATEGY],
        }),
      },
      {
        ...strict,
        description:
          "the platform's Grafana Cloud stack (every service without a tenant); the token itself lives only in SSM",
        examples: [
          {
            otlpEndpoint: 'https://otlp-gateway-prod-eu-west-2.grafana.net/otlp',
            stackUrl: 'https://starmates.grafana.net',
            instanceId: '123456',
            apiKeyParameterName: '/starmates-ai-team/prod/monitoring/grafana-cloud-api-key',
            configParameterName: '/starmates-ai-team/prod/monitoring/grafana-cloud-config',
            metricNameTranslation: GRAFANA_CLOUD_DEFAULT_STRATEGY,
          },
        ],
      },
    ),
    gateway: Type.Optional(CollectorGatewayProfile),
    tenants: Type.Optional(
      Type.Record(Type.String({ pattern: TENANT_ID_PATTERN }), TenantProfile, {
        minProperties: 1,
        additionalProperties: false,
        description:
          'the tenants whose telemetry is kept apart, by tenant id (the `tenant.id` resource attribute: 2 to 32 lower-case letters, digits and single "-")',
        examples: [{ 'acme-corp': TenantProfile.examples[0] }],
      }),
    ),
    services: Type.Record(Type.String({ pattern: SERVICE_NAME_PATTERN }), ServiceProfile, {
      minProperties: 1,
      additionalProperties: false,
      description: 'the services to observe, by name (2 to 32 lower-case letters, digits and single "-")',
      examples: [{ 'api-gateway': ServiceProfile.examples[0] }],
    }),
    externalServices: Type.Optional(
      Type.Array(
        Type.String({
          pattern: SERVICE_NAME_PATTERN,
          description: 'a service name (2 to 32 lower-case letters, digits and single "-")',
          examples: ['orders'],
        }),
        {
          uniqueItems: true,
          description:
            "services of this environment deployed from other repositories (FargateObservability with the platform imported by name), by name: the environment's dashboards and saved queries include them by their log group and alarm names; the default app makes no stack for them",
          examples: [['orders', 'checkout']],
        },
      ),
    ),
  },
  { ...strict, description: 'an environment profile' },
);

export type EnvironmentProfile = Static<typeof EnvironmentProfileSchema>;
export type ServiceProfile = Static<typeof ServiceProfile>;
export type GrafanaCloudDestination = Static<typeof GrafanaCloudDestination>;
export type TenantProfile = Static<typeof TenantProfile>;
export type CollectorGatewayProfile = Static<typeof CollectorGatewayProfile>;
export type AlertThresholdOverrides = Static<typeof AlertThresholdOverrides>;
export type ThresholdOverride = Static<typeof ThresholdOverride>;
export type AlertSignal = (typeof ALERT_SIGNALS)[number];
export type Severity = (typeof SEVERITIES)[number];

export const ENVIRONMENT_NAME_PATTERN = '^[a-z][a-z0-9-]{0,19}$';

/** The `environments` context value: profiles by environment name. */
export const EnvironmentsSchema: TSchema = Type.Record(
  Type.String({ pattern: ENVIRONMENT_NAME_PATTERN }),
  EnvironmentProfileSchema,
  {
    minProperties: 1,
    additionalProperties: false,
    description: 'environment profiles by name (lower-case letters, digits and "-", up to 20)',
    examples: [{ dev: {} }],
  },
);
