import { configDifferences, sameDocument } from '../../lib/cli/commands/credentials';
import { keyMismatch } from '../../lib/cli/commands/doctor';
import { insightsTimestampMs, orderEvents, traceQueryString } from '../../lib/cli/commands/trace';
import { formatDuration, parseDuration } from '../../lib/cli/duration';
import { shellWord, wrapCommand } from '../../lib/cli/fixes';
import { Redactor, terminalProgress } from '../../lib/cli/io';
import { cleanCell, fitWidths, renderTable, wrapLine } from '../../lib/cli/table';
import { tempoTraceUrl } from '../../lib/cli/tempo';
import { tokenShapeProblem, trimTrailingNewlines } from '../../lib/cli/token';
import { normalizeTrackingId } from '../../lib/cli/tracking-id';
import { CapturedOutput, FAKE_TOKEN } from './support/harness';

describe('durations', () => {
  test.each([
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['1w', 604_800_000],
    ['1w2d', 777_600_000],
    [' 2H ', 7_200_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each(['', '1', 'h', '1x', '1y', '1.5h', '-1h', '1 h'])('"%s" is refused with the accepted forms', (text) => {
    expect(() => parseDuration(text)).toThrow(/Use a number and a unit s, m, h, d or w, e\.g\. 90s, 15m, 1h, 2d, 1w$/);
  });

  test('zero and absurd lengths are refused', () => {
    expect(() => parseDuration('0m')).toThrow('is zero');
    expect(() => parseDuration('4000d')).toThrow('longer than 10 years');
  });

  test('formats back to the shortest form', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(30_000)).toBe('30s');
    expect(formatDuration(172_800_000)).toBe('2d');
    expect(formatDuration(777_600_000)).toBe('1w2d');
  });
});

describe('tracking ids', () => {
  test('a lower-case id is kept; upper case and spaces are normalised', () => {
    expect(normalizeTrackingId('4bf92f3577b34da6a3ce929d0e0e4736')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(normalizeTrackingId(' 4BF92F3577B34DA6A3CE929D0E0E4736\n')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  test.each([
    'abc',
    '4bf92f3577b34da6a3ce929d0e0e473',
    '4bf92f3577b34da6a3ce929d0e0e4736a',
    'zbf92f3577b34da6a3ce929d0e0e4736',
  ])('%s is refused, saying what a tracking id is', (text) => {
    expect(() => normalizeTrackingId(text)).toThrow(/is not a tracking id: expected 32 hexadecimal characters/);
  });

  test('the all-zero id is invalid', () => {
    expect(() => normalizeTrackingId('0'.repeat(32))).toThrow('all-zero');
  });

  test('a traceparent header is recognised and its trace id named', () => {
    expect(() => normalizeTrackingId('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toThrow(
      'its tracking id is the second part: 4bf92f3577b34da6a3ce929d0e0e4736',
    );
  });
});

describe('tables', () => {
  test('columns are aligned, the last is not padded', () => {
    expect(
      renderTable(
        ['TIME', 'SERVICE', 'MESSAGE'],
        [
          ['10:00', 'api-gateway', 'hello'],
          ['10:01', 'workflow-engine', 'world'],
        ],
      ),
    ).toBe('TIME   SERVICE          MESSAGE\n' + '10:00  api-gateway      hello\n' + '10:01  workflow-engine  world\n');
  });

  const long = 'Workflow workflow_abc123 failed at node summarise after three retries of the model call';

  test('within a width, the widest column wraps at spaces and the others keep their width', () => {
    const table = renderTable(['TIME', 'SERVICE', 'MESSAGE'], [['10:00', 'workflow-engine', long]], { width: 50 });
    const lines = table.trimEnd().split('\n');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(50);
    expect(lines[1]).toMatch(/^10:00 {2}workflow-engine {2}Workflow/);
    expect(
      lines
        .slice(1)
        .map((line) => line.slice(24))
        .join(' '),
    ).toBe(long);
  });

  test('without a width (--wide) every row is one line', () => {
    expect(renderTable(['TIME', 'MESSAGE'], [['10:00', long]]).split('\n')[1]).toBe(`10:00  ${long}`);
  });

  test('a word longer than its column breaks after a slash, continuation lines keep the indentation', () => {
    expect(wrapLine('  fix: /starmates-ai-team/prod/tenants/acme-corp/grafana-cloud-api-key', 30)).toEqual([
      '  fix:',
      '  /starmates-ai-team/prod/',
      '  tenants/acme-corp/',
      '  grafana-cloud-api-key',
    ]);
  });

  test('when no single column can give way, the narrow columns keep their width and the rest share', () => {
    expect(fitWidths([5, 60, 60], 76)).toEqual([5, 35, 36]);
    expect(fitWidths([5, 10], 80)).toEqual([5, 10]);
  });

  test('newlines and terminal escape sequences in a cell cannot break the table', () => {
    expect(cleanCell('line 1\nline 2\r\n\u001b[31mred\ttab\u202e')).toBe('line 1\\nline 2\\n\\u001b[31mred tab\\u202e');
  });
});

describe('Tempo link', () => {
  test('opens the trace id in the Grafana Cloud Tempo data source, over the searched window', () => {
    const url = tempoTraceUrl('https://starmates.grafana.net/', '4bf92f3577b34da6a3ce929d0e0e4736', {
      from: 1_000,
      to: 2_000,
    });
    const parsed = new URL(url);
    expect(parsed.origin + parsed.pathname).toBe('https://starmates.grafana.net/explore');
    expect(parsed.searchParams.get('schemaVersion')).toBe('1');
    expect(parsed.searchParams.get('orgId')).toBe('1');
    expect(JSON.parse(parsed.searchParams.get('panes') ?? '')).toEqual({
      trace: {
        datasource: 'grafanacloud-traces',
        queries: [
          {
            refId: 'A',
            datasource: { type: 'tempo', uid: 'grafanacloud-traces' },
            queryType: 'traceql',
            query: '4bf92f3577b34da6a3ce929d0e0e4736',
          },
        ],
        range: { from: '1000', to: '2000' },
      },
    });
  });
});

describe('token shape', () => {
  test('a Grafana Cloud access-policy token passes', () => {
    expect(tokenShapeProblem(FAKE_TOKEN)).toBeUndefined();
  });

  test('an empty token is described as empty', () => {
    expect(tokenShapeProblem('')).toContain('empty');
  });

  test.each([
    ['glc_abc def', 'whitespace'],
    [`xyz_${'a'.repeat(60)}`, 'does not start with "glc_"'],
    [`glc_${'a'.repeat(40)}!`, 'characters other than'],
    ['glc_abc', 'too short (7 characters'],
    [`glc_${'a'.repeat(5000)}`, 'longer than 4096'],
  ])('a bad token is described without being quoted (%#)', (token, problem) => {
    const message = tokenShapeProblem(token) ?? '';
    expect(message).toContain(problem);
    expect(message).not.toContain(token);
  });

  test('only trailing line endings (and a byte order mark) are trimmed', () => {
    expect(trimTrailingNewlines('glc_x\r\n\n')).toBe('glc_x');
    expect(trimTrailingNewlines(' glc_x ')).toBe(' glc_x ');
    expect(trimTrailingNewlines('\uFEFFglc_x\n')).toBe('glc_x');
  });
});

describe('suggested commands', () => {
  test('a long command wraps between words with ` \\` continuations, never inside quotes', () => {
    const command = "aws ssm put-parameter --name '/a b/c' --type SecureString --value file://secret.txt";
    const lines = wrapCommand(command, 34);
    expect(lines).toEqual([
      'aws ssm put-parameter --name \\',
      "  '/a b/c' --type SecureString \\",
      '  --value file://secret.txt',
    ]);
    expect(lines.map((line) => line.trim().replace(/ \\$/, '')).join(' ')).toBe(command);
    expect(wrapCommand('obsctl doctor --env prod', 80)).toEqual(['obsctl doctor --env prod']);
  });

  test('shell words are quoted only when needed', () => {
    expect(shellWord('prod')).toBe('prod');
    expect(shellWord('/work/my configs/cdk.json')).toBe(`'/work/my configs/cdk.json'`);
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
  });
});

describe('KMS key of the token parameter', () => {
  const arn = 'arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  test.each([
    [undefined, undefined, true],
    ['alias/aws/ssm', undefined, true],
    ['alias/custom', undefined, false],
    ['alias/aws/ssm', arn, false],
    [arn, arn, true],
    ['1234abcd-12ab-34cd-56ef-1234567890ab', arn, true],
    ['arn:aws:kms:eu-west-1:333333333333:key/ffffffff-12ab-34cd-56ef-1234567890ab', arn, false],
    ['alias/observability', arn, true],
  ])('key %s with profile key %s matches: %s', (keyId, profileKey, matches) => {
    expect(keyMismatch(keyId, profileKey) === undefined).toBe(matches);
  });
});

describe('config document comparison', () => {
  const wanted = { instanceId: '123456', otlpEndpoint: 'https://x', apiKeyParameterName: '/a' };
  test('key order and spacing do not matter', () => {
    expect(
      sameDocument('{ "apiKeyParameterName": "/a", "otlpEndpoint": "https://x", "instanceId": "123456" }', wanted),
    ).toBe(true);
  });
  test('differences name the key and both values', () => {
    expect(
      configDifferences('{"instanceId":"1","otlpEndpoint":"https://x","apiKeyParameterName":"/a","extra":"y"}', wanted),
    ).toEqual(['extra: parameter has "y", profile has none', 'instanceId: parameter has "1", profile has "123456"']);
  });
  test('a value that is not a JSON object is reported as such', () => {
    expect(configDifferences('not json', wanted)).toBeUndefined();
    expect(configDifferences('[1]', wanted)).toBeUndefined();
  });
});

describe('trace events', () => {
  test('Insights timestamps are UTC', () => {
    expect(insightsTimestampMs('2025-01-31 10:30:45.123')).toBe(Date.UTC(2025, 0, 31, 10, 30, 45, 123));
    expect(insightsTimestampMs('yesterday')).toBeNaN();
  });

  test('events are ordered by time across services; unparseable times go last', () => {
    const event = (ms: number, service: string) => ({
      ms,
      time: String(ms),
      service,
      level: 'INFO',
      message: '',
      spanId: '',
    });
    expect(
      orderEvents([event(3, 'b'), event(Number.NaN, 'x'), event(1, 'a'), event(2, 'b'), event(1, 'c')]).map(
        (e) => e.service,
      ),
    ).toEqual(['a', 'c', 'b', 'b', 'x']);
  });

  test('the query selects the log schema fields and filters on the tracking id', () => {
    expect(traceQueryString('4bf92f3577b34da6a3ce929d0e0e4736')).toBe(
      'fields @timestamp, @log, service, level, @@message, tracing.span_id\n' +
        '| filter tracking_id = "4bf92f3577b34da6a3ce929d0e0e4736"\n' +
        '| sort @timestamp asc\n' +
        '| limit 10000',
    );
  });
});

describe('output safety', () => {
  test('registered secrets are replaced in everything written', () => {
    const redactor = new Redactor();
    const out = new CapturedOutput();
    const stream = redactor.wrap(out);
    redactor.add(FAKE_TOKEN);
    stream.write(`echoed: ${FAKE_TOKEN}!`);
    expect(out.text).toBe('echoed: [REDACTED]!');
  });

  test('progress is drawn on a terminal and cleared; nothing is written otherwise', () => {
    const tty = new CapturedOutput(true);
    const progress = terminalProgress(tty);
    progress.update('Querying');
    progress.stop();
    expect(tty.text).toBe('\r| Querying\u001b[K\r\u001b[K');
    const pipe = new CapturedOutput(false);
    terminalProgress(pipe).update('Querying');
    expect(pipe.text).toBe('');
  });

  test('a progress line longer than the terminal is cut, so the next frame overwrites it', () => {
    const tty = new CapturedOutput(true, 20);
    terminalProgress(tty).update('Querying 4 log groups: running, 12 s');
    expect(tty.text).toBe('\r| Querying 4 log g…\u001b[K');
  });
});
