import { RE2JS } from 're2js';
import { re2Error } from '../../lib/collector/checks';
import { PII_MASK, PII_VALUE_PATTERNS, SENSITIVE_KEY_PATTERN } from '../../lib/collector/pii';

/** What the redaction processor does to a value: every match of every pattern becomes the mask. */
function maskWithEvery(value: string): string {
  return PII_VALUE_PATTERNS.reduce(
    (text, pattern) => RE2JS.compile(pattern.pattern).matcher(text).replaceAll(pattern.replacement),
    value,
  );
}

function mask(pattern: string, value: string): string {
  return RE2JS.compile(pattern).matcher(value).replaceAll(PII_MASK);
}

describe('PII value patterns', () => {
  test.each(PII_VALUE_PATTERNS.map((pattern) => [pattern.name, pattern.pattern]))(
    '%s compiles as Go RE2',
    (_name, pattern) => {
      expect(re2Error(pattern)).toBeUndefined();
    },
  );

  const maskCases = PII_VALUE_PATTERNS.flatMap((pattern) =>
    pattern.masks.map(([input, masked]) => [pattern.name, input, masked, pattern.pattern] as const),
  );
  test.each(maskCases)('%s masks %j as %j', (_name, input, masked, pattern) => {
    expect(mask(pattern, input)).toBe(masked);
  });

  const keepCases = PII_VALUE_PATTERNS.flatMap((pattern) =>
    pattern.keeps.map((value) => [pattern.name, value, pattern.pattern] as const),
  );
  test.each(keepCases)('%s keeps %j', (_name, value, pattern) => {
    expect(mask(pattern, value)).toBe(value);
  });

  test('every pattern has masking and keeping samples', () => {
    for (const pattern of PII_VALUE_PATTERNS) {
      expect([pattern.name, pattern.masks.length > 0, pattern.keeps.length > 0]).toEqual([pattern.name, true, true]);
    }
  });

  test('replacements contain no "$" (Go would expand it as a capture group)', () => {
    expect(PII_VALUE_PATTERNS.filter((pattern) => pattern.replacement.includes('$'))).toEqual([]);
  });

  test.each([
    ['a tracking id (trace id)', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['a span id', '00f067aa0ba902b7'],
    ['a UUID', '123e4567-e89b-12d3-a456-426614174000'],
    ['an ISO timestamp', '2026-01-31T10:30:45.123Z'],
    ['an epoch in milliseconds', '1738319445123'],
    ['a 16-digit order id', 'order_id=1234567890123456'],
    [
      'an ECS task ARN',
      'arn:aws:ecs:eu-west-1:333333333333:task/starmates-ai-team-prod/0123456789abcdef0123456789abcdef',
    ],
    ['an image reference', 'public.ecr.aws/starmates-ai-team/api-gateway:1.0.0'],
    ['an IP address', '10.0.12.34'],
    ['an HTTP route', '/api/v1/sessions/{session_id}'],
    ['a log line with a duration', 'POST /api/v1/sessions 201 in 0.245s'],
    ['an AI token count', 'max_tokens: 1024'],
  ])('%s survives every pattern', (_what, value) => {
    expect(maskWithEvery(value)).toBe(value);
  });

  test('a log line with several kinds of personal data is masked everywhere', () => {
    expect(
      maskWithEvery('user alice@example.com paid with 4111 1111 1111 1111, call +44 20 7946 0958, password=hunter2'),
    ).toBe('user **** paid with ****, call ****, ****');
  });
});

describe('the sensitive key pattern', () => {
  const keyPattern = RE2JS.compile(SENSITIVE_KEY_PATTERN.pattern);

  test('compiles as Go RE2', () => {
    expect(re2Error(SENSITIVE_KEY_PATTERN.pattern)).toBeUndefined();
  });

  test.each(SENSITIVE_KEY_PATTERN.matches)('drops the key %j', (key) => {
    expect(keyPattern.matcher(key).find()).toBe(true);
  });

  test.each(SENSITIVE_KEY_PATTERN.keeps)('keeps the key %j', (key) => {
    expect(keyPattern.matcher(key).find()).toBe(false);
  });
});

describe('RE2 compilation', () => {
  test.each([
    ['lookbehind', '(?<=@)example\\.com'],
    ['lookahead', 'token(?=:)'],
    ['a backreference', '(a)\\1'],
  ])('rejects %s, which JavaScript would accept', (_what, pattern) => {
    expect(() => new RegExp(pattern)).not.toThrow();
    expect(re2Error(pattern)).toEqual(expect.stringContaining('error parsing regexp'));
  });
});
