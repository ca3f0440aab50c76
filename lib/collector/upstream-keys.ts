/**
 * The config keys upstream accepts, as data, and the check of a config against them: unknown key,
 * wrong kind, value outside a closed set.
 *
 * The data (`upstream-keys/*.json`) is derived from the collector's and contrib's Go config
 * structs by scripts/derive-collector-keys.ts; its header names the repos, tags and commits. We
 * write no key list by hand: a key upstream does not have is a key the collector refuses at start.
 */
import { closest, distance } from 'fastest-levenshtein';
import { type CollectorDistribution, distributionLabel, lookUpComponentType } from './distributions';
import { COMPONENT_KINDS, type ComponentKind, componentType } from './model';
import contribKeys from './upstream-keys/otelcol-contrib-v0.159.0.json';

export type ScalarKind = 'string' | 'bool' | 'int' | 'float' | 'duration' | 'secret' | 'opaque' | 'component_id';

/** What one key holds. */
export type KeyNode =
  | {
      readonly kind: ScalarKind;
      readonly enum?: readonly string[];
      readonly enumFrom?: string;
      /** Upstream compares without case (it lower-cases the value first). */
      readonly enumAnyCase?: boolean;
      readonly optional?: boolean;
      readonly note?: string;
    }
  | { readonly kind: 'list'; readonly items: KeyNode; readonly optional?: boolean }
  | { readonly kind: 'map'; readonly values: KeyNode; readonly optional?: boolean }
  | { readonly kind: 'components' }
  | { readonly ref: string; readonly optional?: boolean; readonly orString?: string };

/** A Go struct: its keys, and what any other key holds when a `,remain` field takes the rest. */
export interface StructDef {
  readonly kind: 'struct';
  readonly keys: Readonly<Record<string, KeyNode>>;
  readonly otherKeys?: KeyNode;
  readonly source: string;
}

export interface UpstreamKeys {
  readonly distribution: string;
  /** The whole config file (otelcol's configSettings). */
  readonly root: string;
  /** service::telemetry, which the service hands to its telemetry factory. */
  readonly telemetry: string;
  readonly components: Readonly<Partial<Record<ComponentKind, Readonly<Record<string, string>>>>>;
  readonly types: Readonly<Record<string, StructDef>>;
}

/** The keys of the components we configure, at the versions of the pinned distribution. */
export const UPSTREAM_KEYS = contribKeys as unknown as UpstreamKeys;

/** `${env:NAME}` (or `${NAME}`) standing for a whole value: the collector expands it before decoding. */
const WHOLE_EXPANSION = /^\$\{[^}]+\}$/;

/** Go's time.ParseDuration syntax. */
const GO_DURATION = /^[-+]?(?:0|(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;

/** component.ID: a type (upstream's typeRegexp) and an optional `/name`. */
const COMPONENT_ID = /^[a-zA-Z][0-9a-zA-Z_]{0,62}(?:\/[^\s/][^\s]*)?$/;

const KIND_WORDS: Record<ScalarKind | 'list' | 'map' | 'struct', string> = {
  string: 'a string',
  bool: 'true or false',
  int: 'an integer',
  float: 'a number',
  duration: 'a Go duration such as "1s" or "500ms"',
  secret: 'a string (a secret: read it from the environment)',
  opaque: 'any value',
  component_id: 'a component id: type or type/name',
  list: 'a list',
  map: 'a mapping',
  struct: 'a mapping of settings',
};

interface Walk {
  readonly keys: UpstreamKeys;
  readonly problems: string[];
}

/**
 * Every key-shape problem of a config, one line each: a key upstream does not have (with the
 * nearest one it does), a value of the wrong kind, a value outside a closed set. Component types
 * the key data does not carry are reported only when the distribution has them (otherwise the
 * distribution check names them).
 */
export function upstreamKeyProblems(
  config: unknown,
  distribution: CollectorDistribution,
  keys: UpstreamKeys = UPSTREAM_KEYS,
): string[] {
  const walk: Walk = { keys, problems: [] };
  if (!isMap(config)) return [`(config): expected ${KIND_WORDS.struct}, got ${describe(config)}`];
  const root = keys.types[keys.root];
  for (const [key, value] of Object.entries(config)) {
    const node = root.keys[key];
    if (node === undefined) {
      walk.problems.push(unknownKey(key, key, root, keys));
    } else if ('kind' in node && node.kind === 'components') {
      checkComponents(walk, key as ComponentKind, value, distribution);
    } else if (key === 'service') {
      checkService(walk, value);
    }
  }
  return walk.problems;
}

function checkComponents(walk: Walk, kind: ComponentKind, section: unknown, distribution: CollectorDistribution) {
  if (section === null || section === undefined || !COMPONENT_KINDS.includes(kind)) return;
  if (!isMap(section)) {
    walk.problems.push(`${kind}: expected a mapping of component id to settings, got ${describe(section)}`);
    return;
  }
  const carried = walk.keys.components[kind] ?? {};
  for (const [id, settings] of Object.entries(section)) {
    const path = `${kind}.${id}`;
    if (!COMPONENT_ID.test(id)) {
      walk.problems.push(
        `${path}: not a valid component id; expected type or type/name, the type of letters, digits, _`,
      );
      continue;
    }
    const type = componentType(id);
    const lookup = lookUpComponentType(distribution, kind, type);
    const current = lookup.status === 'deprecated' ? lookup.currentName : type;
    const ref = carried[current];
    if (ref === undefined) {
      if (lookup.status !== 'missing') {
        walk.problems.push(
          `${path}: no upstream key data for the ${kind.slice(0, -1)} type "${current}". Add it to COMPONENTS in ` +
            'scripts/derive-collector-keys.ts and regenerate the key data (README, "Upstream config keys")',
        );
      }
      continue;
    }
    checkValue(walk, path, settings, { ref });
  }
}

function checkService(walk: Walk, service: unknown) {
  const def = walk.keys.types[(walk.keys.types[walk.keys.root].keys.service as { ref: string }).ref];
  if (!isMap(service)) {
    walk.problems.push(wrongKind('service', service, 'struct', def));
    return;
  }
  for (const [key, value] of Object.entries(service)) {
    const path = `service.${key}`;
    if (key === 'telemetry') checkValue(walk, path, value, { ref: walk.keys.telemetry });
    else if (def.keys[key] === undefined) walk.problems.push(unknownKey(path, key, def, walk.keys));
    else checkValue(walk, path, value, def.keys[key]);
  }
}

function checkValue(walk: Walk, path: string, value: unknown, node: KeyNode): void {
  // The collector expands ${env:NAME} before decoding; the environment check reads the names.
  if (value === null || (typeof value === 'string' && WHOLE_EXPANSION.test(value))) return;
  if ('ref' in node) {
    if (typeof value === 'string' && node.orString !== undefined) return;
    const def = walk.keys.types[node.ref];
    if (!isMap(value)) {
      walk.problems.push(wrongKind(path, value, 'struct', def));
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = `${path}.${key}`;
      const childNode = def.keys[key] ?? def.otherKeys;
      if (childNode === undefined) walk.problems.push(unknownKey(childPath, key, def, walk.keys));
      else checkValue(walk, childPath, child, childNode);
    }
    return;
  }
  switch (node.kind) {
    case 'components':
      return;
    case 'list':
      if (!Array.isArray(value)) walk.problems.push(wrongKind(path, value, 'list'));
      else for (const [i, item] of value.entries()) checkValue(walk, `${path}[${i}]`, item, node.items);
      return;
    case 'map':
      if (!isMap(value)) walk.problems.push(wrongKind(path, value, 'map'));
      else for (const [key, child] of Object.entries(value)) checkValue(walk, `${path}.${key}`, child, node.values);
      return;
    default:
      checkScalar(walk, path, value, node);
  }
}

function checkScalar(walk: Walk, path: string, value: unknown, node: Extract<KeyNode, { kind: ScalarKind }>): void {
  const ok = (() => {
    switch (node.kind) {
      case 'opaque':
        return true;
      case 'bool':
        return typeof value === 'boolean';
      case 'int':
        return Number.isInteger(value);
      case 'float':
        return typeof value === 'number';
      case 'duration':
        // A bare number decodes too, as nanoseconds: never what a config means.
        return typeof value === 'string' && GO_DURATION.test(value);
      case 'component_id':
        return typeof value === 'string' && COMPONENT_ID.test(value);
      default:
        return typeof value === 'string';
    }
  })();
  if (!ok) {
    walk.problems.push(wrongKind(path, value, node.kind));
    return;
  }
  if (node.enum !== undefined && typeof value === 'string' && !value.includes('${')) {
    const same = (allowed: string) =>
      node.enumAnyCase === true ? allowed.toLowerCase() === value.toLowerCase() : allowed === value;
    if (!node.enum.some(same)) {
      const nearest = closest(value, [...node.enum]);
      walk.problems.push(
        `${path}: ${JSON.stringify(value)} is not an accepted value. Use one of ${node.enum.join(', ')}` +
          `${distance(value, nearest) <= 3 ? ` (did you mean "${nearest}"?)` : ''}`,
      );
    }
  }
}

function unknownKey(path: string, key: string, def: StructDef, keys: UpstreamKeys): string {
  const known = Object.keys(def.keys).sort();
  const nearest = known.length > 0 ? closest(key, known) : undefined;
  const suggestion =
    nearest !== undefined && distance(key, nearest) <= Math.max(2, Math.floor(Math.max(key.length, nearest.length) / 3))
      ? ` Did you mean "${nearest}"?`
      : '';
  // A long list helps nobody: past a dozen keys, name where they are.
  const accepted = known.length <= 12 ? known.join(', ') : `the ${known.length} keys of the key data`;
  return `${path}: unknown key.${suggestion} Remove or rename it; ${keys.distribution} accepts ${accepted} here (${def.source})`;
}

function wrongKind(path: string, value: unknown, kind: keyof typeof KIND_WORDS, def?: StructDef): string {
  const where = def === undefined ? '' : ` (${def.source})`;
  return `${path}: expected ${KIND_WORDS[kind]}, got ${describe(value)}. Write ${KIND_WORDS[kind]}${where}`;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isMap(value)) return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `otelcol-contrib v0.159.0`: the distribution the key data describes, to compare with the pinned one. */
export function upstreamKeysMatch(distribution: CollectorDistribution, keys: UpstreamKeys = UPSTREAM_KEYS): boolean {
  return keys.distribution === distributionLabel(distribution);
}
