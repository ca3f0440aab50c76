/**
 * The scale guard: estimates, from the profile alone and before any construct is built, how big
 * each stack of an environment will be, and refuses a profile that would pass a CloudFormation or
 * CloudWatch limit, with advice on how to split it. Pure.
 *
 * The estimate counts what the stacks create, term by term. Counts that the code decides (saved
 * queries, alarms per threshold) come from the same functions the constructs use; the remaining
 * constants were measured by synthesizing the default app and generated profiles (aws-cdk-lib
 * 2.276), and `test/scale/estimate.test.ts` synthesizes profiles again and fails when the estimate
 * drifts from the real templates: re-measure and update the constants when it does.
 */
import { resolveThresholds } from '../alerting/thresholds';
import { anomalyBandFor, anomalyBandForm } from '../alerting/traffic-anomaly';
import { savedQueries } from '../logs/queries';
import { stackName } from '../naming';
import type { EnvironmentProfile, Severity } from '../profile/schema';
import { cloudWatchPlacement, SIGNAL_DECLARATIONS, signalById } from '../signals';

/**
 * CloudFormation quotas (docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html),
 * as aws-cdk-lib 2.276 checks them at synth (core/lib/stack.js: MAX_RESOURCES, TEMPLATE_BODY_MAXIMUM_SIZE).
 */
export const CLOUDFORMATION_LIMITS = {
  resources: 500,
  /** Template body uploaded to S3, as the CDK deploys it. */
  bytes: 1_000_000,
  outputs: 200,
  parameters: 200,
} as const;

/** The stack part of the environment's platform stack (`stackName(project, env, 'Platform')`). */
export const PLATFORM_STACK_PART = 'Platform';

/**
 * The most services one environment's views hold: its profile's `services` plus its
 * `externalServices` (observed from other repositories). Each service stack stays the same size and
 * the views split into bounded groups (`viewGroups`), so this is not a CloudFormation limit but the
 * size proven by test/scale and scripts/check-500-services.sh; a bigger profile fails with split advice.
 */
export const MAX_SERVICES_PER_ENVIRONMENT = 500;

/**
 * Services per view group. A saved Logs Insights query runs over the log groups it names, and
 * StartQuery reads at most 50 (logGroupNames); one dashboard page per group then holds 50 paging
 * alarms in its alarm status widget (at most 100) and at most 4 + 4 × 50 = 204 widgets (at most 500).
 */
export const SERVICES_PER_VIEW_GROUP = 50;

/** How many log groups one saved query (StartQuery) may name; a tenant's queries name all its services. */
export const MAX_LOG_GROUPS_PER_SAVED_QUERY = 50;

/**
 * One bounded group of the environment's views: a dashboard page and a set of saved queries over
 * at most `SERVICES_PER_VIEW_GROUP` services. Groups are fixed-size chunks of the declared order
 * (`services`, then `externalServices`): adding a service at the end changes only the last group,
 * and a group's names and construct ids depend on its number alone, so nothing is replaced.
 */
export interface ViewGroup {
  /** 1, 2, …: group n covers the services at positions 50 × (n − 1) + 1 to 50 × n. */
  readonly number: number;
  /** The services of the group, in declared order. */
  readonly services: readonly string[];
  /**
   * What the group's names say it covers, e.g. `services-51-100`; undefined for group 1, which
   * keeps the environment's names from before the split (its dashboard and queries stay in the
   * platform stack, unchanged for environments of up to 50 services).
   */
  readonly label?: string;
  /** The stack that holds the group: the platform stack for group 1, `Views<n>` after it. */
  readonly stackPart: string;
}

/** Every service the environment's views cover, in declared order: its own, then those observed elsewhere. */
export function viewedServices(profile: EnvironmentProfile): string[] {
  return [...Object.keys(profile.services), ...(profile.externalServices ?? [])];
}

/** The stack part of view group `number` (2 or more): `Views<number>`. */
export function viewStackPart(number: number): string {
  return `Views${number}`;
}

/** The environment's view groups (always at least one): the split rule of its dashboards and saved queries. */
export function viewGroups(profile: EnvironmentProfile): ViewGroup[] {
  const services = viewedServices(profile);
  const count = Math.max(1, Math.ceil(services.length / SERVICES_PER_VIEW_GROUP));
  return Array.from({ length: count }, (_, index) => {
    const number = index + 1;
    const first = index * SERVICES_PER_VIEW_GROUP;
    return {
      number,
      services: services.slice(first, first + SERVICES_PER_VIEW_GROUP),
      label: number === 1 ? undefined : `services-${first + 1}-${first + SERVICES_PER_VIEW_GROUP}`,
      stackPart: number === 1 ? PLATFORM_STACK_PART : viewStackPart(number),
    };
  });
}

export interface StackEstimate {
  readonly stackName: string;
  readonly resources: number;
  readonly bytes: number;
  readonly outputs: number;
  readonly parameters: number;
}

export interface EnvironmentEstimate {
  readonly platform: StackEstimate;
  /** One per service, by service name. */
  readonly services: Readonly<Record<string, StackEstimate>>;
  /** One per view group after the first (the first lives in the platform stack), in group order. */
  readonly views: readonly StackEstimate[];
}

/** Measured resource counts of the platform stack's parts (see the module comment). */
const PLATFORM_RESOURCES = {
  /**
   * Key and alias, 2 log groups, VPC, internet gateway and attachment, flow log with role and
   * policy, cluster, config parameter, 4 topics with policies, 2 HTTPS subscriptions (on-call,
   * heartbeat), 2 EventBridge rules, log resource policy, metric filter, dashboard, and 3
   * dead-letter queues (on-call, heartbeat, e-mail) with their policies and delivery alarms; the 13
   * SSM parameters it publishes itself under (lib/constructs/platform-parameters.ts); the audit log
   * group with its saved query; the source-token secret.
   */
  core: 53,
  /** Per zone: a public and a private subnet, each with route table, association and route. */
  perZone: 8,
  /** Per NAT gateway: the gateway and its Elastic IP. */
  perNatGateway: 2,
  /** Per e-mail address: a subscription on each of the critical, warning and info topics. */
  perEmail: 3,
  /** AWS Chatbot channel and its role. */
  slack: 2,
  /**
   * Gateway tier: task definition, service, roles, log group, security groups, Cloud Map, scaling, 3
   * alarms, 2 collector heartbeat alarms, the environment's EMF log group (only the gateway writes it),
   * and 2 published parameters (client group, Cloud Map namespace id).
   */
  gateway: 23,
  /** With tenants and a gateway: the tenants' names and their client groups, published as one list each. */
  tenantLists: 2,
  /** Per tenant, besides its saved queries: the reader role and its managed policy. */
  perTenant: 2,
  /** Per tenant with a gateway: its client security group and the gateway's ingress rule for its port. */
  perTenantWithGateway: 2,
} as const;

/** Measured template bytes of the platform stack's parts. */
const PLATFORM_BYTES = {
  // Each alarm also carries its routing metadata (AlarmFactory, about 150 bytes).
  core: 50_200,
  perZone: 3_600,
  perNatGateway: 1_050,
  perEmail: 650,
  slack: 1_400,
  gateway: 45_800,
  /** Per service of view group 1: its log group in every saved query and its dashboard row. */
  perService: 3_300,
  perTenant: 7_450,
  /** Per tenant with a gateway: its security group and its pipeline in the gateway's collector config. */
  perTenantWithGateway: 3_450,
  /**
   * Per collector-health alarm the thresholds give the environment (with its dashboard annotation);
   * its nine metrics each carry the source token's dynamic reference.
   */
  perAlarm: 5_900,
} as const;

/**
 * A view stack (lib/stacks/view-stack.ts): its dashboard page and its group's saved queries; per
 * service, its log group in every query and its dashboard row.
 */
const VIEW_RESOURCES = { dashboard: 1 } as const;
const VIEW_BYTES = { core: 6_300, perService: 3_250 } as const;

/**
 * The platform stack's outputs: the key ARN kept exported for service stacks deployed before they
 * had keys of their own, and each tenant's reader role. Service stacks import nothing: they read
 * the platform's SSM parameters.
 */
const PLATFORM_OUTPUTS = { core: 1, perTenant: 1 } as const;

/**
 * A service stack: key and alias, 2 log groups, roles, policies, task definition, service, security
 * group, the fast SLO burns' 4 window alarms and the page alarm; instrumented, also its EMF log group and 2 collector heartbeat alarms
 * (its bytes include the sidecar config, with its audit pipeline, and the audit grant).
 */
const SERVICE_RESOURCES = { instrumented: 19, uninstrumented: 14 } as const;
// perAlarm includes the source token's dimension, a Ref of the stack's parameter of its published value.
const SERVICE_BYTES = { instrumented: 47_550, uninstrumented: 18_250, perAlarm: 2_000 } as const;

/** Whether a signal's severity has a per-service CloudWatch alarm (ServiceAlarms), as its declaration places it. */
function hasServiceAlarm(signal: string, severity: Severity): boolean {
  return cloudWatchPlacement(signalById(signal), severity) === 'serviceAlarm';
}

/** A service's anomaly-band alarms (traffic drop and spike where it is on), as ServiceAlarms makes them. */
function anomalyBandAlarms(profile: EnvironmentProfile, service: string): number {
  return SIGNAL_DECLARATIONS.flatMap((signal) => {
    const form = anomalyBandForm(signal);
    if (form === undefined || anomalyBandFor(profile, service, signal) === undefined) return [];
    return (Object.keys(form.sides) as Severity[]).filter(
      (severity) => cloudWatchPlacement(signal, severity) === 'serviceAlarm',
    );
  }).length;
}

/** Every stack CDK synthesizes has one parameter: the bootstrap version check. */
const PARAMETERS_PER_STACK = 1;

/**
 * A service stack's SSM parameter references to its platform (ObservabilityPlatform.fromEnvironmentName):
 * cluster name, VPC id, subnets, 3 alarm topics, the source-token secret's ARN (for the collector) and
 * its published value (for the alarms), the digest of the platform's settings (its rule checks the
 * stack's copy); with a gateway, its client group (for a tenant's service, the list of the tenants'
 * client groups instead).
 */
const SERVICE_PLATFORM_PARAMETERS = { core: 9, gateway: 1 } as const;

/** A view stack reads the source token's published value for its dashboard variable. */
const VIEW_PLATFORM_PARAMETERS = 1;

/** The estimated size of every stack of one environment. */
export function estimateEnvironment(profile: EnvironmentProfile, environmentName: string): EnvironmentEstimate {
  return {
    platform: estimatePlatform(profile, environmentName),
    services: Object.fromEntries(
      Object.keys(profile.services).map((service) => [service, estimateService(profile, environmentName, service)]),
    ),
    views: viewGroups(profile)
      .slice(1)
      .map((group) => estimateView(profile, environmentName, group)),
  };
}

function estimateView(profile: EnvironmentProfile, environmentName: string, group: ViewGroup): StackEstimate {
  return {
    stackName: stackName(profile.project, environmentName, group.stackPart),
    resources: VIEW_RESOURCES.dashboard + savedQueries(profile.project, environmentName).length,
    bytes: VIEW_BYTES.core + VIEW_BYTES.perService * group.services.length,
    outputs: 0,
    parameters: PARAMETERS_PER_STACK + VIEW_PLATFORM_PARAMETERS,
  };
}

function estimatePlatform(profile: EnvironmentProfile, environmentName: string): StackEstimate {
  const zones = profile.availabilityZones.length;
  const natGateways = profile.production ? zones : 1;
  const emails = profile.notifications.emails.length;
  const slack = profile.notifications.slack !== undefined ? 1 : 0;
  const gateway = profile.gateway !== undefined ? 1 : 0;
  const tenants = Object.keys(profile.tenants ?? {}).length;
  // Only view group 1 lives in the platform stack; the others have view stacks of their own.
  const services = viewGroups(profile)[0].services.length;
  const queries = savedQueries(profile.project, environmentName).length;
  // EnvironmentAlarms: one collector-health alarm per severity the thresholds give it.
  const alarms = resolveThresholds(profile).filter((threshold) => threshold.signal === 'collectorHealth').length;
  const r = PLATFORM_RESOURCES;
  const b = PLATFORM_BYTES;
  return {
    stackName: stackName(profile.project, environmentName, PLATFORM_STACK_PART),
    resources:
      r.core +
      queries +
      alarms +
      r.perZone * zones +
      r.perNatGateway * natGateways +
      r.perEmail * emails +
      r.slack * slack +
      r.gateway * gateway +
      (tenants > 0 ? r.tenantLists * gateway : 0) +
      tenants * (queries + r.perTenant + r.perTenantWithGateway * gateway),
    bytes:
      b.core +
      b.perAlarm * alarms +
      b.perZone * zones +
      b.perNatGateway * natGateways +
      b.perEmail * emails +
      b.slack * slack +
      b.gateway * gateway +
      b.perService * services +
      tenants * (b.perTenant + b.perTenantWithGateway * gateway),
    outputs: PLATFORM_OUTPUTS.core + tenants * PLATFORM_OUTPUTS.perTenant,
    parameters: PARAMETERS_PER_STACK,
  };
}

function estimateService(profile: EnvironmentProfile, environmentName: string, service: string): StackEstimate {
  const instrumented = profile.services[service].instrumentation !== false;
  const alarms =
    resolveThresholds(profile, service).filter((threshold) => hasServiceAlarm(threshold.signal, threshold.severity))
      .length + anomalyBandAlarms(profile, service);
  return {
    stackName: stackName(profile.project, environmentName, service),
    resources: (instrumented ? SERVICE_RESOURCES.instrumented : SERVICE_RESOURCES.uninstrumented) + alarms,
    bytes: (instrumented ? SERVICE_BYTES.instrumented : SERVICE_BYTES.uninstrumented) + SERVICE_BYTES.perAlarm * alarms,
    outputs: 0,
    parameters:
      PARAMETERS_PER_STACK +
      SERVICE_PLATFORM_PARAMETERS.core +
      (profile.gateway !== undefined && instrumented ? SERVICE_PLATFORM_PARAMETERS.gateway : 0),
  };
}

const LIMIT_NAMES: Record<keyof typeof CLOUDFORMATION_LIMITS, string> = {
  resources: 'resources',
  bytes: 'bytes of template',
  outputs: 'outputs',
  parameters: 'parameters',
};

/**
 * The scale guard's problems for one environment: too many services for the CloudWatch limits, or
 * a stack that would pass a CloudFormation limit, each with how to split the profile.
 */
export function scaleProblems(profile: EnvironmentProfile, environmentName: string, path: string): string[] {
  const problems: string[] = [];
  const ownCount = Object.keys(profile.services).length;
  const serviceCount = viewedServices(profile).length;
  if (serviceCount > MAX_SERVICES_PER_ENVIRONMENT) {
    const external = serviceCount - ownCount;
    problems.push(
      `${path}.services: ${serviceCount} services${external > 0 ? ` (${ownCount} here and ${external} in externalServices)` : ''}; ` +
        `one environment holds at most ${MAX_SERVICES_PER_ENVIRONMENT} (the size its split into view stacks of ` +
        `${SERVICES_PER_VIEW_GROUP} services is proven for). Split the services into ` +
        `${Math.ceil(serviceCount / MAX_SERVICES_PER_ENVIRONMENT)} environment profiles of at most ${MAX_SERVICES_PER_ENVIRONMENT} ` +
        'services each: each profile gets its own platform stack, dashboards and saved queries; give each its own ' +
        'grafanaCloud.configParameterName',
    );
  }
  for (const tenant of Object.keys(profile.tenants ?? {})) {
    const own = Object.values(profile.services).filter((service) => service.tenant === tenant).length;
    if (own <= MAX_LOG_GROUPS_PER_SAVED_QUERY) continue;
    problems.push(
      `${path}.tenants.${tenant}: ${own} services have this tenant; its saved Logs Insights queries name every one ` +
        `of their log groups, and a query reads at most ${MAX_LOG_GROUPS_PER_SAVED_QUERY} (StartQuery logGroupNames). ` +
        `Split the tenant into ${Math.ceil(own / MAX_LOG_GROUPS_PER_SAVED_QUERY)} tenants of at most ` +
        `${MAX_LOG_GROUPS_PER_SAVED_QUERY} services each`,
    );
  }
  const estimate = estimateEnvironment(profile, environmentName);
  const limits = Object.keys(CLOUDFORMATION_LIMITS) as (keyof typeof CLOUDFORMATION_LIMITS)[];
  for (const limit of limits) {
    const max = CLOUDFORMATION_LIMITS[limit];
    const platform = estimate.platform[limit];
    if (platform > max) problems.push(platformAdvice(profile, environmentName, path, limit, platform));
    for (const view of estimate.views) {
      if (view[limit] <= max) continue;
      problems.push(
        `${path}.services: the view stack ${view.stackName} would have about ${view[limit]} ${LIMIT_NAMES[limit]}; ` +
          `CloudFormation allows ${max}. Split the services into environment profiles of fewer services`,
      );
    }
    for (const [service, stack] of Object.entries(estimate.services)) {
      if (stack[limit] <= max) continue;
      problems.push(
        `${path}.services.${service}: its stack ${stack.stackName} would have about ${stack[limit]} ` +
          `${LIMIT_NAMES[limit]}; CloudFormation allows ${max}. Remove alert threshold overrides of the service`,
      );
    }
  }
  return problems;
}

/** Advice for a platform stack over a limit: how many tenants (or services) one profile can hold. */
function platformAdvice(
  profile: EnvironmentProfile,
  environmentName: string,
  path: string,
  limit: keyof typeof CLOUDFORMATION_LIMITS,
  estimated: number,
): string {
  const max = CLOUDFORMATION_LIMITS[limit];
  const tenants = Object.keys(profile.tenants ?? {});
  const stack = estimatePlatform(profile, environmentName).stackName;
  const over = `the platform stack ${stack} would have about ${estimated} ${LIMIT_NAMES[limit]}; CloudFormation allows ${max}`;
  if (tenants.length > 0) {
    const withoutTenants = estimatePlatform({ ...profile, tenants: undefined }, environmentName)[limit];
    const perTenant = (estimated - withoutTenants) / tenants.length;
    const fit = Math.floor((max - withoutTenants) / perTenant);
    if (fit >= 1) {
      return (
        `${path}.tenants: ${tenants.length} tenants; ${over} (about ${Math.ceil(perTenant)} per tenant). Split the ` +
        `tenants into ${Math.ceil(tenants.length / fit)} environment profiles of at most ${fit} tenants each, with ` +
        "each tenant's services: each profile gets its own platform stack; give each its own SSM parameter names"
      );
    }
  }
  const services = Object.keys(profile.services).length;
  const parts = Math.ceil(estimated / (max * 0.9));
  return (
    `${path}.services: ${services} services; ${over}. Split the services (and tenants) into ${parts} environment ` +
    'profiles: each gets its own platform stack; give each its own SSM parameter names'
  );
}
