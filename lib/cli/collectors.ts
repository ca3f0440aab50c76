/**
 * The collectors an environment runs and the secrets they read, derived from the generator's
 * environment contracts (`generateCollectorConfig(...).environment`), so obsctl checks and
 * restarts exactly what the synthesized task definitions read: the platform services' sidecars,
 * each tenant's services' sidecars, and the gateway.
 */
import { generateCollectorConfig } from '../collector/generate';
import { GATEWAY_SERVICE_NAME } from '../naming';
import type { EnvironmentProfile } from '../profile/schema';

/** One collector configuration of an environment and the ECS services that run it. */
export interface EnvironmentCollector {
  readonly role: 'sidecar' | 'gateway';
  /** The tenant a sidecar serves; undefined for platform sidecars and the gateway. */
  readonly tenant?: string;
  /** The ECS services whose tasks run this collector: the instrumented services, or `otel-gateway`. */
  readonly ecsServices: readonly string[];
  /** For messages: `the platform's sidecars`, `tenant acme-corp's sidecars`, `the gateway`. */
  readonly label: string;
}

/** A SecureString parameter some collector of the environment reads at task start (an ECS secret). */
export interface SecretParameter {
  readonly name: string;
  /** The customer-managed KMS key the contract names for it; undefined for the default aws/ssm key. */
  readonly keyArn?: string;
  /** The collectors that read it, in the order of `environmentCollectors`. */
  readonly readers: readonly EnvironmentCollector[];
  /**
   * Whose Grafana Cloud token it is, by the profile's parameter names: `{}` for the platform's,
   * `{ tenant }` for a tenant's (both written with `obsctl credentials put`); undefined for a
   * secret that is no Grafana Cloud token.
   */
  readonly token?: TokenOwner;
}

/** The Grafana Cloud stack a token belongs to: the platform's (no tenant) or a tenant's. */
export interface TokenOwner {
  readonly tenant?: string;
}

/**
 * The collectors of an environment: the platform's sidecars (instrumented services without a
 * tenant), each tenant's sidecars (its instrumented services), then the gateway when the profile
 * has one. A service with `instrumentation: false` runs no collector.
 */
export function environmentCollectors(profile: EnvironmentProfile): readonly EnvironmentCollector[] {
  const instrumented = Object.entries(profile.services).filter(([, service]) => service.instrumentation !== false);
  const servicesOf = (tenant: string | undefined) =>
    instrumented.filter(([, service]) => service.tenant === tenant).map(([name]) => name);
  const collectors: EnvironmentCollector[] = [];
  const platform = servicesOf(undefined);
  if (platform.length > 0) {
    collectors.push({ role: 'sidecar', ecsServices: platform, label: "the platform's sidecars" });
  }
  for (const tenant of Object.keys(profile.tenants ?? {})) {
    const services = servicesOf(tenant);
    if (services.length > 0) {
      collectors.push({ role: 'sidecar', tenant, ecsServices: services, label: `tenant ${tenant}'s sidecars` });
    }
  }
  if (profile.gateway !== undefined) {
    collectors.push({ role: 'gateway', ecsServices: [GATEWAY_SERVICE_NAME], label: 'the gateway' });
  }
  return collectors;
}

/**
 * Every secret parameter a collector of the environment reads, each once, in the order the
 * collectors first name it (the platform's token first).
 */
export function secretParameters(environmentName: string, profile: EnvironmentProfile): readonly SecretParameter[] {
  const found = new Map<string, { keyArn?: string; readers: EnvironmentCollector[] }>();
  for (const collector of environmentCollectors(profile)) {
    const { environment } = generateCollectorConfig(environmentName, profile, collector.role, {
      tenant: collector.tenant,
    });
    for (const variable of environment) {
      if (!variable.secret || variable.ssmParameterName === undefined) continue;
      const entry = found.get(variable.ssmParameterName) ?? { keyArn: variable.ssmParameterKeyArn, readers: [] };
      if (!entry.readers.includes(collector)) entry.readers.push(collector);
      found.set(variable.ssmParameterName, entry);
    }
  }
  return [...found].map(([name, { keyArn, readers }]) => {
    const token = tokenOwner(profile, name);
    return { name, ...(keyArn === undefined ? {} : { keyArn }), readers, ...(token === undefined ? {} : { token }) };
  });
}

/** Whose token parameter `name` is (the profile forbids two owners of one parameter). */
function tokenOwner(profile: EnvironmentProfile, name: string): TokenOwner | undefined {
  if (profile.grafanaCloud.apiKeyParameterName === name) return {};
  const tenant = Object.entries(profile.tenants ?? {}).find(
    ([, settings]) => settings.grafanaCloud.apiKeyParameterName === name,
  )?.[0];
  return tenant === undefined ? undefined : { tenant };
}

/** The ECS services to restart so every task that reads `parameter` picks up a new value. */
export function readingEcsServices(parameter: SecretParameter): readonly string[] {
  return [...new Set(parameter.readers.flatMap((reader) => reader.ecsServices))];
}

/** `the platform's sidecars and the gateway`: who reads a parameter, for messages. */
export function readersPhrase(parameter: SecretParameter): string {
  const labels = parameter.readers.map((reader) => reader.label);
  return labels.length <= 1 ? (labels[0] ?? 'no collector') : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`;
}
