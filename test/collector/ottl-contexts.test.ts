import { parse } from 'yaml';
import { collectorLiteral } from '../../lib/collector/expansion';
import type { CollectorConfig } from '../../lib/collector/model';
import { ottlString } from '../../lib/collector/ottl';
import {
  configOttlGroups,
  OTTL_FIELDS,
  ottlGroupsOf,
  ottlPathContexts,
  resolveOttlContext,
} from '../../lib/collector/ottl-contexts';
import { SENSITIVE_KEY_PATTERN } from '../../lib/collector/pii';
import { allGeneratedFiles } from '../../lib/generated-files';
import upstream from '../fixtures/ottl-context-inference.json';
import { profilesWithTenants, tenantCollectorConfigs } from '../support/tenant-profiles';
import { generated, problemsAfter, problemsAfterIn } from './support';

const SECRET_KEYS = collectorLiteral(ottlString(SENSITIVE_KEY_PATTERN.pattern));

/** Every generated collector config: each environment and role, each tenant's sidecar, the local one. */
const GENERATED_CONFIGS: [string, CollectorConfig][] = allGeneratedFiles(profilesWithTenants())
  .filter((file) => file.path.startsWith('collector-config/') && file.path.endsWith('.yaml'))
  .map((file) => [file.path, parse(file.content) as CollectorConfig] as [string, CollectorConfig])
  .filter(([, config]) => config.service?.pipelines !== undefined);

/** The context of the path a statement changes (or a condition tests first): the level it is meant for. */
function intendedLevel(text: string): string {
  return ottlPathContexts(text)[0];
}

/** What the processor will do with each OTTL group of a config, as `path: context` lines. */
function contextsUsed(config: CollectorConfig): string[] {
  return configOttlGroups(config.processors ?? {}).map(({ group, field }) => {
    const resolution = resolveOttlContext(group, field);
    return `${group.path}: ${'error' in resolution ? resolution.error : resolution.context}`;
  });
}

describe('the context each generated OTTL group runs at', () => {
  test('the configs under test are every generated collector config', () => {
    expect(GENERATED_CONFIGS.map(([path]) => path)).toEqual([
      'collector-config/dev/sidecar.yaml',
      'collector-config/local/otel-collector.yaml',
      'collector-config/prod/gateway.yaml',
      'collector-config/prod/sidecar-acme-corp.yaml',
      'collector-config/prod/sidecar-globex.yaml',
      'collector-config/prod/sidecar.yaml',
      'collector-config/staging/gateway.yaml',
      'collector-config/staging/sidecar.yaml',
    ]);
  });

  test.each(GENERATED_CONFIGS)('%s: every OTTL list is made of groups that name their context', (_path, config) => {
    const groups = configOttlGroups(config.processors ?? {}).map(({ group }) => group);
    expect(groups.filter((group) => group.flat || group.context === undefined)).toEqual([]);
  });

  test.each(GENERATED_CONFIGS)(
    '%s: each group runs at the level its statements change, the context it names',
    (_path, config) => {
      const expected = configOttlGroups(config.processors ?? {}).map(
        ({ group }) => `${group.path}: ${[...new Set(group.texts.map(intendedLevel))].join(' and ')}`,
      );
      expect(contextsUsed(config)).toEqual(expected);
    },
  );

  test('drop_secrets deletes credential keys at every level: resource, scope, span, span event, data point, log', () => {
    expect(contextsUsed(generated('prod').config).filter((line) => line.includes('drop_secrets'))).toEqual([
      'processors.transform/drop_secrets.trace_statements[0]: resource',
      'processors.transform/drop_secrets.trace_statements[1]: scope',
      'processors.transform/drop_secrets.trace_statements[2]: span',
      'processors.transform/drop_secrets.trace_statements[3]: spanevent',
      'processors.transform/drop_secrets.metric_statements[0]: resource',
      'processors.transform/drop_secrets.metric_statements[1]: scope',
      'processors.transform/drop_secrets.metric_statements[2]: datapoint',
      'processors.transform/drop_secrets.log_statements[0]: resource',
      'processors.transform/drop_secrets.log_statements[1]: scope',
      'processors.transform/drop_secrets.log_statements[2]: log',
    ]);
  });

  test('the CloudWatch filter tests each metric, and the dimension is set on each data point', () => {
    expect(contextsUsed(generated('prod').config).filter((line) => line.includes('cloudwatch'))).toEqual([
      'processors.filter/cloudwatch.metric_conditions[0]: metric',
      'processors.filter/cloudwatch_self.metric_conditions[0]: metric',
      'processors.transform/cloudwatch.metric_statements[0]: datapoint',
    ]);
  });
});

describe('upstream examples give the context upstream says (transform README, "Context inference")', () => {
  test.each(upstream.cases.map((example) => [example.name, example] as const))('%s', (_name, example) => {
    const field = OTTL_FIELDS.transform[example.field];
    const resolutions = ottlGroupsOf(example.list, example.field, field.kind).map((group) => {
      const resolution = resolveOttlContext(group, field);
      return 'error' in resolution ? 'unparsable' : resolution.context;
    });
    expect(resolutions).toEqual(example.contexts);
  });
});

describe('paths', () => {
  test('a path inside a string literal is not a path', () => {
    expect(ottlPathContexts('set(log.body, "resource.attributes") where log.attributes["span.id"] != nil')).toEqual([
      'log',
      'log',
    ]);
  });

  test('a path without a context prefix has none', () => {
    expect(ottlPathContexts('delete_key(attributes, "token")')).toEqual(['']);
  });
});

describe('the check: groups that would not run where they say', () => {
  test('a flat list of resource, span and span event statements fails: it runs once per span event', () => {
    const drop = (target: string) => `delete_matching_keys(${target}, ${SECRET_KEYS})`;
    expect(
      problemsAfter((config) => {
        config.processors['transform/drop_secrets'].trace_statements = [
          drop('resource.attributes'),
          drop('span.attributes'),
          drop('spanevent.attributes'),
        ];
      }),
    ).toEqual([
      'processors.transform/drop_secrets.trace_statements: a flat list of resource, span, spanevent statements runs ' +
        'as one group at the inferred context "spanevent", once per spanevent, so its other statements miss every ' +
        'item without a spanevent. Fix: one group per context ("- context: resource", "  statements: [...]"), each ' +
        'statement in the group of the level it changes',
    ]);
  });

  test('a group without a context that mixes levels fails the same way', () => {
    expect(
      problemsAfter((config) => {
        config.processors['transform/drop_secrets'].log_statements = [
          { statements: ['delete_key(resource.attributes, "token")', 'delete_key(log.attributes, "token")'] },
        ];
      }),
    ).toEqual([
      expect.stringMatching(
        /^processors\.transform\/drop_secrets\.log_statements\[0\]: a group without a context of resource, log statements runs as one group at the inferred context "log"/,
      ),
    ]);
  });

  test('a single flat statement that reads its resource runs at its own level and passes', () => {
    expect(
      problemsAfter((config) => {
        config.processors['transform/cloudwatch'].metric_statements = [
          'set(datapoint.attributes["service.name"], resource.attributes["service.name"])',
        ];
      }),
    ).toEqual([]);
  });

  test('a span event path in a span group fails: the span context cannot parse it', () => {
    expect(
      problemsAfter((config) => {
        config.processors['transform/drop_secrets'].trace_statements[2].statements.push(
          'delete_key(spanevent.attributes, "token")',
        );
      }),
    ).toEqual([
      'processors.transform/drop_secrets.trace_statements[2]: the spanevent. path in "delete_key(spanevent.attributes, ' +
        '\\"token\\")" cannot be parsed at context "span" (it parses span, resource, instrumentation_scope, scope); ' +
        'move the statement to a group with "context: spanevent"',
    ]);
  });

  test('an unknown context fails, naming the contexts of the list', () => {
    expect(
      problemsAfter((config) => {
        config.processors['transform/drop_secrets'].trace_statements[2].context = 'spans';
      }),
    ).toEqual([
      'processors.transform/drop_secrets.trace_statements[2]: unknown context "spans"; name one of resource, ' +
        'scope, span, spanevent',
    ]);
  });

  test('a metric-only function in a datapoint group fails', () => {
    expect(
      problemsAfter((config) => {
        config.processors['transform/cloudwatch'].metric_statements[0].statements.push('convert_sum_to_gauge()');
      }),
    ).toEqual([
      'processors.transform/cloudwatch.metric_statements[0]: the function convert_sum_to_gauge in ' +
        '"convert_sum_to_gauge()" exists at context "metric" only, not at "datapoint"; move the statement to a ' +
        'group with "context: metric"',
    ]);
  });

  test('a tenant route whose condition reads a span at the resource context fails', () => {
    expect(
      problemsAfterIn(tenantCollectorConfigs().gateway, (config) => {
        config.connectors['routing/tenants'].table[0].condition = 'span.attributes["tenant.id"] == "acme-corp"';
      }),
    ).toEqual([
      'connectors.routing/tenants.table[0]: the span. path in "span.attributes[\\"tenant.id\\"] == \\"acme-corp\\"" ' +
        'cannot be parsed at context "resource" (it parses resource); move the statement to a group with "context: span"',
    ]);
  });
});
