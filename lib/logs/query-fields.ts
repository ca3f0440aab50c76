/**
 * Which log fields a CloudWatch Logs Insights (Logs Insights QL) query names. A misspelt field is no
 * error in Logs Insights: the query runs and silently matches nothing. Listing the fields lets a test
 * hold every saved query against the log schema before it is deployed.
 *
 * A tokenizer with a little knowledge of each command, not a full parser:
 * - commands are separated by `|`; `#` starts a comment that runs to the end of the line;
 * - literals are skipped: strings ('…' or "…"), regular expressions (/…/), numbers, also with a
 *   time unit (`5m`, `1h`);
 * - a name followed by `(` is a function (`pct`, `bin`, `ispresent`), its arguments are scanned;
 * - `and or not like in by as asc desc` are keywords; the name after `as` is an alias (after
 *   `parse … as` every name is one), as are the named groups of a `parse` regex, and later
 *   references to an alias are not fields;
 * - backtick-quoted names (`` `foo-bar` ``, `` @`a:b` ``) are fields;
 * - CloudWatch's system fields are not reported.
 * Commands it does not know are rejected rather than guessed at, and so are characters outside the
 * language: a query it cannot read fails loudly instead of passing unchecked.
 */

/** The fields CloudWatch Logs Insights generates for every event of a Standard log group. */
export const CLOUDWATCH_SYSTEM_FIELDS = ['@timestamp', '@message', '@ingestionTime', '@logStream', '@log'] as const;

const SYSTEM_FIELDS: ReadonlySet<string> = new Set(CLOUDWATCH_SYSTEM_FIELDS);
const COMMANDS: ReadonlySet<string> = new Set([
  'fields',
  'display',
  'filter',
  'stats',
  'sort',
  'limit',
  'parse',
  'dedup',
]);
const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'like', 'in', 'by', 'as', 'asc', 'desc']);

/** A query this tokenizer cannot read; `offset` is the position in the query string. */
export class QuerySyntaxError extends Error {
  constructor(
    message: string,
    public readonly offset: number,
  ) {
    super(`${message} (at offset ${offset})`);
    this.name = 'QuerySyntaxError';
  }
}

type TokenKind = 'name' | 'quotedName' | 'string' | 'regex' | 'number' | 'punct';

interface Token {
  readonly kind: TokenKind;
  /** The name without backticks, the literal as written, or the punctuation. */
  readonly text: string;
  readonly offset: number;
}

const NAME = /@*[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*/y;
const NUMBER = /[0-9]+(?:\.[0-9]+)?[A-Za-z]*/y;
const PUNCT = /!=|<=|>=|=~|[=<>+\-*/^%|(),[\]]/y;
const NAMED_GROUP = /\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g;

function matchAt(pattern: RegExp, text: string, offset: number): string | undefined {
  pattern.lastIndex = offset;
  return pattern.exec(text)?.[0];
}

/** Index just past the closing `close`, honouring backslash escapes (and `[…]` classes in a regex). */
function endOfDelimited(query: string, start: number, close: string, what: string): number {
  let inClass = false;
  for (let i = start + 1; i < query.length; i++) {
    const char = query[i];
    if (char === '\\') i++;
    else if (close === '/' && char === '[') inClass = true;
    else if (close === '/' && char === ']') inClass = false;
    else if (char === close && !inClass) return i + 1;
  }
  throw new QuerySyntaxError(`unterminated ${what}`, start);
}

/** After an operand `/` divides; anywhere else (and as the pattern of `parse <field>`) it opens a regex. */
function slashOpensRegex(tokens: readonly Token[]): boolean {
  const previous = tokens.at(-1);
  if (previous === undefined) return true;
  const commandStart = tokens.length - 2;
  const [command, source] = tokens.slice(commandStart);
  const startsCommand = commandStart === 0 || tokens[commandStart - 1]?.text === '|';
  if (startsCommand && command?.kind === 'name' && command.text === 'parse' && source !== undefined) return true;
  switch (previous.kind) {
    case 'name':
      return KEYWORDS.has(previous.text);
    case 'punct':
      return previous.text !== ')' && previous.text !== ']';
    default:
      return false;
  }
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  while (offset < query.length) {
    const char = query[offset];
    if (/\s/.test(char)) {
      offset++;
    } else if (char === '#') {
      const newline = query.indexOf('\n', offset);
      offset = newline === -1 ? query.length : newline;
    } else if (char === '"' || char === "'") {
      const end = endOfDelimited(query, offset, char, 'string');
      tokens.push({ kind: 'string', text: query.slice(offset, end), offset });
      offset = end;
    } else if (char === '`' || (char === '@' && query[offset + 1] === '`')) {
      const open = char === '@' ? offset + 1 : offset;
      const end = endOfDelimited(query, open, '`', 'backtick-quoted name');
      const name = query.slice(open + 1, end - 1);
      tokens.push({ kind: 'quotedName', text: char === '@' ? `@${name}` : name, offset });
      offset = end;
    } else if (char === '/' && slashOpensRegex(tokens)) {
      const end = endOfDelimited(query, offset, '/', 'regular expression');
      tokens.push({ kind: 'regex', text: query.slice(offset, end), offset });
      offset = end;
    } else {
      const [kind, text] = ((): [TokenKind, string | undefined] => {
        if (/[0-9]/.test(char)) return ['number', matchAt(NUMBER, query, offset)];
        if (/[@A-Za-z_]/.test(char)) return ['name', matchAt(NAME, query, offset)];
        return ['punct', matchAt(PUNCT, query, offset)];
      })();
      if (text === undefined) throw new QuerySyntaxError(`unexpected character ${JSON.stringify(char)}`, offset);
      tokens.push({ kind, text, offset });
      offset += text.length;
    }
  }
  return tokens;
}

function splitCommands(tokens: readonly Token[]): Token[][] {
  const commands: Token[][] = [[]];
  for (const token of tokens) {
    if (token.text === '|' && token.kind === 'punct') commands.push([]);
    else commands[commands.length - 1].push(token);
  }
  commands.forEach((command, index) => {
    if (command.length === 0) {
      throw new QuerySyntaxError(index === 0 ? 'empty query' : 'empty command after "|"', tokens.at(-1)?.offset ?? 0);
    }
  });
  return commands;
}

/**
 * The log fields `queryString` references, in first-use order and without duplicates: in `fields`,
 * `display`, `filter`, `stats … by`, `sort`, `dedup`, `parse` and function arguments
 * (`pct(request.duration, 95)` gives `request.duration`). Keywords, functions, literals, aliases and
 * CloudWatch's system fields (`@timestamp`, `@message`, …) are left out.
 * @throws QuerySyntaxError for a query outside what the tokenizer reads (unknown command,
 *   unterminated literal, stray character, `as` without a name).
 */
export function fieldsUsedBy(queryString: string): string[] {
  const aliases = new Set<string>();
  const used = new Set<string>();
  for (const [command, ...args] of splitCommands(tokenize(queryString))) {
    if (command.kind !== 'name' || !COMMANDS.has(command.text)) {
      throw new QuerySyntaxError(`unknown command ${JSON.stringify(command.text)}`, command.offset);
    }
    if (command.text === 'limit') {
      if (args.length !== 1 || !/^[0-9]+$/.test(args[0].text)) {
        throw new QuerySyntaxError('limit takes one whole number', command.offset);
      }
      continue;
    }
    let namingAliases = false;
    for (let i = 0; i < args.length; i++) {
      const token = args[i];
      if (token.kind === 'regex' && command.text === 'parse') {
        for (const group of token.text.matchAll(NAMED_GROUP)) aliases.add(group[1]);
      }
      if (token.kind !== 'name' && token.kind !== 'quotedName') continue;
      if (token.kind === 'name' && KEYWORDS.has(token.text)) {
        if (token.text !== 'as') continue;
        if (command.text === 'parse') {
          namingAliases = true;
          continue;
        }
        const alias = args[i + 1];
        if (alias === undefined || (alias.kind !== 'name' && alias.kind !== 'quotedName')) {
          throw new QuerySyntaxError('"as" must be followed by a name', token.offset);
        }
        aliases.add(alias.text);
        i++;
        continue;
      }
      if (token.kind === 'name' && args[i + 1]?.text === '(') continue;
      if (namingAliases) aliases.add(token.text);
      else if (!aliases.has(token.text) && !SYSTEM_FIELDS.has(token.text)) used.add(token.text);
    }
  }
  return [...used];
}

/** The fields `queryString` uses that are not in `known` (e.g. `logFieldPaths()`). */
export function unknownFields(queryString: string, known: ReadonlySet<string>): string[] {
  return fieldsUsedBy(queryString).filter((field) => !known.has(field));
}
