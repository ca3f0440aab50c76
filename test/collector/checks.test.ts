import { CollectorConfigError, checkCollectorConfig, findCollectorConfigProblems } from '../../lib/collector/checks';
import { AWS_OTEL_COLLECTOR } from '../../lib/collector/distributions';
import { tenantCollectorConfigs } from '../support/tenant-profiles';
import { generated, problemsAfter, problemsAfterIn } from './support';

const gatewayWithTenants = () => tenantCollectorConfigs().gateway;

describe('generated configs', () => {
  test.each(['dev', 'staging', 'prod'])('the %s sidecar passes every check', (env) => {
    const { config, environment, distribution } = generated(env);
    expect(findCollectorConfigProblems(config, environment, distribution)).toEqual([]);
  });

  test.each(['prod', 'staging'])('the %s gateway passes every check too', (env) => {
    const { config, environment, distribution } = generated(env, 'gateway');
    expect(findCollectorConfigProblems(config, environment, distribution)).toEqual([]);
  });

  test('with tenants, the gateway and every tenant sidecar pass every check', () => {
    const { gateway, tenants } = tenantCollectorConfigs();
    for (const { config, environment, distribution } of [gateway, ...Object.values(tenants)]) {
      expect(findCollectorConfigProblems(config, environment, distribution)).toEqual([]);
    }
  });
});

describe('(1) keys, kinds and values as upstream defines them', () => {
  test('an unknown key names the nearest key upstream has and where the keys come from', () => {
    expect(problemsAfter((config) => (config.processors.memory_limiter.limit_mb = 400))).toEqual([
      expect.stringMatching(
        /^processors\.memory_limiter\.limit_mb: unknown key\. Did you mean "limit_mib"\? Remove or rename it; otelcol-contrib v0\.159\.0 accepts check_interval, limit_mib, .* \(open-telemetry\/opentelemetry-collector internal\/memorylimiter\/config\.go @ v0\.159\.0/,
      ),
    ]);
  });

  test('an unknown key deep in a shared config package is named by its full path', () => {
    expect(
      problemsAfter((config) => (config.exporters['otlp_http/grafana_cloud'].sending_queue.batch.min_sz = 10)),
    ).toEqual([
      expect.stringMatching(
        /^exporters\.otlp_http\/grafana_cloud\.sending_queue\.batch\.min_sz: unknown key\. Did you mean "min_size"\?/,
      ),
    ]);
  });

  test('a value of the wrong kind is named with the kind upstream expects', () => {
    expect(problemsAfter((config) => (config.processors.memory_limiter.limit_mib = '1638'))).toEqual([
      'processors.memory_limiter.limit_mib: expected an integer, got string "1638". Write an integer',
    ]);
  });

  test('a duration that is not a Go duration is named with an example', () => {
    expect(
      problemsAfter(
        (config) => (config.exporters['otlp_http/grafana_cloud'].sending_queue.batch.flush_timeout = '1 second'),
      ),
    ).toEqual([
      'exporters.otlp_http/grafana_cloud.sending_queue.batch.flush_timeout: expected a Go duration such as "1s" or ' +
        '"500ms", got string "1 second". Write a Go duration such as "1s" or "500ms"',
    ]);
  });

  test('a value outside a closed set lists the values upstream accepts', () => {
    expect(
      problemsAfter((config) => (config.exporters['otlp_http/grafana_cloud'].sending_queue.sizer = 'item')),
    ).toEqual([
      'exporters.otlp_http/grafana_cloud.sending_queue.sizer: "item" is not an accepted value. Use one of requests, ' +
        'items, bytes (did you mean "items"?)',
    ]);
  });

  test(`a \${env:} reference is accepted where a value of any kind is expected`, () => {
    expect(
      problemsAfter((config, environment) => {
        config.processors.memory_limiter.limit_mib = `\${env:COLLECTOR_LIMIT_MIB}`;
        environment.push({
          name: 'COLLECTOR_LIMIT_MIB',
          secret: false,
          value: '1638',
          readBy: 'config',
          description: '',
        });
      }),
    ).toEqual([]);
  });

  test('a flat list of OTTL statements is accepted as well as a context group', () => {
    expect(
      problemsAfter((config) => {
        const [resourceGroup] = config.processors['transform/drop_secrets'].log_statements;
        config.processors['transform/drop_secrets'].log_statements = [
          resourceGroup,
          'delete_key(log.attributes, "password")',
        ];
      }),
    ).toEqual([]);
  });

  test('an unknown key in a context group is named', () => {
    expect(
      problemsAfter((config) => {
        config.processors['transform/drop_secrets'].log_statements = [{ context: 'log', statement: ['set(x, 1)'] }];
      }),
    ).toEqual([
      expect.stringMatching(
        /^processors\.transform\/drop_secrets\.log_statements\[0\]\.statement: unknown key\. Did you mean "statements"\?/,
      ),
    ]);
  });

  test('a component type the key data does not carry, but the distribution has, asks for the key data', () => {
    expect(
      problemsAfter((config) => {
        config.processors.attributes = { actions: [] };
        config.service.pipelines.traces.processors.push('attributes');
      }),
    ).toEqual([
      'processors.attributes: no upstream key data for the processor type "attributes". Add it to COMPONENTS in ' +
        'scripts/derive-collector-keys.ts and regenerate the key data (README, "Upstream config keys")',
    ]);
  });

  test('an unknown top-level section is named', () => {
    expect(problemsAfter((config) => (config.pipelines = {}))).toEqual([
      expect.stringMatching(
        /^pipelines: unknown key\. Remove or rename it; otelcol-contrib v0\.159\.0 accepts connectors, exporters, extensions, processors, receivers, service here/,
      ),
    ]);
  });

  test('an unknown key in service::telemetry is named', () => {
    expect(problemsAfter((config) => (config.service.telemetry.logs.encodng = 'json'))).toEqual([
      expect.stringMatching(/^service\.telemetry\.logs\.encodng: unknown key\. Did you mean "encoding"\?/),
    ]);
  });

  test('a closed value upstream compares exactly is refused in another case', () => {
    expect(
      problemsAfter((config) => (config.exporters['otlp_http/grafana_cloud'].sending_queue.sizer = 'Items')),
    ).toEqual([
      'exporters.otlp_http/grafana_cloud.sending_queue.sizer: "Items" is not an accepted value. Use one of ' +
        'requests, items, bytes (did you mean "items"?)',
    ]);
  });

  test('a closed value upstream lower-cases first is accepted in any case', () => {
    expect(problemsAfter((config) => (config.service.telemetry.metrics.level = 'NORMAL'))).toEqual([]);
  });

  test('a telemetry level outside the closed set is named', () => {
    expect(problemsAfter((config) => (config.service.telemetry.metrics.level = 'verbose'))).toEqual([
      'service.telemetry.metrics.level: "verbose" is not an accepted value. Use one of none, basic, normal, detailed',
    ]);
  });
});

describe('(1) what the collector requires beyond key shapes', () => {
  test('memory_limiter without check_interval names the missing key', () => {
    expect(problemsAfter((config) => delete config.processors.memory_limiter.check_interval)).toEqual([
      'processors.memory_limiter.check_interval: missing. Add it (such as "1s"): the limiter checks memory this often',
    ]);
  });

  test('memory_limiter with both limit_mib and limit_percentage asks for exactly one', () => {
    expect(problemsAfter((config) => (config.processors.memory_limiter.limit_percentage = 80))).toEqual([
      'processors.memory_limiter: both limit_mib and limit_percentage. Set exactly one of them',
    ]);
  });

  test('memory_limiter with neither limit asks for exactly one', () => {
    expect(problemsAfter((config) => delete config.processors.memory_limiter.limit_mib)).toEqual([
      'processors.memory_limiter: no limit. Set exactly one of them',
    ]);
  });

  test('a pipeline without exporters is named', () => {
    expect(problemsAfter((config) => delete config.service.pipelines.logs.exporters)).toEqual([
      'service.pipelines.logs.exporters: missing. A pipeline needs at least one of its exporters',
    ]);
  });

  test('an unknown pipeline signal is named', () => {
    expect(
      problemsAfter((config) => {
        config.service.pipelines.spans = config.service.pipelines.traces;
        delete config.service.pipelines.traces;
      }),
    ).toEqual([
      'service.pipelines.spans: not a valid pipeline id. Use a signal (traces, metrics, logs or profiles), optionally with /name',
    ]);
  });

  test('a redaction processor that would delete every attribute is refused', () => {
    expect(problemsAfter((config) => (config.processors['redaction/pii'].allow_all_keys = false))).toEqual([
      'processors.redaction/pii.allow_all_keys: must be true, or the processor deletes every attribute not in ' +
        'allowed_keys. Set it to true',
    ]);
  });

  test('a config without receivers reports the missing section and nothing the other checks cannot reach', () => {
    expect(problemsAfter((config) => delete config.receivers)).toEqual([
      'receivers: missing. Add it: the collector does not start without receivers',
    ]);
  });

  test('a component type written in the wrong case is named with the type it means', () => {
    expect(
      problemsAfter((config) => {
        config.receivers.OTLP = config.receivers.otlp;
        delete config.receivers.otlp;
        for (const pipeline of Object.values(config.service.pipelines) as { receivers: string[] }[]) {
          pipeline.receivers = pipeline.receivers.map((id) => (id === 'otlp' ? 'OTLP' : id));
        }
      }),
    ).toEqual([
      'receivers.OTLP: the component type "OTLP" is in no known receiver list (otelcol-contrib v0.159.0, ' +
        'aws-otel-collector v0.49.0). Did you mean "otlp"? Fix the name or remove it',
    ]);
  });

  test('a component id that is not an id is named', () => {
    expect(
      problemsAfter((config) => {
        config.receivers['1otlp'] = config.receivers.otlp;
        delete config.receivers.otlp;
        for (const pipeline of Object.values(config.service.pipelines) as { receivers: string[] }[]) {
          pipeline.receivers = ['1otlp'];
        }
      }).slice(0, 1),
    ).toEqual([
      'receivers.1otlp: not a valid component id; expected type or type/name, the type of letters, digits, _',
    ]);
  });
});

describe('(1) the components of the gateway tier', () => {
  test('a load_balancing exporter with an endpoint in protocol.otlp is an error: the resolver supplies it', () => {
    expect(
      problemsAfter((config) => (config.exporters['load_balancing/gateway'].protocol.otlp.endpoint = 'gateway:4317')),
    ).toEqual([
      "exporters.load_balancing/gateway.protocol.otlp.endpoint: remove it; the resolver supplies each backend's endpoint",
    ]);
  });

  test('a load_balancing exporter without a resolver is an error', () => {
    expect(problemsAfter((config) => delete config.exporters['load_balancing/gateway'].resolver)).toEqual([
      'exporters.load_balancing/gateway.resolver: none. Configure exactly one of static, dns, k8s or aws_cloud_map',
    ]);
  });

  test('a load_balancing exporter with two resolvers is an error', () => {
    expect(
      problemsAfter((config) => (config.exporters['load_balancing/gateway'].resolver.dns = { hostname: 'gateway' })),
    ).toEqual([
      'exporters.load_balancing/gateway.resolver: aws_cloud_map and dns. Configure exactly one of static, dns, k8s ' +
        'or aws_cloud_map',
    ]);
  });

  test('an aws_cloud_map resolver without a service name is an error', () => {
    expect(
      problemsAfter((config) => delete config.exporters['load_balancing/gateway'].resolver.aws_cloud_map.service_name),
    ).toEqual([
      'exporters.load_balancing/gateway.resolver.aws_cloud_map.service_name: missing. Name the Cloud Map service name',
    ]);
  });

  test('a routing key load_balancing does not know is an error', () => {
    expect(problemsAfter((config) => (config.exporters['load_balancing/gateway'].routing_key = 'trace_id'))).toEqual([
      'exporters.load_balancing/gateway.routing_key: "trace_id" is not an accepted value. Use one of service, ' +
        'traceID, metric, resource, streamID, attributes (did you mean "traceID"?)',
    ]);
  });

  test('a misspelt tail_sampling decision cache key is named', () => {
    expect(
      problemsAfterIn(generated('prod', 'gateway'), (config) => {
        config.processors.tail_sampling.decision_cache.sampled_cache = 5;
      }),
    ).toEqual([
      expect.stringMatching(
        /^processors\.tail_sampling\.decision_cache\.sampled_cache: unknown key\. Did you mean "sampled_cache_size"\? Remove or rename it/,
      ),
    ]);
  });

  test('a tail_sampling policy of a type upstream does not have is named', () => {
    expect(
      problemsAfterIn(generated('prod', 'gateway'), (config) => {
        config.processors.tail_sampling.policies[0].type = 'status';
      }),
    ).toEqual([
      expect.stringMatching(/^processors\.tail_sampling\.policies\[0\]\.type: "status" is not an accepted value/),
    ]);
  });
});

describe('(2) references between components', () => {
  test('a pipeline naming an undefined processor is an error', () => {
    expect(problemsAfter((config) => config.service.pipelines.traces.processors.push('batch'))).toEqual([
      'service.pipelines.traces.processors: "batch" is not defined under processors. Define it or remove it',
    ]);
  });

  test('a pipeline naming an undefined exporter is an error', () => {
    expect(problemsAfter((config) => config.service.pipelines.logs.exporters.push('otlp_grpc/tempo'))).toEqual([
      'service.pipelines.logs.exporters: "otlp_grpc/tempo" is not defined under exporters or connectors. Define it or remove it',
    ]);
  });

  test('a processor defined but used in no pipeline is an error', () => {
    expect(problemsAfter((config) => (config.processors.batch = { timeout: '1s' }))).toEqual([
      'processors.batch: defined but used in no pipeline. Use it in a pipeline or remove it',
    ]);
  });

  test('an exporter defined but used in no pipeline is an error', () => {
    expect(
      problemsAfter((config) => {
        config.service.pipelines['metrics/cloudwatch'].exporters = ['otlp_http/grafana_cloud'];
        config.service.pipelines['metrics/self-cloudwatch'].exporters = ['otlp_http/grafana_cloud'];
      }),
    ).toEqual(['exporters.awsemf: defined but used in no pipeline. Use it in a pipeline or remove it']);
  });

  test('an authenticator extension missing from service.extensions is an error, because it never starts', () => {
    expect(problemsAfter((config) => (config.service.extensions = ['health_check']))).toEqual([
      'extensions.basicauth/grafana_cloud: defined but not in service.extensions (it is referenced as an authenticator), ' +
        'so the collector never starts it. Add it to service.extensions or remove it',
    ]);
  });

  test('an authenticator that is not defined is an error', () => {
    expect(
      problemsAfter((config) => (config.exporters['otlp_http/grafana_cloud'].auth.authenticator = 'bearertokenauth')),
    ).toEqual([
      'exporters.otlp_http/grafana_cloud.auth.authenticator: "bearertokenauth" is not defined under extensions. ' +
        'Define the auth extension',
    ]);
  });

  test('a service extension that is not defined is an error', () => {
    expect(problemsAfter((config) => config.service.extensions.push('pprof'))).toEqual([
      'service.extensions: "pprof" is not defined under extensions. Define it or remove it',
    ]);
  });

  test('a connector must feed one pipeline from another', () => {
    expect(
      problemsAfter((config) => {
        config.connectors = { forward: {} };
        config.service.pipelines.traces.exporters.push('forward');
      }),
    ).toEqual([
      'connectors.forward: a connector must be an exporter of one pipeline and a receiver of another. ' +
        'Wire both ends or remove it',
    ]);
  });
});

describe('(2) the routing connector', () => {
  test('a route naming a pipeline that does not read from the connector is an error naming the ones that do', () => {
    expect(
      problemsAfterIn(gatewayWithTenants(), (config) => {
        config.connectors['routing/tenants'].table[1].pipelines = ['traces/tenant-initech'];
      }),
    ).toEqual([
      'connectors.routing/tenants.table[1].pipelines[0]: "traces/tenant-initech" is not a pipeline that receives from ' +
        'routing/tenants. Name one of traces/platform, traces/tenant-acme-corp, traces/tenant-globex or add ' +
        "routing/tenants to that pipeline's receivers",
    ]);
  });

  test('default pipelines naming a pipeline that does not read from the connector are an error', () => {
    expect(
      problemsAfterIn(gatewayWithTenants(), (config) => {
        config.connectors['routing/tenants'].default_pipelines = ['metrics'];
      }),
    ).toEqual([
      expect.stringMatching(
        /^connectors\.routing\/tenants\.default_pipelines\[0\]: "metrics" is not a pipeline that receives from routing\/tenants\./,
      ),
    ]);
  });

  test('a route condition with a regex that is not RE2 is an error naming the route', () => {
    expect(
      problemsAfterIn(gatewayWithTenants(), (config) => {
        config.connectors['routing/tenants'].table[0].condition =
          'IsMatch(resource.attributes["tenant.id"], "^acme(?!-x)")';
      }),
    ).toEqual([
      expect.stringMatching(
        /^connectors\.routing\/tenants\.table\[0\]\.condition: the IsMatch regex "\^acme\(\?!-x\)" is not valid Go RE2/,
      ),
    ]);
  });

  test('a route with neither a condition nor a statement is an error', () => {
    expect(
      problemsAfterIn(gatewayWithTenants(), (config) => delete config.connectors['routing/tenants'].table[0].condition),
    ).toEqual(['connectors.routing/tenants.table[0]: neither condition nor statement. Give the route a condition']);
  });
});

describe('(3) memory_limiter comes first', () => {
  test('memory_limiter after another processor is an error naming the pipeline', () => {
    expect(problemsAfter((config) => config.service.pipelines.logs.processors.reverse())).toEqual([
      'service.pipelines.logs.processors: memory_limiter is at position 6 after "redaction/pii". Move it first: ' +
        'it must refuse data before any other processor holds it',
    ]);
  });

  test('a pipeline without memory_limiter is an error', () => {
    expect(problemsAfter((config) => config.service.pipelines.traces.processors.shift())).toEqual([
      'service.pipelines.traces.processors: no memory_limiter. Put memory_limiter first so the collector refuses ' +
        'data before it runs out of memory',
    ]);
  });

  test('a pipeline fed only by a connector needs no memory_limiter: its data passed one upstream', () => {
    const { gateway } = tenantCollectorConfigs();
    expect(gateway.config.service.pipelines['traces/tenant-acme-corp'].processors).toBeUndefined();
    expect(problemsAfterIn(gateway, () => {})).toEqual([]);
  });

  test('a pipeline fed by a connector and a receiver still needs a memory_limiter', () => {
    expect(
      problemsAfterIn(gatewayWithTenants(), (config) =>
        config.service.pipelines['traces/platform'].receivers.push('otlp'),
      ),
    ).toEqual([
      'service.pipelines.traces/platform.processors: no memory_limiter. Put memory_limiter first so the collector ' +
        'refuses data before it runs out of memory',
    ]);
  });

  test('a spike limit at or above the limit is an error', () => {
    expect(problemsAfter((config) => (config.processors.memory_limiter.spike_limit_mib = 409))).toEqual([
      'processors.memory_limiter.spike_limit_mib: 409 is not below limit_mib 409. Use about 20-25 % of the limit',
    ]);
  });
});

describe('(4) the environment contract', () => {
  test(`a \${env:} reference missing from the contract is an error`, () => {
    expect(
      problemsAfter(
        (config) => (config.exporters['otlp_http/grafana_cloud'].headers = { 'X-Scope-OrgID': `\${env:TENANT}` }),
      ),
    ).toEqual([
      `exporters.otlp_http/grafana_cloud.headers.X-Scope-OrgID: reads \${env:TENANT}, which is not in the environment ` +
        'contract. Add it (secret or plain) so the container gets it',
    ]);
  });

  test('a contract variable the config never reads is an error', () => {
    expect(
      problemsAfter((_config, environment) =>
        environment.push({
          name: 'GRAFANA_CLOUD_LOKI_URL',
          secret: false,
          value: 'x',
          readBy: 'config',
          description: '',
        }),
      ),
    ).toEqual([
      'environment contract: GRAFANA_CLOUD_LOKI_URL is declared for the config, but the config never reads ' +
        `\${env:GRAFANA_CLOUD_LOKI_URL}. Use it or remove it`,
    ]);
  });

  test(`a bare $VAR is an error that shows the \${env:} form`, () => {
    expect(
      problemsAfter(
        (config) => (config.extensions['basicauth/grafana_cloud'].client_auth.password = '$GRAFANA_CLOUD_API_KEY'),
      ),
    ).toEqual([
      'extensions.basicauth/grafana_cloud.client_auth.password: "$GRAFANA_CLOUD_API_KEY" is not expanded by the ' +
        `collector (a bare $NAME is not supported). Write \${env:GRAFANA_CLOUD_API_KEY}, or $$GRAFANA_CLOUD_API_KEY for ` +
        'the literal text',
      'environment contract: GRAFANA_CLOUD_API_KEY is declared for the config, but the config never reads ' +
        `\${env:GRAFANA_CLOUD_API_KEY}. Use it or remove it`,
    ]);
  });

  test('a regex anchor written as a single "$" is an error asking for "$$"', () => {
    expect(
      problemsAfter(
        (config) => (config.exporters.awsemf.metric_declarations[0].metric_name_selectors[0] = '^request_count$'),
      ),
    ).toEqual([
      'exporters.awsemf.metric_declarations[0].metric_name_selectors[0]: a lone "$" is ambiguous (the collector turns ' +
        '"$$" into "$"). Write $$ for a literal $',
    ]);
  });

  test('a secret with a value in the contract is an error', () => {
    expect(
      problemsAfter((_config, environment) => {
        environment[1].value = 'glc_not_in_the_contract';
      }),
    ).toEqual([
      'environment contract: GRAFANA_CLOUD_API_KEY is secret but carries a value. Secrets come from the secret store ' +
        'at run time; drop the value',
    ]);
  });

  test(`a token written inline instead of through \${env:} is an error`, () => {
    expect(
      problemsAfter(
        (config) =>
          (config.extensions['basicauth/grafana_cloud'].client_auth.password =
            'glc_eyJvIjoiMTIzNDU2IiwibiI6InN0YWNrLTEyMzQ1NiJ9'),
      ),
    ).toEqual([
      'extensions.basicauth/grafana_cloud.client_auth.password: holds what looks like a credential (api-key). Pass it ' +
        `as a secret environment variable and read it with \${env:NAME}`,
      expect.stringContaining(
        'environment contract: GRAFANA_CLOUD_API_KEY is declared for the config, but the config never reads',
      ),
    ]);
  });
});

describe('(5) every regex compiles as Go RE2', () => {
  test('a lookbehind in redaction blocked_values is an error naming the entry', () => {
    expect(
      problemsAfter((config) => config.processors['redaction/pii'].blocked_values.push('(?<=card )\\d{16}')),
    ).toEqual([
      'processors.redaction/pii.blocked_values[8]: the regex "(?<=card )\\\\d{16}" is not valid Go RE2 (error parsing ' +
        'regexp: invalid named capture: `(?<=card )\\d{16}`). RE2 has no lookaround or backreferences',
    ]);
  });

  test('a backreference in a transform replace_pattern is an error naming the statement', () => {
    expect(
      problemsAfter((config) =>
        config.processors['transform/drop_secrets'].log_statements[2].statements.push(
          'replace_pattern(log.body, "(\\\\w)\\\\1", "****")',
        ),
      ),
    ).toEqual([
      'processors.transform/drop_secrets.log_statements[2].statements[1]: the replace_pattern regex "(\\\\w)\\\\1" is not valid Go ' +
        'RE2 (error parsing regexp: invalid escape sequence: `\\1`). RE2 has no lookaround or backreferences',
    ]);
  });

  test('an OTTL string with a single backslash escape is an error, because OTTL unquotes it like Go', () => {
    expect(
      problemsAfter((config) =>
        config.processors['transform/drop_secrets'].log_statements[2].statements.push(
          'replace_pattern(log.body, "\\d{4}", "****")',
        ),
      ),
    ).toEqual([
      'processors.transform/drop_secrets.log_statements[2].statements[1]: invalid escape "\\d" in the OTTL string "\\d{4}"; write ' +
        '"\\\\d" for a backslash',
    ]);
  });

  test('a lookahead in a filter condition is an error', () => {
    expect(
      problemsAfter((config) =>
        config.processors['filter/cloudwatch'].metric_conditions[0].conditions.push(
          'IsMatch(metric.name, "^otelcol_(?!exporter)")',
        ),
      ),
    ).toEqual([
      expect.stringMatching(
        /^processors\.filter\/cloudwatch\.metric_conditions\[0\]\.conditions\[1\]: the IsMatch regex "\^otelcol_\(\?!exporter\)" is not valid Go RE2/,
      ),
    ]);
  });

  test('an invalid awsemf metric name selector is an error (awsemf itself would only log a warning)', () => {
    expect(
      problemsAfter(
        (config) =>
          (config.exporters.awsemf.metric_declarations[0].metric_name_selectors[1] = '^request_errors_total['),
      ),
    ).toEqual([
      expect.stringMatching(
        /^exporters\.awsemf\.metric_declarations\[0\]\.metric_name_selectors\[1\]: the metric name selector "\^request_errors_total\[" is not valid Go RE2/,
      ),
    ]);
  });
});

describe('(6) component types of the pinned distribution', () => {
  test('a component the pinned distribution lacks names the distributions that have it', () => {
    expect(
      problemsAfter((config) => {
        for (const id of [
          'transform/drop_secrets',
          'transform/cloudwatch',
          'transform/service_identity',
          'transform/self_identity',
          'transform/heartbeat',
          'transform/source_token',
          'cumulative_to_delta',
        ]) {
          delete config.processors[id];
          for (const pipeline of Object.values(config.service.pipelines) as { processors: string[] }[]) {
            pipeline.processors = pipeline.processors.filter((processor) => processor !== id);
          }
        }
        config.extensions.basicauth = config.extensions['basicauth/grafana_cloud'];
      }, AWS_OTEL_COLLECTOR).filter((problem) => problem.includes('aws-otel-collector')),
    ).toEqual([
      'processors.redaction/pii: the component type "redaction" is not in aws-otel-collector v0.49.0; it is in ' +
        'otelcol-contrib v0.159.0. Pin a distribution that has it or remove it',
      'processors.deltatocumulative: the component type "deltatocumulative" is not in aws-otel-collector v0.49.0; it ' +
        'is in otelcol-contrib v0.159.0. Pin a distribution that has it or remove it',
      'extensions.basicauth/grafana_cloud: the component type "basicauth" is not in aws-otel-collector v0.49.0; it is ' +
        'in otelcol-contrib v0.159.0. Pin a distribution that has it or remove it',
      'extensions.basicauth: the component type "basicauth" is not in aws-otel-collector v0.49.0; it is in ' +
        'otelcol-contrib v0.159.0. Pin a distribution that has it or remove it',
    ]);
  });

  test("a deprecated exporter alias names today's name", () => {
    expect(
      problemsAfter((config) => {
        config.exporters['otlphttp/grafana_cloud'] = config.exporters['otlp_http/grafana_cloud'];
        delete config.exporters['otlp_http/grafana_cloud'];
        // Every pipeline that used the exporter (with a gateway, traces use load_balancing instead).
        for (const pipeline of Object.values(config.service.pipelines) as { exporters: string[] }[]) {
          pipeline.exporters = pipeline.exporters.map((id) =>
            id === 'otlp_http/grafana_cloud' ? 'otlphttp/grafana_cloud' : id,
          );
        }
      }),
    ).toEqual([
      'exporters.otlphttp/grafana_cloud: "otlphttp" is a deprecated name in otelcol-contrib v0.159.0. Use today\'s name "otlp_http"',
    ]);
  });

  test("a deprecated processor alias names today's name", () => {
    expect(
      problemsAfter((config) => {
        config.processors.resourcedetection = config.processors.resource_detection;
        delete config.processors.resource_detection;
        for (const pipeline of Object.values(config.service.pipelines) as { processors: string[] }[]) {
          pipeline.processors = pipeline.processors.map((id) =>
            id === 'resource_detection' ? 'resourcedetection' : id,
          );
        }
      }),
    ).toEqual([
      'processors.resourcedetection: "resourcedetection" is a deprecated name in otelcol-contrib v0.159.0. Use ' +
        'today\'s name "resource_detection"',
    ]);
  });

  test('a type no distribution knows suggests the nearest known name', () => {
    expect(
      problemsAfter((config) => {
        config.processors.memorylimiter = { check_interval: '1s', limit_mib: 100 };
        config.service.pipelines.traces.processors.push('memorylimiter');
      }),
    ).toEqual([
      'processors.memorylimiter: the component type "memorylimiter" is in no known processor list (otelcol-contrib ' +
        'v0.159.0, aws-otel-collector v0.49.0). Did you mean "memory_limiter"? Fix the name or remove it',
    ]);
  });
});

describe('CollectorConfigError', () => {
  test('carries every problem and prints one per line', () => {
    const { config, environment, distribution } = generated('prod');
    const broken = { ...config, service: { ...config.service, extensions: ['health_check', 'zpages'] } };
    let caught: unknown;
    try {
      checkCollectorConfig(broken, environment, distribution);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CollectorConfigError);
    const error = caught as CollectorConfigError;
    expect(error.problems).toHaveLength(2);
    expect(error.message.split('\n')).toEqual([
      'Invalid collector config:',
      '  - service.extensions: "zpages" is not defined under extensions. Define it or remove it',
      expect.stringMatching(/^ {2}- extensions\.basicauth\/grafana_cloud: defined but not in service\.extensions/),
    ]);
  });
});
