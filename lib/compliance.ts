import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { acknowledgeControlTowerFindings } from './control-tower-acknowledgements';
import { ControlTowerChecks } from './control-tower-checks';

export interface ComplianceCheckOptions {
  /**
   * Also run AWS Control Tower's proactive controls (cfn-guard) over every template, with the
   * acknowledgements of lib/control-tower-acknowledgements.ts.
   * @default true
   */
  readonly controlTower?: boolean;
}

/**
 * Registers the cdk-nag AwsSolutions and NIST 800-53 R5 packs and AWS Control Tower's proactive
 * controls as validation plugins, so synth fails on any finding that is not acknowledged (with a
 * reason) at its resource.
 */
export function addComplianceChecks(app: App, options: ComplianceCheckOptions = {}): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  if (options.controlTower ?? true) {
    Validations.of(app).addPlugins(new ControlTowerChecks());
    acknowledgeControlTowerFindings(app);
  }
}
