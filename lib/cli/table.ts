/**
 * Plain-text tables for the terminal: left-aligned columns, two spaces apart, no borders, fitted to
 * a width (the terminal's, or 80 columns when piped) by wrapping the widest columns; `--wide` gives
 * every cell its full width on one line.
 */

/**
 * A cell as one safe line: newlines and other control characters become visible escapes, so a log
 * message cannot break the table or send escape sequences to the operator's terminal.
 */
export function cleanCell(text: string): string {
  let clean = '';
  for (const character of text.replace(/\r?\n/g, '\\n')) {
    const code = character.charCodeAt(0);
    if (character === '\t') clean += ' ';
    else if (isUnsafe(code)) clean += `\\u${code.toString(16).padStart(4, '0')}`;
    else clean += character;
  }
  return clean;
}

/** C0 and C1 controls, line/paragraph separators and bidi overrides (which can disguise text). */
function isUnsafe(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/** A cell: one line of text, or several (a check, its detail, its fix). */
export type Cell = string | readonly string[];

export interface TableOptions {
  /** The widest a line may be; undefined for no limit (`--wide`). */
  readonly width?: number;
}

const GAP = 2;
/** Narrower than this a column is unreadable: the table overflows instead. */
const MIN_COLUMN_WIDTH = 8;

/**
 * Renders a header and rows; every line ends with a newline, trailing spaces are trimmed. Within
 * `width`, the widest columns are narrowed (and their cells wrapped) until the table fits; narrow
 * columns keep their width.
 */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
  options: TableOptions = {},
): string {
  const table = [header, ...rows].map((row) =>
    header.map((_, column) => {
      const cell = row[column] ?? '';
      return (typeof cell === 'string' ? [cell] : cell).map(cleanCell);
    }),
  );
  const natural = header.map((_, column) =>
    Math.max(...table.flatMap((row) => row[column].map((text) => text.length))),
  );
  const widths = options.width === undefined ? natural : fitWidths(natural, options.width - GAP * (header.length - 1));
  const output: string[] = [];
  for (const row of table) {
    const cells = row.map((lines, column) => lines.flatMap((text) => wrapLine(text, widths[column])));
    const height = Math.max(...cells.map((lines) => lines.length));
    for (let index = 0; index < height; index++) {
      const line = cells
        .map((lines, column) => {
          const text = lines[index] ?? '';
          return column === cells.length - 1 ? text : text.padEnd(widths[column]);
        })
        .join(' '.repeat(GAP))
        .trimEnd();
      output.push(`${line}\n`);
    }
  }
  return output.join('');
}

/**
 * Column widths that sum to at most `available`. When the widest column alone can give way and keep
 * a third of the line, only it narrows (the free text: a message, a description); otherwise the
 * narrowest columns keep their natural width and the rest share what is left equally.
 */
export function fitWidths(natural: readonly number[], available: number): number[] {
  const total = natural.reduce((sum, width) => sum + width, 0);
  if (total <= available) return [...natural];
  const widest = natural.indexOf(Math.max(...natural));
  const left = available - (total - natural[widest]);
  if (left >= Math.max(MIN_COLUMN_WIDTH, Math.floor(available / 3))) {
    return natural.map((width, column) => (column === widest ? left : width));
  }
  const widths = [...natural];
  const order = natural.map((width, column) => ({ width, column })).sort((a, b) => a.width - b.width);
  let remaining = available;
  for (let index = 0; index < order.length; index++) {
    const share = Math.floor(remaining / (order.length - index));
    const { width, column } = order[index];
    widths[column] = Math.max(Math.min(width, share), Math.min(width, MIN_COLUMN_WIDTH));
    remaining -= widths[column];
  }
  return widths;
}

/**
 * One line wrapped to `width`: at spaces; a word longer than the line breaks after a `/` (paths,
 * names) or, failing that, at the width. Continuation lines keep the line's indentation.
 */
export function wrapLine(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const indent = text.match(/^ */)?.[0] ?? '';
  const room = Math.max(width - indent.length, 1);
  const lines: string[] = [];
  let current = '';
  const flush = () => {
    if (current !== '') lines.push(indent + current);
    current = '';
  };
  for (let word of text.slice(indent.length).split(/ +/)) {
    if (current !== '' && current.length + 1 + word.length <= room) {
      current += ` ${word}`;
      continue;
    }
    flush();
    while (word.length > room) {
      const slash = word.lastIndexOf('/', room - 1);
      const cut = slash > 0 ? slash + 1 : room;
      lines.push(indent + word.slice(0, cut));
      word = word.slice(cut);
    }
    current = word;
  }
  flush();
  return lines;
}
