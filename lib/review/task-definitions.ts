/**
 * ECS task definitions of two assemblies: task size, and per container its image (and tag),
 * CPU and memory, whether it is essential, its environment and its secrets.
 */
import { parse } from 'yaml';
import { type Assembly, renderValue, resourcesOf } from './assembly';
import { compareConfigs } from './collector';
import { digest, shortValue } from './digest';
import { type GeneratedFiles, isCollectorConfig } from './generated';
import { type Change, type FieldChange, splitKeys } from './model';

type Fields = Map<string, string>;

/**
 * A collector config embedded in a container's environment (the sidecar's OTELCOL_CONFIG_YAML):
 * when it is a generated file, the collector section reviews that file and this names it; when it
 * is not (a service team's own stack), it is reviewed here as a collector config.
 */
interface Embedded {
  readonly config: Record<string, unknown>;
  readonly text: string;
}

export function reviewTaskDefinitions(
  base: Assembly,
  head: Assembly,
  files: { readonly base?: GeneratedFiles; readonly head?: GeneratedFiles } = {},
): Change[] {
  const before = taskDefinitionsOf(base);
  const after = taskDefinitionsOf(head);
  const generatedPath = (side: GeneratedFiles | undefined, text: string) =>
    [...(side?.collectorConfigs.values() ?? [])].find((document) => document.text === text)?.path;
  const { removed, added, common } = splitKeys(before, after);
  type TaskDefinition = typeof before extends Map<string, infer T> ? T : never;
  const change = (task: TaskDefinition, kind: Change['kind'], fields: FieldChange[], risks: string[] = []): Change => ({
    environment: task.stack.environment,
    service: task.stack.service,
    category: 'task definitions',
    subject: `task definition ${task.family}`,
    kind,
    fields,
    risks,
    source: `${task.stack.stackName}/${task.logicalId}`,
  });
  const changes: Change[] = [];
  for (const key of common) {
    const [old, now] = [before.get(key) as TaskDefinition, after.get(key) as TaskDefinition];
    const names = [...new Set([...old.fields.keys(), ...now.fields.keys()])];
    const fields: FieldChange[] = [];
    const risks: string[] = [];
    for (const name of names.filter((candidate) => old.fields.get(candidate) !== now.fields.get(candidate))) {
      const [was, is] = [old.embedded.get(name), now.embedded.get(name)];
      if (was === undefined || is === undefined) {
        fields.push({ field: name, old: old.fields.get(name), new: now.fields.get(name) });
        continue;
      }
      const [basePath, headPath] = [generatedPath(files.base, was.text), generatedPath(files.head, is.text)];
      if (headPath !== undefined) {
        fields.push({
          field: name,
          old: basePath ?? `sha256 ${digest(was.text)}`,
          new: `${headPath} (reviewed under collector)`,
        });
        continue;
      }
      const compared = compareConfigs(was.config, is.config);
      fields.push(...compared.fields.map((field) => ({ ...field, field: `${name}: ${field.field}` })));
      risks.push(...compared.risks.map((risk) => `${name}: ${risk}`));
    }
    if (fields.length > 0) changes.push(change(now, 'changed', fields, risks));
  }
  for (const key of removed) changes.push(change(before.get(key) as TaskDefinition, 'removed', []));
  for (const key of added) {
    const now = after.get(key) as TaskDefinition;
    const summary = [...now.fields].filter(([name]) => !/ (env|secret) /.test(name));
    changes.push(
      change(
        now,
        'added',
        summary.map(([field, value]) => ({ field, new: value })),
      ),
    );
  }
  return changes;
}

function taskDefinitionsOf(assembly: Assembly) {
  return resourcesOf(assembly, 'AWS::ECS::TaskDefinition', (stack, logicalId, resource) => {
    const p = resource.Properties ?? {};
    const fields: Fields = new Map();
    const embedded = new Map<string, Embedded>();
    const set = (name: string, value: unknown) => {
      if (value === undefined) return;
      const text = renderValue(value, assembly, stack);
      fields.set(name, shortValue(text) as string);
      const config = typeof value === 'string' && text.includes('pipelines') ? parseConfig(text) : undefined;
      if (config !== undefined) embedded.set(name, { config, text });
    };
    set('task cpu', p.Cpu);
    set('task memory', p.Memory);
    set('task role', p.TaskRoleArn);
    for (const container of (p.ContainerDefinitions ?? []) as Array<Record<string, unknown>>) {
      const name = `container ${renderValue(container.Name)}`;
      set(`${name}: image`, container.Image);
      set(`${name}: cpu`, container.Cpu);
      set(`${name}: memory`, container.Memory);
      set(`${name}: memory reservation`, container.MemoryReservation);
      // ECS's default: a container is essential unless it says otherwise.
      fields.set(`${name}: essential`, String(container.Essential ?? true));
      for (const variable of (container.Environment ?? []) as Array<{ Name?: unknown; Value?: unknown }>) {
        set(`${name}: env ${renderValue(variable.Name)}`, variable.Value);
      }
      for (const secret of (container.Secrets ?? []) as Array<{ Name?: unknown; ValueFrom?: unknown }>) {
        set(`${name}: secret ${renderValue(secret.Name)}`, secret.ValueFrom);
      }
    }
    const family = p.Family === undefined ? logicalId : renderValue(p.Family, assembly, stack);
    return { stack, logicalId, family, fields, embedded };
  });
}

function parseConfig(text: string): Record<string, unknown> | undefined {
  try {
    const parsed = parse(text) as unknown;
    return isCollectorConfig(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
