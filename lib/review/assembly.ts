/**
 * A cloud assembly as `obsctl review` reads it: the stacks of `manifest.json`, their templates,
 * and the environment and service each stack belongs to. Read generically (resource types and
 * properties), never through our constructs, so it reviews a service team's own stack as well.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLATFORM_SERVICE } from './model';

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface Template {
  readonly Resources?: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, { readonly Value?: unknown; readonly Export?: { readonly Name?: unknown } }>;
}

export interface AssemblyStack {
  readonly stackName: string;
  readonly environment: string;
  readonly service: string;
  readonly template: Template;
}

/** A resource found through a reference: its stack and logical id. */
export interface ResourceRef {
  readonly stack: AssemblyStack;
  readonly logicalId: string;
  readonly resource: TemplateResource;
}

export interface Assembly {
  readonly directory: string;
  readonly stacks: readonly AssemblyStack[];
  /** Export name -> the resource its value refers to (`Ref`/`Fn::GetAtt`), for `Fn::ImportValue`. */
  readonly exports: ReadonlyMap<string, ResourceRef>;
}

export class ReviewInputError extends Error {}

interface Manifest {
  readonly artifacts?: Record<
    string,
    {
      readonly type?: string;
      readonly displayName?: string;
      readonly properties?: {
        readonly templateFile?: string;
        readonly stackName?: string;
        readonly tags?: Record<string, string>;
      };
    }
  >;
}

/**
 * Reads the stacks of the cloud assembly in `directory`.
 * @throws ReviewInputError when it holds no manifest.json or a template is missing
 */
export function readAssembly(directory: string): Assembly {
  const manifestPath = join(directory, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new ReviewInputError(
      `${directory}: no manifest.json: not a cloud assembly. Synthesize it first (npm run synth writes cdk.out/).`,
    );
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const stacks: StackInput[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack' || artifact.properties?.templateFile === undefined) continue;
    const templatePath = join(directory, artifact.properties.templateFile);
    if (!existsSync(templatePath)) {
      throw new ReviewInputError(
        `${manifestPath}: artifacts.${id}: template ${templatePath} is missing; synthesize again.`,
      );
    }
    stacks.push({
      stackName: artifact.properties.stackName ?? artifact.displayName ?? id,
      template: JSON.parse(readFileSync(templatePath, 'utf8')) as Template,
      tags: artifact.properties.tags,
    });
  }
  return assemblyFromStacks(directory, stacks);
}

export interface StackInput {
  readonly stackName: string;
  readonly template: Template;
  /** The stack's tags as the manifest lists them. */
  readonly tags?: Record<string, string>;
}

/** An assembly from stacks already read (the templates of a manifest, or a test's own). */
export function assemblyFromStacks(directory: string, inputs: readonly StackInput[]): Assembly {
  const stacks = inputs.map(({ stackName, template, tags }) => ({
    stackName,
    template,
    environment: stackEnvironment(stackName, template, tags),
    service: stackService(stackName),
  }));
  return { directory, stacks, exports: exportsOf(stacks) };
}

/**
 * The environment of a stack: the `environment` tag the app puts on every stack (Tags.of(stack)),
 * as found on its resources; else the part of the stack name before the last (`<Project>-<Env>-<Part>`,
 * lib/naming.ts), in kebab case.
 */
function stackEnvironment(stackName: string, template: Template, tags: Record<string, string> | undefined): string {
  if (tags?.environment !== undefined) return tags.environment;
  const counts = new Map<string, number>();
  for (const resource of Object.values(template.Resources ?? {})) {
    const value = tagValue(resource, 'environment');
    if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const [mostUsed] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (mostUsed !== undefined) return mostUsed[0];
  const parts = stackName.split('-');
  return parts.length >= 2 ? kebabCase(parts[parts.length - 2]) : stackName;
}

/** The service of a stack: the last part of `<Project>-<Env>-<Part>` in kebab case (`ApiGateway` -> `api-gateway`). */
function stackService(stackName: string): string {
  const parts = stackName.split('-');
  const last = kebabCase(parts[parts.length - 1]);
  return last === 'platform' ? PLATFORM_SERVICE : last;
}

/** `ApiGateway` -> `api-gateway`: the inverse of naming.ts's pascalCase for the app's names. */
export function kebabCase(pascal: string): string {
  return pascal
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

export function tagValue(resource: TemplateResource, key: string): string | undefined {
  const tags = resource.Properties?.Tags;
  if (!Array.isArray(tags)) return undefined;
  const tag = tags.find((entry) => (entry as { Key?: unknown }).Key === key) as { Value?: unknown } | undefined;
  return typeof tag?.Value === 'string' ? tag.Value : undefined;
}

function exportsOf(stacks: readonly AssemblyStack[]): Map<string, ResourceRef> {
  const result = new Map<string, ResourceRef>();
  for (const stack of stacks) {
    for (const output of Object.values(stack.template.Outputs ?? {})) {
      const name = output.Export?.Name;
      const logicalId = referencedLogicalId(output.Value);
      const resource = logicalId === undefined ? undefined : stack.template.Resources?.[logicalId];
      if (typeof name === 'string' && logicalId !== undefined && resource !== undefined) {
        result.set(name, { stack, logicalId, resource });
      }
    }
  }
  return result;
}

/** The logical id a `Ref` or `Fn::GetAtt` names; undefined for anything else. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.Ref === 'string') return record.Ref;
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** The resource a value refers to, in its own stack or (through `Fn::ImportValue`) another's. */
export function resolveReference(assembly: Assembly, stack: AssemblyStack, value: unknown): ResourceRef | undefined {
  const logicalId = referencedLogicalId(value);
  if (logicalId !== undefined) {
    const resource = stack.template.Resources?.[logicalId];
    return resource === undefined ? undefined : { stack, logicalId, resource };
  }
  if (typeof value === 'object' && value !== null) {
    const imported = (value as Record<string, unknown>)['Fn::ImportValue'];
    if (typeof imported === 'string') return assembly.exports.get(imported);
  }
  return undefined;
}

/** The properties that name a resource, in the order they are tried. */
const NAME_PROPERTIES = [
  'AlarmName',
  'LogGroupName',
  'TopicName',
  'RoleName',
  'PolicyName',
  'QueueName',
  'Name',
  'Family',
  'ConfigurationName',
  'AliasName',
];

/** A resource's own name when its template gives one (`/ecs/shop-prod/api`), else its logical id. */
export function resourceName(ref: ResourceRef): string {
  for (const property of NAME_PROPERTIES) {
    const value = ref.resource.Properties?.[property];
    if (typeof value === 'string') return value;
  }
  return readableLogicalId(ref.logicalId);
}

/** `AWS::Logs::LogGroup` -> `log group`: how a reference reads in a review. */
function typeWords(type: string): string {
  const last = type.split('::').pop() ?? type;
  return kebabCase(last).replace(/-/g, ' ');
}

const DYNAMIC_REFERENCE = /\{\{resolve:(ssm-secure|ssm|secretsmanager):([^:}]+(?::[^}]*)?)\}\}/g;

/**
 * A CloudFormation value rendered for a reader, not evaluated: references name the resource
 * (`log group /ecs/shop-prod/api`, `KMS key ObservabilityKey`), `Fn::Join` is joined, pseudo
 * parameters stay `${AWS::Region}`, and `{{resolve:...}}` reads `secret <name>`.
 */
export function renderValue(value: unknown, assembly?: Assembly, stack?: AssemblyStack): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value === 'string') return renderDynamicReferences(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((item) => renderValue(item, assembly, stack)).join(', ');
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1) {
    const [key] = keys;
    const argument = record[key];
    if (key === 'Ref' && typeof argument === 'string' && argument.startsWith('AWS::')) return `\${${argument}}`;
    if (key === 'Ref' || key === 'Fn::GetAtt' || key === 'Fn::ImportValue') {
      const ref = assembly !== undefined && stack !== undefined ? resolveReference(assembly, stack, value) : undefined;
      const attribute = key === 'Fn::GetAtt' && Array.isArray(argument) ? `.${String(argument[1])}` : '';
      if (ref !== undefined) return `${typeWords(ref.resource.Type)} ${resourceName(ref)}${attribute}`;
      if (key === 'Fn::ImportValue') return `import(${renderValue(argument, assembly, stack)})`;
      return `${referencedLogicalId(value) ?? renderValue(argument)}${attribute}`;
    }
    if (key === 'Fn::Join' && Array.isArray(argument) && Array.isArray(argument[1])) {
      return (argument[1] as unknown[]).map((part) => renderValue(part, assembly, stack)).join(String(argument[0]));
    }
    if (key === 'Fn::Sub') {
      const template = Array.isArray(argument) ? argument[0] : argument;
      return renderValue(template, assembly, stack);
    }
    if (key.startsWith('Fn::')) return `${key.slice(4)}(${renderValue(argument, assembly, stack)})`;
  }
  return JSON.stringify(value);
}

function renderDynamicReferences(text: string): string {
  return text.replace(DYNAMIC_REFERENCE, (_match, service: string, rest: string) => {
    const name = service === 'secretsmanager' ? rest.split(':')[0] : rest;
    return service === 'secretsmanager' ? `secret ${name}` : `SSM parameter ${name}`;
  });
}

/** Every resource of `type` in the assembly, keyed `<stack>/<logicalId>`, read by `read`. */
export function resourcesOf<T>(
  assembly: Assembly,
  type: string,
  read: (stack: AssemblyStack, logicalId: string, resource: TemplateResource) => T,
): Map<string, T> {
  const result = new Map<string, T>();
  for (const stack of assembly.stacks) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (resource.Type === type) result.set(`${stack.stackName}/${logicalId}`, read(stack, logicalId, resource));
    }
  }
  return result;
}

/** `ObservedTaskRole45E7F49D` -> `ObservedTaskRole`: the CDK's 8-hex hash suffix says nothing to a reader. */
export function readableLogicalId(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '');
}
