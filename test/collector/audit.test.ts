import { envReference, scanExpansions } from '../../lib/collector/expansion';
import { unquoteOttlString } from '../../lib/collector/ottl';
import { AUDIT_EVENT_ATTRIBUTE, auditLogGroupName } from '../../lib/logs/audit';
import { SAMPLE_LOG_RECORDS } from '../../lib/logs/log-schema';
import { generated } from './support';

const sidecar = generated('prod').config;

/** A log record's attributes as an OTLP SDK sends them: nested JSON keys joined with dots (`audit.event`). */
function otlpAttributes(record: object, prefix = ''): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).flatMap(([key, value]) =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(otlpAttributes(value, `${prefix}${key}.`))
        : [[`${prefix}${key}`, value]],
    ),
  );
}

/**
 * Whether the filter processor drops a record: the conditions of its `log` groups, as the config
 * holds them. Only the one form the generator writes is understood, `log.attributes["<key>"] == nil`
 * (true when the attribute is absent); any other condition throws, so a changed condition cannot
 * pass unexamined.
 */
function dropped(filter: Record<string, unknown>, attributes: Record<string, unknown>): boolean {
  const groups = filter.log_conditions as { context: string; conditions: string[] }[];
  return groups.some(({ context, conditions }) =>
    conditions.some((text) => {
      const condition = scanExpansions(text).unescaped;
      const match = condition.match(/^log\.attributes\[("(?:[^"\\]|\\.)*")\] == nil$/);
      const key = match === null ? undefined : unquoteOttlString(match[1]);
      if (context !== 'log' || typeof key !== 'string') throw new Error(`condition not modelled: ${condition}`);
      return attributes[key] === undefined;
    }),
  );
}

const auditFilter = sidecar.processors?.['filter/audit'] ?? {};
const [auditSample] = SAMPLE_LOG_RECORDS.filter((record) => record.audit !== undefined);
const ordinarySamples = SAMPLE_LOG_RECORDS.filter((record) => record.audit === undefined);

describe('the audit trail in the sidecar config', () => {
  test('an audit record passes the audit filter: it lands in the audit log group', () => {
    const attributes = otlpAttributes(auditSample);
    expect(attributes[AUDIT_EVENT_ATTRIBUTE]).toBe('permission_change');
    expect(dropped(auditFilter, attributes)).toBe(false);
  });

  test('every ordinary sample record is dropped by the audit filter: none lands in the audit log group', () => {
    expect(ordinarySamples.length).toBeGreaterThan(3);
    expect(ordinarySamples.filter((record) => !dropped(auditFilter, otlpAttributes(record)))).toEqual([]);
  });

  test('the audit pipeline filters, then enriches and scrubs PII exactly as the logs pipeline does', () => {
    const { logs, 'logs/audit': audit } = sidecar.service.pipelines;
    expect(audit.processors).toEqual(['memory_limiter', 'filter/audit', ...(logs.processors ?? []).slice(1)]);
    expect(audit.processors?.slice(-2)).toEqual(['transform/drop_secrets', 'redaction/pii']);
  });

  test("its exporter writes to the environment's audit log group, one stream per service", () => {
    expect(sidecar.service.pipelines['logs/audit'].exporters).toEqual(['awscloudwatchlogs/audit']);
    expect(sidecar.exporters['awscloudwatchlogs/audit']).toEqual({
      region: 'eu-west-1',
      log_group_name: auditLogGroupName('starmates-ai-team', 'prod'),
      log_stream_name: envReference('OBSERVED_SERVICE_NAME'),
    });
  });

  test('ordinary records still go to Grafana Cloud: the logs pipeline has no audit filter', () => {
    expect(sidecar.service.pipelines.logs.processors).not.toContain('filter/audit');
  });

  test('the gateway, which receives no logs, has no audit pipeline', () => {
    expect(Object.keys(generated('prod', 'gateway').config.service.pipelines)).not.toContain('logs/audit');
  });
});
