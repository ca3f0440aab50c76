/**
 * docs/reference/obsctl.md: the help of every obsctl command, rendered by commander from the
 * program obsctl runs (lib/cli/program.ts), so the reference shows exactly what `--help` prints.
 */
import type { Command } from 'commander';
import { EXIT_CODE_HELP } from '../cli/exit-codes';
import { obsctlProgram } from '../cli/program';
import type { GeneratedFile } from '../generated-file';
import { generatedHeader, REFERENCE_FOLDER } from './markdown';

export const OBSCTL_REFERENCE_PATH = `${REFERENCE_FOLDER}/obsctl.md`;

/** The program and each of its subcommands, depth first, with the words that invoke it. */
function commands(command: Command, words: readonly string[]): [string, Command][] {
  return [
    [words.join(' '), command],
    ...command.commands.flatMap((child) => commands(child, [...words, child.name()])),
  ];
}

export function obsctlReferencePage(): GeneratedFile {
  const program = obsctlProgram();
  const sections = commands(program, ['obsctl']).map(
    ([invocation, command]) => `## \`${invocation}\`\n\n\`\`\`text\n${command.helpInformation().trimEnd()}\n\`\`\`\n`,
  );
  return {
    path: OBSCTL_REFERENCE_PATH,
    content:
      generatedHeader('obsctl reference', "commander's help of lib/cli/program.ts") +
      'In this repository run it as `npx obsctl …`; from the installed package, `obsctl …`. ' +
      'Every command below prints the same text with `--help`.\n\n' +
      `${sections.join('\n')}\n## Exit codes\n\n\`\`\`text\n${EXIT_CODE_HELP}\n\`\`\`\n`,
  };
}
