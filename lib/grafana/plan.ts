/**
 * What `obsctl grafana publish` does to each object it owns in Grafana Cloud (a dashboard, a rule
 * group, the Alertmanager configuration), decided from the object we would publish and the live
 * one. Pure: the HTTP calls are lib/grafana/http.ts.
 *
 * "Changed by hand". Every object we publish carries a stamp: the SHA-256 of its canonical content
 * as we published it (a dashboard tag, an annotation on each rule of a group, a comment line at the
 * top of the Alertmanager configuration: places the APIs keep as they are). Reading it back:
 * - the live content equals what we would publish: nothing to do, whatever the stamp;
 * - the live content hashes to its stamp: nobody touched it since our last publish, so it is
 *   replaced;
 * - otherwise (no stamp, or content that no longer matches it) someone changed it by hand, or it
 *   was never ours: it is reported and left alone, unless --force.
 * The stamp is computed without the stamp itself, and without what the server adds (a dashboard's
 * id and version), so the check needs no state outside Grafana Cloud.
 */
import { createHash } from 'node:crypto';

export type ObjectKind = 'dashboard' | 'rule group' | 'alertmanager';

export type Action = 'create' | 'update' | 'unchanged' | 'changed-by-hand' | 'overwrite';

/** One object as we would publish it and as it is live, both in canonical text. */
export interface ObjectState {
  readonly kind: ObjectKind;
  /** Its name in messages: dashboard uid, namespace/group, "alertmanager". */
  readonly name: string;
  readonly desired: string;
  /**
   * Undefined when it does not exist live. `stamped`: its stamp matches its content (we published
   * it, and nobody changed it since).
   */
  readonly live?: { readonly content: string; readonly stamped: boolean };
}

export interface PlannedObject {
  readonly kind: ObjectKind;
  readonly name: string;
  readonly action: Action;
}

/** The stamp of canonical content. */
export function contentStamp(canonical: string): string {
  return createHash('sha256').update(canonical).digest('hex');
}

/** JSON with sorted keys: the canonical text of a parsed object, whatever the key order a server returns. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function planObject(state: ObjectState, force: boolean): PlannedObject {
  const { kind, name, live } = state;
  if (live === undefined) return { kind, name, action: 'create' };
  if (live.content === state.desired) return { kind, name, action: 'unchanged' };
  if (live.stamped) return { kind, name, action: 'update' };
  return { kind, name, action: force ? 'overwrite' : 'changed-by-hand' };
}

/** Whether the action writes. */
export function writes(action: Action): boolean {
  return action === 'create' || action === 'update' || action === 'overwrite';
}
