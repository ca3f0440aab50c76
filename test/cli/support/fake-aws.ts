/**
 * An in-memory stand-in for the SSM, CloudWatch Logs, Cloud Map and Secrets Manager APIs obsctl calls, speaking the
 * AWS JSON 1.1 protocol (POST /, `X-Amz-Target: AmazonSSM.PutParameter`, JSON bodies, errors as
 * `{"__type": ...}` with status 400). It pages every list so clients must follow the token, can
 * throttle chosen calls once, and listens on 127.0.0.1 only. Cloud Map's DiscoverInstances is
 * answered only on the host obsctl was given: a request the SDK sent to `data-<host>` would not
 * resolve, as it would not for any endpoint an operator configures.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

export interface StoredParameter {
  readonly Name: string;
  readonly Type: 'String' | 'SecureString';
  readonly Value: string;
  readonly Version: number;
  readonly KeyId?: string;
  readonly Description?: string;
}

/** One structured log record in a log group. */
export interface FakeLogEvent {
  readonly logGroupName: string;
  readonly timestampMs: number;
  readonly record: Readonly<Record<string, unknown>>;
}

export interface QueryRequest {
  readonly queryString: string;
  readonly logGroupNames: readonly string[];
  /** Epoch seconds, as sent. */
  readonly startTime: number;
  readonly endTime: number;
}

/** Evaluates a query over the events the request may see; returns rows of field -> value. */
export type QueryEvaluator = (
  request: QueryRequest,
  events: readonly FakeLogEvent[],
) => readonly Readonly<Record<string, string>>[];

/** One task registered in a Cloud Map service. */
export interface FakeInstance {
  readonly InstanceId: string;
  readonly HealthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  readonly ipv4: string;
}

/** A Secrets Manager secret: its string value and, once deleted, when it will be gone. */
export interface StoredSecret {
  readonly value: string;
  readonly deletedDate?: Date;
}

export interface ReceivedRequest {
  readonly target: string;
  readonly body: Json;
}

export interface FakeAwsOptions {
  readonly account: string;
  readonly region: string;
  readonly evaluate: QueryEvaluator;
  /** DescribeLogGroups page size; 50 is the API's most. @default 2 */
  readonly logGroupsPageSize?: number;
}

/** StartQuery's `logGroupNames` holds at most 50 names (CloudWatch Logs API reference). */
export const MAX_QUERY_LOG_GROUPS = 50;

/** Page sizes small enough that every list the tests make spans several pages. */
const PAGE = { parameters: 1, logGroups: 2, queryDefinitions: 4 } as const;

export class FakeAws {
  readonly parameters = new Map<string, StoredParameter>();
  readonly logGroups = new Set<string>();
  readonly queryDefinitions = new Set<string>();
  readonly secrets = new Map<string, StoredSecret>();
  readonly events: FakeLogEvent[] = [];
  /** Cloud Map: the instances of each service, by namespace name and service name. */
  readonly namespaces = new Map<string, Map<string, FakeInstance[]>>();
  readonly requests: ReceivedRequest[] = [];
  /** Targets (`Logs_20140328.DescribeLogGroups`) to answer once with a ThrottlingException. */
  readonly throttleOnce = new Set<string>();
  private readonly queries = new Map<string, { polls: number; rows: readonly Readonly<Record<string, string>>[] }>();
  private server?: Server;
  private queryCount = 0;

  constructor(private readonly options: FakeAwsOptions) {}

  /** Starts listening on 127.0.0.1 and a free port; returns the endpoint URL. */
  async start(): Promise<string> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        send(response, 500, { __type: 'InternalFailure', message: String(error) });
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Forgets the requests received so far. */
  clearRequests(): void {
    this.requests.length = 0;
  }

  /** The bodies of the requests made to one operation. */
  received(target: string): Json[] {
    return this.requests.filter((request) => request.target === target).map((request) => request.body);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers['x-amz-target'] ?? '');
    const text = Buffer.concat(chunks).toString('utf8');
    const body = (text === '' ? {} : JSON.parse(text)) as Json;
    this.requests.push({ target, body });
    if (this.throttleOnce.delete(target)) {
      return send(response, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
    }
    const [service, operation] = target.split('.');
    const handler =
      service === 'AmazonSSM'
        ? this.ssm(operation, body)
        : service === 'Route53AutoNaming_v20170314'
          ? this.cloudMap(operation, body)
          : service === 'secretsmanager'
            ? this.secretsManager(operation, body)
            : this.logs(operation, body);
    if (handler === undefined) return send(response, 400, { __type: 'UnknownOperationException', message: target });
    send(response, handler.status ?? 200, handler.body);
  }

  private ssm(operation: string, body: Json): Reply | undefined {
    switch (operation) {
      case 'PutParameter': {
        const name = String(body.Name);
        const existing = this.parameters.get(name);
        if (existing !== undefined && body.Overwrite !== true) {
          return error(
            'ParameterAlreadyExists',
            'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
          );
        }
        const type = body.Type === 'SecureString' ? 'SecureString' : 'String';
        const version = (existing?.Version ?? 0) + 1;
        this.parameters.set(name, {
          Name: name,
          Type: type,
          Value: String(body.Value),
          Version: version,
          KeyId: type === 'SecureString' ? String(body.KeyId ?? 'alias/aws/ssm') : undefined,
          Description: body.Description === undefined ? undefined : String(body.Description),
        });
        return ok({ Version: version, Tier: 'Standard' });
      }
      case 'GetParameter': {
        const parameter = this.parameters.get(String(body.Name));
        if (parameter === undefined) return error('ParameterNotFound', '');
        // Without decryption a SecureString comes back as ciphertext, as SSM does.
        const value =
          parameter.Type === 'SecureString' && body.WithDecryption !== true ? 'AQICAHencrypted==' : parameter.Value;
        return ok({ Parameter: { ...this.metadata(parameter), Value: value } });
      }
      case 'DescribeParameters': {
        const filters = (body.ParameterFilters ?? []) as { Key: string; Values: string[] }[];
        const names = filters.find((filter) => filter.Key === 'Name')?.Values;
        const matches = [...this.parameters.values()].filter((parameter) => names?.includes(parameter.Name) ?? true);
        // Like SSM, the first page may be empty and still carry a NextToken.
        return ok(
          page(
            matches.map((parameter) => this.metadata(parameter)),
            body.NextToken,
            PAGE.parameters,
            'Parameters',
            'NextToken',
            true,
          ),
        );
      }
      default:
        return undefined;
    }
  }

  private logs(operation: string, body: Json): Reply | undefined {
    switch (operation) {
      case 'DescribeLogGroups': {
        const prefix = String(body.logGroupNamePrefix ?? '');
        const groups = [...this.logGroups]
          .filter((name) => name.startsWith(prefix))
          .sort()
          .map((logGroupName) => ({
            logGroupName,
            arn: `arn:aws:logs:${this.options.region}:${this.options.account}:log-group:${logGroupName}:*`,
          }));
        return ok(
          page(groups, body.nextToken, this.options.logGroupsPageSize ?? PAGE.logGroups, 'logGroups', 'nextToken'),
        );
      }
      case 'DescribeQueryDefinitions': {
        const prefix = String(body.queryDefinitionNamePrefix ?? '');
        const definitions = [...this.queryDefinitions]
          .filter((name) => name.startsWith(prefix))
          .sort()
          .map((name, index) => ({ name, queryDefinitionId: `definition-${index}` }));
        return ok(page(definitions, body.nextToken, PAGE.queryDefinitions, 'queryDefinitions', 'nextToken'));
      }
      case 'StartQuery': {
        const groups = (body.logGroupNames ?? []) as string[];
        // The documented cap (StartQuery, `logGroupNames`: up to 50); the error type is our guess.
        if (groups.length > MAX_QUERY_LOG_GROUPS) {
          return error(
            'InvalidParameterException',
            `logGroupNames: ${groups.length} log groups; at most ${MAX_QUERY_LOG_GROUPS}`,
          );
        }
        const missing = groups.find((name) => !this.logGroups.has(name));
        if (missing !== undefined) return error('ResourceNotFoundException', `Log group '${missing}' does not exist`);
        const request: QueryRequest = {
          queryString: String(body.queryString),
          logGroupNames: groups,
          startTime: Number(body.startTime),
          endTime: Number(body.endTime),
        };
        const visible = this.events.filter(
          (event) =>
            groups.includes(event.logGroupName) &&
            event.timestampMs >= request.startTime * 1000 &&
            event.timestampMs <= request.endTime * 1000,
        );
        const queryId = `query-${++this.queryCount}`;
        this.queries.set(queryId, { polls: 0, rows: this.options.evaluate(request, visible) });
        return ok({ queryId });
      }
      case 'GetQueryResults': {
        const query = this.queries.get(String(body.queryId));
        if (query === undefined) return error('ResourceNotFoundException', 'no such query');
        // Running on the first poll, so clients must poll again.
        query.polls++;
        if (query.polls === 1) return ok({ status: 'Running', results: [], statistics: { recordsScanned: 10 } });
        const results = query.rows.map((row) => [
          ...Object.entries(row).map(([field, value]) => ({ field, value })),
          { field: '@ptr', value: 'opaque-pointer' },
        ]);
        return ok({
          status: 'Complete',
          results,
          statistics: { recordsMatched: results.length, recordsScanned: this.events.length },
        });
      }
      case 'StopQuery':
        return ok({ success: true });
      default:
        return undefined;
    }
  }

  private cloudMap(operation: string, body: Json): Reply | undefined {
    if (operation !== 'DiscoverInstances') return undefined;
    const namespaceName = String(body.NamespaceName);
    const serviceName = String(body.ServiceName);
    const namespace = this.namespaces.get(namespaceName);
    if (namespace === undefined) return error('NamespaceNotFound', `Namespace not found: ${namespaceName}`);
    const instances = namespace.get(serviceName);
    if (instances === undefined) return error('ServiceNotFound', `Service not found: ${serviceName}`);
    const wanted = String(body.HealthStatus ?? 'HEALTHY');
    const healthy = instances.filter((instance) => instance.HealthStatus === 'HEALTHY');
    const selected =
      wanted === 'ALL'
        ? instances
        : wanted === 'UNHEALTHY'
          ? instances.filter((instance) => instance.HealthStatus === 'UNHEALTHY')
          : wanted === 'HEALTHY_OR_ELSE_ALL' && healthy.length === 0
            ? instances
            : healthy;
    return ok({
      Instances: selected.slice(0, Number(body.MaxResults ?? 100)).map((instance) => ({
        InstanceId: instance.InstanceId,
        NamespaceName: namespaceName,
        ServiceName: serviceName,
        HealthStatus: instance.HealthStatus,
        Attributes: { AWS_INSTANCE_IPV4: instance.ipv4 },
      })),
      InstancesRevision: 1,
    });
  }

  private secretsManager(operation: string, body: Json): Reply | undefined {
    const name = String(body.Name ?? body.SecretId);
    const arn = `arn:aws:secretsmanager:${this.options.region}:${this.options.account}:secret:${name}-AbCdEf`;
    const secret = this.secrets.get(name);
    const notFound = () => error('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    switch (operation) {
      case 'CreateSecret':
        if (secret !== undefined) {
          return error('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
        }
        this.secrets.set(name, { value: String(body.SecretString) });
        return ok({ ARN: arn, Name: name, VersionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111' });
      case 'DescribeSecret':
        if (secret === undefined) return notFound();
        return ok({
          ARN: arn,
          Name: name,
          ...(secret.deletedDate === undefined ? {} : { DeletedDate: secret.deletedDate.getTime() / 1000 }),
        });
      case 'GetSecretValue':
        if (secret === undefined) return notFound();
        if (secret.deletedDate !== undefined) {
          return error(
            'InvalidRequestException',
            "You tried to perform the operation on a secret that's currently marked deleted.",
          );
        }
        return ok({
          ARN: arn,
          Name: name,
          SecretString: secret.value,
          VersionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
        });
      default:
        return undefined;
    }
  }

  private metadata(parameter: StoredParameter): Json {
    return {
      Name: parameter.Name,
      Type: parameter.Type,
      Version: parameter.Version,
      KeyId: parameter.KeyId,
      ARN: `arn:aws:ssm:${this.options.region}:${this.options.account}:parameter${parameter.Name}`,
      DataType: 'text',
      Tier: 'Standard',
    };
  }
}

interface Reply {
  readonly status?: number;
  readonly body: Json;
}

const ok = (body: Json): Reply => ({ body });
const error = (type: string, message: string): Reply => ({ status: 400, body: { __type: type, message } });

function page<T>(
  items: readonly T[],
  token: unknown,
  size: number,
  key: string,
  tokenKey: string,
  emptyFirstPage = false,
): Json {
  // Tokens are offsets; an "empty first page" token points at offset 0 again.
  if (emptyFirstPage && token === undefined) return { [key]: [], [tokenKey]: 'offset-0' };
  const offset = token === undefined ? 0 : Number(String(token).replace('offset-', ''));
  const next = offset + size;
  return { [key]: items.slice(offset, next), ...(next < items.length ? { [tokenKey]: `offset-${next}` } : {}) };
}

function send(response: ServerResponse, status: number, body: Json): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': `request-${Math.random().toString(16).slice(2, 10)}`,
  });
  response.end(text);
}

/** `2025-01-31 10:30:45.123`: how Insights writes `@timestamp`. */
export function insightsTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * Insights' answer to the trace query (`filter tracking_id = "<id>"`), or undefined for another
 * query: the records of that tracking id in time order, with the fields `obsctl trace` reads.
 */
export function trackingIdRows(
  request: QueryRequest,
  events: readonly FakeLogEvent[],
): readonly Readonly<Record<string, string>>[] | undefined {
  const id = request.queryString.match(/filter tracking_id = "([0-9a-f]{32})"/)?.[1];
  if (id === undefined) return undefined;
  return events
    .filter((event) => event.record.tracking_id === id)
    .sort((a, b) => a.timestampMs - b.timestampMs)
    .map((event) => ({
      '@timestamp': insightsTimestamp(event.timestampMs),
      '@log': `333333333333:${event.logGroupName}`,
      service: String(event.record.service),
      level: String(event.record.level ?? 'INFO'),
      '@@message': String(event.record['@message']),
      'tracing.span_id': String(
        (event.record.tracing as { span_id?: string } | undefined)?.span_id ?? 'b7ad6b7169203331',
      ),
    }));
}
