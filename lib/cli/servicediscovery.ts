/** The Cloud Map look-up obsctl makes: the collector gateway's registered tasks and their health. */
import { DiscoverInstancesCommand, type ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { GATEWAY_SERVICE_NAME, gatewayNamespaceName } from '../naming';
import { awsCall, isAwsError } from './errors';

/** DiscoverInstances returns at most this many instances (it has no pagination); a gateway has at most 100 tasks. */
export const MAX_INSTANCES = 1000;

export type GatewayInstances = { readonly namespace: string; readonly service: string } & (
  | { readonly kind: 'namespace-missing' }
  | { readonly kind: 'service-missing' }
  | { readonly kind: 'found'; readonly healthy: number; readonly total: number }
);

/**
 * The gateway's instances as the sidecars see them (`servicediscovery:DiscoverInstances`, the same
 * call their `aws_cloud_map` resolver makes), counted by health; or which part does not exist yet.
 */
export async function discoverGatewayInstances(
  serviceDiscovery: ServiceDiscoveryClient,
  project: string,
  environmentName: string,
): Promise<GatewayInstances> {
  const names = { namespace: gatewayNamespaceName(project, environmentName), service: GATEWAY_SERVICE_NAME };
  try {
    const output = await awsCall('servicediscovery:DiscoverInstances', () =>
      serviceDiscovery.send(
        new DiscoverInstancesCommand({
          NamespaceName: names.namespace,
          ServiceName: names.service,
          // Every instance with its health, so a report can say how many of how many are healthy.
          HealthStatus: 'ALL',
          MaxResults: MAX_INSTANCES,
        }),
      ),
    );
    const instances = output.Instances ?? [];
    const healthy = instances.filter((instance) => instance.HealthStatus === 'HEALTHY').length;
    return { ...names, kind: 'found', healthy, total: instances.length };
  } catch (error) {
    if (isAwsError(error, 'NamespaceNotFound')) return { ...names, kind: 'namespace-missing' };
    if (isAwsError(error, 'ServiceNotFound')) return { ...names, kind: 'service-missing' };
    throw error;
  }
}
