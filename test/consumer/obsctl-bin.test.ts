/**
 * The package's `bin` as an operator meets it: `npx obsctl` in the repository (the README's
 * command) runs the TypeScript source, whatever dist/ holds; the packed tarball runs its compiled
 * dist/. Both spawn real processes; the tarball is packed from a copy, so the repository is untouched.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..');
const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  files: string[];
};

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'obsctl-bin-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A child's environment without the developer's npm cache, so an old npx install cannot hide a broken bin. */
function freshNpmEnvironment(): NodeJS.ProcessEnv {
  const cache = join(scratch, 'npm-cache');
  mkdirSync(cache, { recursive: true });
  return { ...process.env, npm_config_cache: cache, npm_config_update_notifier: 'false', npm_config_audit: 'false' };
}

test('npx obsctl --help exits 0 in the repository, as the README says', () => {
  const result = spawnSync('npx', ['obsctl', '--help'], {
    cwd: REPO_ROOT,
    env: freshNpmEnvironment(),
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  expect(result.stdout).toMatch(/^Usage: obsctl \[options\] \[command\]/);
}, 90_000);

describe('the packed package', () => {
  let stage: string;
  let installed: string;
  let tarballFiles: string[];

  beforeAll(() => {
    // A copy of what the build and `files` read, with the repository's node_modules linked in.
    stage = join(scratch, 'stage');
    const copied = new Set(['package.json', 'tsconfig.json', 'tsconfig.build.json', 'bin', 'lib']);
    for (const entry of packageJson.files) if (!entry.startsWith('dist/')) copied.add(entry.split('/')[0]);
    for (const entry of copied) cpSync(join(REPO_ROOT, entry), join(stage, entry), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(stage, 'node_modules'), 'dir');
    // `npm pack` runs prepack (the build), as publishing does.
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], {
        cwd: stage,
        env: freshNpmEnvironment(),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    ) as [{ filename: string; files: { path: string }[] }];
    tarballFiles = packed[0].files.map((file) => file.path);
    installed = join(scratch, 'installed');
    mkdirSync(installed);
    execFileSync('tar', ['-xzf', join(scratch, packed[0].filename), '-C', installed]);
  }, 180_000);

  test('holds the bin and the compiled entry it falls back to, and no TypeScript source', () => {
    expect(tarballFiles).toEqual(expect.arrayContaining([packageJson.bin.obsctl, 'dist/bin/obsctl.js']));
    expect(tarballFiles.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
  });

  test("its bin resolves and runs the compiled obsctl, with the package's dependencies only", () => {
    // The dependencies an install would bring, from the repository's node_modules.
    const result = spawnSync(process.execPath, [join(installed, 'package', packageJson.bin.obsctl), '--version'], {
      cwd: scratch,
      env: { PATH: process.env.PATH ?? '', NODE_PATH: join(REPO_ROOT, 'node_modules') },
      encoding: 'utf8',
    });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
      status: 0,
      stdout: '0.1.0\n',
      stderr: '',
    });
  });

  test('beside its TypeScript source the bin runs the source, never an old build in dist/', () => {
    writeFileSync(join(stage, 'dist', 'bin', 'obsctl.js'), 'process.stdout.write("stale build\\n");\n');
    const result = spawnSync(process.execPath, [join(stage, packageJson.bin.obsctl), '--version'], {
      cwd: stage,
      encoding: 'utf8',
    });
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 0, stdout: '0.1.0\n' });
  });
});
