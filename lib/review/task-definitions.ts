/**
 * ECS task definitions of two assemblies: task size, and per container its image (and tag),
 * CPU and memory, whether it is essential, its environment and its secrets.
 */
import { type Assembly, renderValue, resourcesOf } from './assembly';
import { shortValue } from './digest';
import { type Change, type FieldChange, splitKeys } from './model';

type Fields = Map<string, string>;

export function reviewTaskDefinitions(base: Assembly, head: Assembly): Change[] {
  const before = taskDefinitionsOf(base);
  const after = taskDefinitionsOf(head);
  const { removed, added, common } = splitKeys(before, after);
  type TaskDefinition = typeof before extends Map<string, infer T> ? T : never;
  const change = (task: TaskDefinition, kind: Change['kind'], fields: FieldChange[]): Change => ({
    environment: task.stack.environment,
    service: task.stack.service,
    category: 'task definitions',
    subject: `task definition ${task.family}`,
    kind,
    fields,
    risks: [],
    source: `${task.stack.stackName}/${task.logicalId}`,
  });
  const changes: Change[] = [];
  for (const key of common) {
    const [old, now] = [before.get(key) as TaskDefinition, after.get(key) as TaskDefinition];
    const names = [...new Set([...old.fields.keys(), ...now.fields.keys()])];
    const fields = names
      .filter((name) => old.fields.get(name) !== now.fields.get(name))
      .map((name) => ({ field: name, old: old.fields.get(name), new: now.fields.get(name) }));
    if (fields.length > 0) changes.push(change(now, 'changed', fields));
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
    const set = (name: string, value: unknown) => {
      if (value !== undefined) fields.set(name, shortValue(renderValue(value, assembly, stack)) as string);
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
    return { stack, logicalId, family, fields };
  });
}
