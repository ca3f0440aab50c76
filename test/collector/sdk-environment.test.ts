import { headSamplingEnvironment } from '../../lib/collector/sampling';
import { imageVersion, sdkEnvironment } from '../../lib/collector/sdk-environment';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { exampleEnvironments } from '../support/example-app';
import { profilesWithTenants } from '../support/tenant-profiles';

const profiles = loadEnvironmentProfiles(exampleEnvironments());

describe('sdkEnvironment', () => {
  test('points the SDK at the sidecar over gRPC with the profile sampling ratio', () => {
    const environment = sdkEnvironment({
      environmentName: 'dev',
      project: profiles.dev.project,
      headSamplingVariables: headSamplingEnvironment(profiles.dev),
      serviceName: 'api-gateway',
      serviceVersion: '1.0.0',
      instrumentation: true,
    });
    expect(environment).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4317',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '1',
    });
  });

  test('resource attribute values are percent-encoded as the SDK specification requires', () => {
    const environment = sdkEnvironment({
      environmentName: 'prod',
      project: profiles.prod.project,
      headSamplingVariables: headSamplingEnvironment(profiles.prod),
      serviceName: 'api-gateway',
      serviceVersion: '1.0,beta=2',
      instrumentation: true,
    });
    expect(environment.OTEL_RESOURCE_ATTRIBUTES).toBe(
      'service.version=1.0%2Cbeta%3D2,deployment.environment.name=prod,service.namespace=starmates-ai-team',
    );
  });

  test('in an environment with a gateway the SDK keeps every trace and sets no ratio: the gateway samples', () => {
    const environment = sdkEnvironment({
      environmentName: 'prod',
      project: profiles.prod.project,
      headSamplingVariables: headSamplingEnvironment(profiles.prod),
      serviceName: 'api-gateway',
      serviceVersion: '1.0.0',
      instrumentation: true,
    });
    expect(environment.OTEL_TRACES_SAMPLER).toBe('parentbased_always_on');
    expect(Object.keys(environment)).not.toContain('OTEL_TRACES_SAMPLER_ARG');
  });

  test("a tenant service carries its tenant.id on its resource, after the environment's attributes", () => {
    const tenantProfile = profilesWithTenants().prod;
    const environment = sdkEnvironment({
      environmentName: 'prod',
      project: tenantProfile.project,
      headSamplingVariables: headSamplingEnvironment(tenantProfile),
      serviceName: 'acme-reports',
      serviceVersion: '1.0.0',
      instrumentation: true,
      tenant: 'acme-corp',
    });
    expect(environment.OTEL_RESOURCE_ATTRIBUTES).toBe(
      'service.version=1.0.0,deployment.environment.name=prod,service.namespace=starmates-ai-team,tenant.id=acme-corp',
    );
  });

  test('a platform service carries no tenant.id', () => {
    const environment = sdkEnvironment({
      environmentName: 'prod',
      project: profiles.prod.project,
      headSamplingVariables: headSamplingEnvironment(profiles.prod),
      serviceName: 'api-gateway',
      serviceVersion: '1.0.0',
      instrumentation: true,
    });
    expect(environment.OTEL_RESOURCE_ATTRIBUTES).not.toContain('tenant.id');
  });

  test('with instrumentation off only OTEL_SDK_DISABLED and the service name are set', () => {
    expect(
      sdkEnvironment({
        environmentName: 'prod',
        project: profiles.prod.project,
        headSamplingVariables: headSamplingEnvironment(profiles.prod),
        serviceName: 'api-gateway',
        serviceVersion: '1.0.0',
        instrumentation: false,
      }),
    ).toEqual({ OTEL_SDK_DISABLED: 'true', OTEL_SERVICE_NAME: 'api-gateway' });
  });
});

describe('imageVersion', () => {
  test.each([
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/api-gateway:1.4.2', '1.4.2'],
    ['localhost:5000/team/app:2.0', '2.0'],
    ['localhost:5000/team/app', 'latest'],
    ['repo/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', '0123456789ab'],
  ])('%s has version %s', (image, version) => {
    expect(imageVersion(image)).toBe(version);
  });
});
