import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A validator the suite runs as a program, from a Debian package (no npm package carries it). */
export interface SystemTool {
  readonly command: string;
  readonly debianPackage: string;
}

export const PROMTOOL: SystemTool = { command: 'promtool', debianPackage: 'prometheus' };
export const AMTOOL: SystemTool = { command: 'amtool', debianPackage: 'prometheus-alertmanager' };

/** The tools the suite runs; the global setup reports each one that is missing. */
export const SYSTEM_TOOLS: readonly SystemTool[] = [PROMTOOL, AMTOOL];

/** The absolute path `command` resolves to on PATH, as execFile would find it; undefined when absent. */
export function locate(tool: SystemTool, path = process.env.PATH ?? ''): string | undefined {
  for (const folder of path.split(delimiter).filter((entry) => entry !== '')) {
    const candidate = join(folder, tool.command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

export function installHint(tool: SystemTool): string {
  return `${tool.command} is not installed: apt-get install ${tool.debianPackage} (Debian/Ubuntu), as .ci/run does`;
}

/** CI must run every validator; on a developer's machine a missing one only skips its tests. */
export function toolsAreRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
}

/**
 * `describe`, when the tool is on PATH. Without it: skipped on a developer's machine (the global
 * setup prints one line saying how to install it), and one failing test under CI=true, so CI can
 * never pass without the real validator.
 */
export function describeWithTool(tool: SystemTool, name: string, body: () => void): void {
  if (locate(tool) !== undefined) {
    describe(name, body);
  } else if (toolsAreRequired()) {
    describe(name, () => {
      test(`${tool.command} is installed (required when CI is set)`, () => {
        throw new Error(installHint(tool));
      });
    });
  } else {
    describe.skip(`${name} (skipped: ${installHint(tool)})`, body);
  }
}
