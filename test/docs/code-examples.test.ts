/**
 * The hand-written examples in the README and docs/ stay true: every `obsctl` command line names
 * commands and flags the program has, every `npm run` a script of package.json, and every profile
 * fragment in a `json` block is accepted by the profile loader when put into a fixture environment.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { obsctlProgram } from '../../lib/cli/program';
import { loadEnvironmentProfiles, ProfileError } from '../../lib/profile-loader/load';
import { fixtureEnvironments } from '../support/fixture-profiles';

const repoRoot = join(__dirname, '..', '..');
const DOCUMENTS = ['README.md', 'docs/guide.md', 'docs/design.md'];
const scripts = Object.keys(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts);

interface CodeBlock {
  readonly where: string;
  readonly language: string;
  readonly text: string;
}

function codeBlocks(path: string): CodeBlock[] {
  const lines = readFileSync(join(repoRoot, path), 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  let open: { language: string; start: number; body: string[] } | undefined;
  lines.forEach((line, index) => {
    const fence = /^```(\w*)\s*$/.exec(line);
    if (fence === null) {
      open?.body.push(line);
    } else if (open === undefined) {
      open = { language: fence[1], start: index + 1, body: [] };
    } else {
      blocks.push({ where: `${path}:${open.start}`, language: open.language, text: open.body.join('\n') });
      open = undefined;
    }
  });
  return blocks;
}

const blocks = DOCUMENTS.flatMap(codeBlocks);

/** Shell lines with their continuations joined and comments cut. */
function shellLines(block: CodeBlock): { where: string; line: string }[] {
  return block.text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => ({ where: block.where, line: line.replace(/\s#\s.*$/, '').trim() }))
    .filter(({ line }) => line !== '');
}

/** Inline code spans in prose (`obsctl doctor --env prod`), outside fenced blocks. */
function inlineCommands(path: string): { where: string; line: string }[] {
  const text = readFileSync(join(repoRoot, path), 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return [...text.matchAll(/`((?:npx )?(?:obsctl|npm run) [^`]+)`/g)].map(([, line]) => ({ where: path, line }));
}

const shell = [
  ...blocks.filter((block) => ['sh', 'bash', 'shell', ''].includes(block.language)).flatMap(shellLines),
  ...DOCUMENTS.flatMap(inlineCommands),
];

/** `obsctl credentials put --env prod --tenant acme < token.txt` → the words after `obsctl`, up to a pipe or redirect. */
const obsctlInvocations = shell.flatMap(({ where, line }) =>
  [...line.matchAll(/(?:^|[\s;&|(])(?:npx )?obsctl((?:\s+[^\s<>|;&]+)*)/g)].map((match) => ({
    where,
    words: match[1].trim().split(/\s+/).filter(Boolean),
  })),
);

/** What is wrong with an obsctl command line, or undefined: unknown commands or flags. */
function obsctlProblem(words: readonly string[]): string | undefined {
  let command: Command = obsctlProgram();
  const flags: string[] = [];
  let positionals = 0;
  for (const word of words) {
    if (word.startsWith('-')) {
      flags.push(word.split('=')[0]);
      continue;
    }
    const sub = command.commands.find((candidate) => candidate.name() === word || candidate.aliases().includes(word));
    if (sub !== undefined && positionals === 0) command = sub;
    else positionals += 1;
  }
  const asksForHelp = flags.some((flag) => ['--help', '-h', '--version', '-V'].includes(flag));
  if (!asksForHelp && command.commands.length > 0 && !command.commands.some((sub) => sub.name() === 'run')) {
    return `"obsctl ${words.join(' ')}" names no subcommand of "${command.name()}"`;
  }
  const known = new Set<string>(['--help', '-h']);
  for (let scope: Command | null = command; scope !== null; scope = scope.parent) {
    for (const option of scope.options) {
      if (option.long !== undefined) known.add(option.long);
      if (option.short !== undefined) known.add(option.short);
      if (option.negate && option.long !== undefined) known.add(option.long);
    }
  }
  const unknown = flags.filter((flag) => !known.has(flag));
  return unknown.length === 0 ? undefined : `"obsctl ${words.join(' ')}": no flag ${unknown.join(', ')}`;
}

test('the documents show obsctl command lines to check', () => {
  expect(obsctlInvocations.length).toBeGreaterThan(5);
});

test('every obsctl command line in the documents names commands and flags obsctl has', () => {
  const problems = obsctlInvocations.flatMap(({ where, words }) => {
    const problem = obsctlProblem(words);
    return problem === undefined ? [] : [`${where}: ${problem}`];
  });
  expect(problems).toEqual([]);
});

test('every npm run in the documents names a script of package.json', () => {
  const missing = shell.flatMap(({ where, line }) =>
    [...line.matchAll(/npm run ([\w:-]+)/g)]
      .map(([, script]) => script)
      .filter((script) => !scripts.includes(script))
      .map((script) => `${where}: npm run ${script}`),
  );
  expect(missing).toEqual([]);
});

/** A `json` block holding one profile field (`"gateway": {...}`) or a whole environment object. */
const profileFragments = blocks
  .filter((block) => block.language === 'json' && /^\s*"\w+"\s*:/.test(block.text))
  .map((block) => ({ where: block.where, fields: JSON.parse(`{${block.text}}`) as Record<string, unknown> }));

test('the documents show profile fragments to check', () => {
  expect(profileFragments.length).toBeGreaterThan(0);
});

test("every profile fragment in the documents is accepted in a fixture's production environment", () => {
  const problems = profileFragments.flatMap(({ where, fields }) => {
    const environments = fixtureEnvironments();
    Object.assign(environments['shop-prod'] as Record<string, unknown>, fields);
    try {
      loadEnvironmentProfiles(environments);
      return [];
    } catch (error) {
      if (error instanceof ProfileError) return error.problems.map((problem) => `${where}: ${problem}`);
      throw error;
    }
  });
  expect(problems).toEqual([]);
});
