/**
 * Dev-only: derives the config keys of the collector components we configure from upstream's Go
 * config structs (`mapstructure` tags, following `,squash`, aliases, generics and the shared config
 * packages) and writes lib/collector/upstream-keys/otelcol-contrib-v<version>.json.
 *
 * It reads source only and needs no network. A source root is either a bare git dir read at a tag
 * (`path@tag`, read with `git show`), or a plain directory whose SOURCES.json names the repo and
 * the commit of every file in it; such a directory may hold upstream's `config.schema.yaml` (the
 * collector's schemagen output from the same structs) where the Go file was not at hand:
 *
 *   npx tsx scripts/derive-collector-keys.ts \
 *     --core /work/.mirror/open-telemetry+opentelemetry-collector/repo@v0.159.0 \
 *     --go-contrib /work/.mirror/open-telemetry+opentelemetry-go-contrib/repo@otelconf/v0.25.0 \
 *     --contrib /tmp/contrib-src \
 *     --out lib/collector/upstream-keys/otelcol-contrib-v0.159.0.json
 *
 * The parser knows gofmt'd declarations (type, const, method receivers), not all of Go: what it
 * cannot resolve becomes `opaque` with a note, never a guess. See README.md, "Upstream config keys".
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { KeyNode, StructDef } from '../lib/collector/upstream-keys';

const CORE = 'go.opentelemetry.io/collector';
const CONTRIB = 'github.com/open-telemetry/opentelemetry-collector-contrib';

// Sources -----------------------------------------------------------------------------------------

export interface SourceRoot {
  readonly module: string;
  readonly label: string;
  /** The .go files of a package directory (relative to the root), without tests. */
  goFiles(dir: string): string[];
  /** The package's `config.schema.yaml` (upstream's schemagen output), if the root carries one. */
  schema(dir: string): string | undefined;
  read(path: string): string;
  /** Where a file came from, for the data file. */
  origin(path: string): string;
}

function gitRoot(module: string, repo: string, spec: string): SourceRoot & { commit: string; date: string } {
  const [gitDir, ref] = spec.split('@');
  const git = (...args: string[]) => execFileSync('git', ['-C', gitDir, ...args], { encoding: 'utf8' });
  const commit = git('rev-parse', `${ref}^{commit}`).trim();
  const date = git('log', '-1', '--format=%cI', commit).trim();
  return {
    module,
    label: `${repo}@${ref}`,
    commit,
    date,
    goFiles: (dir) => {
      let listing: string;
      try {
        listing = git('ls-tree', '--name-only', `${commit}:${dir}`);
      } catch {
        return [];
      }
      return listing
        .split('\n')
        .filter((name) => name.endsWith('.go') && !name.endsWith('_test.go'))
        .map((name) => `${dir}/${name}`);
    },
    read: (path) => git('show', `${commit}:${path}`),
    schema: () => undefined, // the git roots are read from their Go source
    origin: (path) => `${repo} ${path} @ ${ref} (${commit.slice(0, 12)})`,
  };
}

interface DirSources {
  readonly repo: string;
  readonly note: string;
  readonly files: Record<string, string>;
}

export function dirRoot(module: string, dir: string): SourceRoot & { sources: DirSources } {
  const sources = JSON.parse(readFileSync(join(dir, 'SOURCES.json'), 'utf8')) as DirSources;
  return {
    module,
    label: `${sources.repo} (files at the commits in SOURCES.json)`,
    sources,
    goFiles: (pkgDir) => {
      const full = join(dir, pkgDir);
      if (!existsSync(full)) return [];
      return readdirSync(full)
        .filter((name) => name.endsWith('.go') && !name.endsWith('_test.go'))
        .map((name) => `${pkgDir}/${name}`);
    },
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    schema: (pkgDir) => {
      const path = join(dir, pkgDir, 'config.schema.yaml');
      return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    },
    origin: (path) => `${sources.repo} ${path} @ ${sources.files[path] ?? 'unknown commit'}`,
  };
}

// Go declarations ---------------------------------------------------------------------------------

type TypeExpr =
  | { t: 'named'; pkg?: string; name: string; args: TypeExpr[] }
  | { t: 'ptr' | 'slice'; elem: TypeExpr }
  | { t: 'map'; key: TypeExpr; value: TypeExpr }
  | { t: 'struct'; fields: FieldDecl[] }
  | { t: 'other'; text: string };

interface FieldDecl {
  readonly names: string[];
  readonly embedded: boolean;
  readonly type: TypeExpr;
  readonly tag: string;
}

interface TypeDecl {
  readonly name: string;
  readonly params: string[];
  readonly alias: boolean;
  readonly expr: TypeExpr;
  readonly file: GoFile;
  readonly line: number;
}

interface GoFile {
  readonly path: string;
  readonly root: SourceRoot;
  readonly imports: Map<string, string>;
}

interface GoPackage {
  readonly path: string;
  readonly types: Map<string, TypeDecl>;
  /** String constants by declared type name. */
  readonly consts: Map<string, { value: string; where: string }[]>;
  /** Method names by receiver type name. */
  readonly methods: Map<string, Set<string>>;
  /** Upstream's schemagen output for the package, when that is what the root carries. */
  readonly schema?: { readonly root: SchemaNode; readonly defs: Record<string, SchemaNode>; readonly origin: string };
}

interface SchemaNode {
  readonly type?: string;
  readonly format?: string;
  readonly $ref?: string;
  readonly enum?: string[];
  readonly items?: SchemaNode;
  readonly properties?: Record<string, SchemaNode>;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly allOf?: SchemaNode[];
  readonly $defs?: Record<string, SchemaNode>;
  readonly 'x-customType'?: string;
  readonly 'x-optional'?: boolean;
  readonly 'x-pointer'?: boolean;
}

/** Blanks out comments, keeping strings, raw strings and line numbers intact. */
function stripComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '"' || c === '`' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += c !== '`' && text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The index of the quote that closes the Go string or rune literal opening at `open` (raw strings have no escapes). */
function closingQuote(text: string, open: number): number {
  const quote = text[open];
  let k = open + 1;
  while (k < text.length && text[k] !== quote) k += quote !== '`' && text[k] === '\\' ? 2 : 1;
  return k;
}

/** The end (exclusive) of a declaration starting at `i`: the first newline outside brackets. */
function declarationEnd(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '"' || c === '`' || c === "'") {
      j = closingQuote(text, j);
    } else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if ((c === '\n' || c === ';') && depth <= 0) return j;
  }
  return text.length;
}

/** Splits a bracketed body into its top-level entries (newline or `;` separated). */
function splitEntries(body: string): string[] {
  const entries: string[] = [];
  let i = 0;
  while (i < body.length) {
    const end = declarationEnd(body, i);
    const entry = body.slice(i, end).trim();
    if (entry !== '') entries.push(entry);
    i = end + 1;
  }
  return entries;
}

function matchingClose(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    const c = text[j];
    if (c === '"' || c === '`' || c === "'") {
      j = closingQuote(text, j);
    } else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      depth--;
      if (depth === 0) return j;
    }
  }
  throw new Error(`unbalanced brackets at ${open}`);
}

function parseType(src: string): TypeExpr {
  const s = src.trim();
  if (s.startsWith('*')) return { t: 'ptr', elem: parseType(s.slice(1)) };
  if (s.startsWith('[]')) return { t: 'slice', elem: parseType(s.slice(2)) };
  if (/^\[\w+\]/.test(s)) return { t: 'slice', elem: parseType(s.slice(s.indexOf(']') + 1)) };
  if (s.startsWith('map[')) {
    const close = matchingClose(s, 3);
    return { t: 'map', key: parseType(s.slice(4, close)), value: parseType(s.slice(close + 1)) };
  }
  if (/^struct\s*\{/.test(s)) {
    const open = s.indexOf('{');
    return { t: 'struct', fields: parseFields(s.slice(open + 1, matchingClose(s, open))) };
  }
  const named = /^(?:(\w+)\.)?(\w+)(\[.*\])?$/s.exec(s);
  if (named !== null) {
    const args = named[3] === undefined ? [] : splitTopLevel(named[3].slice(1, -1)).map(parseType);
    return { t: 'named', pkg: named[1], name: named[2], args };
  }
  return { t: 'other', text: s };
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let j = 0; j < text.length; j++) {
    if ('([{'.includes(text[j])) depth++;
    else if (')]}'.includes(text[j])) depth--;
    else if (text[j] === ',' && depth === 0) {
      parts.push(text.slice(start, j));
      start = j + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

function parseFields(body: string): FieldDecl[] {
  return splitEntries(body).map((entry) => {
    const tagMatch = /`([^`]*)`\s*$/.exec(entry);
    const tag = tagMatch?.[1] ?? '';
    const decl = (tagMatch === null ? entry : entry.slice(0, tagMatch.index)).trim();
    const named = /^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s+(\S.*)$/s.exec(decl);
    if (named !== null && !/^\w+\.\w/.test(decl)) {
      return {
        names: named[1].split(',').map((name) => name.trim()),
        embedded: false,
        type: parseType(named[2]),
        tag,
      };
    }
    const type = parseType(decl);
    const base = type.t === 'ptr' ? type.elem : type;
    return { names: [base.t === 'named' ? base.name : decl], embedded: true, type, tag };
  });
}

/** Parsed packages, per set of roots. */
const packageCaches = new WeakMap<readonly SourceRoot[], Map<string, GoPackage | undefined>>();

function loadPackage(roots: readonly SourceRoot[], pkgPath: string): GoPackage | undefined {
  const packages = packageCaches.get(roots) ?? new Map<string, GoPackage | undefined>();
  packageCaches.set(roots, packages);
  if (packages.has(pkgPath)) return packages.get(pkgPath);
  const root = roots.find((candidate) => pkgPath === candidate.module || pkgPath.startsWith(`${candidate.module}/`));
  const dir = root === undefined ? '' : pkgPath.slice(root.module.length + 1);
  const files = root === undefined ? [] : root.goFiles(dir);
  const schemaText = root?.schema(dir);
  if (root === undefined || (files.length === 0 && schemaText === undefined)) {
    packages.set(pkgPath, undefined);
    return undefined;
  }
  const schemaRoot = schemaText === undefined ? undefined : (parseYaml(schemaText) as SchemaNode);
  const pkg: GoPackage = {
    path: pkgPath,
    types: new Map(),
    consts: new Map(),
    methods: new Map(),
    schema:
      schemaRoot === undefined
        ? undefined
        : { root: schemaRoot, defs: schemaRoot.$defs ?? {}, origin: root.origin(`${dir}/config.schema.yaml`) },
  };
  for (const path of files) parseFile(pkg, { path, root, imports: new Map() }, stripComments(root.read(path)));
  packages.set(pkgPath, pkg);
  return pkg;
}

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

function parseFile(pkg: GoPackage, file: GoFile, text: string): void {
  for (const block of text.matchAll(/^import\s*\(([^)]*)\)|^import\s+(\w+\s+)?("[^"]+")/gm)) {
    const lines = block[1] !== undefined ? block[1].split('\n') : [`${block[2] ?? ''}${block[3]}`];
    for (const line of lines) {
      const spec = /^\s*(\w+|_|\.)?\s*"([^"]+)"/.exec(line);
      if (spec === null) continue;
      const path = spec[2];
      const alias =
        spec[1] ??
        path
          .split('/')
          .filter((part) => !/^v\d+(\.\d+)*$/.test(part))
          .pop() ??
        path;
      file.imports.set(alias, path);
    }
  }
  const addType = (entry: string, offset: number) => {
    const m = /^(\w+)(\[[^\]]*\])?\s*(=)?\s*([\s\S]*)$/.exec(entry);
    if (m === null) return;
    const params = m[2] === undefined ? [] : splitTopLevel(m[2].slice(1, -1)).map((param) => param.split(/\s+/)[0]);
    pkg.types.set(m[1], {
      name: m[1],
      params,
      alias: m[3] !== undefined,
      expr: parseType(m[4]),
      file,
      line: lineAt(text, offset),
    });
  };
  for (const decl of text.matchAll(/^type\s+/gm)) {
    const start = (decl.index ?? 0) + decl[0].length;
    if (text[start] === '(') {
      const close = matchingClose(text, start);
      let cursor = start + 1;
      for (const entry of splitEntries(text.slice(start + 1, close))) {
        const at = text.indexOf(entry, cursor);
        addType(entry, at);
        cursor = at + entry.length;
      }
    } else addType(text.slice(start, declarationEnd(text, start)), start);
  }
  for (const decl of text.matchAll(/^const\s*\(/gm)) {
    const open = (decl.index ?? 0) + decl[0].length - 1;
    const body = text.slice(open + 1, matchingClose(text, open));
    for (const c of body.matchAll(/^\s*(\w+)\s+(\w+)\s*=\s*"([^"]*)"/gm)) {
      addConst(pkg, c[2], c[3], `${file.root.origin(file.path)} line ${lineAt(text, open + 1 + (c.index ?? 0) + 1)}`);
    }
  }
  for (const c of text.matchAll(/^const\s+(\w+)\s+(\w+)\s*=\s*"([^"]*)"/gm)) {
    addConst(pkg, c[2], c[3], `${file.root.origin(file.path)} line ${lineAt(text, c.index ?? 0)}`);
  }
  for (const m of text.matchAll(/^func\s*\(\s*\w*\s*\*?(\w+)(?:\[[^\]]*\])?\s*\)\s*(\w+)\s*\(/gm)) {
    const set = pkg.methods.get(m[1]) ?? new Set<string>();
    set.add(m[2]);
    pkg.methods.set(m[1], set);
  }
}

function addConst(pkg: GoPackage, type: string, value: string, where: string): void {
  const list = pkg.consts.get(type) ?? [];
  list.push({ value, where });
  pkg.consts.set(type, list);
}

// Key data ----------------------------------------------------------------------------------------

/**
 * Closed sets that Go code defines without typed constants (parsed in UnmarshalText or Validate).
 * Keyed by Go type (`pkg.Type`) or by `<struct def>#<key>`. Every entry names its file and line.
 */
const HAND_ENUMS: Record<string, { values: string[]; source: string; anyCase?: true }> = {
  'go.opentelemetry.io/collector/config/configtelemetry.Level': {
    values: ['none', 'basic', 'normal', 'detailed'],
    anyCase: true,
    source:
      'opentelemetry-collector config/configtelemetry/configtelemetry.go line 52 (Level.UnmarshalText) @ v0.159.0',
  },
  'go.uber.org/zap/zapcore.Level': {
    values: ['debug', 'info', 'warn', 'error', 'dpanic', 'panic', 'fatal'],
    anyCase: true,
    source:
      'go.uber.org/zap v1.28.0 (core service/go.mod @ v0.159.0) zapcore/level.go, Level.UnmarshalText; upper case too',
  },
  'go.opentelemetry.io/collector/exporter/exporterhelper/internal/request.SizerType': {
    values: ['requests', 'items', 'bytes'],
    source:
      'opentelemetry-collector exporter/exporterhelper/internal/request/sizer.go (SizerType.UnmarshalText) @ v0.159.0',
  },
};

const CONTRIB_HAND_ENUMS: Record<string, { values: string[]; source: string; anyCase?: true }> = {
  [`${CONTRIB}/processor/redactionprocessor.config#summary`]: {
    values: ['debug', 'info', 'silent'],
    source:
      'opentelemetry-collector-contrib processor/redactionprocessor/config.go, Config.Summary doc: ' +
      '"Possible values are `debug`, `info`, and `silent`" (schema @ 3f6252b4517027e495765a027f8e197906e0a3e0)',
  },
  [`${CONTRIB}/internal/coreinternal/attraction.action`]: {
    values: ['insert', 'update', 'upsert', 'delete', 'hash', 'extract', 'convert'],
    anyCase: true,
    source:
      'opentelemetry-collector-contrib internal/coreinternal/attraction/attraction.go, Settings.Actions doc: ' +
      '"{INSERT, UPDATE, UPSERT, DELETE, HASH, EXTRACT, CONVERT} ... Both lower case and upper case are supported" ' +
      '(schema @ 374a6ee04d3f50e8d483da2888aa77af3720299f)',
  },
  [`${CONTRIB}/exporter/awsemfexporter.config#dimension_rollup_option`]: {
    values: ['ZeroAndSingleDimensionRollup', 'SingleDimensionRollupOnly', 'NoDimensionRollup'],
    source:
      'opentelemetry-collector-contrib exporter/awsemfexporter/config.go, Config.DimensionRollupOption doc: ' +
      '"Three options are available" (schema @ 42479a16de531f421871f970d86155affb20942b)',
  },
  'github.com/aws/aws-sdk-go-v2/service/servicediscovery/types.HealthStatusFilter': {
    values: ['HEALTHY', 'UNHEALTHY', 'ALL', 'HEALTHY_OR_ELSE_ALL'],
    source: 'aws-sdk-go-v2 service/servicediscovery/types/enums.go, the HealthStatusFilter constants',
  },
  [`${CONTRIB}/exporter/loadbalancingexporter.Config#routing_key`]: {
    values: ['service', 'traceID', 'metric', 'resource', 'streamID', 'attributes'],
    source:
      'opentelemetry-collector-contrib exporter/loadbalancingexporter/config.go, the *RoutingStr constants ' +
      '(code index file id 69107739241); an empty routing_key means traceID',
  },
};
Object.assign(HAND_ENUMS, CONTRIB_HAND_ENUMS);

/**
 * Statement and condition groups that also take a plain string: a flat list is one group whose
 * context the processor infers (transform and filter READMEs, "Basic Config"; their
 * Config.Unmarshal). Which context that is belongs to the OTTL-context checks, not to key data.
 */
const ALSO_A_STRING: Record<string, string> = {
  [`${CONTRIB}/processor/transformprocessor/internal/common.context_statements`]:
    'transformprocessor README "Basic Config": statements may be listed as plain strings',
  [`${CONTRIB}/processor/filterprocessor/internal/condition.ContextConditions`]:
    'filterprocessor README "Basic Config": conditions may be listed as plain strings',
};

function handNode(hand: { values: string[]; source: string; anyCase?: true }): KeyNode {
  return { kind: 'string', enum: hand.values, enumFrom: hand.source, ...(hand.anyCase ? { enumAnyCase: true } : {}) };
}

const PRIMITIVES: Record<string, KeyNode> = {
  string: { kind: 'string' },
  bool: { kind: 'bool' },
  float32: { kind: 'float' },
  float64: { kind: 'float' },
  any: { kind: 'opaque' },
  error: { kind: 'opaque' },
  ...Object.fromEntries(
    [
      'int',
      'int8',
      'int16',
      'int32',
      'int64',
      'uint',
      'uint8',
      'uint16',
      'uint32',
      'uint64',
      'byte',
      'rune',
      'uintptr',
    ].map((name) => [name, { kind: 'int' } as KeyNode]),
  ),
};

/** Types that decode from a scalar (by a hook or UnmarshalText) whatever their Go shape. */
const KNOWN_TYPES: Record<string, KeyNode> = {
  'time.Duration': { kind: 'duration' },
  'time.Time': { kind: 'string' },
  'regexp.Regexp': { kind: 'string' },
  'go.opentelemetry.io/collector/component.ID': { kind: 'component_id' },
  'go.opentelemetry.io/collector/component.Type': { kind: 'string' },
  'go.opentelemetry.io/collector/pipeline.ID': { kind: 'string' },
  'go.opentelemetry.io/collector/config/configopaque.String': { kind: 'secret' },
  'go.opentelemetry.io/collector/component.Config': { kind: 'opaque', note: 'decoded by the factory' },
  'go.opentelemetry.io/collector/confmap.Conf': { kind: 'opaque' },
  // MapList.Unmarshal (config/configopaque/maplist.go) reads a map of name to value; a list of
  // {name, value} pairs decodes too, but we write the map form.
  'go.opentelemetry.io/collector/config/configopaque.MapList': { kind: 'map', values: { kind: 'secret' } },
  'go.opentelemetry.io/collector/otelcol/internal/configunmarshaler.Configs': { kind: 'components' },
};

interface Context {
  readonly roots: readonly SourceRoot[];
  readonly defs: Map<string, StructDef>;
  readonly unresolved: Set<string>;
}

interface Scope {
  readonly pkg: string;
  readonly file: GoFile;
  readonly params: Map<string, { expr: TypeExpr; scope: Scope }>;
}

/**
 * configoptional.Optional[T]: T, or null for "on with defaults"; for a struct T also the key
 * `enabled` (config/configoptional/optional.go, Optional.Unmarshal reads and deletes "enabled").
 */
function optionalOf(ctx: Context, node: KeyNode): KeyNode {
  const target = 'ref' in node ? ctx.defs.get(node.ref) : undefined;
  if (!('ref' in node) || target === undefined) return withOptional(node);
  const id = `${node.ref}+enabled`;
  if (!ctx.defs.has(id)) {
    ctx.defs.set(id, {
      ...target,
      keys: { ...target.keys, enabled: { kind: 'bool' } },
      source: `${target.source}; enabled from configoptional.Optional`,
    });
  }
  return { ref: id, optional: true };
}

function withOptional(node: KeyNode): KeyNode {
  return 'ref' in node || node.kind !== 'components' ? { ...node, optional: true } : node;
}

function resolve(ctx: Context, expr: TypeExpr, scope: Scope): KeyNode {
  switch (expr.t) {
    case 'ptr':
      return withOptional(resolve(ctx, expr.elem, scope));
    case 'slice': {
      const items = resolve(ctx, expr.elem, scope);
      return 'kind' in items && items.kind === 'int' && expr.elem.t === 'named' && expr.elem.name === 'byte'
        ? { kind: 'string' }
        : { kind: 'list', items };
    }
    case 'map':
      return { kind: 'map', values: resolve(ctx, expr.value, scope) };
    case 'struct':
      return {
        ref: defineStruct(
          ctx,
          `${scope.pkg}.<inline ${scope.file.path}>#${ctx.defs.size}`,
          expr.fields,
          scope,
          'inline',
        ),
      };
    case 'other':
      return { kind: 'opaque', note: `not decodable from config: ${expr.text.split('\n')[0]}` };
    case 'named':
      return resolveNamed(ctx, expr, scope);
  }
}

function resolveNamed(ctx: Context, expr: Extract<TypeExpr, { t: 'named' }>, scope: Scope): KeyNode {
  if (expr.pkg === undefined) {
    const param = scope.params.get(expr.name);
    if (param !== undefined) return resolve(ctx, param.expr, param.scope);
  }
  const pkgPath = expr.pkg === undefined ? scope.pkg : scope.file.imports.get(expr.pkg);
  if (expr.pkg === undefined && PRIMITIVES[expr.name] !== undefined && !loadedHas(ctx, scope.pkg, expr.name)) {
    return PRIMITIVES[expr.name];
  }
  if (pkgPath === undefined) {
    ctx.unresolved.add(`${expr.pkg}.${expr.name} (no import in ${scope.file.path})`);
    return { kind: 'opaque', note: `unresolved ${expr.pkg}.${expr.name}` };
  }
  const id = `${pkgPath}.${expr.name}`;
  if (id === 'go.opentelemetry.io/collector/config/configoptional.Optional') {
    return optionalOf(ctx, resolve(ctx, expr.args[0], scope));
  }
  const hand = HAND_ENUMS[id];
  if (KNOWN_TYPES[id] !== undefined) return KNOWN_TYPES[id];
  const pkg = loadPackage(ctx.roots, pkgPath);
  const decl = pkg?.types.get(expr.name);
  if (pkg?.schema !== undefined && decl === undefined) return schemaRef(ctx, pkgPath, snakeCase(expr.name));
  if (pkg === undefined || decl === undefined) {
    if (hand !== undefined) return handNode(hand);
    ctx.unresolved.add(id);
    return { kind: 'opaque', note: `not carried: ${id}` };
  }
  const declScope: Scope = {
    pkg: pkgPath,
    file: decl.file,
    params: new Map(decl.params.map((name, i) => [name, { expr: expr.args[i], scope }])),
  };
  if (decl.alias) return resolve(ctx, decl.expr, declScope);
  const methods = pkg.methods.get(expr.name) ?? new Set<string>();
  if (hand !== undefined) return handNode(hand);
  if (decl.expr.t === 'struct' && !methods.has('UnmarshalText')) {
    const argText = expr.args.length === 0 ? '' : `[${expr.args.map(typeText).join(',')}]`;
    const defId = `${id}${argText}`;
    if (!ctx.defs.has(defId))
      defineStruct(ctx, defId, decl.expr.fields, declScope, decl.file.root.origin(decl.file.path), defId);
    return ALSO_A_STRING[defId] === undefined ? { ref: defId } : { ref: defId, orString: ALSO_A_STRING[defId] };
  }
  if (methods.has('UnmarshalText') && decl.expr.t === 'struct') {
    return { kind: 'string', note: `${id} decodes itself from text` };
  }
  const underlying = resolve(ctx, decl.expr, declScope);
  // An empty constant means "not set", not a value to write.
  const consts = (pkg.consts.get(expr.name) ?? []).filter((c) => c.value !== '');
  const scalar = methods.has('UnmarshalText') || ('kind' in underlying && underlying.kind === 'string');
  if (scalar && consts.length > 0) {
    return {
      kind: 'string',
      enum: consts.map((c) => c.value),
      enumFrom: `typed constants of ${id}: ${consts[0].where}`,
    };
  }
  if (methods.has('UnmarshalText')) return { kind: 'string', note: `${id} decodes itself from text` };
  return underlying;
}

function loadedHas(ctx: Context, pkgPath: string, name: string): boolean {
  return loadPackage(ctx.roots, pkgPath)?.types.has(name) ?? false;
}

function typeText(expr: TypeExpr): string {
  switch (expr.t) {
    case 'named':
      return `${expr.pkg === undefined ? '' : `${expr.pkg}.`}${expr.name}${expr.args.length > 0 ? `[${expr.args.map(typeText).join(',')}]` : ''}`;
    case 'ptr':
      return `*${typeText(expr.elem)}`;
    case 'slice':
      return `[]${typeText(expr.elem)}`;
    case 'map':
      return `map[${typeText(expr.key)}]${typeText(expr.value)}`;
    default:
      return expr.t;
  }
}

function defineStruct(
  ctx: Context,
  defId: string,
  fields: readonly FieldDecl[],
  scope: Scope,
  source: string,
  placeholderId = defId,
): string {
  const def: { kind: 'struct'; keys: Record<string, KeyNode>; otherKeys?: KeyNode; source: string } = {
    kind: 'struct',
    keys: {},
    source,
  };
  ctx.defs.set(placeholderId, def); // before the fields: a struct may contain itself
  for (const field of fields) {
    const tag = /(?:^|\s)mapstructure:"([^"]*)"/.exec(field.tag)?.[1];
    const [tagName = '', ...options] = (tag ?? '').split(',');
    if (tagName === '-' || field.names[0] === '_') continue;
    if (options.includes('squash')) {
      const squashed = resolve(ctx, field.type, scope);
      const target = 'ref' in squashed ? ctx.defs.get(squashed.ref) : undefined;
      if (target === undefined) {
        // Keys we cannot see may be there: accept any rather than report false unknowns.
        ctx.unresolved.add(`squash of ${typeText(field.type)} in ${defId}`);
        def.otherKeys = { kind: 'opaque', note: `keys of ${typeText(field.type)} not carried` };
        continue;
      }
      Object.assign(def.keys, target.keys);
      if (target.otherKeys !== undefined) def.otherKeys = target.otherKeys;
      continue;
    }
    if (options.includes('remain')) {
      const remain = resolve(ctx, field.type, scope);
      def.otherKeys = 'kind' in remain && remain.kind === 'map' ? remain.values : { kind: 'opaque' };
      continue;
    }
    for (const name of field.names) {
      // mapstructure skips unexported fields; without a tag it matches the field name, any case.
      if (!field.embedded && !/^[A-Z]/.test(name)) continue;
      const key = tagName !== '' ? tagName : name.toLowerCase();
      const hand = HAND_ENUMS[`${defId}#${key}`];
      def.keys[key] = hand === undefined ? resolve(ctx, field.type, scope) : handNode(hand);
    }
  }
  return placeholderId;
}

// Upstream schemagen output (config.schema.yaml) ----------------------------------------------------

function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** `name`, `./sub.name`, `/path.name` or `module/path.name` as seen from `pkgPath`. */
function splitSchemaRef(pkgPath: string, ref: string): [string, string] {
  const dot = ref.lastIndexOf('.');
  if (ref.startsWith('./')) return [`${pkgPath}/${ref.slice(2, dot)}`, ref.slice(dot + 1)];
  if (ref.startsWith('/')) return [`${CONTRIB}${ref.slice(0, dot)}`, ref.slice(dot + 1)];
  if (ref.includes('/')) return [ref.slice(0, dot), ref.slice(dot + 1)];
  return [pkgPath, ref];
}

/** A def of a schema package, or (for a package read from Go) the Go type of that name. */
function schemaRef(ctx: Context, pkgPath: string, name: string): KeyNode {
  const id = `${pkgPath}.${name}`;
  const hand = HAND_ENUMS[id];
  if (hand !== undefined) return handNode(hand);
  const pkg = loadPackage(ctx.roots, pkgPath);
  if (pkg === undefined) {
    ctx.unresolved.add(id);
    return { kind: 'opaque', note: `not carried: ${id}` };
  }
  // schemagen names Go types in snake case: confighttp.client_config is confighttp.ClientConfig.
  // Where the Go type is at hand it wins: it carries the typed constants that close an enum.
  const flat = name.replace(/_/g, '');
  const goName = [...pkg.types.keys()].find((candidate) => candidate.toLowerCase() === flat);
  if (pkg.schema === undefined || goName !== undefined) {
    if (goName === undefined) {
      ctx.unresolved.add(id);
      return { kind: 'opaque', note: `not found: ${id}` };
    }
    const decl = pkg.types.get(goName) as TypeDecl;
    return resolveNamed(
      ctx,
      { t: 'named', name: goName, args: [] },
      { pkg: pkgPath, file: decl.file, params: new Map() },
    );
  }
  const node = name === 'config' && pkg.schema.defs.config === undefined ? pkg.schema.root : pkg.schema.defs[name];
  if (node === undefined) {
    ctx.unresolved.add(id);
    return { kind: 'opaque', note: `not found: ${id}` };
  }
  if (isSchemaStruct(node)) {
    if (!ctx.defs.has(id)) defineSchemaStruct(ctx, id, node, pkgPath, pkg.schema.origin);
    return ALSO_A_STRING[id] === undefined ? { ref: id } : { ref: id, orString: ALSO_A_STRING[id] };
  }
  return schemaNode(ctx, node, pkgPath, pkg.schema.origin);
}

function isSchemaStruct(node: SchemaNode): boolean {
  return node.properties !== undefined || node.allOf !== undefined;
}

function schemaNode(ctx: Context, node: SchemaNode, pkgPath: string, origin: string): KeyNode {
  const base = schemaNodeOf(ctx, node, pkgPath, origin);
  if (node['x-optional'] === true) return optionalOf(ctx, base); // schemagen's mark of configoptional.Optional
  return node['x-pointer'] === true ? withOptional(base) : base;
}

function schemaNodeOf(ctx: Context, node: SchemaNode, pkgPath: string, origin: string): KeyNode {
  if (node.$ref !== undefined) return schemaRef(ctx, ...splitSchemaRef(pkgPath, node.$ref));
  if (isSchemaStruct(node)) {
    const id = `${pkgPath}.<inline>#${ctx.defs.size}`;
    defineSchemaStruct(ctx, id, node, pkgPath, origin);
    return { ref: id };
  }
  const custom = node['x-customType'];
  const enumOf = (kind: 'string') =>
    node.enum === undefined ? { kind } : { kind, enum: node.enum, enumFrom: `${origin} (enum)` };
  switch (node.type) {
    case 'string':
      if (node.format === 'duration') return { kind: 'duration' };
      if (custom === 'go.opentelemetry.io/collector/config/configopaque.String') return { kind: 'secret' };
      return enumOf('string');
    case 'boolean':
      return { kind: 'bool' };
    case 'integer':
      return { kind: 'int' };
    case 'number':
      return { kind: 'float' };
    case 'array':
      return {
        kind: 'list',
        items: node.items === undefined ? { kind: 'opaque' } : schemaNode(ctx, node.items, pkgPath, origin),
      };
    case 'object':
      return {
        kind: 'map',
        values:
          typeof node.additionalProperties === 'object'
            ? schemaNode(ctx, node.additionalProperties, pkgPath, origin)
            : { kind: 'opaque' },
      };
    default:
      return { kind: 'opaque', note: custom === undefined ? 'any' : `upstream type ${custom}` };
  }
}

function defineSchemaStruct(ctx: Context, id: string, node: SchemaNode, pkgPath: string, origin: string): void {
  const def: { kind: 'struct'; keys: Record<string, KeyNode>; otherKeys?: KeyNode; source: string } = {
    kind: 'struct',
    keys: {},
    source: origin,
  };
  ctx.defs.set(id, def);
  for (const part of node.allOf ?? []) {
    // allOf is how schemagen writes a `,squash` embedded struct.
    const squashed = schemaNode(ctx, part, pkgPath, origin);
    const target = 'ref' in squashed ? ctx.defs.get(squashed.ref) : undefined;
    if (target === undefined) {
      def.otherKeys = { kind: 'opaque', note: `keys of ${part.$ref} not carried` };
      continue;
    }
    Object.assign(def.keys, target.keys);
    if (target.otherKeys !== undefined) def.otherKeys = target.otherKeys;
  }
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const hand = HAND_ENUMS[`${id}#${key}`];
    def.keys[key] = hand === undefined ? schemaNode(ctx, child, pkgPath, origin) : handNode(hand);
  }
  if (typeof node.additionalProperties === 'object') {
    def.otherKeys = schemaNode(ctx, node.additionalProperties, pkgPath, origin);
  }
}

// The components we configure ---------------------------------------------------------------------

/** Kind, type (as our configs spell it), Go package and config type of every component we write. */
const COMPONENTS: readonly (readonly [string, string, string, string])[] = [
  ['receivers', 'otlp', `${CORE}/receiver/otlpreceiver`, 'Config'],
  ['processors', 'memory_limiter', `${CORE}/processor/memorylimiterprocessor`, 'Config'],
  ['processors', 'batch', `${CORE}/processor/batchprocessor`, 'Config'],
  ['processors', 'tail_sampling', `${CONTRIB}/processor/tailsamplingprocessor`, 'Config'],
  ['processors', 'resource_detection', `${CONTRIB}/processor/resourcedetectionprocessor`, 'Config'],
  ['processors', 'resource', `${CONTRIB}/processor/resourceprocessor`, 'Config'],
  ['processors', 'transform', `${CONTRIB}/processor/transformprocessor`, 'Config'],
  ['processors', 'redaction', `${CONTRIB}/processor/redactionprocessor`, 'Config'],
  ['processors', 'filter', `${CONTRIB}/processor/filterprocessor`, 'Config'],
  ['processors', 'cumulative_to_delta', `${CONTRIB}/processor/cumulativetodeltaprocessor`, 'Config'],
  ['processors', 'deltatocumulative', `${CONTRIB}/processor/deltatocumulativeprocessor`, 'Config'],
  ['exporters', 'otlp_grpc', `${CORE}/exporter/otlpexporter`, 'Config'],
  ['exporters', 'otlp_http', `${CORE}/exporter/otlphttpexporter`, 'Config'],
  ['exporters', 'debug', `${CORE}/exporter/debugexporter`, 'Config'],
  ['exporters', 'awsemf', `${CONTRIB}/exporter/awsemfexporter`, 'Config'],
  ['exporters', 'awscloudwatchlogs', `${CONTRIB}/exporter/awscloudwatchlogsexporter`, 'Config'],
  ['exporters', 'load_balancing', `${CONTRIB}/exporter/loadbalancingexporter`, 'Config'],
  ['exporters', 'prometheus', `${CONTRIB}/exporter/prometheusexporter`, 'Config'],
  ['extensions', 'health_check', `${CONTRIB}/extension/healthcheckextension`, 'Config'],
  ['extensions', 'basicauth', `${CONTRIB}/extension/basicauthextension`, 'Config'],
  ['extensions', 'file_storage', `${CONTRIB}/extension/storage/filestorage`, 'Config'],
  ['connectors', 'forward', `${CORE}/connector/forwardconnector`, 'Config'],
  ['connectors', 'routing', `${CONTRIB}/connector/routingconnector`, 'Config'],
];

/** The whole file (otelcol's configSettings) and the telemetry section the service decodes itself. */
const CONFIG_ROOT = [`${CORE}/otelcol`, 'configSettings'] as const;
const TELEMETRY_ROOT = [`${CORE}/service/telemetry/otelconftelemetry`, 'Config'] as const;

function rootRef(ctx: Context, pkgPath: string, name: string): string {
  const pkg = loadPackage(ctx.roots, pkgPath);
  if (pkg?.schema !== undefined && !pkg.types.has(name)) {
    const node = schemaRef(ctx, pkgPath, snakeCase(name));
    if (!('ref' in node)) throw new Error(`${pkgPath}.${name} is not a struct`);
    return node.ref;
  }
  const decl = pkg?.types.get(name);
  if (decl === undefined) throw new Error(`${pkgPath}.${name} not found: is its source root given?`);
  const node = resolveNamed(ctx, { t: 'named', name, args: [] }, { pkg: pkgPath, file: decl.file, params: new Map() });
  if (!('ref' in node)) throw new Error(`${pkgPath}.${name} is not a struct`);
  return node.ref;
}

// Main --------------------------------------------------------------------------------------------

/** The struct definitions reachable from `rootTypes` (Go package path and type name), and their ids. */
export function deriveKeyTypes(
  roots: readonly SourceRoot[],
  rootTypes: readonly (readonly [string, string])[],
): { refs: string[]; defs: Map<string, StructDef>; unresolved: string[] } {
  const ctx: Context = { roots, defs: new Map(), unresolved: new Set() };
  const refs = rootTypes.map(([pkgPath, name]) => rootRef(ctx, pkgPath, name));
  return { refs, defs: ctx.defs, unresolved: [...ctx.unresolved].sort() };
}

function main(argv: readonly string[]): void {
  const arg = (name: string) => {
    const at = argv.indexOf(`--${name}`);
    if (at < 0 || argv[at + 1] === undefined) throw new Error(`missing --${name}`);
    return argv[at + 1];
  };
  const core = gitRoot(CORE, 'open-telemetry/opentelemetry-collector', arg('core'));
  const goContrib = gitRoot(
    'go.opentelemetry.io/contrib',
    'open-telemetry/opentelemetry-go-contrib',
    arg('go-contrib'),
  );
  const contrib = arg('contrib').includes('@')
    ? gitRoot(CONTRIB, 'open-telemetry/opentelemetry-collector-contrib', arg('contrib'))
    : dirRoot(CONTRIB, arg('contrib'));
  const ctx: Context = { roots: [core, goContrib, contrib], defs: new Map(), unresolved: new Set() };

  const components: Record<string, Record<string, string>> = {};
  const missing: string[] = [];
  for (const [kind, type, pkgPath, name] of COMPONENTS) {
    try {
      components[kind] = { ...components[kind], [type]: rootRef(ctx, pkgPath, name) };
    } catch (error) {
      missing.push(`${kind}.${type}: ${(error as Error).message}`);
    }
  }
  if (missing.length > 0 && !argv.includes('--partial')) {
    throw new Error(`components without source:\n${missing.join('\n')}`);
  }
  const config = rootRef(ctx, ...CONFIG_ROOT);
  const telemetry = rootRef(ctx, ...TELEMETRY_ROOT);

  const types = Object.fromEntries([...ctx.defs.entries()].sort(([a], [b]) => a.localeCompare(b)));
  // Copies made for configoptional's `enabled` would count their keys twice.
  const distinct = [...ctx.defs.entries()].filter(([id]) => !id.endsWith('+enabled')).map(([, def]) => def);
  const keyCount = distinct.reduce((sum, def) => sum + Object.keys(def.keys).length, 0);
  const version = /@v?([\d.]+)$/.exec(arg('core'))?.[1] ?? 'unknown';
  const data = {
    $comment:
      'Generated by scripts/derive-collector-keys.ts from upstream Go config structs (mapstructure tags). ' +
      'Do not edit: refresh it as README.md "Upstream config keys" says.',
    generated: new Date().toISOString().slice(0, 10),
    distribution: `otelcol-contrib v${version}`,
    sources: [
      {
        repo: 'open-telemetry/opentelemetry-collector',
        ref: arg('core').split('@')[1],
        commit: core.commit,
        date: core.date,
      },
      {
        repo: 'open-telemetry/opentelemetry-go-contrib',
        ref: arg('go-contrib').split('@')[1],
        commit: goContrib.commit,
        date: goContrib.date,
        why: 'service::telemetry metrics/traces/resource are otelconf v0.3.0 structs',
      },
      'sources' in contrib
        ? { repo: contrib.sources.repo, note: contrib.sources.note, files: contrib.sources.files }
        : {
            repo: 'open-telemetry/opentelemetry-collector-contrib',
            ref: arg('contrib').split('@')[1],
            commit: contrib.commit,
            date: contrib.date,
          },
    ],
    handEnums: HAND_ENUMS,
    alsoAString: ALSO_A_STRING,
    stats: { components: COMPONENTS.length + 2, structs: distinct.length, keys: keyCount },
    unresolved: [...ctx.unresolved].sort(),
    root: config,
    telemetry,
    components,
    types,
  };
  const out = arg('out');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(data, null, 2)}\n`);
  execFileSync('npx', ['biome', 'format', '--write', out], { stdio: 'inherit' });
  process.stdout.write(
    `${out}: ${COMPONENTS.length} components + service + telemetry, ${distinct.length} structs, ${keyCount} keys, ` +
      `${ctx.unresolved.size} types not carried (opaque)\n`,
  );
}

if (require.main === module) main(process.argv.slice(2));
