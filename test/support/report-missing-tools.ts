import { installHint, locate, SYSTEM_TOOLS, toolsAreRequired } from './system-tool';

/**
 * Jest global setup: one line per missing validator, before the run, so a newcomer whose
 * `npm test` passes with skipped tests knows why and what to install.
 */
export default function reportMissingTools(): void {
  for (const tool of SYSTEM_TOOLS) {
    if (locate(tool) !== undefined) continue;
    const outcome = toolsAreRequired() ? 'its tests fail because CI is set' : 'its tests are skipped';
    process.stderr.write(`\n${installHint(tool)}; ${outcome}.\n`);
  }
}
