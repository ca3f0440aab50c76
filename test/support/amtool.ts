import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AMTOOL, installHint } from './system-tool';

const repoRoot = join(__dirname, '..', '..');

export interface AmtoolResult {
  readonly exitCode: number;
  readonly output: string;
}

/**
 * Runs the real amtool (Debian package `prometheus-alertmanager`) from the repository root, offline
 * (only `--config.file` commands). Tests that call it sit in `describeWithTool(AMTOOL, …)`.
 */
export async function amtool(...args: string[]): Promise<AmtoolResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)('amtool', args, { cwd: repoRoot });
    return { exitCode: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string; code?: unknown };
    if (failure.code === 'ENOENT') throw new Error(installHint(AMTOOL));
    return {
      exitCode: typeof failure.code === 'number' ? failure.code : 1,
      output: `${failure.stdout ?? ''}${failure.stderr ?? ''}`,
    };
  }
}
