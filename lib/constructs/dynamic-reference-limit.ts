import { CfnElement, Stack } from 'aws-cdk-lib';
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

/**
 * The number of dynamic references in the template of `stack`: its own elements (not a nested
 * stack's), each rendered as CloudFormation will see it.
 */
export function countDynamicReferences(stack: Stack): number {
  let count = 0;
  for (const construct of stack.node.findAll()) {
    if (!CfnElement.isCfnElement(construct) || Stack.of(construct) !== stack) continue;
    const rendered = JSON.stringify(stack.resolve(construct._toCloudFormation()));
    count += rendered.split(DYNAMIC_REFERENCE).length - 1;
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
 * Refuses at synth a stack whose template would exceed CloudFormation's dynamic references per
 * template. Called by the package's stacks and by every observed service, so a team's own stack
 * (`FargateObservabilityAspect`) is guarded too. The count renders the stack's elements once more,
 * during validation; a validation cannot see the template synthesis writes afterwards.
 */
export function limitDynamicReferences(scope: IConstruct): void {
  const stack = Stack.of(scope);
  if (guarded.has(stack)) return;
  guarded.add(stack);
  stack.node.addValidation({
    validate: () => dynamicReferenceProblems(stack.stackName, countDynamicReferences(stack)),
  });
}
