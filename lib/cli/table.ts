/** Plain-text tables for the terminal: left-aligned columns, two spaces apart, no borders. */

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

/** Renders a header and rows; every line ends with a newline, trailing spaces are trimmed. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [header, ...rows].map((row) => header.map((_, column) => cleanCell(row[column] ?? '')));
  const widths = header.map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  return lines
    .map((line) =>
      line
        .map((cell, column) => (column === line.length - 1 ? cell : cell.padEnd(widths[column])))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}
