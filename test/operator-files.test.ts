/**
 * The operator's cdk.json is theirs to edit: tests build on the example app in test/fixtures, and
 * only the tests in CDK_JSON_READERS (test/support/cdk-json.ts) read cdk.json itself.
 * scripts/check-operator-edit.sh (run by .ci/run) proves that an edit plus `npm run refresh`
 * leaves the suite green.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadEnvironmentProfiles } from '../lib/profile-loader/load';
import { CDK_JSON_READERS, cdkJsonContext, cdkJsonEnvironments, REPO_ROOT } from './support/cdk-json';

/** Every TypeScript file under test/, relative to the repository root. */
function testSources(folder = join(REPO_ROOT, 'test')): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return testSources(path);
    return entry.name.endsWith('.ts') ? [relative(REPO_ROOT, path).split('\\').join('/')] : [];
  });
}

// The ways a test file could reach the repository's cdk.json: a relative path up to the root, a
// root constant joined with it, or the helpers of test/support/cdk-json.ts.
const READS_CDK_JSON = [
  /['"`](\.\.\/)+cdk\.json['"`]/,
  /\b(REPO_ROOT|repoRoot|repositoryRoot|root)\b\s*,\s*['"`]cdk\.json['"`]/,
  /\$\{(REPO_ROOT|repoRoot|repositoryRoot|root)\}\/cdk\.json/,
  /\bcdkJson(Environments|Context)\(/,
];
const sources = testSources().filter((path) => path !== 'test/support/cdk-json.ts');
const readers = sources.filter((path) =>
  READS_CDK_JSON.some((pattern) => pattern.test(readFileSync(join(REPO_ROOT, path), 'utf8'))),
);

describe("the operator's cdk.json", () => {
  test('its profiles validate', () => {
    expect(Object.keys(loadEnvironmentProfiles(cdkJsonEnvironments())).length).toBeGreaterThan(0);
  });

  test('holds no reserved aws: context key, which the CDK CLI warns about on every synth (set it in code)', () => {
    expect(Object.keys(cdkJsonContext()).filter((key) => key.startsWith('aws:'))).toEqual([]);
  });

  test("is read only by the tests about the operator's own files (test/support/cdk-json.ts)", () => {
    expect(readers.filter((path) => !(path in CDK_JSON_READERS))).toEqual([]);
  });

  test('every listed reader exists and reads it, so the list stays short and true', () => {
    expect(Object.keys(CDK_JSON_READERS).filter((path) => !readers.includes(path))).toEqual([]);
  });

  test('the checks see a reader when there is one', () => {
    // Guards the patterns above: the support module itself reads cdk.json by a root constant.
    const support = readFileSync(join(REPO_ROOT, 'test/support/cdk-json.ts'), 'utf8');
    expect(READS_CDK_JSON.some((pattern) => pattern.test(support))).toBe(true);
  });
});
