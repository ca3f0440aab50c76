/**
 * Tenant isolation, proved from the synthesized templates of an app whose prod profile declares
 * two tenants (test/support/tenant-profiles.ts): who may read which token, which log groups each
 * tenant's role reaches, and where each task's telemetry goes.
 */
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { pascalCase } from '../../lib/naming';
import { buildTestApp } from '../support/default-app';
import { ingressRules } from '../support/security-groups';
import { environmentsWithTenants, TENANT_SERVICES, TENANTS, type TenantId } from '../support/tenant-profiles';

const { app, platforms, services } = buildTestApp({ environments: environmentsWithTenants(), selection: 'prod' });
const platform = platforms[0];
const platformTemplate = Template.fromStack(platform);
const serviceTemplates = Object.fromEntries(
  services.map((stack) => [stack.observed.appContainer.containerName, Template.fromStack(stack as Stack)]),
);
const tenantOfService = Object.fromEntries(TENANTS.map((tenant) => [TENANT_SERVICES[tenant], tenant])) as Record<
  string,
  TenantId
>;
const PLATFORM_TOKEN = 'parameter/starmates-ai-team/prod/monitoring/grafana-cloud-api-key';
const tokenOf = (tenant: TenantId) => `parameter/starmates-ai-team/prod/tenants/${tenant}/grafana-cloud-api-key`;
const logGroupOf = (service: string) => `/ecs/starmates-ai-team-prod/${service}`;

// biome-ignore lint/suspicious/noExplicitAny: synthesized templates and parsed configs are read at any depth.
type Json = any;
type Resource = { Type: string; Properties: Record<string, Json> };

function resourcesOf(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

/** Every SSM parameter ARN any IAM policy of the template grants, as text. */
function grantedParameters(template: Template): string[] {
  const text = JSON.stringify([
    resourcesOf(template, 'AWS::IAM::Policy'),
    resourcesOf(template, 'AWS::IAM::ManagedPolicy'),
  ]);
  return [...new Set([...text.matchAll(/parameter\/[A-Za-z0-9/_.-]+/g)].map((match) => match[0]))].sort();
}

function collectorConfigOf(template: Template): Record<string, Json> {
  const [definition] = Object.values(resourcesOf(template, 'AWS::ECS::TaskDefinition'));
  const collector = definition.Properties.ContainerDefinitions.find(
    (container: { Name: string }) => container.Name === 'otel-collector',
  );
  const yaml = collector.Environment.find((entry: { Name: string }) => entry.Name === 'OTELCOL_CONFIG_YAML').Value;
  return parse(yaml);
}

function appEnvironmentOf(template: Template, service: string): Record<string, string> {
  const [definition] = Object.values(resourcesOf(template, 'AWS::ECS::TaskDefinition'));
  const app = definition.Properties.ContainerDefinitions.find(
    (container: { Name: string }) => container.Name === service,
  );
  return Object.fromEntries(app.Environment.map((entry: { Name: string; Value: string }) => [entry.Name, entry.Value]));
}

function readerPolicyOf(tenant: TenantId): Resource {
  const policies = Object.entries(resourcesOf(platformTemplate, 'AWS::IAM::ManagedPolicy')).filter(([id]) =>
    id.startsWith(`Tenant${pascalCase(tenant)}ReadPolicy`),
  );
  expect(policies).toHaveLength(1);
  return policies[0][1];
}

describe('tenant isolation in the synthesized templates', () => {
  test('the app with tenants is cdk-nag clean', () => {
    expect(() => app.synth()).not.toThrow();
  });

  test.each(Object.keys(serviceTemplates))("the task of %s may read only its own destination's token", (service) => {
    const tenant = tenantOfService[service];
    expect(grantedParameters(serviceTemplates[service])).toEqual([
      tenant === undefined ? PLATFORM_TOKEN : tokenOf(tenant),
    ]);
  });

  test('only the gateway, which routes every tenant, may read every token', () => {
    expect(grantedParameters(platformTemplate)).toEqual([PLATFORM_TOKEN, ...TENANTS.map(tokenOf)].sort());
  });

  test.each(TENANTS)(
    "the sidecar of %s's service exports only to that tenant's stack and stamps its tenant.id",
    (tenant) => {
      const service = TENANT_SERVICES[tenant];
      const config = collectorConfigOf(serviceTemplates[service]);
      const exporters = Object.keys(config.exporters);
      expect(exporters.filter((id) => id.startsWith('otlp_http/'))).toEqual([`otlp_http/tenant-${tenant}`]);
      expect(config.exporters[`otlp_http/tenant-${tenant}`].auth.authenticator).toBe(`basicauth/tenant-${tenant}`);
      expect(config.processors.resource.attributes).toContainEqual({
        key: 'tenant.id',
        value: tenant,
        action: 'upsert',
      });
      const others = TENANTS.filter((other) => other !== tenant);
      const text = JSON.stringify(config);
      for (const other of others) expect(text).not.toContain(other);
      expect(text).not.toContain('grafana_cloud');
    },
  );

  test("a platform service's sidecar exports to no tenant and removes any tenant.id its application sets", () => {
    const config = collectorConfigOf(serviceTemplates['api-gateway']);
    expect(JSON.stringify(config)).not.toMatch(/tenant-/);
    expect(config.processors.resource.attributes).toContainEqual({ key: 'tenant.id', action: 'delete' });
  });

  test.each(TENANTS)("the application of %s's service carries its tenant.id", (tenant) => {
    const service = TENANT_SERVICES[tenant];
    expect(appEnvironmentOf(serviceTemplates[service], service).OTEL_RESOURCE_ATTRIBUTES).toContain(
      `tenant.id=${tenant}`,
    );
  });

  test.each(TENANTS)("%s's reader role may read only that tenant's own log groups", (tenant) => {
    const statements = readerPolicyOf(tenant).Properties.PolicyDocument.Statement as {
      Action: string[];
      Resource: string | string[];
    }[];
    const logGroupResources = statements
      .flatMap((statement) => [statement.Resource].flat())
      .filter((resource) => resource !== '*');
    expect(logGroupResources.length).toBeGreaterThan(0);
    for (const resource of logGroupResources) {
      expect(resource).toMatch(new RegExp(`:log-group:${logGroupOf(TENANT_SERVICES[tenant])}(:\\*)?$`));
    }
  });

  test.each(TENANTS)(
    "%s's reader role can read nothing account-wide but its own query results and the saved query list",
    (tenant) => {
      const statements = readerPolicyOf(tenant).Properties.PolicyDocument.Statement as {
        Action: string[];
        Resource: string | string[];
      }[];
      const accountWide = statements
        .filter((statement) => statement.Resource === '*')
        .flatMap((statement) => statement.Action);
      expect(accountWide.sort()).toEqual(['logs:DescribeQueryDefinitions', 'logs:GetQueryResults', 'logs:StopQuery']);
      const actions = statements.flatMap((statement) => statement.Action);
      for (const action of actions) expect(action).toMatch(/^logs:(Describe|Get|Filter|Start|Stop)/);
      expect(actions).not.toContain('logs:DescribeQueries');
    },
  );

  test.each(TENANTS)("%s's reader role trusts only that tenant's readers", (tenant) => {
    const roles = Object.entries(resourcesOf(platformTemplate, 'AWS::IAM::Role')).filter(([id]) =>
      id.startsWith(`Tenant${pascalCase(tenant)}ReaderRole`),
    );
    expect(roles).toHaveLength(1);
    const index = TENANTS.indexOf(tenant);
    expect(JSON.stringify(roles[0][1].Properties.AssumeRolePolicyDocument)).toContain(
      `arn:aws:iam::44444444444${index}:role/${tenant}-sre`,
    );
    expect(JSON.stringify(roles[0][1].Properties.AssumeRolePolicyDocument)).not.toContain(TENANTS[1 - index]);
  });

  test.each(TENANTS)("%s's saved queries open only its own log groups, in its own folder", (tenant) => {
    const definitions = Object.values(resourcesOf(platformTemplate, 'AWS::Logs::QueryDefinition')).filter(
      (definition) => String(definition.Properties.Name).startsWith(`starmates-ai-team/prod/tenants/${tenant}/`),
    );
    expect(definitions.length).toBeGreaterThan(0);
    for (const definition of definitions) {
      expect(definition.Properties.LogGroupNames).toEqual([logGroupOf(TENANT_SERVICES[tenant])]);
    }
  });

  test('each tenant reader role ARN is a stack output', () => {
    const outputs = Object.keys(platformTemplate.findOutputs('*'));
    expect(outputs).toEqual(expect.arrayContaining(['TenantAcmeCorpReaderRoleArn', 'TenantGlobexReaderRoleArn']));
  });
});

describe('who can reach which port of the gateway', () => {
  const gatewayIngress = ingressRules(platformTemplate);
  const clientGroupOf = (tenant: TenantId | undefined) =>
    tenant === undefined
      ? 'CollectorGatewayClientSecurityGroup'
      : `CollectorGatewayTenant${pascalCase(tenant)}ClientSecurityGroup`;

  test('the gateway admits the platform port and each tenant port from one client group each, and nothing else', () => {
    const rules = gatewayIngress.map((rule) => ({
      port: rule.FromPort,
      toPort: rule.ToPort,
      source: JSON.stringify(rule.SourceSecurityGroupId).match(
        /"(CollectorGateway\w*ClientSecurityGroup)[0-9A-F]{8}"/,
      )?.[1],
      cidr: rule.CidrIp,
    }));
    expect(rules.sort((a, b) => a.port - b.port)).toEqual([
      { port: 4317, toPort: 4317, source: clientGroupOf(undefined), cidr: undefined },
      { port: 4320, toPort: 4320, source: clientGroupOf('acme-corp'), cidr: undefined },
      { port: 4321, toPort: 4321, source: clientGroupOf('globex'), cidr: undefined },
    ]);
  });

  test.each(Object.keys(serviceTemplates))(
    "the tasks of %s join only their own tenant's (or the platform's) client group",
    (service) => {
      const [ecsService] = Object.values(resourcesOf(serviceTemplates[service], 'AWS::ECS::Service'));
      // The service reads each group id from the SSM parameter the platform publishes it under.
      const parameters = serviceTemplates[service].toJSON().Parameters as Record<string, { Default: string }>;
      // A tenant's group is one entry of a StringList parameter (Fn::Select of the list).
      const published = (reference: { Ref: string }, index?: number) => {
        const resource = Object.values(resourcesOf(platformTemplate, 'AWS::SSM::Parameter')).find(
          (parameter) => parameter.Properties.Name === parameters[reference.Ref].Default,
        );
        const value =
          index === undefined ? resource?.Properties.Value : resource?.Properties.Value['Fn::Join'][1][index];
        return JSON.stringify(value).match(/CollectorGateway\w*?ClientSecurityGroup/)?.[0];
      };
      const clientGroups = ecsService.Properties.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups.flatMap(
        (group: { Ref?: string; 'Fn::Select'?: [number, { Ref: string }] }) => {
          if (group.Ref !== undefined) return [published({ Ref: group.Ref })];
          if (group['Fn::Select'] !== undefined) return [published(group['Fn::Select'][1], group['Fn::Select'][0])];
          return [];
        },
      );
      expect(clientGroups).toEqual([clientGroupOf(tenantOfService[service])]);
    },
  );

  test('the gateway task listens on each tenant port', () => {
    const [definition] = Object.values(resourcesOf(platformTemplate, 'AWS::ECS::TaskDefinition'));
    const ports = definition.Properties.ContainerDefinitions[0].PortMappings.map(
      (mapping: { ContainerPort: number }) => mapping.ContainerPort,
    );
    expect(ports).toEqual([4317, 4320, 4321]);
  });
});
