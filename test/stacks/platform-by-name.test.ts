import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ObservabilityPlatform } from '../../lib/constructs/platform';
import { PLATFORM_PARAMETERS, platformParameterName } from '../../lib/constructs/platform-parameters';
import { platformSettings } from '../../lib/platform-settings/from-profile';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { buildTestApp, exampleEnvironments } from '../support/default-app';

const { platforms, services } = buildTestApp({ selection: 'prod' });
const platform = platforms[0];
const { project } = platform.profile;

test('the service stacks of the default app hold no Fn::ImportValue', () => {
  const imports = services.map(
    (stack) => JSON.stringify(Template.fromStack(stack).toJSON()).match(/Fn::ImportValue/g)?.length ?? 0,
  );
  expect(imports).toEqual(services.map(() => 0));
});

test('the service stacks read the platform from its SSM parameters at deploy time', () => {
  const parameters = Template.fromStack(services[0]).toJSON().Parameters as Record<
    string,
    { Type: string; Default: string }
  >;
  expect(Object.values(parameters)).toContainEqual({
    Type: 'AWS::SSM::Parameter::Value<String>',
    Default: platformParameterName(project, 'prod', PLATFORM_PARAMETERS.clusterName),
  });
  expect(Object.values(parameters)).toContainEqual({
    Type: 'AWS::SSM::Parameter::Value<List<String>>',
    Default: platformParameterName(project, 'prod', PLATFORM_PARAMETERS.privateSubnetIds),
  });
});

test('each service stack deploys after its platform stack', () => {
  expect(services.map((stack) => stack.dependencies)).toEqual(services.map(() => [platform]));
});

test('the platform stack publishes its attributes under /<project>/<env>/observability/', () => {
  const names = Object.values(Template.fromStack(platform).findResources('AWS::SSM::Parameter')).map(
    (resource) => resource.Properties.Name as string,
  );
  const prefix = `/${project}/prod/observability/`;
  expect(
    names
      .filter((name) => name.startsWith(prefix))
      .map((name) => name.slice(prefix.length))
      .sort(),
  ).toEqual(
    [
      'alarm-topics/critical',
      'alarm-topics/info',
      'alarm-topics/warning',
      PLATFORM_PARAMETERS.availabilityZones,
      PLATFORM_PARAMETERS.cloudMapNamespaceId,
      PLATFORM_PARAMETERS.clusterArn,
      PLATFORM_PARAMETERS.clusterName,
      PLATFORM_PARAMETERS.encryptionKeyArn,
      PLATFORM_PARAMETERS.gatewayClientSecurityGroupId,
      PLATFORM_PARAMETERS.privateSubnetIds,
      PLATFORM_PARAMETERS.settings,
      PLATFORM_PARAMETERS.sourceTokenSecretArn,
      PLATFORM_PARAMETERS.sourceTokenValue,
      PLATFORM_PARAMETERS.vpcId,
      ...(Object.keys(platform.profile.tenants ?? {}).length === 0
        ? []
        : [PLATFORM_PARAMETERS.gatewayTenants, PLATFORM_PARAMETERS.tenantClientSecurityGroupIds]),
    ].sort(),
  );
});

test('the subnet list is published in zone order, one subnet per zone', () => {
  Template.fromStack(platform).hasResourceProperties('AWS::SSM::Parameter', {
    Name: platformParameterName(project, 'prod', PLATFORM_PARAMETERS.availabilityZones),
    Type: 'StringList',
    Value: platform.profile.availabilityZones.join(','),
  });
});

test('an imported platform joins the gateway client group without adding a rule to it', () => {
  const profile = loadEnvironmentProfiles(exampleEnvironments()).prod;
  const stack = new Stack(new App(), 'Team', { env: { account: '444444444444', region: profile.region } });
  const imported = ObservabilityPlatform.fromEnvironmentName(stack, 'Platform', {
    settings: platformSettings(profile, 'prod'),
  });
  imported.gateway?.clientSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(8000));
  Template.fromStack(stack).resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
});

test('an imported platform has one private subnet per zone of the profile', () => {
  const profile = loadEnvironmentProfiles(exampleEnvironments()).prod;
  const stack = new Stack(new App(), 'Team', { env: { account: '444444444444', region: profile.region } });
  const imported = ObservabilityPlatform.fromEnvironmentName(stack, 'Platform', {
    settings: platformSettings(profile, 'prod'),
  });
  expect(imported.cluster.vpc.privateSubnets.map((subnet) => subnet.availabilityZone)).toEqual(
    profile.availabilityZones,
  );
});

test('a service stack reads only the parameters it uses: no unused template parameter', () => {
  const template = Template.fromStack(services[0]).toJSON();
  const text = JSON.stringify(template.Resources);
  const unused = Object.keys(template.Parameters).filter(
    (name) => name !== 'BootstrapVersion' && !text.includes(`"${name}"`),
  );
  expect(unused).toEqual([]);
});

test("the environment dashboard finds every service writing EMF metrics, the profile's or not", () => {
  const body = JSON.stringify(Template.fromStack(platform).findResources('AWS::CloudWatch::Dashboard'));
  expect(body).toContain('SEARCH(');
  expect(body).toContain('MetricName=\\\\\\"request_count\\\\\\"');
});
