import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The consumer snippets of the guide are the examples' own lines (examples/*/app.ts), which
// scripts/check-examples.sh installs from the packed tarball, type-checks and synthesizes.
const root = join(__dirname, '..', '..');
const guide = readFileSync(join(root, 'docs', 'guide.md'), 'utf8');
const section = guide.slice(
  guide.indexOf('## Use the constructs from another repository'),
  guide.indexOf('\n## ', guide.indexOf('## Use the constructs from another repository') + 1),
);
const snippets = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map(([, body]) => body);
const exampleLines = new Set(
  readdirSync(join(root, 'examples'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => readFileSync(join(root, 'examples', entry.name, 'app.ts'), 'utf8').split('\n')),
);

test('the guide has consumer snippets for a new service and an existing ALB service', () => {
  expect(snippets).toHaveLength(2);
});

test("every line of the guide's consumer snippets is a line of an example app", () => {
  const lines = snippets.flatMap((snippet) => snippet.split('\n')).filter((line) => line.trim() !== '');
  expect(lines.filter((line) => !exampleLines.has(line))).toEqual([]);
});
