/**
 * Just enough of the OpenTelemetry Transformation Language (OTTL) to write string literals and to
 * find the regular expressions inside statements and conditions, so the checks can compile them.
 */

/**
 * A string as an OTTL literal. OTTL unquotes literals like Go's `strconv.Unquote`, so a regex's
 * backslashes must be doubled: `\d` becomes `"\\d"`.
 */
export function ottlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** OTTL functions that take a regular expression, and the index of that argument. */
const REGEX_ARGUMENT_INDEX: Readonly<Record<string, number>> = {
  replace_pattern: 1,
  replace_all_patterns: 2,
  delete_matching_keys: 1,
  keep_matching_keys: 1,
  IsMatch: 1,
  ExtractPatterns: 1,
};

export interface OttlRegex {
  /** The function that takes it, e.g. `replace_pattern`. */
  readonly functionName: string;
  /** The regex after OTTL unquoting, or undefined when the literal is malformed. */
  readonly pattern?: string;
  /** Why the literal cannot be unquoted (an escape Go does not know, such as `\d`). */
  readonly literalError?: string;
}

/**
 * The regex arguments given as string literals in one statement or condition. Arguments that are
 * paths or expressions cannot be known before run time and are skipped.
 */
export function ottlRegexArguments(statement: string): OttlRegex[] {
  const found: OttlRegex[] = [];
  const call = /\b([A-Za-z_][A-Za-z0-9_]*)\s*\(/g;
  for (let match = call.exec(statement); match !== null; match = call.exec(statement)) {
    const functionName = match[1];
    const index = REGEX_ARGUMENT_INDEX[functionName];
    if (index === undefined || insideString(statement, match.index)) continue;
    const argument = splitArguments(statement, match.index + match[0].length)[index]?.trim();
    if (argument === undefined || !argument.startsWith('"') || !argument.endsWith('"')) continue;
    const unquoted = unquoteOttlString(argument);
    found.push(
      typeof unquoted === 'string'
        ? { functionName, pattern: unquoted }
        : { functionName, literalError: unquoted.error },
    );
  }
  return found;
}

/** Whether position `at` lies inside a double-quoted literal. */
function insideString(text: string, at: number): boolean {
  let inside = false;
  for (let i = 0; i < at; i++) {
    if (text[i] === '\\' && inside) i++;
    else if (text[i] === '"') inside = !inside;
  }
  return inside;
}

/** The top-level arguments of a call whose opening parenthesis ends just before `start`. */
function splitArguments(text: string, start: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      const end = endOfString(text, i);
      current += text.slice(i, end + 1);
      i = end;
      continue;
    }
    if (char === '(' || char === '[' || char === '{') depth++;
    if (char === ')' || char === ']' || char === '}') {
      if (depth === 0) {
        args.push(current);
        return args;
      }
      depth--;
    }
    if (char === ',' && depth === 0) {
      args.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  return args;
}

/** The index of the quote that closes the literal opened at `start`. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** Unquotes a double-quoted literal as Go's `strconv.Unquote` does, or says why Go would refuse it. */
export function unquoteOttlString(literal: string): string | { readonly error: string } {
  let result = '';
  for (let i = 1; i < literal.length - 1; i++) {
    const char = literal[i];
    if (char !== '\\') {
      result += char;
      continue;
    }
    const next = literal[i + 1];
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      result += simple;
      i++;
      continue;
    }
    const hex = { x: 2, u: 4, U: 8 }[next as 'x' | 'u' | 'U'];
    const digits = literal.slice(i + 2, i + 2 + (hex ?? 0));
    if (hex !== undefined && /^[0-9A-Fa-f]+$/.test(digits) && digits.length === hex) {
      result += String.fromCodePoint(Number.parseInt(digits, 16));
      i += 1 + hex;
      continue;
    }
    const octal = literal.slice(i + 1, i + 4);
    if (/^[0-7]{3}$/.test(octal)) {
      result += String.fromCharCode(Number.parseInt(octal, 8));
      i += 3;
      continue;
    }
    return { error: `invalid escape "\\${next}" in the OTTL string ${literal}; write "\\\\${next}" for a backslash` };
  }
  return result;
}
