/**
 * The CloudWatch side of the signal declarations (lib/signals): an alarm's missing-data treatment
 * and evaluation come from its signal's declared form, so the reason for each lives there.
 */
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { type CloudWatchForm, type MissingData, type SignalDeclaration, signalById } from '../signals';

export const TREAT_MISSING_DATA: Readonly<Record<MissingData, cloudwatch.TreatMissingData>> = {
  breaching: cloudwatch.TreatMissingData.BREACHING,
  notBreaching: cloudwatch.TreatMissingData.NOT_BREACHING,
  ignore: cloudwatch.TreatMissingData.IGNORE,
  missing: cloudwatch.TreatMissingData.MISSING,
};

/** The declared CloudWatch form of a signal's alarm: its first metric form. */
export function alarmForm(signal: SignalDeclaration): CloudWatchForm & { kind: 'metric' | 'metricMath' } {
  const form = signal.cloudWatch.find((candidate) => candidate.kind === 'metric' || candidate.kind === 'metricMath');
  if (form === undefined || (form.kind !== 'metric' && form.kind !== 'metricMath')) {
    throw new Error(`signal ${signal.id} is placed as a service alarm but declares no metric CloudWatch form`);
  }
  return form;
}

/** The missing-data treatment of a library signal's alarm, by its id. */
export function missingDataOf(signalId: string): cloudwatch.TreatMissingData {
  return TREAT_MISSING_DATA[alarmForm(signalById(signalId)).missingData];
}

/** The evaluation periods of a library signal whose form fixes them (`{ periods }`). */
export function fixedPeriodsOf(signalId: string): number {
  const { evaluation } = alarmForm(signalById(signalId));
  if (typeof evaluation !== 'object') throw new Error(`signal ${signalId} has no fixed evaluation periods`);
  return evaluation.periods;
}
