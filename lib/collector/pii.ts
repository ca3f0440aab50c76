/**
 * What the collector removes from telemetry before it leaves the task, as data: value patterns
 * (masked wherever they occur in attribute values and log bodies) and one key pattern (attributes
 * whose key looks like a credential are dropped).
 *
 * Every pattern is Go RE2 syntax (the collector's regexp package): no lookaround, no backreferences.
 * The samples are the specification: tests run each pattern over them with re2js, a port of RE2.
 */

/** What the `redaction` processor writes in place of every match (fixed by the processor). */
export const PII_MASK = '****';

export interface PiiPattern {
  /** A short id, used in test names and docs. */
  readonly name: string;
  readonly description: string;
  /** Go RE2 syntax, unanchored: it masks every match inside a value. */
  readonly pattern: string;
  /** What a match becomes. */
  readonly replacement: string;
  /** Values and what they must become. */
  readonly masks: readonly (readonly [input: string, masked: string])[];
  /** Values that must pass unchanged (near misses that are not personal data). */
  readonly keeps: readonly string[];
}

export const PII_VALUE_PATTERNS: readonly PiiPattern[] = [
  {
    name: 'email',
    description: 'e-mail addresses (the domain needs a letters-only top-level label)',
    pattern: String.raw`[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}`,
    replacement: PII_MASK,
    masks: [
      ['contact alice.smith+tag@mail.example.co.uk.', 'contact ****.'],
      ['user=bob@example.com', 'user=****'],
    ],
    keeps: ['lodash@4.17.21', 'ping @alice on slack', 'git@localhost'],
  },
  {
    name: 'payment-card',
    description:
      'payment card numbers of the major issuers (Visa 4, Mastercard 51-55, Discover 6011: 16 digits; Amex 34/37: 15), ' +
      'plain or grouped by spaces or dashes, as a whole word',
    pattern: String.raw`\b(?:4\d{3}|5[1-5]\d{2}|6011)(?:[ -]?\d{4}){3}\b|\b3[47]\d{2}[ -]?\d{6}[ -]?\d{5}\b`,
    replacement: PII_MASK,
    masks: [
      ['card 4111 1111 1111 1111 declined', 'card **** declined'],
      ['4111-1111-1111-1111', '****'],
      ['pan=5555555555554444', 'pan=****'],
      ['amex 3782 822463 10005', 'amex ****'],
      ['6011111111111117', '****'],
    ],
    keeps: [
      // A 16-digit order id: no issuer prefix.
      'order_id=1234567890123456',
      // 17 digits: longer than any card here.
      '41111111111111112',
      // Part of a longer word, so not a card on its own.
      'id_4111111111111111',
      // An epoch timestamp in microseconds.
      '1738319445123456',
    ],
  },
  {
    name: 'us-ssn',
    description: 'US social security numbers written AAA-GG-SSSS, without the never-issued 000, 666 and 9xx areas',
    pattern: String.raw`\b(?:00[1-9]|0[1-9]\d|[1-578]\d{2}|6[0-57-9]\d|66[0-57-9])-(?:0[1-9]|[1-9]\d)-(?:000[1-9]|00[1-9]\d|0[1-9]\d{2}|[1-9]\d{3})\b`,
    replacement: PII_MASK,
    masks: [['ssn 123-45-6789 on file', 'ssn **** on file']],
    keeps: ['000-12-3456', '666-12-3456', '123-00-6789', '2026-01-31', 'build 123456789'],
  },
  {
    name: 'phone-number',
    description:
      'phone numbers: international (+ and country code, at least three groups) or North American with separators',
    pattern: String.raw`\+[1-9]\d{0,2}[ .-]?\d{1,4}(?:[ .-]?\d{2,4}){2,4}\b|(?:\(|\b)[2-9]\d{2}\)?[ .-]?\d{3}[ .-]\d{4}\b`,
    replacement: PII_MASK,
    masks: [
      ['call +44 20 7946 0958 today', 'call **** today'],
      ['+1 415 555 2671', '****'],
      ['+14155552671', '****'],
      ['(415) 555-2671', '****'],
      ['tel 415.555.2671', 'tel ****'],
    ],
    keeps: [
      // A UUID: its groups are 8-4-4-4-12 hex characters.
      '123e4567-e89b-12d3-a456-426614174000',
      // Timestamps.
      '2026-01-31T10:30:45.123Z',
      '2026-01-31T10:30:45+01:00',
      '1738319445123',
      // Ten digits without separators are too ambiguous to mask.
      '4155552671',
      '192.168.100.200',
    ],
  },
  {
    name: 'bearer-token',
    description: 'bearer credentials, as in an Authorization header copied into a message',
    pattern: String.raw`(?i)\bbearer\s+[A-Za-z0-9._~+/-]{16,}=*`,
    replacement: PII_MASK,
    masks: [['Authorization: Bearer abcdefghijklmnop.qrstu-vwx', 'Authorization: ****']],
    keeps: ['bearer of bad news', 'Bearer token'],
  },
  {
    name: 'jwt',
    description: 'JSON Web Tokens (header and payload are base64url JSON, so both start with eyJ)',
    pattern: String.raw`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`,
    replacement: PII_MASK,
    masks: [
      [
        'session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok',
        'session **** ok',
      ],
    ],
    keeps: ['eyJ', 'eyJhbGciOiJIUzI1NiJ9'],
  },
  {
    name: 'api-key',
    description:
      'API keys with a known prefix: Grafana Cloud (glc_, glsa_), OpenAI and Anthropic (sk-), AWS access key ids ' +
      '(AKIA, ASIA), GitHub (ghp_ and friends, github_pat_), Slack (xox?-)',
    pattern: String.raw`\b(?:glc_[A-Za-z0-9+/_-]{20,}=*|glsa_[A-Za-z0-9_]{20,}|sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}|(?:AKIA|ASIA)[0-9A-Z]{16}\b|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|xox[abprs]-[A-Za-z0-9-]{10,})`,
    replacement: PII_MASK,
    masks: [
      ['key glc_eyJvIjoiMTIzNDU2IiwibiI6InN0YWNrLTEyMzQ1NiJ9 end', 'key **** end'],
      ['OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz123456', 'OPENAI_API_KEY=****'],
      ['aws AKIAIOSFODNN7EXAMPLE', 'aws ****'],
      ['ghp_abcdefghijklmnopqrstuvwxyz0123456789', '****'],
    ],
    keeps: [
      // A tracking id (the trace id, 32 hex characters) must survive: it joins logs to traces.
      '4bf92f3577b34da6a3ce929d0e0e4736',
      'AKIAshort',
      'task-abcdefghijklmnopqrstuvwxyz',
      'risk-assessment-report-2026-quarterly',
    ],
  },
  {
    name: 'credential-assignment',
    description:
      'a credential written as key=value or key: value in free text (password=..., "api_key": "..."); ' +
      'the key is masked too',
    pattern: String.raw`(?i)(?:\b|_)(?:password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|token)"?\s*[:=]\s*"?[^\s",;&]+"?`,
    replacement: PII_MASK,
    masks: [
      ['login failed password=hunter2 for user 42', 'login failed **** for user 42'],
      ['db_password: "hunter2"', 'db****'],
      ['{"api_key": "abc123"}', '{"****}'],
    ],
    keeps: ['token_type=output', 'max_tokens: 1024', 'tokens: 1024', 'password reset requested'],
  },
];

export interface PiiKeyPattern {
  readonly description: string;
  /** Go RE2 syntax, matched against whole attribute keys (case-insensitive). */
  readonly pattern: string;
  /** Keys that must be dropped. */
  readonly matches: readonly string[];
  /** Keys that must be kept. */
  readonly keeps: readonly string[];
}

/**
 * Attribute keys whose values are credentials: their last segment (after `.`, `_` or `-`) is one of
 * the words below, so `http.request.header.authorization`, `set-cookie` and `client_secret` match
 * but `token_type` and `gen_ai.usage.input_tokens` do not.
 */
export const SENSITIVE_KEY_PATTERN: PiiKeyPattern = {
  description: 'attribute keys that name a credential: authorization, cookie, password, secret, token, API key',
  pattern: '(?i)(?:^|[._-])(?:authorization|cookie|password|passwd|secret|token|api[_-]?key|apikey|private[_-]?key)$',
  matches: [
    'authorization',
    'http.request.header.authorization',
    'Cookie',
    'set-cookie',
    'http.response.header.set-cookie',
    'password',
    'db.password',
    'client_secret',
    'access_token',
    'token',
    'api_key',
    'apikey',
    'x-api-key',
    'X-API-Key',
    'private_key',
  ],
  keeps: [
    'tracking_id',
    'token_type',
    'gen_ai.usage.input_tokens',
    'secretary',
    'tokenizer',
    'cookie_consent',
    'keyword',
    'http.request.method',
    'service.name',
  ],
};
