import { fieldsUsedBy, QuerySyntaxError, unknownFields } from '../../lib/logs/query-fields';

describe('fieldsUsedBy', () => {
  test('reports the fields of fields, filter, stats … by, sort and display, in first-use order', () => {
    const query = [
      'fields service, request.path',
      '| filter response.status >= 500 and ispresent(tracking_id)',
      '| stats count(*) by service, request.method',
      '| sort service asc',
      '| display service',
    ].join('\n');
    expect(fieldsUsedBy(query)).toEqual([
      'service',
      'request.path',
      'response.status',
      'tracking_id',
      'request.method',
    ]);
  });

  test('reports the fields inside function arguments', () => {
    expect(fieldsUsedBy('stats pct(request.duration, 95), sum(ai.tokens.input) by bin(5m)')).toEqual([
      'request.duration',
      'ai.tokens.input',
    ]);
  });

  test('leaves out aliases defined with as, also where a later command refers to them', () => {
    expect(fieldsUsedBy('stats count(*) as errors by service | filter errors > 10 | sort errors desc')).toEqual([
      'service',
    ]);
  });

  test('leaves out keywords, string, number and regex literals', () => {
    const query =
      'filter level = "ERROR" or level in ["WARN", \'INFO\'] and not error.message like /time(d)? out/ | limit 20';
    expect(fieldsUsedBy(query)).toEqual(['level', 'error.message']);
  });

  test("leaves out CloudWatch's system fields but reports @@ fields of the JSON", () => {
    expect(fieldsUsedBy('fields @timestamp, @message, @logStream, @log, @ingestionTime, @@level')).toEqual(['@@level']);
  });

  test('leaves out the names a parse command defines, by glob or by regex group', () => {
    expect(fieldsUsedBy('parse @@message "took * s on *" as took, host | stats avg(took) by host')).toEqual([
      '@@message',
    ]);
    expect(fieldsUsedBy('parse file /(?<module>[a-z_]+)\\.py:(?<line>\\d+)/ | display module, line')).toEqual(['file']);
  });

  test('reads backtick-quoted names as fields', () => {
    expect(fieldsUsedBy('fields `user-agent`, @`aws.tag.aws:cloudformation:stack-name`')).toEqual([
      'user-agent',
      '@aws.tag.aws:cloudformation:stack-name',
    ]);
  });

  test('ignores comments', () => {
    expect(fieldsUsedBy('filter tracking_id = "x" # or by tracing.trace_id\n| sort @timestamp asc')).toEqual([
      'tracking_id',
    ]);
  });

  test('reads a slash after an operand as division, not as a regex', () => {
    expect(fieldsUsedBy('fields ai.cost_usd / ai.tokens.output as per_token, sum(response.size) / 1024')).toEqual([
      'ai.cost_usd',
      'ai.tokens.output',
      'response.size',
    ]);
  });

  test('fails on an unknown command rather than guessing', () => {
    expect(() => fieldsUsedBy('fitler level = "ERROR"')).toThrow(QuerySyntaxError);
  });

  test('fails on an unterminated string, a stray character or an empty command', () => {
    expect(() => fieldsUsedBy('filter level = "ERROR')).toThrow(/unterminated string/);
    expect(() => fieldsUsedBy('filter level = {{level}}')).toThrow(/unexpected character/);
    expect(() => fieldsUsedBy('filter level = "ERROR" | | limit 5')).toThrow(/empty command/);
    expect(() => fieldsUsedBy('')).toThrow(/empty query/);
  });
});

describe('unknownFields', () => {
  const known = new Set(['request.duration', 'request.path', '@timestamp']);

  test('reports a misspelt field', () => {
    expect(unknownFields('filter request.durration > 1 | sort request.duration desc', known)).toEqual([
      'request.durration',
    ]);
  });

  test('reports nothing when every field is known', () => {
    expect(unknownFields('stats pct(request.duration, 99) as p99 by request.path | sort p99 desc', known)).toEqual([]);
  });
});
