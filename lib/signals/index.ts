/**
 * The signals: one declaration per signal (lib/signals/library.ts), read by every generator that
 * alerts on one. Generators take the list as a parameter, defaulting to the library's, so a signal
 * declared elsewhere (a test fixture, an extension) goes through the same code. Pure: no CDK.
 */

import type { Severity } from '../profile/schema';
import { SIGNAL_DECLARATIONS } from './library';
import type { CloudWatchPlacement, SignalDeclaration, SignalId, SignalThresholds } from './types';

export { SIGNAL_DECLARATIONS } from './library';
export * from './types';

/** The declaration of a signal id. @throws Error when no declaration has it */
export function signalById(
  id: SignalId,
  signals: readonly SignalDeclaration[] = SIGNAL_DECLARATIONS,
): SignalDeclaration {
  const found = signals.find((signal) => signal.id === id);
  if (found === undefined) throw new Error(`no signal is declared with id ${id} (lib/signals/library.ts)`);
  return found;
}

/** The signals that carry a threshold model, in declaration order. */
export function thresholdSignals(
  signals: readonly SignalDeclaration[] = SIGNAL_DECLARATIONS,
): (SignalDeclaration & { readonly thresholds: SignalThresholds })[] {
  return signals.filter(
    (signal): signal is SignalDeclaration & { thresholds: SignalThresholds } => signal.thresholds !== undefined,
  );
}

/** The library's signals followed by `extra`, refusing a duplicate id (it would share alarm names). */
export function withSignals(extra: readonly SignalDeclaration[]): SignalDeclaration[] {
  const all = [...SIGNAL_DECLARATIONS, ...extra];
  const ids = all.map((signal) => signal.id);
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate !== undefined) throw new Error(`signal id ${duplicate} is declared twice`);
  return all;
}

/** Where a severity of a signal alarms in CloudWatch: its own placement, else the signal's. */
export function cloudWatchPlacement(signal: SignalDeclaration, severity: Severity): CloudWatchPlacement {
  return signal.placement.severities?.[severity] ?? signal.placement.cloudWatch;
}
