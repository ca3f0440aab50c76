/**
 * Constructs take what they use: no construct, and not the Control Tower acknowledgements, names
 * an `EnvironmentProfile`. Only lib/stacks, the generators and `platformSettings` read one; a
 * service team never builds one. Identifiers are read with the TypeScript compiler (imports,
 * type references, any identifier), so a comment that mentions the profile is no finding.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const PROFILE_TYPES = new Set(['EnvironmentProfile', 'ServiceProfile']);

const CHECKED = [
  ...readdirSync(join(ROOT, 'lib/constructs'))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `lib/constructs/${name}`),
  'lib/control-tower-acknowledgements.ts',
].sort();

/** Each identifier of a profile type the file names, with its line: `12: EnvironmentProfile`. */
function profileReferences(source: string, fileName = 'file.ts'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && PROFILE_TYPES.has(node.text)) {
      const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
      found.push(`${line + 1}: ${node.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

test('no construct and not the Control Tower acknowledgements refers to EnvironmentProfile', () => {
  const findings = CHECKED.flatMap((path) =>
    profileReferences(readFileSync(join(ROOT, path), 'utf8'), path).map((reference) => `${path}:${reference}`),
  );
  expect(findings).toEqual([]);
});

describe('the check reads code, not text', () => {
  test('an import, a type reference and an aliased import are found', () => {
    const source = [
      "import type { EnvironmentProfile } from '../profile/schema';",
      'export interface Props { readonly profile: EnvironmentProfile }',
      "import { EnvironmentProfile as Profile } from '../profile/schema';",
    ].join('\n');
    expect(profileReferences(source)).toEqual([
      '1: EnvironmentProfile',
      '2: EnvironmentProfile',
      '3: EnvironmentProfile',
    ]);
  });

  test('a comment or a string that mentions it is not', () => {
    const source = "// reads no EnvironmentProfile\nconst text = 'EnvironmentProfile';\n";
    expect(profileReferences(source)).toEqual([]);
  });
});
