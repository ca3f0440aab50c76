/**
 * The structured JSON log record every service writes to stdout (design 3.2, conventions 6.5), as a
 * JSON Schema. The TypeScript type is derived from it (TypeBox `Static`), the saved Logs Insights
 * queries are checked against the field paths it declares, and services can validate their
 * formatter's output against the same object.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { SERVICE_NAME_PATTERN } from '../profile/schema';
import { CLOUDWATCH_SYSTEM_FIELDS } from './query-fields';

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * A group's own keys are closed so a misspelt key (`request.durration`) fails validation. Within a
 * group only the keys that identify it are required: a request logged at its start has no duration
 * yet, an error may carry no code.
 */
const closed = { additionalProperties: false } as const;

function oneOf<T extends string>(values: readonly T[], description: string) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], description });
}

const IsoTimestamp = (description: string) =>
  Type.String({ format: 'date-time', description, examples: ['2025-01-31T10:30:45.123Z'] });

/** W3C trace context ids: lower-case hex (`format(id, '032x')`), all-zero ids are invalid. */
const TraceId = (description: string) =>
  Type.String({ pattern: '^[0-9a-f]{32}$', not: { const: '0'.repeat(32) }, description });
const SpanId = Type.String({ pattern: '^[0-9a-f]{16}$', not: { const: '0'.repeat(16) }, description: 'span id' });

const NonNegative = (description: string) => Type.Number({ minimum: 0, description });
const Count = (description: string) => Type.Integer({ minimum: 0, description });
const Text = (description: string) => Type.String({ minLength: 1, description });

const Source = Type.Object(
  {
    module: Text('Python module, e.g. app.api.app.sessions'),
    function: Text('function name'),
    line: Type.Integer({ minimum: 1, description: 'line number' }),
    filename: Text('file name'),
    pathname: Text('absolute path of the file in the container'),
  },
  { ...closed, description: 'where the log call is' },
);

const Tracing = Type.Object(
  {
    trace_id: TraceId('the OpenTelemetry trace id; the same value as tracking_id'),
    span_id: SpanId,
  },
  { ...closed, description: 'the active span when the record was written' },
);

const Request = Type.Object(
  {
    method: oneOf(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], 'HTTP method'),
    path: Type.String({ pattern: '^/', description: 'request path, starting with "/"' }),
    size: Type.Optional(Count('request body size in bytes')),
    duration: Type.Optional(NonNegative('time to serve the request, in seconds (0.245)')),
    user_agent: Type.Optional(Type.String({ description: 'User-Agent header' })),
    ip: Type.Optional(
      Type.String({ anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }], description: 'client IP address' }),
    ),
  },
  { ...closed, description: 'HTTP request fields' },
);

const Response = Type.Object(
  {
    status: Type.Integer({ minimum: 100, maximum: 599, description: 'HTTP status code' }),
    size: Type.Optional(Count('response body size in bytes')),
    content_type: Type.Optional(Text('Content-Type header')),
  },
  { ...closed, description: 'HTTP response fields' },
);

const User = Type.Object(
  {
    id: Text('user id'),
    segment: Type.Optional(oneOf(['free', 'premium', 'enterprise'], 'customer segment')),
  },
  { ...closed, description: 'the user the work is for' },
);

const Session = Type.Object(
  {
    id: Text('session id'),
    duration: Type.Optional(NonNegative('session length so far, in seconds')),
  },
  { ...closed, description: 'the user session' },
);

const Workflow = Type.Object(
  {
    id: Text('workflow execution id'),
    type: Type.Optional(oneOf(['simple', 'complex', 'ai-assisted'], 'workflow type')),
    status: Type.Optional(oneOf(['running', 'completed', 'failed'], 'workflow execution status')),
  },
  { ...closed, description: 'the workflow execution' },
);

const Operation = Type.Object(
  {
    name: Text('business operation, e.g. create_session, execute_workflow, generate_response'),
    result: Type.Optional(oneOf(['success', 'failure', 'partial'], 'outcome of the operation')),
    duration: Type.Optional(NonNegative('operation time, in seconds')),
  },
  { ...closed, description: 'a business operation' },
);

const ErrorGroup = Type.Object(
  {
    type: Text('error kind, e.g. ValidationError, BusinessLogicError, SystemError'),
    code: Type.Optional(Text('application error code, e.g. E001')),
    message: Text('what went wrong'),
    category: Type.Optional(oneOf(['client', 'server', 'network', 'timeout'], 'who is at fault')),
  },
  { ...closed, description: 'the classified error (ERROR records only)' },
);

const ExceptionGroup = Type.Object(
  {
    class: Text('exception class, e.g. ValueError'),
    message: Type.Optional(Type.String({ description: 'exception message' })),
    stack_trace: Type.Optional(Type.String({ description: 'formatted traceback' })),
  },
  { ...closed, description: 'the raised exception (ERROR records only)' },
);

/**
 * Not in the design, which asks for audit events with their own retention (6.3, roadmap): the
 * group's presence marks an audit record, `event` names it (lib/logs/audit.ts says why this field).
 */
const Audit = Type.Object(
  {
    event: Text('the audit event, e.g. login, login_failed, permission_change, data_export'),
    target: Type.Optional(Text('what the event acted on, e.g. the user whose role changed, the exported dataset')),
    outcome: Type.Optional(oneOf(['success', 'failure'], 'whether the action succeeded')),
  },
  { ...closed, description: 'an audit event (extension of the design); the actor is user.id' },
);

/**
 * Not in the design: its records carry no AI fields, yet the issue asks for an "AI cost and tokens by
 * model" query, and the design's AI metrics (ai_tokens_total, ai_cost_total by model and provider)
 * have no log-side counterpart to drill into. One record per model call, written where the call is
 * made, makes cost attributable to a tracking id, user and workflow.
 */
const Ai = Type.Object(
  {
    model: Text('model id as sent to the provider, e.g. claude-sonnet-4-5'),
    provider: Text('model provider, e.g. anthropic, openai, bedrock'),
    tokens: Type.Object(
      {
        input: Count('prompt tokens billed for this call'),
        output: Count('completion tokens billed for this call'),
      },
      { ...closed, description: 'token usage of this call' },
    ),
    cost_usd: NonNegative('cost of this call in US dollars'),
  },
  { ...closed, description: 'one AI model call (extension of the design)' },
);

/** The design sends `level` next to `@level`; queries filter on `level`, so the two must agree. */
const levelsAgree = {
  anyOf: LOG_LEVELS.map((level) => ({ properties: { '@level': { const: level }, level: { const: level } } })),
};

/** Design 3.2: error fields are written at ERROR level only. */
const atErrorLevel = { properties: { '@level': { const: 'ERROR' } } };

export const LOG_RECORD_SCHEMA = Type.Object(
  {
    '@timestamp': IsoTimestamp('when the record was written (UTC, ISO 8601)'),
    '@level': oneOf(LOG_LEVELS, 'severity'),
    '@message': Type.String({ description: 'human-readable message' }),
    level: oneOf(LOG_LEVELS, 'severity, the same value as @level'),
    timestamp: IsoTimestamp('the same instant as @timestamp'),
    file: Type.String({ pattern: '^.+:[0-9]+$', description: 'file:line of the log call', examples: ['main.py:123'] }),
    service: Type.String({ pattern: SERVICE_NAME_PATTERN, description: 'the service name (a profile service key)' }),
    // Optional: records written outside a request (start-up, schedulers) have no active trace.
    tracking_id: Type.Optional(TraceId('the request tracking id, the trace id as 32 hex characters')),
    source: Type.Optional(Source),
    tracing: Type.Optional(Tracing),
    request: Type.Optional(Request),
    response: Type.Optional(Response),
    user: Type.Optional(User),
    session: Type.Optional(Session),
    workflow: Type.Optional(Workflow),
    operation: Type.Optional(Operation),
    error: Type.Optional(ErrorGroup),
    exception: Type.Optional(ExceptionGroup),
    ai: Type.Optional(Ai),
    audit: Type.Optional(Audit),
  },
  {
    // Open at the top: services may add their own context keys; the groups above are closed.
    additionalProperties: true,
    ...levelsAgree,
    dependencies: { error: atErrorLevel, exception: atErrorLevel },
    title: 'Structured log record',
    description: 'one JSON log line of a service, as CloudWatch Logs Insights sees it',
  },
);

export type LogRecord = Static<typeof LOG_RECORD_SCHEMA>;

/**
 * The name Logs Insights gives a JSON key path. Insights prefixes discovered fields whose name
 * starts with `@` with another `@` (`@level` is queried as `@@level`), because `@` names belong to
 * its own system fields: `@timestamp` and `@message` are CloudWatch's event time and raw line, not
 * the keys of our JSON.
 */
export function insightsFieldName(jsonPath: string): string {
  return jsonPath.startsWith('@') ? `@${jsonPath}` : jsonPath;
}

/** Dotted paths of the schema's leaves (`request.duration`, `ai.tokens.input`), as written in JSON. */
export function logRecordJsonPaths(schema: TSchema = LOG_RECORD_SCHEMA): string[] {
  const walk = (node: TSchema, prefix: string): string[] => {
    const properties: Record<string, TSchema> | undefined = node.properties;
    if (properties === undefined) return [prefix];
    return Object.entries(properties).flatMap(([key, child]) => walk(child, prefix === '' ? key : `${prefix}.${key}`));
  };
  return walk(schema, '');
}

/**
 * Every field a Logs Insights query over our log groups can name: the schema's leaves under their
 * Insights names (JSON is flattened with dots; `@` keys get a second `@`) plus CloudWatch's system
 * fields.
 */
export function logFieldPaths(): Set<string> {
  return new Set([...CLOUDWATCH_SYSTEM_FIELDS, ...logRecordJsonPaths().map(insightsFieldName)]);
}

const REQUEST_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const WORKFLOW_TRACE = '0af7651916cd43dd8448eb211c80319c';
const AI_TRACE = '5b8aa5a2d2c872e8321cf37308d69df2';

/** Realistic records, one per kind of line the queries look for. Tests validate them. */
export const SAMPLE_LOG_RECORDS: readonly LogRecord[] = [
  {
    '@timestamp': '2025-01-31T10:30:45.123Z',
    '@level': 'INFO',
    '@message': 'POST /api/v1/sessions 201',
    level: 'INFO',
    timestamp: '2025-01-31T10:30:45.123Z',
    file: 'sessions.py:123',
    service: 'api-gateway',
    tracking_id: REQUEST_TRACE,
    source: {
      module: 'app.api.app.sessions',
      function: 'create_session',
      line: 123,
      filename: 'sessions.py',
      pathname: '/app/app/api/app/sessions.py',
    },
    tracing: { trace_id: REQUEST_TRACE, span_id: '00f067aa0ba902b7' },
    request: {
      method: 'POST',
      path: '/api/v1/sessions',
      size: 1024,
      duration: 0.245,
      user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2)',
      ip: '192.168.1.100',
    },
    response: { status: 201, size: 2048, content_type: 'application/json' },
    user: { id: 'user_12345', segment: 'premium' },
    session: { id: 'session_67890', duration: 0 },
    operation: { name: 'create_session', result: 'success', duration: 0.198 },
  },
  {
    '@timestamp': '2025-01-31T10:31:02.871Z',
    '@level': 'WARN',
    '@message': 'GET /api/v1/workflows/workflow_abc123 200 took 1.84 s',
    level: 'WARN',
    timestamp: '2025-01-31T10:31:02.871Z',
    file: 'workflows.py:88',
    service: 'api-gateway',
    tracking_id: WORKFLOW_TRACE,
    tracing: { trace_id: WORKFLOW_TRACE, span_id: 'b7ad6b7169203331' },
    request: { method: 'GET', path: '/api/v1/workflows/workflow_abc123', duration: 1.84, ip: '2001:db8::7' },
    response: { status: 200, size: 5120, content_type: 'application/json' },
    user: { id: 'user_12345', segment: 'premium' },
  },
  {
    '@timestamp': '2025-01-31T10:31:03.410Z',
    '@level': 'ERROR',
    '@message': 'Workflow workflow_abc123 failed at node summarise',
    level: 'ERROR',
    timestamp: '2025-01-31T10:31:03.410Z',
    file: 'executor.py:214',
    service: 'workflow-engine',
    tracking_id: WORKFLOW_TRACE,
    source: {
      module: 'app.engine.executor',
      function: 'execute_node',
      line: 214,
      filename: 'executor.py',
      pathname: '/app/app/engine/executor.py',
    },
    tracing: { trace_id: WORKFLOW_TRACE, span_id: 'e457b5a2e4d86bd1' },
    workflow: { id: 'workflow_abc123', type: 'ai-assisted', status: 'failed' },
    operation: { name: 'execute_workflow', result: 'failure', duration: 12.5 },
    error: { type: 'SystemError', code: 'E003', message: 'summarise node timed out after 10 s', category: 'timeout' },
    exception: {
      class: 'TimeoutError',
      message: 'node summarise exceeded 10 s',
      stack_trace:
        'Traceback (most recent call last):\n  File "/app/app/engine/executor.py", line 214, in execute_node\nTimeoutError',
    },
  },
  {
    '@timestamp': '2025-01-31T10:32:10.005Z',
    '@level': 'INFO',
    '@message': 'Model call completed',
    level: 'INFO',
    timestamp: '2025-01-31T10:32:10.005Z',
    file: 'llm.py:57',
    service: 'workflow-agent',
    tracking_id: AI_TRACE,
    tracing: { trace_id: AI_TRACE, span_id: '53995c3f42cd8ad8' },
    user: { id: 'user_67890', segment: 'enterprise' },
    workflow: { id: 'workflow_def456', type: 'ai-assisted', status: 'running' },
    operation: { name: 'generate_response', result: 'success', duration: 3.2 },
    ai: { model: 'claude-sonnet-4-5', provider: 'anthropic', tokens: { input: 1850, output: 420 }, cost_usd: 0.01185 },
  },
  {
    '@timestamp': '2025-01-31T10:33:00.118Z',
    '@level': 'INFO',
    '@message': 'Role of user_67890 changed to admin',
    level: 'INFO',
    timestamp: '2025-01-31T10:33:00.118Z',
    file: 'roles.py:72',
    service: 'api-gateway',
    user: { id: 'user_12345', segment: 'enterprise' },
    audit: { event: 'permission_change', target: 'user_67890', outcome: 'success' },
  },
  {
    '@timestamp': '2025-01-31T06:00:00.002Z',
    '@level': 'INFO',
    '@message': 'Scheduler started, 3 schedules loaded',
    level: 'INFO',
    timestamp: '2025-01-31T06:00:00.002Z',
    file: 'main.py:41',
    service: 'workflow-scheduler',
  },
];
