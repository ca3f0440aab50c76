/**
 * Collector distributions as data: which image, which version, and which component types each
 * contains. A config may use only the component types of the distribution it is pinned to.
 *
 * The lists in `distributions/*.json` are copies of upstream facts (contrib from its release
 * manifest, ADOT from `pkg/defaultcomponents/defaults.go`); each file names its source.
 */
import adotManifest from './distributions/adot-v0.49.0.json';
import contribManifest from './distributions/otelcol-contrib-v0.159.0.json';
import type { ComponentKind } from './model';

export interface ComponentTypeInfo {
  /** Today's type name, the YAML key (optionally suffixed `/name`). */
  readonly type: string;
  /** Older names that still load with a deprecation warning. */
  readonly deprecatedAliases: readonly string[];
}

export interface CollectorDistribution {
  readonly name: string;
  /** Without a leading `v`. */
  readonly version: string;
  /** The exact image reference containers run: an exact tag, never `latest`. */
  readonly image: string;
  /** The same build from another registry, if one is published. */
  readonly mirrorImage?: string;
  readonly components: Readonly<Record<ComponentKind, readonly ComponentTypeInfo[]>>;
}

interface ManifestComponent {
  readonly type: string;
  readonly deprecated_aliases: readonly string[];
}

type Manifest = { readonly components: Readonly<Partial<Record<ComponentKind, readonly ManifestComponent[]>>> };

function componentsOf(manifest: Manifest): Readonly<Record<ComponentKind, readonly ComponentTypeInfo[]>> {
  const listOf = (kind: ComponentKind): readonly ComponentTypeInfo[] =>
    (manifest.components[kind] ?? []).map((component) => ({
      type: component.type,
      deprecatedAliases: component.deprecated_aliases,
    }));
  return {
    receivers: listOf('receivers'),
    processors: listOf('processors'),
    exporters: listOf('exporters'),
    extensions: listOf('extensions'),
    connectors: listOf('connectors'),
  };
}

/** The upstream contrib distribution: the one the generated configs are pinned to. */
export const OTELCOL_CONTRIB: CollectorDistribution = {
  name: 'otelcol-contrib',
  version: '0.159.0',
  // GitHub's registry, not Docker Hub: Docker Hub limits anonymous pulls per IP, and every task of an
  // environment pulls through the same NAT address, so a mass restart would fail to start tasks.
  image: 'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.159.0',
  mirrorImage: 'otel/opentelemetry-collector-contrib:0.159.0',
  components: componentsOf(contribManifest),
};

/** AWS Distro for OpenTelemetry: no basicauth, transform, redaction or connectors, so it cannot run our configs. */
export const AWS_OTEL_COLLECTOR: CollectorDistribution = {
  name: 'aws-otel-collector',
  version: '0.49.0',
  image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0',
  components: componentsOf(adotManifest),
};

/** Every distribution the checks know, to say which one has a component the pinned one lacks. */
export const KNOWN_DISTRIBUTIONS: readonly CollectorDistribution[] = [OTELCOL_CONTRIB, AWS_OTEL_COLLECTOR];

/** The distribution every generated config is pinned to. */
export const PINNED_DISTRIBUTION: CollectorDistribution = OTELCOL_CONTRIB;

/** `otelcol-contrib v0.159.0`. */
export function distributionLabel(distribution: CollectorDistribution): string {
  return `${distribution.name} v${distribution.version}`;
}

export type ComponentTypeLookup =
  | { readonly status: 'current' }
  | { readonly status: 'deprecated'; readonly currentName: string }
  | { readonly status: 'missing' };

/** Whether `type` is today's name, a deprecated alias, or absent among the distribution's components of `kind`. */
export function lookUpComponentType(
  distribution: CollectorDistribution,
  kind: ComponentKind,
  type: string,
): ComponentTypeLookup {
  for (const component of distribution.components[kind]) {
    if (component.type === type) return { status: 'current' };
    if (component.deprecatedAliases.includes(type)) return { status: 'deprecated', currentName: component.type };
  }
  return { status: 'missing' };
}
