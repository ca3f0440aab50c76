// An existing ApplicationLoadBalancedFargateService, observed. The lines marked "observability"
// are all a team adds (scripts/check-examples.sh counts them). platform-settings/prod.json is the
// platform team's generated settings of the environment, copied into this repository.
import * as obs from '@starmates/cdk-otel-observability'; // observability
import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';

const app = new App();
const settings = obs.readPlatformSettings('platform-settings/prod.json'); // observability
const stack = new Stack(app, 'Orders', { env: { account: settings.account, region: settings.region } });
const platform = obs.ObservabilityPlatform.fromEnvironmentName(stack, 'Platform', { settings }); // observability
const orders = new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Orders', {
  cluster: platform.cluster,
  publicLoadBalancer: false,
  circuitBreaker: { enable: true, rollback: true },
  minHealthyPercent: 100,
  cpu: 512,
  memoryLimitMiB: 1024,
  taskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'), containerPort: 8080 },
});
new obs.FargateObservability(stack, 'Observability', { platform, serviceName: 'orders', loadBalancedService: orders }); // observability
