import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CfnElement, DefaultStackSynthesizer, type ISynthesisSession, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * CloudFormation resolves at most 60 dynamic references (`{{resolve:...}}`) in one template
 * ("Get values stored in other services using dynamic references", AWS CloudFormation User Guide);
 * a template with more fails at deploy, not at synth.
 */
export const MAX_DYNAMIC_REFERENCES_PER_TEMPLATE = 60;

const DYNAMIC_REFERENCE = '{{resolve:';

/** The stacks already guarded: one validation per stack, however many constructs ask for it. */
const guarded = new WeakSet<Stack>();

/** The number of dynamic references in a rendered template. */
function countIn(template: string): number {
  return template.split(DYNAMIC_REFERENCE).length - 1;
}

/**
 * The number of dynamic references in the template of `stack`: its own elements (not a nested
 * stack's), each rendered as CloudFormation will see it.
 */
export function countDynamicReferences(stack: Stack): number {
  let count = 0;
  for (const construct of stack.node.findAll()) {
    if (!CfnElement.isCfnElement(construct) || Stack.of(construct) !== stack) continue;
    count += countIn(JSON.stringify(stack.resolve(construct._toCloudFormation())));
  }
  return count;
}

/** The one-line refusal for a stack over the limit, or none. */
export function dynamicReferenceProblems(stackName: string, count: number): string[] {
  return count > MAX_DYNAMIC_REFERENCES_PER_TEMPLATE
    ? [
        `${stackName}: the template has ${count} dynamic references ({{resolve:...}}), over the ` +
          `${MAX_DYNAMIC_REFERENCES_PER_TEMPLATE} CloudFormation resolves per template: read shared values by a deploy-time ` +
          'SSM parameter (ssm.StringParameter.valueForStringParameter, as alarms read the source token: sourceTokenValueIn), ' +
          'or split the stack',
      ]
    : [];
}

/**
 * The default synthesizer, which also counts the dynamic references of the template it has just
 * written and refuses a stack over the limit: the count costs a string search, where the
 * validation of `limitDynamicReferences` renders every element of the stack a second time (an
 * eighth of an observed service's synth). The default app's stacks use it; a stack of a team's own
 * (`FargateObservabilityAspect`) keeps the validation, since its synthesizer is the team's.
 */
export class DynamicReferenceCountingSynthesizer extends DefaultStackSynthesizer {
  protected override synthesizeTemplate(
    session: ISynthesisSession,
    lookupRoleArn?: string,
    lookupRoleExternalId?: string,
    lookupRoleAdditionalOptions?: { [key: string]: unknown },
  ) {
    const source = super.synthesizeTemplate(session, lookupRoleArn, lookupRoleExternalId, lookupRoleAdditionalOptions);
    const stack = this.boundStack;
    const [problem] = dynamicReferenceProblems(
      stack.stackName,
      countIn(readFileSync(join(session.outdir, stack.templateFile), 'utf8')),
    );
    if (problem !== undefined) throw new Error(problem);
    return source;
  }
}

/**
 * Refuses at synth a stack whose template would exceed CloudFormation's dynamic references per
 * template. Called by the package's stacks and by every observed service, so a team's own stack
 * (`FargateObservabilityAspect`) is guarded too. The count renders the stack's elements once more,
 * during validation (a validation cannot see the template synthesis writes afterwards), unless the
 * stack's synthesizer counts them in the written template (`DynamicReferenceCountingSynthesizer`).
 */
export function limitDynamicReferences(scope: IConstruct): void {
  const stack = Stack.of(scope);
  if (guarded.has(stack) || stack.synthesizer instanceof DynamicReferenceCountingSynthesizer) return;
  guarded.add(stack);
  stack.node.addValidation({
    validate: () => dynamicReferenceProblems(stack.stackName, countDynamicReferences(stack)),
  });
}
