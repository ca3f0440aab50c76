import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ObservabilityPlatform } from '../../lib/constructs/platform';
import { PLATFORM_PARAMETERS, platformParameterName } from '../../lib/constructs/platform-parameters';
import { platformSettingsDigest } from '../../lib/platform-settings/digest';
import { platformSettingsFiles } from '../../lib/platform-settings/files';
import { platformSettings } from '../../lib/platform-settings/from-profile';
import { parsePlatformSettings } from '../../lib/platform-settings/parse';
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
      PLATFORM_PARAMETERS.settingsDigest,
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
  // A rule reads parameters too: the settings check (and the CDK's bootstrap-version check).
  const text = JSON.stringify([template.Resources, template.Rules]);
  const unused = Object.keys(template.Parameters).filter((name) => !text.includes(`"${name}"`));
  expect(unused).toEqual([]);
});

test("the environment dashboard finds every service writing EMF metrics, the profile's or not", () => {
  const body = JSON.stringify(Template.fromStack(platform).findResources('AWS::CloudWatch::Dashboard'));
  expect(body).toContain('SEARCH(');
  expect(body).toContain('MetricName=\\\\\\"request_count\\\\\\"');
});

describe("a stack that imports the platform by name checks, at deploy, that its settings are the platform's", () => {
  const digestName = platformParameterName(project, 'prod', PLATFORM_PARAMETERS.settingsDigest);
  const serviceTemplate = Template.fromStack(services[0]).toJSON() as {
    Parameters: Record<string, { Type: string; Default: string }>;
    Rules: Record<string, { Assertions: { Assert: unknown; AssertDescription: string }[] }>;
  };
  const [digestParameter] = Object.entries(serviceTemplate.Parameters).find(
    ([, parameter]) => parameter.Default === digestName,
  ) ?? [undefined];

  test('the platform publishes the digest of the settings it was built from', () => {
    Template.fromStack(platform).hasResourceProperties('AWS::SSM::Parameter', {
      Name: digestName,
      Value: platformSettingsDigest(platform.settings),
    });
  });

  test("a rule of the service stack fails its deploy unless the published digest is its own copy's", () => {
    expect(digestParameter).toBeDefined();
    const rule = Object.entries(serviceTemplate.Rules).find(([id]) => id.includes('CurrentPlatformSettings'));
    expect(rule?.[1].Assertions).toEqual([
      {
        Assert: { 'Fn::Equals': [{ Ref: digestParameter }, platformSettingsDigest(platform.settings)] },
        AssertDescription: expect.stringMatching(
          /^This stack was built from a copy of platform-settings\/prod\.json that is not/,
        ),
      },
    ]);
  });

  test('the committed file, read back, has the digest the platform publishes; an edited copy has another', () => {
    const [file] = platformSettingsFiles({ prod: platform.profile }).filter((f) => f.path.endsWith('prod.json'));
    const copy = parsePlatformSettings(JSON.parse(file.content), file.path);
    expect(platformSettingsDigest(copy)).toBe(platformSettingsDigest(platform.settings));
    const edited = { ...copy, logRetentionDays: copy.logRetentionDays + 1 };
    expect(platformSettingsDigest(edited)).not.toBe(platformSettingsDigest(platform.settings));
  });
});
