/**
 * `npm run generate`: rewrites every generated file (collector configs, alert rules, dashboards, docs/reference/)
 * from cdk.json's profiles, and deletes files in the generated folders that are no longer generated.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { GENERATED_FOLDERS } from '../lib/generated-file';
import { allGeneratedFiles } from '../lib/generated-files';
import { loadEnvironmentProfiles, ProfileError } from '../lib/profile-loader/load';

const repoRoot = join(__dirname, '..');

function main(): void {
  const cdkJson = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  const files = allGeneratedFiles(loadEnvironmentProfiles(cdkJson.context?.environments));
  const wanted = new Set(files.map((file) => file.path));
  for (const file of files) {
    const target = join(repoRoot, file.path);
    const before = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
    if (before === file.content) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    console.log(
      `${before === undefined ? 'created' : 'updated'} ${file.path} (${Buffer.byteLength(file.content)} bytes)`,
    );
  }
  for (const path of committedGeneratedPaths()) {
    if (!wanted.has(path)) {
      rmSync(join(repoRoot, path));
      console.log(`deleted ${path} (no longer generated)`);
    }
  }
  console.log(`${files.length} generated files are up to date.`);
}

/** Every file under the generated folders, relative to the repository root. */
export function committedGeneratedPaths(): string[] {
  return GENERATED_FOLDERS.flatMap((folder) => listFiles(join(repoRoot, folder))).map((path) =>
    relative(repoRoot, path).split('\\').join('/'),
  );
}

function listFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(folder, entry.name)) : entry.isFile() ? [join(folder, entry.name)] : [],
  );
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    if (error instanceof ProfileError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
