import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';

/**
 * Registers the cdk-nag AwsSolutions and NIST 800-53 R5 packs as validation plugins, so synth
 * fails on any finding that is not acknowledged (with a reason) at its resource.
 */
export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
}
