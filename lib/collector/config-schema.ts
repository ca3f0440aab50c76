/**
 * A JSON Schema of the collector config shape: the top-level sections, the service and its
 * pipelines, and the settings of the component types this package writes, as the v0.159 code
 * defines them. Other component types only need to be mappings. Every node has a description,
 * which the check quotes when a value is wrong.
 */
import type { SchemaObject } from 'ajv';

const COMPONENT_ID = '^[a-z][a-z0-9_]*(/[^/\\s]+)?$';

/** A Go duration such as `1s`, `200ms` or `1m30s`. */
const duration = (description: string): SchemaObject => ({
  type: 'string',
  pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$',
  description: `${description}: a Go duration such as "1s" or "200ms"`,
});

/** A subschema that only says `key` is present (strict mode wants it declared where it is required). */
const requires = (key: string): SchemaObject => ({ type: 'object', properties: { [key]: true }, required: [key] });

const positiveInteger = (description: string): SchemaObject => ({ type: 'integer', minimum: 1, description });

const stringList = (description: string, minItems = 0): SchemaObject => ({
  type: 'array',
  items: { type: 'string', minLength: 1 },
  minItems,
  description,
});

const endpoint = (description: string): SchemaObject => ({
  type: 'string',
  pattern: '^[^\\s:]+:[0-9]{1,5}$',
  description: `${description}: host:port`,
});

/** OTTL statements or conditions: a flat list (context inferred) or groups with an explicit context. */
const ottlList = (description: string): SchemaObject => ({
  type: 'array',
  minItems: 1,
  items: {
    anyOf: [
      { type: 'string', minLength: 1 },
      {
        type: 'object',
        properties: {
          context: { type: 'string' },
          conditions: { type: 'array', items: { type: 'string' } },
          statements: { type: 'array', items: { type: 'string' } },
          error_mode: { enum: ['ignore', 'silent', 'propagate'] },
        },
        additionalProperties: false,
      },
    ],
    description: 'an OTTL string, or a group {context, statements|conditions, error_mode}',
  },
  description,
});

const errorMode: SchemaObject = {
  enum: ['ignore', 'silent', 'propagate'],
  description: 'how OTTL errors are handled: ignore, silent or propagate',
};

/** An exporter's `auth`: the id of the authenticator extension. */
const clientAuth: SchemaObject = {
  type: 'object',
  properties: { authenticator: { type: 'string', pattern: COMPONENT_ID } },
  required: ['authenticator'],
  additionalProperties: false,
  description: 'client auth: {authenticator: <extension id>}',
};

/** exporterhelper's sending queue, with exporter-side batching. */
const sendingQueue: SchemaObject = {
  type: 'object',
  properties: {
    enabled: { type: 'boolean' },
    sizer: { enum: ['requests', 'items', 'bytes'], description: 'what queue_size counts' },
    queue_size: positiveInteger('the queue capacity in sizer units'),
    num_consumers: positiveInteger('concurrent exports'),
    block_on_overflow: { type: 'boolean' },
    wait_for_result: { type: 'boolean' },
    storage: { type: 'string' },
    batch: {
      type: 'object',
      properties: {
        flush_timeout: duration('how long a batch may wait'),
        min_size: { type: 'integer', minimum: 0, description: 'the size that triggers a send' },
        max_size: { type: 'integer', minimum: 0, description: 'the largest batch, 0 for no limit' },
        sizer: { enum: ['items', 'bytes'], description: 'what the batch sizes count' },
        partition: { type: 'object' },
      },
      additionalProperties: false,
      description: 'exporter-side batching: flush_timeout, min_size, max_size, sizer',
    },
  },
  additionalProperties: false,
  description: 'the sending queue: sizer, queue_size, num_consumers, batch',
};

/** Settings by component type, per section. */
const COMPONENT_SCHEMAS: Readonly<Record<string, Readonly<Record<string, SchemaObject>>>> = {
  receivers: {
    otlp: {
      type: 'object',
      properties: {
        protocols: {
          type: 'object',
          properties: {
            grpc: { type: ['object', 'null'], properties: { endpoint: endpoint('the gRPC listen address') } },
            http: { type: ['object', 'null'], properties: { endpoint: endpoint('the HTTP listen address') } },
          },
          additionalProperties: false,
          minProperties: 1,
          description: 'the protocols to accept: grpc and/or http',
        },
      },
      required: ['protocols'],
      description: 'the OTLP receiver: protocols.grpc and/or protocols.http',
    },
  },
  processors: {
    memory_limiter: {
      type: 'object',
      properties: {
        check_interval: duration('how often memory is measured'),
        limit_mib: positiveInteger('the hard limit in MiB'),
        spike_limit_mib: positiveInteger('the headroom below limit_mib in MiB'),
        limit_percentage: { type: 'integer', minimum: 1, maximum: 100, description: 'the hard limit in % of memory' },
        spike_limit_percentage: { type: 'integer', minimum: 1, maximum: 100, description: 'the headroom in %' },
        min_gc_interval_when_soft_limited: duration('the minimum GC interval above the soft limit'),
        min_gc_interval_when_hard_limited: duration('the minimum GC interval above the hard limit'),
        max_gc_interval_when_soft_limited: duration('the maximum GC interval above the soft limit'),
        max_gc_interval_when_hard_limited: duration('the maximum GC interval above the hard limit'),
      },
      required: ['check_interval'],
      additionalProperties: false,
      // Both present match both branches, neither matches none: oneOf means exactly one.
      oneOf: [requires('limit_mib'), requires('limit_percentage')],
      description: 'memory_limiter settings: check_interval and exactly one of limit_mib or limit_percentage',
    },
    batch: {
      type: 'object',
      properties: {
        timeout: duration('how long a batch may wait'),
        send_batch_size: positiveInteger('items that trigger a send'),
        send_batch_max_size: { type: 'integer', minimum: 0, description: 'the largest batch, 0 for no limit' },
        metadata_keys: stringList('client metadata keys that split batches'),
        metadata_cardinality_limit: { type: 'integer', minimum: 0, description: 'the most metadata combinations' },
      },
      additionalProperties: false,
      description: 'batch settings: timeout, send_batch_size, send_batch_max_size',
    },
    resource: {
      type: 'object',
      properties: {
        attributes: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            properties: {
              key: { type: 'string', minLength: 1 },
              value: {},
              from_attribute: { type: 'string' },
              pattern: { type: 'string' },
              converted_type: { type: 'string' },
              action: { enum: ['insert', 'update', 'upsert', 'delete', 'hash', 'extract', 'convert'] },
            },
            required: ['key', 'action'],
            additionalProperties: false,
            description: 'an attribute action {key, value, action}',
          },
          description: 'the attribute actions',
        },
      },
      required: ['attributes'],
      additionalProperties: false,
      description: 'resource settings: a list of attribute actions',
    },
    resource_detection: {
      type: 'object',
      properties: {
        detectors: stringList('the detectors to run, in order', 1),
        timeout: duration('how long detection may take'),
        override: { type: 'boolean', description: 'whether detected values replace existing ones' },
      },
      required: ['detectors'],
      description: 'resource_detection settings: detectors, timeout, override',
    },
    transform: {
      type: 'object',
      properties: {
        error_mode: errorMode,
        trace_statements: ottlList('OTTL statements for traces'),
        metric_statements: ottlList('OTTL statements for metrics'),
        log_statements: ottlList('OTTL statements for logs'),
        profile_statements: ottlList('OTTL statements for profiles'),
      },
      additionalProperties: false,
      minProperties: 1,
      description: 'transform settings: error_mode and <signal>_statements',
    },
    filter: {
      type: 'object',
      properties: {
        error_mode: errorMode,
        trace_conditions: ottlList('OTTL conditions that drop spans'),
        metric_conditions: ottlList('OTTL conditions that drop metrics or data points'),
        log_conditions: ottlList('OTTL conditions that drop log records'),
        profile_conditions: ottlList('OTTL conditions that drop profiles'),
        traces: { type: 'object', description: 'deprecated: use trace_conditions' },
        metrics: { type: 'object', description: 'deprecated: use metric_conditions' },
        logs: { type: 'object', description: 'deprecated: use log_conditions' },
        spans: { type: 'object', description: 'deprecated: use trace_conditions' },
      },
      additionalProperties: false,
      description: 'filter settings: error_mode and <signal>_conditions',
    },
    redaction: {
      type: 'object',
      properties: {
        allow_all_keys: { type: 'boolean', description: 'keep every attribute key' },
        allowed_keys: stringList('attribute keys to keep'),
        ignored_keys: stringList('attribute keys left untouched'),
        ignored_key_patterns: stringList('regexes of attribute keys left untouched'),
        blocked_key_patterns: stringList('regexes of attribute keys whose values are masked'),
        blocked_values: stringList('regexes of values to mask'),
        allowed_values: stringList('regexes of values never masked'),
        hash_function: { enum: ['md5', 'sha1', 'sha3'], description: 'hash instead of ****' },
        summary: { enum: ['debug', 'info', 'silent'], description: 'the diagnostic attributes added' },
        redact_all_types: { type: 'boolean', description: 'also redact non-string values' },
        url_sanitizer: { type: 'object' },
        db_sanitizer: { type: 'object' },
      },
      additionalProperties: false,
      // Without either, the processor deletes every attribute ("fails closed").
      anyOf: [
        { type: 'object', properties: { allow_all_keys: { const: true } }, required: ['allow_all_keys'] },
        requires('allowed_keys'),
      ],
      description:
        'redaction settings with allow_all_keys: true (or an allowed_keys list): without either, every attribute is deleted',
    },
    deltatocumulative: {
      type: 'object',
      properties: {
        max_stale: duration('how long a silent stream is remembered'),
        max_streams: { type: 'integer', minimum: 0, description: 'the most streams tracked (0: no limit)' },
      },
      additionalProperties: false,
      description: 'deltatocumulative settings: max_stale, max_streams',
    },
    tail_sampling: {
      type: 'object',
      properties: {
        decision_wait: duration('how long spans wait for the decision'),
        num_traces: positiveInteger('traces held in memory'),
        expected_new_traces_per_sec: positiveInteger('expected new traces per second'),
        decision_cache: {
          type: 'object',
          properties: {
            sampled_cache_size: { type: 'integer', minimum: 0, description: 'trace ids kept after "sample"' },
            non_sampled_cache_size: { type: 'integer', minimum: 0, description: 'trace ids kept after "drop"' },
          },
          additionalProperties: false,
          description: 'decision caches for late spans: sampled_cache_size, non_sampled_cache_size',
        },
        policies: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            properties: { name: { type: 'string', minLength: 1 }, type: { type: 'string', minLength: 1 } },
            required: ['name', 'type'],
            description: 'a policy {name, type, <type>: settings}',
          },
          description: 'the sampling policies; any "sample" decision keeps the trace',
        },
      },
      required: ['policies'],
      description: 'tail_sampling settings: decision_wait, num_traces, policies',
    },
  },
  exporters: {
    otlp_http: {
      type: 'object',
      properties: {
        endpoint: { type: 'string', pattern: '^https?://', description: 'the base URL of the OTLP/HTTP receiver' },
        auth: clientAuth,
        sending_queue: sendingQueue,
      },
      required: ['endpoint'],
      description: 'otlp_http settings: endpoint, auth, sending_queue',
    },
    otlp_grpc: {
      type: 'object',
      properties: {
        endpoint: {
          type: 'string',
          pattern: '^([a-z]+://)?[^\\s:/]+:[0-9]{1,5}$',
          description: 'the gRPC server: host:port (a scheme is allowed)',
        },
        tls: {
          type: 'object',
          properties: {
            insecure: { type: 'boolean', description: 'plain gRPC, no TLS' },
            insecure_skip_verify: { type: 'boolean' },
            ca_file: { type: 'string' },
            cert_file: { type: 'string' },
            key_file: { type: 'string' },
            server_name_override: { type: 'string' },
          },
          additionalProperties: false,
          description: 'client TLS: insecure, insecure_skip_verify, ca_file, cert_file, key_file',
        },
        auth: clientAuth,
        compression: { type: 'string' },
        headers: { type: 'object', additionalProperties: { type: 'string' } },
        timeout: duration('how long one export may take'),
        retry_on_failure: { type: 'object' },
        sending_queue: sendingQueue,
      },
      required: ['endpoint'],
      additionalProperties: false,
      description: 'otlp_grpc settings: endpoint, tls, auth, sending_queue',
    },
    load_balancing: {
      type: 'object',
      properties: {
        routing_key: {
          enum: ['traceID', 'service', 'resource', 'metric', 'streamID', 'attributes'],
          description: 'what the hash ring is keyed on: traceID keeps every span of a trace on one backend',
        },
        routing_attributes: stringList('the attributes of routing_key attributes', 1),
        protocol: {
          type: 'object',
          properties: {
            otlp: {
              type: 'object',
              not: requires('endpoint'),
              description: 'the OTLP/gRPC sub-exporter settings, without endpoint (the resolver supplies it)',
            },
          },
          required: ['otlp'],
          additionalProperties: false,
          description: 'the exporter to each backend: {otlp: settings}',
        },
        resolver: {
          type: 'object',
          properties: {
            static: { type: 'object' },
            dns: { type: 'object' },
            k8s: { type: 'object' },
            aws_cloud_map: {
              type: 'object',
              properties: {
                namespace: { type: 'string', minLength: 1, description: 'the Cloud Map namespace name' },
                service_name: { type: 'string', minLength: 1, description: 'the Cloud Map service name' },
                port: { type: 'integer', minimum: 1, maximum: 65535, description: 'the port added to each address' },
                health_status: {
                  enum: ['HEALTHY', 'UNHEALTHY', 'ALL', 'HEALTHY_OR_ELSE_ALL'],
                  description: 'which instances: HEALTHY, UNHEALTHY, ALL or HEALTHY_OR_ELSE_ALL',
                },
                interval: duration('how often the instances are listed'),
                timeout: duration('how long one listing may take'),
              },
              required: ['namespace', 'service_name'],
              additionalProperties: false,
              description: 'aws_cloud_map: namespace, service_name, port, health_status, interval, timeout',
            },
          },
          minProperties: 1,
          maxProperties: 1,
          additionalProperties: false,
          description: 'exactly one resolver: static, dns, k8s or aws_cloud_map',
        },
        timeout: duration('how long one export may take'),
        retry_on_failure: { type: 'object' },
        sending_queue: sendingQueue,
      },
      required: ['protocol', 'resolver'],
      additionalProperties: false,
      description:
        'load_balancing settings: routing_key, protocol.otlp, resolver, timeout, retry_on_failure, sending_queue',
    },
    prometheus: {
      type: 'object',
      properties: {
        endpoint: endpoint('where Prometheus scrapes /metrics'),
        namespace: { type: 'string' },
        const_labels: { type: 'object', additionalProperties: { type: 'string' } },
        send_timestamps: { type: 'boolean' },
        metric_expiration: duration('how long a silent series is still served'),
        resource_to_telemetry_conversion: {
          type: 'object',
          properties: { enabled: { type: 'boolean' } },
          additionalProperties: false,
          description: '{enabled: true} makes every resource attribute a label',
        },
        enable_open_metrics: { type: 'boolean' },
        translation_strategy: {
          enum: [
            'UnderscoreEscapingWithSuffixes',
            'UnderscoreEscapingWithoutSuffixes',
            'NoUTF8EscapingWithSuffixes',
            'NoTranslation',
          ],
          description: 'how OTLP names become Prometheus names',
        },
      },
      // Open: the HTTP server settings (tls, cors, ...) are squashed into the same mapping.
      required: ['endpoint'],
      description: 'prometheus exporter settings: endpoint, resource_to_telemetry_conversion, metric_expiration',
    },
    awsemf: {
      type: 'object',
      properties: {
        region: { type: 'string', minLength: 1 },
        namespace: { type: 'string', minLength: 1, description: 'the CloudWatch namespace' },
        log_group_name: { type: 'string', pattern: '^/', description: 'the log group of the EMF events' },
        log_stream_name: { type: 'string', minLength: 1 },
        dimension_rollup_option: {
          enum: ['NoDimensionRollup', 'SingleDimensionRollupOnly', 'ZeroAndSingleDimensionRollup'],
          description: 'NoDimensionRollup, SingleDimensionRollupOnly or ZeroAndSingleDimensionRollup',
        },
        metric_declarations: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              dimensions: {
                type: 'array',
                items: { type: 'array', items: { type: 'string' } },
                description: 'dimension sets: lists of attribute names',
              },
              metric_name_selectors: stringList('regexes of metric names', 1),
              label_matchers: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    label_names: stringList('labels whose values are joined', 1),
                    separator: { type: 'string' },
                    regex: { type: 'string' },
                  },
                  required: ['label_names', 'regex'],
                  additionalProperties: false,
                },
              },
            },
            required: ['metric_name_selectors'],
            additionalProperties: false,
            description: 'a declaration {dimensions, metric_name_selectors, label_matchers}',
          },
          description: 'which metrics become CloudWatch metrics, with which dimensions',
        },
      },
      required: ['namespace', 'log_group_name'],
      description: 'awsemf settings: region, namespace, log_group_name, metric_declarations',
    },
    debug: {
      type: 'object',
      properties: {
        verbosity: { enum: ['basic', 'normal', 'detailed'], description: 'basic, normal or detailed' },
        sampling_initial: positiveInteger('messages logged each second before sampling'),
        sampling_thereafter: positiveInteger('then one message in this many'),
        use_internal_logger: { type: 'boolean' },
      },
      additionalProperties: false,
      description: 'debug settings: verbosity, sampling_initial, sampling_thereafter',
    },
  },
  extensions: {
    health_check: {
      type: 'object',
      properties: { endpoint: endpoint('the health check listen address'), path: { type: 'string', pattern: '^/' } },
      description: 'health_check settings: endpoint, path',
    },
    basicauth: {
      type: 'object',
      properties: {
        client_auth: {
          type: 'object',
          properties: {
            username: { type: 'string', minLength: 1 },
            password: { type: 'string', minLength: 1 },
            username_file: { type: 'string' },
            password_file: { type: 'string' },
          },
          additionalProperties: false,
          description: 'client credentials {username, password}',
        },
        htpasswd: { type: 'object' },
      },
      additionalProperties: false,
      minProperties: 1,
      description: 'basicauth settings: client_auth {username, password}',
    },
  },
  connectors: {
    routing: {
      type: 'object',
      properties: {
        default_pipelines: stringList('the pipelines of data no route matches', 1),
        error_mode: errorMode,
        table: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            properties: {
              context: { enum: ['resource', 'span', 'metric', 'datapoint', 'log', 'request'] },
              condition: { type: 'string', minLength: 1 },
              statement: { type: 'string', minLength: 1 },
              pipelines: stringList('the pipelines of matching data', 1),
            },
            required: ['pipelines'],
            oneOf: [requires('condition'), requires('statement')],
            additionalProperties: false,
            description: 'a route {context, condition or statement, pipelines}',
          },
          description: 'the routes',
        },
      },
      required: ['table'],
      additionalProperties: false,
      description: 'routing settings: default_pipelines, error_mode, table',
    },
  },
};

const anyComponent: SchemaObject = {
  type: ['object', 'null'],
  description: 'component settings: a mapping (or empty)',
};

function section(kind: string): SchemaObject {
  const known = COMPONENT_SCHEMAS[kind] ?? {};
  return {
    type: 'object',
    propertyNames: { pattern: COMPONENT_ID, description: 'a component id: type or type/name, in snake_case' },
    patternProperties: Object.fromEntries(Object.entries(known).map(([type, schema]) => [`^${type}(/.*)?$`, schema])),
    additionalProperties: anyComponent,
    description: `the ${kind}, by id`,
  };
}

const pipeline: SchemaObject = {
  type: 'object',
  properties: {
    receivers: stringList('the receivers (or connectors) the pipeline reads from', 1),
    processors: stringList('the processors, in order'),
    exporters: stringList('the exporters (or connectors) the pipeline writes to', 1),
  },
  required: ['receivers', 'exporters'],
  additionalProperties: false,
  description: 'a pipeline {receivers, processors, exporters}',
};

const telemetry: SchemaObject = {
  type: 'object',
  properties: {
    logs: {
      type: 'object',
      properties: {
        level: { enum: ['debug', 'info', 'warn', 'error', 'dpanic', 'panic', 'fatal'], description: 'the log level' },
        encoding: { enum: ['json', 'console'], description: 'json or console' },
      },
      description: 'the collector logs: level, encoding',
    },
    metrics: {
      type: 'object',
      properties: {
        level: { enum: ['none', 'basic', 'normal', 'detailed'], description: 'none, basic, normal or detailed' },
        readers: { type: 'array', minItems: 1, items: { type: 'object' }, description: 'periodic or pull readers' },
      },
      description: 'the collector metrics: level, readers',
    },
    traces: { type: 'object' },
    resource: { type: 'object' },
  },
  additionalProperties: false,
  description: 'service.telemetry: logs, metrics, traces, resource',
};

export const COLLECTOR_CONFIG_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    receivers: { ...section('receivers'), minProperties: 1 },
    processors: section('processors'),
    exporters: { ...section('exporters'), minProperties: 1 },
    extensions: section('extensions'),
    connectors: section('connectors'),
    service: {
      type: 'object',
      properties: {
        extensions: { ...stringList('the extensions to start'), uniqueItems: true },
        pipelines: {
          type: 'object',
          minProperties: 1,
          propertyNames: {
            pattern: '^(traces|metrics|logs|profiles)(/[^/\\s]+)?$',
            description: 'a pipeline id: traces, metrics or logs, optionally /name',
          },
          additionalProperties: pipeline,
          description: 'the pipelines, by id',
        },
        telemetry,
      },
      required: ['pipelines'],
      additionalProperties: false,
      description: 'the service: extensions, pipelines, telemetry',
    },
  },
  required: ['receivers', 'exporters', 'service'],
  additionalProperties: false,
  description: 'a collector config: receivers, processors, exporters, extensions, connectors, service',
};
