/**
 * What `obsctl review` reports: one `Change` per thing a reviewer would name (an alarm, a log
 * group, a policy, a collector config...), with its fields' old and new values rendered as text,
 * and the reasons it is a risk. Plain data: the renderers (render.ts) and `--json` print it as is.
 */

export type ChangeKind = 'added' | 'removed' | 'replaced' | 'changed';

export type ChangeCategory =
  | 'alarms'
  | 'log groups'
  | 'saved queries'
  | 'iam'
  | 'task definitions'
  | 'collector'
  | 'prometheus rules'
  | 'dashboards';

/** One changed field: `threshold: 5 → 8`. `undefined` old or new is "(none)". */
export interface FieldChange {
  readonly field: string;
  readonly old?: string;
  readonly new?: string;
}

export interface Change {
  /** The environment (the resources' `environment` tag, or the generated file's folder); `(all)` for shared files. */
  readonly environment: string;
  /** The service the resource belongs to (from its stack name), or `platform`. */
  readonly service: string;
  readonly category: ChangeCategory;
  /** What changed, as a reviewer names it: `alarm starmates-prod-api-errorRate-critical`. */
  readonly subject: string;
  readonly kind: ChangeKind;
  readonly fields: readonly FieldChange[];
  /** Why this change is a risk; empty when it is not. */
  readonly risks: readonly string[];
  /** Where it comes from: `StarmatesAiTeam-Prod-Api/ObservedAlarmsErrorRate1234` or `alerts/prod.rules.yaml`. */
  readonly source: string;
}

export const ALL_ENVIRONMENTS = '(all)';
export const PLATFORM_SERVICE = 'platform';

/** Fields of two flat records that differ, in `names` order. */
export function fieldChanges(
  names: readonly string[],
  base: Readonly<Record<string, string | undefined>>,
  head: Readonly<Record<string, string | undefined>>,
): FieldChange[] {
  return names
    .filter((name) => base[name] !== head[name])
    .map((name) => ({ field: name, old: base[name], new: head[name] }));
}

/** Keys of two maps: those only in base, only in head, and in both, each sorted. */
export function splitKeys<T>(
  base: ReadonlyMap<string, T>,
  head: ReadonlyMap<string, T>,
): { removed: string[]; added: string[]; common: string[] } {
  const sorted = (keys: Iterable<string>) => [...keys].sort();
  return {
    removed: sorted([...base.keys()].filter((key) => !head.has(key))),
    added: sorted([...head.keys()].filter((key) => !base.has(key))),
    common: sorted([...base.keys()].filter((key) => head.has(key))),
  };
}
