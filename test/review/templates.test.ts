/**
 * The template readers of `obsctl review`, each on two small hand-made templates: one behaviour per test.
 */
import { reviewAlarms } from '../../lib/review/alarms';
import { assemblyFromStacks, renderValue, type Template, type TemplateResource } from '../../lib/review/assembly';
import { NO_GENERATED_FILES } from '../../lib/review/generated';
import { reviewIam } from '../../lib/review/iam';
import { reviewLogGroups, reviewSavedQueries } from '../../lib/review/log-groups';
import { reviewTaskDefinitions } from '../../lib/review/task-definitions';

type Resources = Record<string, TemplateResource>;

const PLATFORM = 'Shop-Prod-Platform';
const SERVICE = 'Shop-Prod-Checkout';
const tags = [{ Key: 'environment', Value: 'prod' }];

/** An assembly of the platform stack (topics, subscriptions) and one service stack with `resources`. */
function assembly(resources: Resources, platform: Resources = {}) {
  const platformTemplate: Template = {
    Resources: {
      CriticalTopic1234ABCD: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'shop-prod-critical', Tags: tags } },
      CriticalMail: {
        Type: 'AWS::SNS::Subscription',
        Properties: { Protocol: 'email', Endpoint: 'sre@shop.example', TopicArn: { Ref: 'CriticalTopic1234ABCD' } },
      },
      CriticalOnCall: {
        Type: 'AWS::SNS::Subscription',
        Properties: {
          Protocol: 'https',
          Endpoint: '{{resolve:secretsmanager:/shop/prod/oncall-url:SecretString:::}}',
          TopicArn: { Ref: 'CriticalTopic1234ABCD' },
        },
      },
      WarningTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'shop-prod-warning' } },
      WarningSlack: {
        Type: 'AWS::Chatbot::SlackChannelConfiguration',
        Properties: { SlackChannelId: 'C0ALERTS', SlackWorkspaceId: 'T0SHOP', SnsTopicArns: [{ Ref: 'WarningTopic' }] },
      },
      ...platform,
    },
    Outputs: {
      CriticalExport: { Value: { Ref: 'CriticalTopic1234ABCD' }, Export: { Name: `${PLATFORM}:Critical` } },
      WarningExport: { Value: { Ref: 'WarningTopic' }, Export: { Name: `${PLATFORM}:Warning` } },
    },
  };
  return assemblyFromStacks('fixture', [
    { stackName: PLATFORM, template: platformTemplate },
    { stackName: SERVICE, template: { Resources: resources } },
  ]);
}

function alarm(properties: Record<string, unknown> = {}): TemplateResource {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: 'shop-prod-checkout-errorRate-critical',
      MetricName: 'errors',
      Namespace: 'Shop/prod',
      Statistic: 'Sum',
      Period: 60,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ 'Fn::ImportValue': `${PLATFORM}:Critical` }],
      Tags: tags,
      ...properties,
    },
  };
}

describe('alarms', () => {
  test('a raised threshold is a change with the old and new value, and no risk', () => {
    const [change] = reviewAlarms(assembly({ Errors: alarm() }), assembly({ Errors: alarm({ Threshold: 8 }) }));
    expect(change).toMatchObject({
      kind: 'changed',
      environment: 'prod',
      service: 'checkout',
      subject: 'alarm shop-prod-checkout-errorRate-critical',
      fields: [{ field: 'threshold', old: '5', new: '8' }],
      risks: [],
    });
  });

  test('period, evaluation, datapoints, comparison and missing-data changes are each named', () => {
    const head = alarm({
      Period: 300,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'breaching',
    });
    const [change] = reviewAlarms(assembly({ Errors: alarm() }), assembly({ Errors: head }));
    expect(change.fields.map((field) => `${field.field}: ${field.old} → ${field.new}`)).toEqual([
      'comparison: GreaterThanThreshold → GreaterThanOrEqualToThreshold',
      'period: 60 s → 300 s',
      'evaluation periods: 3 → 5',
      'datapoints to alarm: 2 → 5',
      'missing data: notBreaching → breaching',
    ]);
  });

  test('an action is followed through the imported topic to its subscribers', () => {
    const head = alarm({ AlarmActions: [{ 'Fn::ImportValue': `${PLATFORM}:Warning` }] });
    const [change] = reviewAlarms(assembly({ Errors: alarm() }), assembly({ Errors: head }));
    expect(change.fields).toEqual([
      {
        field: 'alarm actions',
        old: 'topic shop-prod-critical → email sre@shop.example, https secret /shop/prod/oncall-url',
        new: 'topic shop-prod-warning → Slack channel C0ALERTS (workspace T0SHOP)',
      },
    ]);
  });

  test('a changed alarm name is a replacement, and a risk', () => {
    const head = alarm({ AlarmName: 'shop-prod-checkout-5xx-critical' });
    const [change] = reviewAlarms(assembly({ Errors: alarm() }), assembly({ Errors: head }));
    expect(change).toMatchObject({
      kind: 'replaced',
      fields: [{ field: 'name', old: 'shop-prod-checkout-errorRate-critical', new: 'shop-prod-checkout-5xx-critical' }],
      risks: [expect.stringContaining('replaced')],
    });
  });

  test('a changed logical id with the same name is a replacement, and a risk', () => {
    const [change] = reviewAlarms(assembly({ Errors: alarm() }), assembly({ ErrorsRenamed: alarm() }));
    expect(change).toMatchObject({
      kind: 'replaced',
      fields: [{ field: 'logical id', old: 'Errors', new: 'ErrorsRenamed' }],
      risks: [expect.stringContaining('replaced')],
    });
  });

  test('an added alarm lists what it watches and where it routes', () => {
    const [change] = reviewAlarms(assembly({}), assembly({ Errors: alarm() }));
    expect(change.kind).toBe('added');
    expect(change.fields).toContainEqual({ field: 'threshold', new: '5' });
  });

  test('the severity is read from the end of the alarm name', () => {
    const head = alarm({ AlarmName: 'shop-prod-checkout-errorRate-warning' });
    const [change] = reviewAlarms(assembly({ Errors: alarm() }), assembly({ Errors: head }));
    expect(change.fields).toContainEqual({ field: 'severity', old: 'critical', new: 'warning' });
  });

  test("a composite alarm's rule names the alarms it reads, and says which terms changed", () => {
    const composite = (id: string): TemplateResource => ({
      Type: 'AWS::CloudWatch::CompositeAlarm',
      Properties: {
        AlarmName: 'shop-prod-checkout-page',
        AlarmRule: { 'Fn::Join': ['', ['ALARM("', { 'Fn::GetAtt': [id, 'Arn'] }, '")']] },
      },
    });
    const base = assembly({
      Errors: alarm(),
      Latency: alarm({ AlarmName: 'shop-prod-checkout-latency-critical' }),
      Page: composite('Errors'),
    });
    const head = assembly({
      Errors: alarm(),
      Latency: alarm({ AlarmName: 'shop-prod-checkout-latency-critical' }),
      Page: composite('Latency'),
    });
    expect(reviewAlarms(base, head)).toEqual([
      expect.objectContaining({
        subject: 'composite alarm shop-prod-checkout-page',
        fields: [
          {
            field: 'rule terms',
            old: 'ALARM(shop-prod-checkout-errorRate-critical)',
            new: 'ALARM(shop-prod-checkout-latency-critical)',
          },
        ],
      }),
    ]);
  });
});

describe('log groups and saved queries', () => {
  const logGroup = (retention: number | undefined, extra: Partial<TemplateResource> = {}): TemplateResource => ({
    Type: 'AWS::Logs::LogGroup',
    Properties: { LogGroupName: '/ecs/shop-prod/checkout', RetentionInDays: retention, Tags: tags },
    DeletionPolicy: 'Retain',
    ...extra,
  });

  test('a shorter retention is a risk', () => {
    const [change] = reviewLogGroups(assembly({ Logs: logGroup(90) }), assembly({ Logs: logGroup(30) }));
    expect(change).toMatchObject({
      fields: [{ field: 'retention', old: '90 days', new: '30 days' }],
      risks: ['retention shortened from 90 days to 30 days: older logs are deleted'],
    });
  });

  test('a longer retention is a change, not a risk', () => {
    const [change] = reviewLogGroups(assembly({ Logs: logGroup(30) }), assembly({ Logs: logGroup(90) }));
    expect(change.risks).toEqual([]);
  });

  test('a retention set on a log group that never expired is a risk', () => {
    const [change] = reviewLogGroups(assembly({ Logs: logGroup(undefined) }), assembly({ Logs: logGroup(30) }));
    expect(change.fields).toEqual([{ field: 'retention', old: 'never expires', new: '30 days' }]);
    expect(change.risks).toHaveLength(1);
  });

  test('the deletion policy and the KMS key are compared, the key read through its reference', () => {
    const head = logGroup(90, { DeletionPolicy: 'Delete' });
    (head.Properties as Record<string, unknown>).KmsKeyId = { 'Fn::GetAtt': ['LogKeyAB12CD34', 'Arn'] };
    const [change] = reviewLogGroups(
      assembly({ Logs: logGroup(90), LogKeyAB12CD34: { Type: 'AWS::KMS::Key' } }),
      assembly({ Logs: head, LogKeyAB12CD34: { Type: 'AWS::KMS::Key' } }),
    );
    expect(change.fields).toEqual([
      { field: 'deletion policy', old: 'Retain', new: 'Delete' },
      { field: 'encryption', old: 'AWS-owned key', new: 'key LogKey.Arn' },
    ]);
  });

  test('a saved query is matched by its name and its query text compared', () => {
    const query = (text: string): TemplateResource => ({
      Type: 'AWS::Logs::QueryDefinition',
      Properties: { Name: 'shop/prod/Errors', QueryString: text, LogGroupNames: ['/ecs/shop-prod/checkout'] },
    });
    const [change] = reviewSavedQueries(
      assembly({ QueryA: query('filter level = "error"') }),
      assembly({ QueryB: query('filter level = "ERROR"') }),
    );
    expect(change).toMatchObject({
      subject: 'saved query shop/prod/Errors',
      fields: [{ field: 'query', old: 'filter level = "error"', new: 'filter level = "ERROR"' }],
    });
  });
});

describe('IAM', () => {
  const role: TemplateResource = {
    Type: 'AWS::IAM::Role',
    Properties: { AssumeRolePolicyDocument: { Statement: [] } },
  };
  const policy = (...statements: unknown[]): TemplateResource => ({
    Type: 'AWS::IAM::Policy',
    Properties: { PolicyDocument: { Statement: statements }, Roles: [{ Ref: 'TaskRole0A1B2C3D' }] },
  });
  const read = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::shop-exports/*' };

  test('a new wildcard action is a risk', () => {
    const [change] = reviewIam(
      assembly({ TaskRole0A1B2C3D: role, Policy: policy(read) }),
      assembly({ TaskRole0A1B2C3D: role, Policy: policy(read, { Effect: 'Allow', Action: 's3:*', Resource: '*' }) }),
    );
    expect(change).toMatchObject({
      subject: 'IAM Policy of role TaskRole',
      fields: [{ field: 'statement', new: 'Allow s3:* on *' }],
      risks: ['new wildcard action s3:*', 'new wildcard resource *'],
    });
  });

  test('an action added to a statement on the same resources reads as widened from the old statement', () => {
    const [change] = reviewIam(
      assembly({ Policy: policy(read) }),
      assembly({ Policy: policy({ ...read, Action: ['s3:GetObject', 's3:PutObject'] }) }),
    );
    expect(change.fields).toEqual([
      {
        field: 'statement',
        old: 'Allow s3:GetObject on arn:aws:s3:::shop-exports/*',
        new: 'Allow s3:GetObject, s3:PutObject on arn:aws:s3:::shop-exports/*',
      },
    ]);
    expect(change.risks).toEqual([]);
  });

  test('a secret read is named a secret grant', () => {
    const secret = {
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: 'arn:aws:secretsmanager:eu-central-1:1:secret:x',
    };
    const [change] = reviewIam(assembly({ Policy: policy(read) }), assembly({ Policy: policy(read, secret) }));
    expect(change.fields.map((field) => field.field)).toEqual(['secret grant']);
  });

  test('a wildcard principal in a resource policy is a risk', () => {
    const topicPolicy = (principal: unknown): TemplateResource => ({
      Type: 'AWS::SNS::TopicPolicy',
      Properties: {
        Topics: [{ Ref: 'Topic' }],
        PolicyDocument: {
          Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: '*', Principal: principal }],
        },
      },
    });
    const [change] = reviewIam(
      assembly({ TopicPolicy: topicPolicy({ Service: 'cloudwatch.amazonaws.com' }) }),
      assembly({ TopicPolicy: topicPolicy({ AWS: '*' }) }),
    );
    expect(change.risks).toEqual(['new wildcard principal *']);
  });
});

describe('task definitions', () => {
  const task = (image: string, essential: boolean, memory = 512): TemplateResource => ({
    Type: 'AWS::ECS::TaskDefinition',
    Properties: {
      Family: 'shop-prod-checkout',
      Cpu: '512',
      Memory: '1024',
      ContainerDefinitions: [
        { Name: 'app', Image: 'public.ecr.aws/shop/checkout:2.0.1', Essential: true },
        { Name: 'otel-collector', Image: image, Essential: essential, Memory: memory },
      ],
    },
  });

  test('an image tag, a memory limit and the essential flag of a container are each named', () => {
    const [change] = reviewTaskDefinitions(
      assembly({ Task: task('otel/contrib:0.158.0', false) }),
      assembly({ Task: task('otel/contrib:0.159.0', true, 1024) }),
    );
    expect(change.fields).toEqual([
      { field: 'container otel-collector: image', old: 'otel/contrib:0.158.0', new: 'otel/contrib:0.159.0' },
      { field: 'container otel-collector: memory', old: '512', new: '1024' },
      { field: 'container otel-collector: essential', old: 'false', new: 'true' },
    ]);
  });
});

describe('collector configs embedded in task definitions', () => {
  const config = (errorsKept: string) =>
    [
      'processors:',
      '  tail_sampling:',
      '    policies:',
      `      - { name: errors, ${errorsKept} }`,
      'service:',
      '  pipelines:',
      '    traces: { receivers: [otlp], processors: [tail_sampling], exporters: [otlp] }',
      '',
    ].join('\n');
  const KEEP_ERRORS = 'type: status_code, status_code: { status_codes: [ERROR] }';
  const SAMPLE_ERRORS = 'type: probabilistic, probabilistic: { sampling_percentage: 5 }';
  const task = (yaml: string): TemplateResource => ({
    Type: 'AWS::ECS::TaskDefinition',
    Properties: {
      Family: 'team-orders',
      ContainerDefinitions: [
        { Name: 'collector', Image: 'otel/contrib:0.159.0', Environment: [{ Name: 'CONFIG', Value: yaml }] },
      ],
    },
  });

  test("a service team's own embedded config is reviewed as a collector config, with its risks", () => {
    const [change] = reviewTaskDefinitions(
      assembly({ Task: task(config(KEEP_ERRORS)) }),
      assembly({ Task: task(config(SAMPLE_ERRORS)) }),
    );
    expect(change.fields).toContainEqual({
      field: 'container collector: env CONFIG: tail_sampling: errors kept',
      old: '100 %',
      new: '5 %',
    });
    expect(change.risks).toEqual([
      'container collector: env CONFIG: tail_sampling keeps 5 % of errors instead of 100 %',
    ]);
  });

  test('an embedded config that is a generated file is named by its path: the collector section reviews the file', () => {
    const generated = (yaml: string) => ({
      ...NO_GENERATED_FILES,
      collectorConfigs: new Map([
        ['collector-config/prod/sidecar.yaml', { path: 'collector-config/prod/sidecar.yaml', content: {}, text: yaml }],
      ]),
    });
    const [change] = reviewTaskDefinitions(
      assembly({ Task: task(config(KEEP_ERRORS)) }),
      assembly({ Task: task(config(SAMPLE_ERRORS)) }),
      { base: generated(config(KEEP_ERRORS)), head: generated(config(SAMPLE_ERRORS)) },
    );
    expect(change).toMatchObject({
      fields: [
        {
          field: 'container collector: env CONFIG',
          old: 'collector-config/prod/sidecar.yaml',
          new: 'collector-config/prod/sidecar.yaml (reviewed under collector)',
        },
      ],
      risks: [],
    });
  });
});

describe('rendering intrinsics', () => {
  const stacks = assembly({
    LogGroupAB12CD34: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/ecs/shop' } },
  });
  const service = stacks.stacks[1];

  test('Fn::Join joins its parts, pseudo parameters stay named', () => {
    expect(renderValue({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::shop']] })).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's own ${} notation
      'arn:${AWS::Partition}:s3:::shop',
    );
  });

  test('Fn::GetAtt names the resource by its own name', () => {
    expect(renderValue({ 'Fn::GetAtt': ['LogGroupAB12CD34', 'Arn'] }, stacks, service)).toBe('log group /ecs/shop.Arn');
  });

  test('Fn::ImportValue names the exported resource of the other stack', () => {
    expect(renderValue({ 'Fn::ImportValue': `${PLATFORM}:Critical` }, stacks, service)).toBe(
      'topic shop-prod-critical',
    );
  });

  test('a dynamic reference reads as the secret or parameter it names', () => {
    expect(
      renderValue('{{resolve:ssm:/shop/prod/config}} and {{resolve:secretsmanager:/shop/url:SecretString:::}}'),
    ).toBe('SSM parameter /shop/prod/config and secret /shop/url');
  });
});
