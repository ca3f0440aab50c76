/**
 * The layers of test/support/layers.ts hold: imports run only downwards, the pure layers reach no
 * CDK package even through relative imports, and docs/design.md draws the same map. Imports are
 * read with the TypeScript compiler's own pre-processor, type-only imports included (a type import
 * of a construct still ties a pure module to the CDK).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ts from 'typescript';
import { CDK_PACKAGES, LAYERS, layerDiagram, layerOf } from '../support/layers';

const ROOT = join(__dirname, '..', '..');

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder)).flatMap((name) => {
    const path = `${folder}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const FILES = [...sourceFiles('lib'), ...sourceFiles('bin')].sort();

interface Import {
  /** As written in the file. */
  readonly specifier: string;
  /** Repository-relative path of the imported .ts file, for a relative import of one. */
  readonly target?: string;
}

function resolve(from: string, specifier: string): string | undefined {
  const base = join(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(join(ROOT, candidate)));
}

const importCache = new Map<string, Import[]>();
function importsOf(file: string): Import[] {
  const cached = importCache.get(file);
  if (cached !== undefined) return cached;
  const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  const imports = importedFiles.map(({ fileName: specifier }) =>
    specifier.startsWith('.') ? { specifier, target: resolve(file, specifier) } : { specifier },
  );
  importCache.set(file, imports);
  return imports;
}

function isCdkPackage(specifier: string): boolean {
  return CDK_PACKAGES.some((name) => specifier === name || specifier.startsWith(`${name}/`));
}

/** The first chain of relative imports from `file` to a CDK package import, as `a.ts -> b.ts -> 'aws-cdk-lib'`. */
function cdkChain(file: string, seen = new Set<string>()): string | undefined {
  seen.add(file);
  for (const { specifier, target } of importsOf(file)) {
    if (isCdkPackage(specifier)) return `${file} -> '${specifier}'`;
    if (target === undefined || seen.has(target)) continue;
    const chain = cdkChain(target, seen);
    if (chain !== undefined) return `${file} -> ${chain}`;
  }
  return undefined;
}

describe('the layer map', () => {
  test('covers every source file of lib/ and bin/', () => {
    const uncovered = FILES.filter((file) => layerOf(file) === undefined);
    expect(uncovered).toEqual([]);
  });

  test('names only paths that exist', () => {
    const missing = LAYERS.flatMap((layer) => layer.paths).filter((path) => !existsSync(join(ROOT, path)));
    expect(missing).toEqual([]);
  });
});

describe('imports run only downwards', () => {
  test('no file imports a layer above its own', () => {
    const upward = FILES.flatMap((file) => {
      const own = layerOf(file);
      return importsOf(file).flatMap(({ specifier, target }) => {
        const theirs = target === undefined ? undefined : layerOf(target);
        if (own === undefined || theirs === undefined || theirs.rank <= own.rank) return [];
        return [`${file} (${own.layer.name}) imports '${specifier}' (${theirs.layer.name})`];
      });
    });
    expect(upward).toEqual([]);
  });

  test('every relative import names a file that exists', () => {
    const unresolved = FILES.flatMap((file) =>
      importsOf(file)
        .filter(({ specifier, target }) => specifier.startsWith('.') && !specifier.endsWith('.json') && !target)
        .map(({ specifier }) => `${file} imports '${specifier}'`),
    );
    expect(unresolved).toEqual([]);
  });
});

describe('the pure layers reach no CDK package', () => {
  const pureFiles = FILES.filter((file) => layerOf(file)?.layer.pure === true);

  test('there are pure files to check in every pure layer', () => {
    const empty = LAYERS.filter((layer) => layer.pure)
      .filter((layer) => !pureFiles.some((file) => layerOf(file)?.layer === layer))
      .map((layer) => layer.name);
    expect(empty).toEqual([]);
  });

  test('no pure file imports aws-cdk-lib, constructs or cdk-nag, directly or through relative imports', () => {
    const chains = pureFiles.map((file) => cdkChain(file)).filter((chain) => chain !== undefined);
    expect(chains).toEqual([]);
  });

  test('no pure file reads files at run time', () => {
    const readers = pureFiles.flatMap((file) =>
      importsOf(file)
        .filter(({ specifier }) => ['node:fs', 'fs', 'node:fs/promises', 'node:child_process'].includes(specifier))
        .map(({ specifier }) => `${file} imports '${specifier}'`),
    );
    expect(readers).toEqual([]);
  });

  test('the check follows relative imports: lib/index.ts reaches the CDK only through the modules it re-exports', () => {
    expect(importsOf('lib/index.ts').filter(({ specifier }) => isCdkPackage(specifier))).toEqual([]);
    expect(cdkChain('lib/index.ts')).toMatch(
      /^lib\/index\.ts -> lib\/\S+\.ts -> .*'(aws-cdk-lib|constructs|cdk-nag)[^']*'$/,
    );
  });
});

describe('shipped code', () => {
  test('imports no package that is only a devDependency (it is not installed for a consumer)', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string>
    >;
    const installed = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]);
    const packageName = (specifier: string) =>
      specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/');
    const devOnly = FILES.flatMap((file) =>
      importsOf(file)
        .filter(({ specifier }) => !specifier.startsWith('.') && !specifier.startsWith('node:'))
        .filter(({ specifier }) => !installed.has(packageName(specifier)))
        .map(({ specifier }) => `${file} imports '${specifier}'`),
    );
    expect(devOnly).toEqual([]);
  });
});

describe('docs/design.md', () => {
  test('draws the layer map', () => {
    const design = readFileSync(join(ROOT, 'docs', 'design.md'), 'utf8');
    const drawn = /```mermaid\n(flowchart BT\n[\s\S]*?)\n```/.exec(design)?.[1];
    // On failure: replace the block under "## Layers" in docs/design.md with the expected text.
    expect(drawn).toBe(layerDiagram());
  });
});
