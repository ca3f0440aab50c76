/**
 * No new `expect` inside a loop. An assertion in a loop body runs zero times when the collection
 * is empty, so the test passes without checking anything. Biome's `noConditionalExpect`
 * (biome.json) rejects `expect` under `if`, `?:`, `&&` and `catch`, but not in loops, so this test
 * does that part with the TypeScript compiler's parser: `for`, `for…of`, `for…in`, `while`,
 * `do`, and callbacks run per element (`forEach`, `map`, `flatMap`, `filter`, `some`, `every`). Assert on the collection instead (`toEqual` on the mapped
 * values, a `filter` that must come out empty), or use `test.each`.
 *
 * The files that had such loops when this test arrived are listed in loop-expects.baseline.json
 * with their count. A count may only go down: the test fails when a file gains one, and when a
 * file loses one without lowering its count (so the baseline keeps up).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import baseline from './loop-expects.baseline.json';

const ROOT = join(__dirname, '..', '..');

function testFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const ELEMENT_CALLBACKS: ReadonlySet<string> = new Set(['forEach', 'map', 'flatMap', 'filter', 'some', 'every']);

/** `file:line` of every `expect(` inside a loop, before the enclosing test callback. */
function loopExpects(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const inLoop = (node: ts.Node): boolean => {
    for (let parent = node.parent; parent !== undefined; parent = parent.parent) {
      if (ts.isIterationStatement(parent, false)) return true;
      if (ts.isFunctionLike(parent)) {
        const call = parent.parent;
        if (!ts.isCallExpression(call)) return false;
        // A callback run once per element is a loop; any other function (a test callback, a helper)
        // ends the search: a loop around it is not this expect's loop.
        const callee = call.expression;
        return ts.isPropertyAccessExpression(callee) && ELEMENT_CALLBACKS.has(callee.name.text);
      }
    }
    return false;
  };
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'expect') {
      if (inLoop(node)) found.push(`${fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('expect inside loops', () => {
  const counts: Record<string, string[]> = {};
  for (const path of testFiles(join(ROOT, 'test'))) {
    const name = relative(ROOT, path);
    const found = loopExpects(name, readFileSync(path, 'utf8'));
    if (found.length > 0) counts[name] = found;
  }
  const allowed: Readonly<Record<string, number>> = baseline.counts;

  test('no test file has more than the baseline allows', () => {
    const over = Object.entries(counts)
      .filter(([name, found]) => found.length > (allowed[name] ?? 0))
      .flatMap(([, found]) => found);
    expect(over).toEqual([]);
  });

  test('the baseline is no higher than what is left (lower the count when you remove one)', () => {
    const stale = Object.entries(allowed)
      .filter(([name, count]) => (counts[name]?.length ?? 0) < count)
      .map(([name, count]) => `${name}: baseline ${count}, found ${counts[name]?.length ?? 0}`);
    expect(stale).toEqual([]);
  });

  test('the detector finds expect in a for…of body and a forEach callback, not around a map nor in test.each', () => {
    const source = [
      "test('t', () => {",
      '  for (const x of xs) expect(x).toBe(1);',
      '  xs.forEach((x) => expect(x).toBe(1));',
      '  expect(xs.map((x) => x + 1)).toEqual([2]);',
      "  test.each(xs)('%s', (x) => expect(x).toBe(1));",
      '});',
    ].join('\n');
    expect(loopExpects('probe.test.ts', source)).toEqual(['probe.test.ts:2', 'probe.test.ts:3']);
  });
});
