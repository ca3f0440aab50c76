import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import {
  insightsFieldName,
  LOG_RECORD_SCHEMA,
  type LogRecord,
  logFieldPaths,
  logRecordJsonPaths,
  SAMPLE_LOG_RECORDS,
} from '../../lib/logs/log-schema';

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(LOG_RECORD_SCHEMA);

const [requestRecord, , errorRecord] = SAMPLE_LOG_RECORDS;

/** A sample record with some keys replaced, typed loosely on purpose: the point is to break it. */
function variant(record: LogRecord, changes: Record<string, unknown>): unknown {
  return { ...record, ...changes };
}

describe('the structured log record schema', () => {
  test.each(SAMPLE_LOG_RECORDS.map((record) => [record['@message'], record]))(
    'accepts the sample "%s"',
    (_, record) => {
      expect(validate(record) ? [] : validate.errors).toEqual([]);
    },
  );

  test('rejects a tracking_id of 31 hex characters', () => {
    expect(validate(variant(requestRecord, { tracking_id: requestRecord.tracking_id?.slice(1) }))).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath)).toContain('/tracking_id');
  });

  test('rejects an upper-case or all-zero tracking_id', () => {
    expect(validate(variant(requestRecord, { tracking_id: requestRecord.tracking_id?.toUpperCase() }))).toBe(false);
    expect(validate(variant(requestRecord, { tracking_id: '0'.repeat(32) }))).toBe(false);
  });

  test('rejects an @level outside INFO, WARN, ERROR and DEBUG', () => {
    expect(validate(variant(requestRecord, { '@level': 'FATAL', level: 'FATAL' }))).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath)).toContain('/@level');
  });

  test('rejects a level that disagrees with @level, since the queries filter on level', () => {
    expect(validate(variant(requestRecord, { level: 'ERROR' }))).toBe(false);
  });

  test('rejects error fields on a record below ERROR', () => {
    expect(validate(variant(errorRecord, { '@level': 'WARN', level: 'WARN' }))).toBe(false);
  });

  test('rejects a misspelt key inside a field group', () => {
    const { duration, ...request } = requestRecord.request ?? { method: 'GET', path: '/' };
    expect(validate(variant(requestRecord, { request: { ...request, durration: duration } }))).toBe(false);
    expect(validate.errors?.map((error) => error.params)).toContainEqual({ additionalProperty: 'durration' });
  });

  test('rejects a record without a service', () => {
    const { service: _, ...withoutService } = requestRecord;
    expect(validate(withoutService)).toBe(false);
  });
});

describe('the queryable field paths', () => {
  test('are the dotted leaves of every group, including the ai extension', () => {
    const paths = logFieldPaths();
    for (const path of ['request.duration', 'response.status', 'error.type', 'exception.stack_trace', 'source.line']) {
      expect(paths).toContain(path);
    }
    for (const path of ['ai.model', 'ai.provider', 'ai.tokens.input', 'ai.tokens.output', 'ai.cost_usd']) {
      expect(paths).toContain(path);
    }
    expect(paths).not.toContain('request');
  });

  test('name JSON keys that start with @ with a second @, as Logs Insights does', () => {
    expect(insightsFieldName('@level')).toBe('@@level');
    expect(logFieldPaths()).toContain('@@level');
    expect(logFieldPaths()).toContain('@@message');
    expect(logFieldPaths()).not.toContain('@level');
  });

  test("include CloudWatch's system fields", () => {
    expect([...logFieldPaths()]).toEqual(
      expect.arrayContaining(['@timestamp', '@message', '@logStream', '@log', '@ingestionTime']),
    );
  });

  test('stay within the 200 fields Logs Insights extracts from one JSON event', () => {
    expect(logRecordJsonPaths().length).toBeLessThanOrEqual(200);
  });
});
