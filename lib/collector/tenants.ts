/**
 * Tenant isolation, as names: the resource attribute that carries a tenant, and the component
 * and variable names of a tenant's destination. One place, so the generator, the constructs and the
 * isolation tests agree on what belongs to which tenant.
 */

/** The resource attribute that names the tenant a piece of telemetry belongs to. */
export const TENANT_ATTRIBUTE = 'tenant.id';

/** `acme-corp` -> `tenant-acme-corp`: the name part of a tenant's components and pipelines. */
export function tenantComponentName(tenant: string): string {
  return `tenant-${tenant}`;
}

/**
 * `acme-corp` -> `TENANT_ACME_CORP_`: the prefix of a tenant's credential variables. Tenant ids
 * hold no "_", so two tenants never share a prefix.
 */
export function tenantVariablePrefix(tenant: string): string {
  return `TENANT_${tenant.toUpperCase().replace(/-/g, '_')}_`;
}
