/**
 * Validates environment profiles (ajv against the profile JSON Schema, then the cross-field rules of
 * ./rules.ts and the scale guard of ./scale.ts) and turns every problem into one line that names the
 * file, the field and the fix.
 */
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { closest } from 'fastest-levenshtein';
import { type EnvironmentProfile, EnvironmentsSchema } from '../profile/schema';
import { profileRuleProblems } from './rules';
import { scaleProblems } from './scale';

/** Thrown for any invalid profile or environment selection; `message` is ready to print. */
export class ProfileError extends Error {
  constructor(
    /** One line per problem. */
    public readonly problems: readonly string[],
    heading: string,
  ) {
    super([heading, ...problems.map((problem) => `  - ${problem}`)].join('\n'));
    this.name = 'ProfileError';
  }
}

export interface LoadProfilesOptions {
  /**
   * Where the profiles come from, quoted at the start of every message.
   * @default 'cdk.json'
   */
  readonly source?: string;
  /**
   * The path of the profiles inside the source, quoted in every message.
   * @default 'environments'
   */
  readonly rootPath?: string;
}

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
addFormats(ajv, ['email', 'uri']);
const validateEnvironments = ajv.compile(EnvironmentsSchema);

/**
 * Validates the `environments` value (profiles by environment name) and returns it typed.
 * @throws ProfileError listing every problem, one line each.
 */
export function loadEnvironmentProfiles(
  environments: unknown,
  options: LoadProfilesOptions = {},
): Record<string, EnvironmentProfile> {
  const source = options.source ?? 'cdk.json';
  const rootPath = options.rootPath ?? 'environments';
  const heading = `Invalid environment profiles in ${source} (${rootPath}):`;
  if (environments === undefined) {
    throw new ProfileError(
      [`${source}: ${rootPath}: missing. Add a context key "${rootPath}" with one profile per environment`],
      heading,
    );
  }
  if (!validateEnvironments(environments)) {
    const problems = describeSchemaErrors(validateEnvironments.errors ?? [], rootPath);
    throw new ProfileError(
      problems.map((problem) => `${source}: ${problem}`),
      heading,
    );
  }
  const profiles = environments as Record<string, EnvironmentProfile>;
  const problems = [
    ...profileRuleProblems(profiles, rootPath),
    // The scale guard last: its estimate is of a profile that is otherwise valid.
    ...Object.entries(profiles).flatMap(([name, profile]) => scaleProblems(profile, name, `${rootPath}.${name}`)),
  ];
  if (problems.length > 0) {
    throw new ProfileError(
      problems.map((problem) => `${source}: ${problem}`),
      heading,
    );
  }
  return profiles;
}

/**
 * Chooses the environments to build from a selection such as `prod` or `dev,staging`.
 * @param selection the `env` context value; undefined or empty selects every environment
 * @throws ProfileError naming the unknown environments and the known ones
 */
export function selectEnvironments(
  profiles: Record<string, EnvironmentProfile>,
  selection: string | undefined,
): string[] {
  const known = Object.keys(profiles);
  if (selection === undefined || selection.trim() === '') return known;
  const wanted = [...new Set(selection.split(',').map((name) => name.trim()))].filter((name) => name !== '');
  const unknown = wanted.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new ProfileError(
      unknown.map(
        (name) => `-c env=${selection}: unknown environment "${name}". Known environments: ${known.join(', ')}`,
      ),
      'Invalid environment selection:',
    );
  }
  return wanted;
}

// Kept here too: callers import the limit from the loader.
export { MAX_SERVICES_PER_ENVIRONMENT } from './scale';

function describeSchemaErrors(errors: readonly ErrorObject[], rootPath: string): string[] {
  // An error under a missing or mistyped parent repeats what the parent's error says, and a value
  // that fails two keywords (a pattern and a format) is one problem: one line per field.
  const byField = new Map<string, ErrorObject>();
  for (const error of errors) {
    const key =
      error.keyword === 'required' || error.keyword === 'additionalProperties'
        ? `${error.instancePath}|${JSON.stringify(error.params)}`
        : error.instancePath;
    if (!byField.has(key)) byField.set(key, error);
  }
  const lines = [...byField.values()].map((error) => describeSchemaError(error, rootPath));
  return [...new Set(lines)];
}

function describeSchemaError(error: ErrorObject, rootPath: string): string {
  const path = dottedPath(rootPath, error.instancePath);
  const schema = (error.parentSchema ?? {}) as SchemaNode;
  const expected = expectation(schema);
  // A field marked writeOnly may hold a secret pasted by mistake (a webhook URL with its token in
  // place of the secret's name): the error must not print it to the terminal or the CI log.
  const value = schema.writeOnly === true ? 'the value (not shown: it may be a secret)' : describeValue(error.data);
  switch (error.keyword) {
    case 'required': {
      const key = (error.params as { missingProperty: string }).missingProperty;
      const child = schema.properties?.[key] ?? {};
      return `${path}: missing key "${key}"; add ${expectation(child, `"${key}": `)}`;
    }
    case 'additionalProperties': {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      if (schema.properties === undefined) {
        return `${path}: "${key}" is not a valid name; expected ${schema.description ?? 'a valid name'}`;
      }
      const known = Object.keys(schema.properties);
      const suggestion = closest(key, known);
      return `${path}.${key}: unknown key. Did you mean "${suggestion}"? ` + `Keys allowed here: ${known.join(', ')}`;
    }
    case 'type':
      return `${path}: ${value} has the wrong type; expected ${expected}`;
    case 'enum':
      return `${path}: ${value} is not allowed; expected ${expected}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${path}: ${value} is out of range; expected ${expected}`;
    case 'pattern':
      return `${path}: ${value} does not have the expected form; expected ${expected}`;
    case 'format':
      return `${path}: ${value} is not a valid ${error.params.format}; expected ${expected}`;
    case 'maxLength':
      return `${path}: ${value} is too long; expected ${expected}`;
    case 'minProperties':
    case 'minItems':
      return `${path}: is empty; expected ${expected}`;
    case 'uniqueItems':
      return `${path}: lists the same value twice; expected ${expected}`;
    default:
      return `${path}: ${value} is not valid (${error.message}); expected ${expected}`;
  }
}

interface SchemaNode {
  readonly description?: string;
  readonly writeOnly?: boolean;
  readonly examples?: readonly unknown[];
  readonly properties?: Record<string, SchemaNode>;
}

function expectation(schema: SchemaNode, prefix = ''): string {
  const description = schema.description ?? 'a valid value';
  const example = schema.examples?.[0];
  return example === undefined ? description : `${description}, for example ${prefix}${JSON.stringify(example)}`;
}

function dottedPath(rootPath: string, instancePath: string): string {
  const segments = instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  return [rootPath, ...segments].join('.');
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}
