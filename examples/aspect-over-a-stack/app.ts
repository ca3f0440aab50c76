// Every Fargate service of a stack observed by one Aspect, the platform imported by name.
import {
  FargateObservabilityAspect,
  ObservabilityPlatform,
  readPlatformSettings,
} from '@starmates/cdk-otel-observability';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';

const app = new App();
const settings = readPlatformSettings('platform-settings/prod.json');
const stack = new Stack(app, 'Billing', { env: { account: settings.account, region: settings.region } });
const platform = ObservabilityPlatform.fromEnvironmentName(stack, 'Platform', { settings });
for (const name of ['Invoices', 'Payments']) {
  const taskDefinition = new ecs.FargateTaskDefinition(stack, `${name}Task`, { cpu: 512, memoryLimitMiB: 1024 });
  taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27') });
  new ecs.FargateService(stack, name, {
    cluster: platform.cluster,
    taskDefinition,
    circuitBreaker: { enable: true, rollback: true },
    minHealthyPercent: 100,
  });
}
Aspects.of(stack).add(new FargateObservabilityAspect({ platform }));
