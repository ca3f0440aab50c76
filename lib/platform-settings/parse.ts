/**
 * Reads a platform settings document (`platform-settings/<env>.json`) and validates it with ajv
 * against its JSON Schema, as the profile loader does a profile: every problem is one line naming
 * the file, the field and the fix. Pure: `readPlatformSettings` (./read.ts) reads the file.
 */
import { type Static, Type } from '@sinclair/typebox';
import Ajv, { type ErrorObject } from 'ajv';
import type { CollectorConfig } from '../collector/model';
import { SEVERITIES } from '../profile/schema';
import {
  generatedSidecarConfig,
  PLATFORM_SETTINGS_VERSION,
  type PlatformSettings,
  platformSettingsPath,
  type SidecarCollectorConfig,
} from './settings';

const strict = { additionalProperties: false } as const;
/** An enum: ajv then reports one error with the allowed values, not one per literal. */
const oneOf = (values: readonly string[]) => Type.Unsafe<string>({ type: 'string', enum: [...values] });
const Strings = Type.Array(Type.String({ minLength: 1 }));
const Name = Type.String({ minLength: 1 });

const TrafficBandSetting = Type.Object(
  { bandWidth: Type.Optional(Type.Number({ exclusiveMinimum: 0 })), windowMinutes: Type.Optional(Type.Integer()) },
  strict,
);

const CollectorEnvironmentVariable = Type.Object(
  {
    name: Name,
    secret: Type.Boolean(),
    value: Type.Optional(Type.String()),
    perTask: Type.Optional(Type.Literal('serviceName')),
    platformSecret: Type.Optional(Type.Literal('sourceToken')),
    ssmParameterName: Type.Optional(Type.String()),
    ssmParameterKeyArn: Type.Optional(Type.String()),
    readBy: Type.Unsafe<'config' | 'runtime'>({ type: 'string', enum: ['config', 'runtime'] }),
    description: Type.String(),
  },
  strict,
);

const Components = Type.Record(Type.String(), Type.Unknown());

const SidecarCollectorConfigSchema = Type.Object(
  {
    environmentName: Name,
    // A string in the interface (jsii has no literal types); the schema holds it to `sidecar`.
    role: Type.Unsafe<string>(Type.Literal('sidecar')),
    tenant: Type.Optional(Name),
    distribution: Type.Object({ name: Name, version: Name }, strict),
    image: Name,
    // The config's shape is the generator's (lib/collector/model.ts): the parts every config has.
    config: Type.Unsafe<CollectorConfig>(
      Type.Object(
        {
          receivers: Components,
          exporters: Components,
          service: Type.Object({ pipelines: Components }, { additionalProperties: true }),
        },
        { additionalProperties: true },
      ),
    ),
    environment: Type.Array(CollectorEnvironmentVariable),
  },
  strict,
);

const PlatformSettingsSchema = Type.Object(
  {
    settingsVersion: Type.Integer(),
    project: Name,
    environmentName: Name,
    account: Type.String({ pattern: '^[0-9]{12}$' }),
    region: Name,
    availabilityZones: Type.Array(Name, { minItems: 1 }),
    production: Type.Boolean(),
    logRetentionDays: Type.Integer({ minimum: 1 }),
    collectorSidecar: Type.Object(
      {
        cpu: Type.Integer({ minimum: 1 }),
        memoryMiB: Type.Integer({ minimum: 1 }),
        platformConfig: SidecarCollectorConfigSchema,
        tenantConfigs: Type.Record(Type.String(), SidecarCollectorConfigSchema),
      },
      strict,
    ),
    sdk: Type.Object({ headSamplingVariables: Type.Record(Type.String(), Type.String()) }, strict),
    alarms: Type.Object(
      {
        thresholds: Type.Array(
          Type.Object(
            {
              signal: Name,
              severity: oneOf(SEVERITIES),
              threshold: Type.Number(),
              windowMinutes: Type.Integer({ minimum: 1 }),
            },
            strict,
          ),
        ),
        trafficAnomaly: Type.Object(
          {
            enabled: Type.Optional(Type.Boolean()),
            drop: Type.Optional(TrafficBandSetting),
            spike: Type.Optional(TrafficBandSetting),
          },
          strict,
        ),
      },
      strict,
    ),
    gateway: Type.Optional(Type.Object({ cloudMapNamespaceName: Name, tenants: Strings }, strict)),
    knownServices: Type.Object(
      {
        deployed: Type.Record(Type.String(), Type.Object({ tenant: Type.Optional(Name) }, strict)),
        external: Strings,
      },
      strict,
    ),
  },
  strict,
);

// The schema and the interface describe one document: a field in one and not the other, or of
// another type, fails to compile here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _schemaMatchesInterface: Same<Static<typeof PlatformSettingsSchema>, PlatformSettings> = true;
void _schemaMatchesInterface;

const validate = new Ajv({ allErrors: true, strict: true }).compile(PlatformSettingsSchema);

/** Thrown for a settings document that cannot be read or is not valid; `message` is one line. */
export class PlatformSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlatformSettingsError';
  }
}

/**
 * Validates a parsed settings document and returns it typed.
 * @param source where it came from (a file path), quoted at the start of the message
 * @throws PlatformSettingsError naming the source, the field and the fix
 */
export function parsePlatformSettings(value: unknown, source: string): PlatformSettings {
  const fix = `regenerate it in the platform repository: npm run generate writes ${platformSettingsPath(environmentOf(value))}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PlatformSettingsError(`${source}: not a platform settings document (a JSON object); ${fix}`);
  }
  const version = (value as { settingsVersion?: unknown }).settingsVersion;
  if (version !== PLATFORM_SETTINGS_VERSION) {
    throw new PlatformSettingsError(
      `${source}: settingsVersion is ${JSON.stringify(version)}, but this version of the package reads version ` +
        `${PLATFORM_SETTINGS_VERSION}: ${fix} with the same package version, or upgrade the package to the platform's`,
    );
  }
  if (!validate(value)) {
    const problems = (validate.errors ?? []).map(describe);
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new PlatformSettingsError(`${source}: ${problems[0]}${more}; ${fix}`);
  }
  const settings = value as unknown as PlatformSettings;
  const { platformConfig, tenantConfigs } = settings.collectorSidecar;
  for (const [field, config] of [
    ['collectorSidecar.platformConfig', platformConfig],
    ...Object.entries(tenantConfigs).map(([tenant, config]) => [`collectorSidecar.tenantConfigs.${tenant}`, config]),
  ] as [string, SidecarCollectorConfig][]) {
    try {
      generatedSidecarConfig(config);
    } catch (error) {
      throw new PlatformSettingsError(`${source}: ${field}.distribution: ${(error as Error).message}`);
    }
  }
  return settings;
}

function environmentOf(value: unknown): string {
  const name = (value as { environmentName?: unknown } | null)?.environmentName;
  return typeof name === 'string' && /^[a-z0-9-]+$/.test(name) ? name : '<env>';
}

/** One ajv error as `field: problem`, the field as a dotted path. */
function describe(error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
  const field = (name: string) => (path === '' ? name : `${path}.${name}`);
  switch (error.keyword) {
    case 'required':
      return `${field(String(error.params.missingProperty))}: missing`;
    case 'additionalProperties':
      return `${field(String(error.params.additionalProperty))}: not a field of version ${PLATFORM_SETTINGS_VERSION}`;
    case 'const':
      return `${path}: must be ${JSON.stringify(error.params.allowedValue)}`;
    case 'enum':
      return `${path}: must be one of ${(error.params.allowedValues as string[]).join(', ')}`;
    default:
      return `${path === '' ? '(document)' : path}: ${error.message ?? error.keyword}`;
  }
}
