import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { installHint, PROMTOOL } from './system-tool';

const repoRoot = join(__dirname, '..', '..');

/**
 * Runs the real promtool (Debian package `prometheus`) from the repository root and returns its
 * output. Tests that call it sit in `describeWithTool(PROMTOOL, …)`: skipped without promtool on a
 * developer's machine, failing under CI=true.
 */
export async function promtool(...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await promisify(execFile)('promtool', args, { cwd: repoRoot });
    return `${stdout}${stderr}`;
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT') {
      throw new Error(installHint(PROMTOOL));
    }
    throw new Error(`promtool ${args.join(' ')} failed:\n${failure.stdout ?? ''}${failure.stderr ?? ''}`);
  }
}
