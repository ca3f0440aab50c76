/**
 * docs/reference/profile.md: every field of an environment profile, walked from the JSON Schema the
 * loader validates against (lib/profile/schema.ts), so the reference cannot list a field the loader
 * rejects or miss one it accepts. The example is the default app's own cdk.json environment.
 */
import type { GeneratedFile } from '../generated-file';
import { EnvironmentProfileSchema } from '../profile/schema';
import { loadEnvironmentProfiles, ProfileError } from '../profile-loader/load';
import { cell, code, generatedHeader, REFERENCE_FOLDER, table } from './markdown';

export const PROFILE_REFERENCE_PATH = `${REFERENCE_FOLDER}/profile.md`;

/** The JSON Schema keywords the walk reads; TypeBox schemas are plain JSON Schema objects. */
interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly default?: unknown;
  readonly examples?: readonly unknown[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly patternProperties?: Readonly<Record<string, JsonSchema>>;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
}

interface FieldRow {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly schema: JsonSchema;
}

/** Longer enumerations (regions) are named by count in the type column; the description lists them where it matters. */
const MAX_LISTED_VALUES = 8;

function typeName(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum !== undefined) {
    return schema.enum.length <= MAX_LISTED_VALUES
      ? schema.enum.map((value) => JSON.stringify(value)).join(' or ')
      : `${schema.type} (one of ${schema.enum.length} values)`;
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined) return alternatives.map(typeName).join(' or ');
  if (schema.type === 'array' && schema.items !== undefined) return `array of ${typeName(schema.items)}`;
  if (schema.type === 'object' && schema.patternProperties !== undefined) return 'map';
  const bounds =
    schema.minimum !== undefined || schema.maximum !== undefined
      ? ` ${schema.minimum ?? '…'} to ${schema.maximum ?? '…'}`
      : '';
  return `${Array.isArray(schema.type) ? schema.type.join(' or ') : (schema.type ?? 'any')}${bounds}`;
}

/** Every field under `schema`, depth first, in the schema's own order. */
function fields(schema: JsonSchema, prefix: string): FieldRow[] {
  const rows: FieldRow[] = [];
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    const path = prefix === '' ? name : `${prefix}.${name}`;
    rows.push({ path, type: typeName(child), required: schema.required?.includes(name) ?? false, schema: child });
    rows.push(...nested(child, path));
  }
  return rows;
}

function nested(schema: JsonSchema, path: string): FieldRow[] {
  if (schema.properties !== undefined) return fields(schema, path);
  if (schema.patternProperties !== undefined) {
    const [[keyPattern, value]] = Object.entries(schema.patternProperties);
    const keyPath = `${path}.<${keyPattern === '^(.*)$' ? 'key' : 'name'}>`;
    return [{ path: keyPath, type: typeName(value), required: false, schema: value }, ...nested(value, keyPath)];
  }
  if (schema.type === 'array' && schema.items?.properties !== undefined) return fields(schema.items, `${path}[]`);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined) return alternatives.flatMap((alternative) => nested(alternative, path));
  return [];
}

/** The value at a reference path in a cdk.json environment; `<name>` and `[]` take the first key or item. */
function valueAt(root: unknown, path: string): unknown {
  let value = root;
  for (const step of path.replace(/\[\]/g, '.[]').split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    if (step === '[]') value = Array.isArray(value) ? value[0] : undefined;
    else if (step.startsWith('<')) value = Object.values(value)[0];
    else value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/** A value from the profiles of cdk.json where one sets the field, else the schema's own example. */
function example(row: FieldRow, environments: readonly [string, unknown][]): string {
  for (const [name, profile] of environments) {
    const value = valueAt(profile, row.path);
    if (value !== undefined) return shortJson(value, `(${name})`);
  }
  return row.schema.examples === undefined ? '' : shortJson(row.schema.examples[0], '(schema)');
}

function shortJson(value: unknown, where: string): string {
  const text = JSON.stringify(value);
  // A table cell keeps to scalars and short lists; the whole environment is shown below the table.
  if (typeof value !== 'string' && text.length > 60) return `${Array.isArray(value) ? 'a list' : 'an object'} ${where}`;
  return `${code(text)} ${where}`;
}

/** Defaults the schema states in words: the description's last clause, `…; default 512`. */
const DEFAULT_CLAUSE = /;\s*default (.+)$/;

function defaultOf(schema: JsonSchema): string {
  if (schema.default !== undefined) return code(JSON.stringify(schema.default));
  return cell(schema.description?.match(DEFAULT_CLAUSE)?.[1] ?? '');
}

function describe(schema: JsonSchema): string {
  const description = schema.description?.replace(DEFAULT_CLAUSE, '') ?? '';
  const parts = [description === '' || /[.!?]$/.test(description) ? description : `${description}.`];
  if (schema.pattern !== undefined) parts.push(`Pattern: ${code(schema.pattern)}.`);
  if (schema.minItems !== undefined || schema.maxItems !== undefined) {
    parts.push(`Items: ${schema.minItems ?? 0} to ${schema.maxItems ?? 'any'}.`);
  }
  return cell(parts.filter((part) => part !== '').join(' '));
}

/**
 * What the loader prints for two common mistakes made in these environments: a mistyped key and a
 * retention CloudWatch refuses. Produced by the loader itself, so the page shows its real words.
 */
function mistakes(environments: Readonly<Record<string, unknown>>): string {
  const [first, second = first] = Object.keys(environments);
  const edited: Record<string, Record<string, unknown>> = structuredClone(environments) as Record<
    string,
    Record<string, unknown>
  >;
  edited[first].logRetentionDay = edited[first].logRetentionDays;
  delete edited[first].logRetentionDays;
  edited[second].logRetentionDays = 31;
  try {
    loadEnvironmentProfiles(edited);
  } catch (error) {
    if (error instanceof ProfileError) {
      return (
        `Rename \`logRetentionDays\` to \`logRetentionDay\` in ${first} and set it to 31 in ${second}, and ` +
        `\`npx cdk synth\` (or \`npm run generate\`, or obsctl) stops before building anything:\n\n` +
        `\`\`\`text\n${error.message}\n\`\`\`\n`
      );
    }
    throw error;
  }
  throw new Error('The loader accepted a profile with a mistyped key: the profile reference cannot show its error');
}

/** @param environments the environments of cdk.json: examples come from them, the first is shown in full. */
export function profileReferencePage(environments: Readonly<Record<string, unknown>>): GeneratedFile {
  const schema = EnvironmentProfileSchema as unknown as JsonSchema;
  const entries = Object.entries(environments);
  const [[exampleName, exampleProfile]] = entries;
  const rows = fields(schema, '').map((row) => [
    code(row.path),
    cell(row.type),
    row.required ? 'yes' : 'no',
    defaultOf(row.schema),
    example(row, entries),
    describe(row.schema),
  ]);
  return {
    path: PROFILE_REFERENCE_PATH,
    content:
      generatedHeader('Environment profile reference', 'the JSON Schema in lib/profile/schema.ts') +
      'An environment profile is one entry of `context.environments` in `cdk.json`. The loader ' +
      '(lib/profile-loader/load.ts) validates it against this schema, then applies the cross-field rules of ' +
      'lib/profile-loader/rules.ts, and names the file, the field and the fix when either fails. `<name>` stands ' +
      'for a key you choose (a service or tenant name). Examples name the cdk.json environment that sets ' +
      "the field, or `(schema)` for the schema's own example where none does.\n\n" +
      `${table(['Field', 'Type', 'Required', 'Default', 'Example', 'Description'], rows)}\n\n` +
      `## What a mistake looks like\n\n${mistakes(environments)}\n` +
      `## Example: \`${exampleName}\` from cdk.json\n\n` +
      `\`\`\`json\n${JSON.stringify(exampleProfile, null, 2)}\n\`\`\`\n`,
  };
}
