/**
 * IAM: every policy document of two assemblies (identity policies, inline and trust policies of
 * roles, resource policies of topics, queues, keys, buckets and log groups), compared statement
 * by statement. A statement that grants more than before is "widened"; a wildcard action,
 * resource or principal that was not there is a risk.
 */
import { type Assembly, type AssemblyStack, renderValue, resolveReference, resourceName } from './assembly';
import { type Change, type FieldChange, splitKeys } from './model';

interface Statement {
  readonly effect: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly principals: readonly string[];
  readonly condition: string;
}

interface PolicyDocument {
  readonly stack: AssemblyStack;
  readonly logicalId: string;
  readonly subject: string;
  readonly statements: readonly Statement[];
}

/** Resource types whose policy document lives in one property. */
const DOCUMENT_PROPERTIES: Readonly<Record<string, string>> = {
  'AWS::IAM::Policy': 'PolicyDocument',
  'AWS::IAM::ManagedPolicy': 'PolicyDocument',
  'AWS::SNS::TopicPolicy': 'PolicyDocument',
  'AWS::SQS::QueuePolicy': 'PolicyDocument',
  'AWS::S3::BucketPolicy': 'PolicyDocument',
  'AWS::KMS::Key': 'KeyPolicy',
  'AWS::Logs::ResourcePolicy': 'PolicyDocument',
  'AWS::SecretsManager::ResourcePolicy': 'ResourcePolicy',
};

/** What a policy resource is attached to, by the property that names it. */
const ATTACHMENTS = ['Roles', 'Users', 'Groups', 'Topics', 'Queues', 'Bucket', 'SecretId'];

export function reviewIam(base: Assembly, head: Assembly): Change[] {
  const before = documentsOf(base);
  const after = documentsOf(head);
  const { removed, added, common } = splitKeys(before, after);
  const changes: Change[] = [];
  for (const key of [...common, ...added]) {
    const now = after.get(key) as PolicyDocument;
    const old = before.get(key);
    const change = compareDocuments(old?.statements ?? [], now.statements);
    if (change.fields.length === 0) continue;
    changes.push({
      environment: now.stack.environment,
      service: now.stack.service,
      category: 'iam',
      subject: now.subject,
      kind: old === undefined ? 'added' : 'changed',
      fields: change.fields,
      risks: change.risks,
      source: `${now.stack.stackName}/${now.logicalId}`,
    });
  }
  for (const key of removed) {
    const old = before.get(key) as PolicyDocument;
    changes.push({
      environment: old.stack.environment,
      service: old.stack.service,
      category: 'iam',
      subject: old.subject,
      kind: 'removed',
      fields: [],
      risks: [],
      source: `${old.stack.stackName}/${old.logicalId}`,
    });
  }
  return changes;
}

function compareDocuments(
  old: readonly Statement[],
  now: readonly Statement[],
): { fields: FieldChange[]; risks: string[] } {
  const oldTexts = new Set(old.map(statementText));
  const nowTexts = new Set(now.map(statementText));
  const removed = old.filter((statement) => !nowTexts.has(statementText(statement)));
  const added = now.filter((statement) => !oldTexts.has(statementText(statement)));
  const fields: FieldChange[] = [];
  const paired = new Set<Statement>();
  for (const statement of added) {
    // The same grant on the same resources (or the same actions) before: this statement widened or narrowed it.
    const previous =
      removed.find((candidate) => !paired.has(candidate) && sameScope(candidate, statement, 'resources')) ??
      removed.find((candidate) => !paired.has(candidate) && sameScope(candidate, statement, 'actions'));
    if (previous !== undefined) paired.add(previous);
    fields.push({
      field: grantKind(statement),
      old: previous && statementText(previous),
      new: statementText(statement),
    });
  }
  for (const statement of removed.filter((candidate) => !paired.has(candidate))) {
    fields.push({ field: grantKind(statement), old: statementText(statement) });
  }
  const risks = newWildcards(old, now).map((wildcard) => `new wildcard ${wildcard}`);
  return { fields, risks };
}

function sameScope(a: Statement, b: Statement, keep: 'resources' | 'actions'): boolean {
  return (
    a.effect === b.effect &&
    a.condition === b.condition &&
    a.principals.join() === b.principals.join() &&
    a[keep].join() === b[keep].join()
  );
}

/** Secret and parameter reads are named as such: they are what a reviewer looks for first. */
function grantKind(statement: Statement): string {
  if (statement.actions.some((action) => /^secretsmanager:(GetSecretValue|\*)/i.test(action))) return 'secret grant';
  if (statement.actions.some((action) => /^ssm:(GetParameter|\*)/i.test(action))) return 'parameter grant';
  if (statement.actions.some((action) => /^kms:(Decrypt|\*)/i.test(action))) return 'key grant';
  return 'statement';
}

/** Wildcards (action with `*`, resource `*`, principal `*`) of allowing statements in `now` but in no statement of `old`. */
function newWildcards(old: readonly Statement[], now: readonly Statement[]): string[] {
  const wildcards = (statements: readonly Statement[]) =>
    new Set(
      statements
        .filter((statement) => statement.effect === 'Allow')
        .flatMap((statement) => [
          ...statement.actions.filter((action) => action.includes('*')).map((action) => `action ${action}`),
          ...statement.resources.filter((resource) => resource === '*').map(() => 'resource *'),
          ...statement.principals.filter((principal) => /(^|\s)\*$/.test(principal)).map(() => 'principal *'),
        ]),
    );
  const before = wildcards(old);
  return [...wildcards(now)].filter((wildcard) => !before.has(wildcard));
}

export function statementText(statement: Statement): string {
  const parts = [`${statement.effect} ${statement.actions.join(', ')}`];
  if (statement.resources.length > 0) parts.push(`on ${statement.resources.join(', ')}`);
  if (statement.principals.length > 0) parts.push(`for ${statement.principals.join(', ')}`);
  if (statement.condition !== '') parts.push(`when ${statement.condition}`);
  return parts.join(' ');
}

function documentsOf(assembly: Assembly): Map<string, PolicyDocument> {
  const result = new Map<string, PolicyDocument>();
  for (const stack of assembly.stacks) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      const p = resource.Properties ?? {};
      const add = (suffix: string, subject: string, document: unknown) => {
        result.set(`${stack.stackName}/${logicalId}${suffix}`, {
          stack,
          logicalId,
          subject,
          statements: statementsOf(assembly, stack, document),
        });
      };
      const self = resourceName({ stack, logicalId, resource });
      const documentProperty = DOCUMENT_PROPERTIES[resource.Type];
      if (documentProperty !== undefined && p[documentProperty] !== undefined) {
        const attachedTo = ATTACHMENTS.flatMap((property) =>
          p[property] === undefined ? [] : [renderValue(p[property], assembly, stack)],
        );
        const owner = attachedTo.length > 0 ? ` of ${attachedTo.join(', ')}` : ` ${self}`;
        add('', `${resource.Type.split('::').slice(1).join(' ')}${owner}`, p[documentProperty]);
      }
      if (resource.Type === 'AWS::IAM::Role') {
        add('#trust', `trust policy of role ${self}`, p.AssumeRolePolicyDocument);
        if (Array.isArray(p.Policies)) {
          for (const inline of p.Policies as Array<{ PolicyName?: unknown; PolicyDocument?: unknown }>) {
            const name = renderValue(inline.PolicyName);
            add(`#${name}`, `inline policy ${name} of role ${self}`, inline.PolicyDocument);
          }
        }
        if (Array.isArray(p.ManagedPolicyArns)) {
          // Managed policies as pseudo-statements, so an added AdministratorAccess shows as a grant.
          const managed = (p.ManagedPolicyArns as unknown[]).map((arn) => renderValue(arn, assembly, stack));
          result.set(`${stack.stackName}/${logicalId}#managed`, {
            stack,
            logicalId,
            subject: `managed policies of role ${self}`,
            statements: managed.map((arn) => ({
              effect: 'Attach',
              actions: [arn],
              resources: [],
              principals: [],
              condition: '',
            })),
          });
        }
      }
    }
  }
  return result;
}

function statementsOf(assembly: Assembly, stack: AssemblyStack, document: unknown): Statement[] {
  // AWS::Logs::ResourcePolicy holds its document as a JSON string.
  const parsed = typeof document === 'string' ? safeJson(document) : document;
  const raw = (parsed as { Statement?: unknown } | undefined)?.Statement;
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const list = (value: unknown): string[] =>
    value === undefined
      ? []
      : (Array.isArray(value) ? value : [value]).map((item) => renderTarget(assembly, stack, item)).sort();
  return (statements as Array<Record<string, unknown>>).map((statement) => ({
    effect: renderValue(statement.Effect),
    actions: [...list(statement.Action), ...list(statement.NotAction).map((action) => `not ${action}`)],
    resources: [...list(statement.Resource), ...list(statement.NotResource).map((resource) => `not ${resource}`)],
    principals: principalsOf(assembly, stack, statement.Principal ?? statement.NotPrincipal),
    condition: statement.Condition === undefined ? '' : renderCondition(assembly, stack, statement.Condition),
  }));
}

function renderTarget(assembly: Assembly, stack: AssemblyStack, value: unknown): string {
  const ref = resolveReference(assembly, stack, value);
  // A reference to a resource reads as that resource; the attribute (Arn) adds nothing.
  if (ref !== undefined) return renderValue({ Ref: ref.logicalId }, assembly, ref.stack);
  return renderValue(value, assembly, stack);
}

function principalsOf(assembly: Assembly, stack: AssemblyStack, principal: unknown): string[] {
  if (principal === undefined) return [];
  if (typeof principal === 'string') return [principal === '*' ? 'AWS *' : principal];
  return Object.entries(principal as Record<string, unknown>)
    .flatMap(([kind, value]) =>
      (Array.isArray(value) ? value : [value]).map((item) => `${kind} ${renderTarget(assembly, stack, item)}`),
    )
    .sort();
}

function renderCondition(assembly: Assembly, stack: AssemblyStack, condition: unknown): string {
  return Object.entries(condition as Record<string, Record<string, unknown>>)
    .flatMap(([operator, keys]) =>
      Object.entries(keys).map(([key, value]) => `${operator} ${key} ${renderValue(value, assembly, stack)}`),
    )
    .sort()
    .join(' and ');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
