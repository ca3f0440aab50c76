/**
 * docs/workflows/pr-review.yml runs the same commands as scripts/pr-review.sh, which .ci/run runs:
 * what the pull request's check does is what CI proves works.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Step {
  readonly name?: string;
  readonly run?: string;
  readonly if?: string;
  readonly env?: Record<string, string>;
}

const workflow = parse(read('docs/workflows/pr-review.yml')) as { jobs: { review: { steps: Step[] } } };
const steps = workflow.jobs.review.steps;
const step = (name: string): Step => {
  const found = steps.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`docs/workflows/pr-review.yml has no step "${name}"`);
  return found;
};
/** The script's command lines, without comments and shell plumbing. */
const scriptLines = read('scripts/pr-review.sh')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'));

test('the Install and Review steps are commands of scripts/pr-review.sh', () => {
  const script = scriptLines.join('\n');
  expect([step('Install').run, step('Review').run].filter((run) => !script.includes(run as string))).toEqual([]);
});

test('the Review step runs obsctl review on the base branch, as Markdown, failing on a risk', () => {
  expect(step('Review').run).toBe('npx obsctl review --base-ref "$BASE_REF" --markdown --fail-on-risk > review.md');
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
  expect(step('Review').env?.BASE_REF).toBe('origin/${{ github.base_ref }}');
});

test('the Comment step posts the review even when the Review step failed on a risk', () => {
  expect(step('Comment').if).toContain('!cancelled()');
  expect(step('Comment').run).toContain('--body-file review.md');
});

test('.ci/run runs scripts/pr-review.sh', () => {
  expect(read('.ci/run').split('\n')).toContain('bash scripts/pr-review.sh');
});
