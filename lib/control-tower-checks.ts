import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import type {
  IPolicyValidationContextBeta1,
  IPolicyValidationPluginBeta1,
  PolicyValidationPluginReportBeta1,
} from 'aws-cdk-lib';

/** The Control Tower proactive controls as the validator package ships them (one `.guard` file per control). */
const RULES_DIRECTORY = join(
  dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')),
  'rules',
  'control-tower',
  'cfn-guard',
);

/** cfn-guard's JSON answer for the default app is over a megabyte; Node's default buffer is 1 MiB. */
const GUARD_OUTPUT_BUFFER_BYTES = 64 * 1024 * 1024;

interface RuleFile {
  readonly path: string;
  /** The resource types the control reports on (its `Reports on:` header); undefined when it has none. */
  readonly reportsOn?: readonly string[];
}

/**
 * AWS Control Tower's proactive controls (the cfn-guard rules AWS publishes, run by
 * `@cdklabs/cdk-validator-cfnguard` with the guard binary its npm package ships) over every
 * template of the app, as a CDK policy-validation plugin.
 *
 * Only the controls that report on a resource type present in the templates run: every control
 * file starts with a `Reports on:` header and SKIPs a template without those types, so leaving it
 * out changes no result. Over the default app's 15 templates this runs 27 of the 314 controls and
 * takes about 2 s instead of 15 s (measured on the 2-core CI machine). A control without the
 * header always runs.
 *
 * Violations are reported under the plugin's own name (`cdk-validator-cfnguard`), so they are
 * acknowledged as `cdk-validator-cfnguard::<rule name>` (lib/control-tower-acknowledgements.ts).
 */
export class ControlTowerChecks implements IPolicyValidationPluginBeta1 {
  public readonly name = 'cdk-validator-cfnguard';
  public readonly version?: string;
  private readonly rules: readonly RuleFile[];

  constructor() {
    this.rules = controlTowerRuleFiles();
    this.version = (require('@cdklabs/cdk-validator-cfnguard/package.json') as { version: string }).version;
  }

  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const present = resourceTypes(context.templatePaths);
    const applicable = this.rules
      .filter((rule) => rule.reportsOn === undefined || rule.reportsOn.some((type) => present.has(type)))
      .map((rule) => rule.path);
    if (applicable.length === 0) return { success: true, violations: [] };
    const report = new CfnGuardValidator({
      controlTowerRulesEnabled: false,
      rules: applicable,
      maxBuffer: GUARD_OUTPUT_BUFFER_BYTES,
    }).validate(context);
    // The validator sets no severity. Once any finding of a report is acknowledged, the CDK
    // recomputes the report's success from the severities of the rest, and a finding without one
    // would no longer fail synth: every finding is an error.
    return { ...report, violations: report.violations.map((violation) => ({ ...violation, severity: 'error' })) };
  }
}

function controlTowerRuleFiles(): RuleFile[] {
  return readdirSync(RULES_DIRECTORY, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.guard'))
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path, reportsOn: reportsOn(readFileSync(path, 'utf8')) };
    });
}

/** The `# Reports on:` header: comment lines naming resource types, up to the next blank comment line. */
function reportsOn(rule: string): string[] | undefined {
  const header = /^# Reports on:\n((?:#[ \t]+\S.*\n)+)/m.exec(rule);
  if (header === null) return undefined;
  const types = header[1].match(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g);
  return types === null ? undefined : [...types];
}

function resourceTypes(templatePaths: readonly string[]): Set<string> {
  const types = new Set<string>();
  for (const templatePath of templatePaths) {
    const template = JSON.parse(readFileSync(templatePath, 'utf8')) as { Resources?: Record<string, { Type: string }> };
    for (const resource of Object.values(template.Resources ?? {})) types.add(resource.Type);
  }
  return types;
}
