/**
 * `obsctl review`: what a change does to monitoring and paging. Compares two cloud assemblies
 * (`--base`, `--head`), or synthesizes the base from a git ref in a temporary worktree (offline,
 * with the README's synth command) and the head from the work tree. No AWS call.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ReviewInputError } from '../../review/assembly';
import { formatReviewMarkdown, formatReviewText, reviewJson } from '../../review/render';
import { type Review, readReviewSide, review } from '../../review/review';
import { CliError } from '../errors';

/** The README's synth command (`npm run synth`: every environment, offline, into cdk.out/). */
export const SYNTH_COMMAND: readonly string[] = ['npm', 'run', '--silent', 'synth'];

/** Synthesizes the app in `directory` into `directory/cdk.out`. */
export type Synthesize = (directory: string) => void;

export const npmSynth: Synthesize = (directory) => {
  try {
    execFileSync(SYNTH_COMMAND[0], SYNTH_COMMAND.slice(1), {
      cwd: directory,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new CliError(
      `${SYNTH_COMMAND.join(' ')} failed in ${directory}${stderr === '' ? '' : `:\n${stderr}`}`,
      'failed',
    );
  }
};

export interface ReviewOptions {
  /** A cloud assembly (or a repository root with cdk.out/) of the base. */
  readonly base?: string;
  /** A git ref whose tree is synthesized as the base. */
  readonly baseRef?: string;
  /** A cloud assembly of the head. @default - a fresh synth of the work tree */
  readonly head?: string;
  /** Where relative paths and the repository are found. */
  readonly cwd: string;
  readonly synthesize: Synthesize;
}

export function runReview(options: ReviewOptions): Review {
  if ((options.base === undefined) === (options.baseRef === undefined)) {
    throw new CliError('give the base as one of --base <dir> or --base-ref <git ref>', 'usage');
  }
  const repository = (): string => gitRoot(options.cwd);
  try {
    const head =
      options.head === undefined
        ? (() => {
            const root = repository();
            options.synthesize(root);
            return readReviewSide(root);
          })()
        : readReviewSide(resolve(options.cwd, options.head));
    if (options.base !== undefined) return review(readReviewSide(resolve(options.cwd, options.base)), head);
    return withWorktree(repository(), options.baseRef as string, (worktree) => {
      options.synthesize(worktree);
      return review(readReviewSide(worktree), head);
    });
  } catch (error) {
    if (error instanceof ReviewInputError) throw new CliError(error.message, 'invalid-argument');
    throw error;
  }
}

function git(cwd: string, args: readonly string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new CliError(
      `git ${args.join(' ')}: ${stderr === '' ? (error as Error).message : stderr}`,
      'invalid-argument',
    );
  }
}

function gitRoot(cwd: string): string {
  return git(cwd, ['rev-parse', '--show-toplevel']);
}

/**
 * Runs `body` in a detached worktree of `ref`, which shares the repository's node_modules (the
 * synth stays offline), and removes the worktree after.
 */
function withWorktree<T>(root: string, ref: string, body: (worktree: string) => T): T {
  let commit: string;
  try {
    commit = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new CliError(
      `--base-ref ${ref}: no such commit in ${root}. Fetch it first (git fetch origin main), or name a branch, tag or commit.`,
      'invalid-argument',
    );
  }
  const parent = mkdtempSync(join(tmpdir(), 'obsctl-review-'));
  const worktree = join(parent, 'base');
  git(root, ['worktree', 'add', '--detach', '--quiet', worktree, commit]);
  try {
    const modules = join(root, 'node_modules');
    if (existsSync(modules) && !existsSync(join(worktree, 'node_modules'))) {
      symlinkSync(modules, join(worktree, 'node_modules'), 'dir');
    }
    return body(worktree);
  } finally {
    git(root, ['worktree', 'remove', '--force', worktree]);
    rmSync(parent, { recursive: true, force: true });
  }
}

export type ReviewFormat = 'text' | 'markdown' | 'json';

export function formatReview(result: Review, format: ReviewFormat): string {
  if (format === 'json') return reviewJson(result);
  return format === 'markdown' ? formatReviewMarkdown(result) : formatReviewText(result);
}

/** What `--fail-on-risk` prints on stderr before exiting 1. */
export function riskFailureLines(result: Review): string[] {
  return [
    `obsctl review: ${result.risks.length} risk${result.risks.length === 1 ? '' : 's'} (--fail-on-risk):`,
    ...result.risks.map((risk) => `  - ${risk}`),
  ];
}
