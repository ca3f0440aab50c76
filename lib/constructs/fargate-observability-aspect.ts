import type { IAspect } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import type { IConstruct } from 'constructs';
import { SERVICE_NAME_PATTERN } from '../profile/schema';
import { FargateObservability } from './fargate-observability';
import type { IObservabilityPlatform } from './platform';

/** The metadata type that keeps `FargateObservabilityAspect` off a service; its data is the reason. */
export const SKIP_OBSERVABILITY_METADATA = '@starmates/cdk-otel-observability:skip';

export interface FargateObservabilityAspectProps {
  /** The environment's shared parts (`ObservabilityPlatform.fromEnvironmentName`). */
  readonly platform: IObservabilityPlatform;
}

/**
 * Observes every Fargate service in a scope: `Aspects.of(stack).add(new FargateObservabilityAspect({ platform }))`.
 *
 * Thin on purpose, as cdk-nag's packs are: it finds each `FargateService` and calls the entry point
 * a team would call by hand (`FargateObservability`), with the load-balanced pattern around the
 * service when there is one (for its target-group alarms). The service name is the kebab-case of
 * the construct id (the pattern's, for a pattern's service). A service already observed is left
 * alone, and so is one marked with `FargateObservabilityAspect.skip(service, reason)`.
 */
export class FargateObservabilityAspect implements IAspect {
  /** Keeps the aspect off a service (or a pattern around it); the reason is kept in the cloud assembly. */
  public static skip(service: IConstruct, reason: string): void {
    service.node.addMetadata(SKIP_OBSERVABILITY_METADATA, reason);
  }

  private readonly props: FargateObservabilityAspectProps;

  constructor(props: FargateObservabilityAspectProps) {
    this.props = props;
  }

  public visit(node: IConstruct): void {
    if (!(node instanceof ecs.FargateService)) return;
    const parent = node.node.scope;
    const pattern = parent instanceof ecsPatterns.ApplicationLoadBalancedFargateService ? parent : undefined;
    const owner: IConstruct = pattern ?? node;
    if (isSkipped(node) || isSkipped(owner) || FargateObservability.isObserved(node)) return;
    const serviceName = kebabCase(owner.node.id);
    if (!new RegExp(SERVICE_NAME_PATTERN).test(serviceName)) {
      throw new Error(
        `${owner.node.path}: FargateObservabilityAspect names the service "${serviceName}" after its construct id, ` +
          `which is not a valid service name (${SERVICE_NAME_PATTERN}); observe it with FargateObservability and a ` +
          'serviceName, or skip it with FargateObservabilityAspect.skip',
      );
    }
    new FargateObservability(owner.node.scope ?? owner, `${owner.node.id}Observability`, {
      platform: this.props.platform,
      serviceName,
      ...(pattern !== undefined ? { loadBalancedService: pattern } : { service: node }),
    });
  }
}

function isSkipped(construct: IConstruct): boolean {
  return construct.node.metadata.some((entry) => entry.type === SKIP_OBSERVABILITY_METADATA);
}

/** `CheckoutApi` -> `checkout-api`. */
function kebabCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .toLowerCase()
    .replace(/^-+|-+$/g, '');
}
