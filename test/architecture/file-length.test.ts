import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Issue 22: a file over this many lines in lib/alerting is split along the signals it serves. */
const MAX_ALERTING_LINES = 400;
const ALERTING = join(__dirname, '..', '..', 'lib', 'alerting');

function lineCount(path: string): number {
  return readFileSync(path, 'utf8').split('\n').length;
}

test(`no file in lib/alerting is over ${MAX_ALERTING_LINES} lines`, () => {
  const tooLong = readdirSync(ALERTING)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => ({ name, lines: lineCount(join(ALERTING, name)) }))
    .filter((file) => file.lines > MAX_ALERTING_LINES);
  expect(tooLong).toEqual([]);
});
