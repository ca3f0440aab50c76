/**
 * Prometheus rule files (alerts/<env>.rules.yaml) and Grafana dashboards (dashboards/*.json) of
 * two sides: rules added, removed, or with a changed expression, threshold, `for` or severity;
 * dashboards and panels added or removed, and panels whose queries changed.
 */
import { fileEnvironment, type GeneratedDocument } from './generated';
import { ALL_ENVIRONMENTS, type Change, type FieldChange, fieldChanges, PLATFORM_SERVICE, splitKeys } from './model';

interface Rule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr?: unknown;
  readonly for?: unknown;
  readonly keep_firing_for?: unknown;
  readonly labels?: Record<string, unknown>;
}

const RULE_FIELDS = ['threshold', 'expr', 'for', 'keep firing for', 'labels'] as const;

/** The comparison that ends an alerting expression: `... > 0.05` -> `> 0.05`. */
const TRAILING_THRESHOLD = /\s*([<>]=?|==|!=)\s*(-?[0-9.]+(?:e[+-]?[0-9]+)?)\s*\)*\s*$/i;

export function reviewRuleFiles(
  base: ReadonlyMap<string, GeneratedDocument>,
  head: ReadonlyMap<string, GeneratedDocument>,
): Change[] {
  const before = rulesOf(base);
  const after = rulesOf(head);
  const { removed, added, common } = splitKeys(before, after);
  type Located = typeof before extends Map<string, infer T> ? T : never;
  const change = (rule: Located, kind: Change['kind'], fields: FieldChange[]): Change => ({
    environment: fileEnvironment(rule.path) ?? ALL_ENVIRONMENTS,
    service: rule.service,
    category: 'prometheus rules',
    subject: rule.subject,
    kind,
    fields,
    risks: [],
    source: rule.path,
  });
  return [
    ...common.flatMap((key) => {
      const [old, now] = [before.get(key) as Located, after.get(key) as Located];
      const fields = fieldChanges(RULE_FIELDS, old.fields, now.fields);
      // When only the threshold moved, the expression line says nothing more.
      const onlyThreshold =
        old.fields.threshold !== now.fields.threshold &&
        old.fields.exprWithoutThreshold === now.fields.exprWithoutThreshold;
      const shown = onlyThreshold ? fields.filter((field) => field.field !== 'expr') : fields;
      return shown.length === 0 ? [] : [change(now, 'changed', shown)];
    }),
    ...removed.map((key) => change(before.get(key) as Located, 'removed', [])),
    ...added.map((key) => {
      const rule = after.get(key) as Located;
      return change(rule, 'added', [
        { field: 'expr', new: rule.fields.expr },
        { field: 'for', new: rule.fields.for },
      ]);
    }),
  ];
}

function rulesOf(files: ReadonlyMap<string, GeneratedDocument>) {
  const result = new Map<
    string,
    {
      path: string;
      subject: string;
      service: string;
      fields: Record<(typeof RULE_FIELDS)[number] | 'exprWithoutThreshold', string | undefined>;
    }
  >();
  for (const { path, content } of files.values()) {
    const groups = ((content as { groups?: unknown } | null)?.groups ?? []) as Array<{ name?: string; rules?: Rule[] }>;
    for (const group of groups) {
      for (const rule of group.rules ?? []) {
        // The app labels a service's rules `service_name` (the OpenTelemetry attribute); `service` is common elsewhere.
        const {
          severity,
          service_name,
          service: serviceLabel,
          environment: _environment,
          ...otherLabels
        } = rule.labels ?? {};
        const service = service_name ?? serviceLabel;
        const name = rule.alert ?? rule.record ?? '(unnamed)';
        const expr = rule.expr === undefined ? undefined : String(rule.expr).trim().replace(/\s+/g, ' ');
        const threshold = expr?.match(TRAILING_THRESHOLD);
        const key = `${path}|${group.name}|${name}|${String(severity ?? '')}|${String(service ?? '')}`;
        result.set(key, {
          path,
          subject: `${rule.alert !== undefined ? 'alert' : 'recording rule'} ${name}${severity === undefined ? '' : ` (${String(severity)})`}`,
          service: typeof service === 'string' ? service : PLATFORM_SERVICE,
          fields: {
            threshold: threshold === null || threshold === undefined ? undefined : `${threshold[1]} ${threshold[2]}`,
            expr,
            exprWithoutThreshold: expr?.replace(TRAILING_THRESHOLD, ''),
            for: rule.for === undefined ? undefined : String(rule.for),
            'keep firing for': rule.keep_firing_for === undefined ? undefined : String(rule.keep_firing_for),
            labels: Object.keys(otherLabels).length === 0 ? undefined : JSON.stringify(otherLabels),
          },
        });
      }
    }
  }
  return result;
}

interface Panel {
  readonly title?: string;
  readonly type?: string;
  readonly panels?: Panel[];
  readonly targets?: Array<{ expr?: unknown; query?: unknown; rawSql?: unknown }>;
}

export function reviewDashboards(
  base: ReadonlyMap<string, GeneratedDocument>,
  head: ReadonlyMap<string, GeneratedDocument>,
): Change[] {
  const { removed, added, common } = splitKeys(base, head);
  const title = (document: GeneratedDocument | undefined) =>
    String((document?.content as { title?: unknown } | null)?.title ?? document?.path);
  const change = (path: string, kind: Change['kind'], fields: FieldChange[]): Change => ({
    environment: ALL_ENVIRONMENTS,
    service: PLATFORM_SERVICE,
    category: 'dashboards',
    subject: `dashboard ${title(head.get(path) ?? base.get(path))} (${path})`,
    kind,
    fields,
    risks: [],
    source: path,
  });
  const changes: Change[] = [];
  for (const path of common) {
    const [old, now] = [panelsOf(base.get(path)), panelsOf(head.get(path))];
    const fields: FieldChange[] = [];
    for (const name of [...new Set([...old.keys(), ...now.keys()])]) {
      const [a, b] = [old.get(name), now.get(name)];
      if (a === undefined) fields.push({ field: `panel ${name}`, new: 'added' });
      else if (b === undefined) fields.push({ field: `panel ${name}`, old: 'present', new: 'removed' });
      else if (a !== b) fields.push({ field: `panel ${name}: queries`, old: a, new: b });
    }
    if (fields.length > 0) changes.push(change(path, 'changed', fields));
  }
  for (const path of removed) changes.push(change(path, 'removed', []));
  for (const path of added) {
    changes.push(
      change(
        path,
        'added',
        [...panelsOf(head.get(path)).keys()].map((name) => ({ field: `panel ${name}`, new: 'added' })),
      ),
    );
  }
  return changes;
}

/** Panel title (in its row, when nested) -> its queries, one line. */
function panelsOf(document: GeneratedDocument | undefined): Map<string, string> {
  const result = new Map<string, string>();
  const visit = (panels: Panel[] | undefined, row: string) => {
    for (const panel of panels ?? []) {
      const name = `${row}${panel.title ?? '(untitled)'}`;
      if (panel.type === 'row') {
        result.set(name, 'row');
        visit(panel.panels, `${name} / `);
        continue;
      }
      const queries = (panel.targets ?? []).map((target) => String(target.expr ?? target.query ?? target.rawSql ?? ''));
      result.set(result.has(name) ? `${name} (${panel.type})` : name, queries.join(' | '));
    }
  };
  visit((document?.content as { panels?: Panel[] } | null)?.panels, '');
  return result;
}
