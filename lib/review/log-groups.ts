/**
 * Log groups (retention, deletion policy, encryption) and saved Logs Insights queries
 * (`AWS::Logs::QueryDefinition`) of two assemblies.
 */
import { type Assembly, type AssemblyStack, renderValue, resourcesOf } from './assembly';
import { type Change, fieldChanges, splitKeys } from './model';

const LOG_GROUP_FIELDS = ['name', 'retention', 'deletion policy', 'replace policy', 'encryption'] as const;
type LogGroupFields = Record<(typeof LOG_GROUP_FIELDS)[number], string | undefined>;

interface Located<T> {
  readonly stack: AssemblyStack;
  readonly logicalId: string;
  readonly fields: T;
  readonly retentionDays?: number;
}

/** Without RetentionInDays a log group keeps its events forever. */
const NEVER_EXPIRE = 'never expires';

export function reviewLogGroups(base: Assembly, head: Assembly): Change[] {
  const before = logGroupsOf(base);
  const after = logGroupsOf(head);
  const { removed, added, common } = splitKeys(before, after);
  const changes: Change[] = [];
  for (const key of common) {
    const [old, now] = [before.get(key) as Located<LogGroupFields>, after.get(key) as Located<LogGroupFields>];
    const fields = fieldChanges(LOG_GROUP_FIELDS, old.fields, now.fields);
    if (fields.length === 0) continue;
    const risks: string[] = [];
    if (retentionShortened(old.retentionDays, now.retentionDays)) {
      risks.push(`retention shortened from ${old.fields.retention} to ${now.fields.retention}: older logs are deleted`);
    }
    const renamed = old.fields.name !== now.fields.name;
    if (renamed) risks.push('renamed: CloudFormation replaces the log group, and its events are lost or left behind');
    changes.push(change(now, renamed ? 'replaced' : 'changed', fields, risks));
  }
  for (const key of removed) {
    const old = before.get(key) as Located<LogGroupFields>;
    const deleted = old.fields['deletion policy'] === 'Delete';
    changes.push(
      change(
        old,
        'removed',
        [{ field: 'retention', old: old.fields.retention }],
        deleted ? ['removed with deletion policy Delete: its logs are deleted'] : [],
      ),
    );
  }
  for (const key of added) {
    const now = after.get(key) as Located<LogGroupFields>;
    changes.push(
      change(
        now,
        'added',
        LOG_GROUP_FIELDS.filter((name) => name !== 'name').map((name) => ({ field: name, new: now.fields[name] })),
        [],
      ),
    );
  }
  return changes;
}

function retentionShortened(old: number | undefined, now: number | undefined): boolean {
  if (now === undefined) return false;
  return old === undefined || now < old;
}

function change(
  group: Located<LogGroupFields>,
  kind: Change['kind'],
  fields: Change['fields'],
  risks: string[],
): Change {
  return {
    environment: group.stack.environment,
    service: group.stack.service,
    category: 'log groups',
    subject: `log group ${group.fields.name}`,
    kind,
    fields,
    risks,
    source: `${group.stack.stackName}/${group.logicalId}`,
  };
}

function logGroupsOf(assembly: Assembly): Map<string, Located<LogGroupFields>> {
  return resourcesOf(assembly, 'AWS::Logs::LogGroup', (stack, logicalId, resource) => {
    const p = resource.Properties ?? {};
    const retentionDays = typeof p.RetentionInDays === 'number' ? p.RetentionInDays : undefined;
    return {
      stack,
      logicalId,
      retentionDays,
      fields: {
        name: p.LogGroupName === undefined ? logicalId : renderValue(p.LogGroupName, assembly, stack),
        retention: retentionDays === undefined ? NEVER_EXPIRE : `${retentionDays} days`,
        // CloudFormation's default for a log group is Delete.
        'deletion policy': resource.DeletionPolicy ?? 'Delete',
        'replace policy': resource.UpdateReplacePolicy ?? 'Delete',
        encryption: p.KmsKeyId === undefined ? 'AWS-owned key' : renderValue(p.KmsKeyId, assembly, stack),
      },
    };
  });
}

const QUERY_FIELDS = ['query', 'log groups', 'language'] as const;
type QueryFields = Record<(typeof QUERY_FIELDS)[number], string | undefined>;

/** Saved queries, matched by their name (the console's folder path), not their logical id. */
export function reviewSavedQueries(base: Assembly, head: Assembly): Change[] {
  const byName = (assembly: Assembly) =>
    new Map(
      [
        ...resourcesOf(assembly, 'AWS::Logs::QueryDefinition', (stack, logicalId, resource) => {
          const p = resource.Properties ?? {};
          const fields: QueryFields = {
            query: renderValue(p.QueryString, assembly, stack),
            'log groups': renderValue(p.LogGroupNames, assembly, stack),
            language: p.QueryLanguage === undefined ? undefined : renderValue(p.QueryLanguage),
          };
          return { stack, logicalId, fields, name: renderValue(p.Name, assembly, stack) };
        }).values(),
      ].map((query) => [`${query.stack.stackName}|${query.name}`, query]),
    );
  const before = byName(base);
  const after = byName(head);
  const { removed, added, common } = splitKeys(before, after);
  type Query = ReturnType<typeof byName> extends Map<string, infer Q> ? Q : never;
  const change = (query: Query, kind: Change['kind'], fields: Change['fields']): Change => ({
    environment: query.stack.environment,
    service: query.stack.service,
    category: 'saved queries',
    subject: `saved query ${query.name}`,
    kind,
    fields,
    risks: [],
    source: `${query.stack.stackName}/${query.logicalId}`,
  });
  return [
    ...common.flatMap((key) => {
      const fields = fieldChanges(QUERY_FIELDS, (before.get(key) as Query).fields, (after.get(key) as Query).fields);
      return fields.length === 0 ? [] : [change(after.get(key) as Query, 'changed', fields)];
    }),
    ...removed.map((key) => change(before.get(key) as Query, 'removed', [])),
    ...added.map((key) => {
      const query = after.get(key) as Query;
      return change(query, 'added', [{ field: 'query', new: query.fields.query }]);
    }),
  ];
}
