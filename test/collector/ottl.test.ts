import { ottlRegexArguments, ottlString, unquoteOttlString } from '../../lib/collector/ottl';

describe('OTTL string literals', () => {
  test('backslashes and quotes are escaped the way Go unquotes them', () => {
    expect(ottlString('\\d+ "x"')).toBe('"\\\\d+ \\"x\\""');
  });

  test.each(['^a\\.b$', '(?i)bearer\\s+\\S+', 'say "hi"', 'tab\there'])('%j survives quoting and unquoting', (text) => {
    expect(unquoteOttlString(ottlString(text))).toBe(text);
  });

  test('an escape Go does not know is reported', () => {
    expect(unquoteOttlString('"\\d"')).toEqual({ error: expect.stringContaining('invalid escape "\\d"') });
  });
});

describe('regex arguments of OTTL functions', () => {
  test.each([
    ['replace_pattern(log.body, "a\\\\d", "****")', 'replace_pattern', 'a\\d'],
    ['replace_all_patterns(span.attributes, "value", "b+", "****")', 'replace_all_patterns', 'b+'],
    ['delete_matching_keys(log.attributes, "(?i)token$")', 'delete_matching_keys', '(?i)token$'],
    ['not IsMatch(metric.name, "^x$")', 'IsMatch', '^x$'],
  ])('%s yields the %s regex', (statement, functionName, pattern) => {
    expect(ottlRegexArguments(statement)).toEqual([{ functionName, pattern }]);
  });

  test('a regex given as a path cannot be known and is skipped', () => {
    expect(ottlRegexArguments('replace_pattern(log.body, attributes["pattern"], "****")')).toEqual([]);
  });

  test('function names inside string literals are not calls', () => {
    expect(ottlRegexArguments('set(log.body, "IsMatch(x, \\"(\\")")')).toEqual([]);
  });

  test('a nested call is found with the right argument', () => {
    expect(
      ottlRegexArguments('set(attributes["x"], "y") where IsMatch(Concat([name, "a,b"], ","), "^a(b|c)$")'),
    ).toEqual([{ functionName: 'IsMatch', pattern: '^a(b|c)$' }]);
  });
});
