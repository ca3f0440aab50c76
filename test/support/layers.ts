/**
 * The layers of the package, lowest first: the one map that test/architecture/layers.test.ts
 * checks every import against and that docs/design.md draws ("Layers"). A file may import its own
 * layer and the layers below it, never one above. A path names a folder (every file under it) or a
 * file; the longest matching path wins. A new folder under lib/ must be added here: the test fails
 * on any file of lib/ or bin/ that no entry covers.
 */
export interface Layer {
  /** Short name, drawn in the diagram and quoted in failures. */
  readonly name: string;
  /** What lives there, one line for the diagram. */
  readonly holds: string;
  /** Repository-relative folders (ending in `/`) or files. */
  readonly paths: readonly string[];
  /** Pure: no aws-cdk-lib, constructs or cdk-nag, not even through a relative import. */
  readonly pure: boolean;
}

export const LAYERS: readonly Layer[] = [
  {
    name: 'profile',
    holds: 'environment profile types and JSON Schema, AWS values, names',
    paths: ['lib/profile/', 'lib/naming.ts', 'lib/generated-file.ts'],
    pure: true,
  },
  {
    name: 'model',
    holds: 'metric catalogue and series names, log schema and saved queries',
    paths: ['lib/metrics/', 'lib/logs/'],
    pure: true,
  },
  {
    name: 'signals',
    holds: 'one declaration per signal: thresholds, CloudWatch and PromQL forms, panel, runbook, placement',
    paths: ['lib/signals/'],
    pure: true,
  },
  {
    name: 'generators',
    holds: 'collector configs, alert rules, dashboards, local stack: profile in, data out',
    paths: ['lib/collector/', 'lib/alerting/', 'lib/dashboards/', 'lib/local-stack/'],
    pure: true,
  },
  {
    name: 'profile loader',
    // Above the generators because it checks a profile against what they build from it (every
    // threshold override must yield a Prometheus rule, the gateway bounds must carry the sized load).
    holds: 'loads profiles: schema errors, cross-field rules, scale guard; the platform settings services read',
    paths: ['lib/profile-loader/', 'lib/platform-settings/'],
    pure: true,
  },
  {
    name: 'constructs',
    holds: 'CDK constructs: sidecar, gateway, alarms, log groups',
    paths: ['lib/constructs/'],
    pure: false,
  },
  {
    name: 'stacks',
    holds: "the default app's platform and service stacks",
    paths: ['lib/stacks/'],
    pure: false,
  },
  {
    name: 'app and CLI',
    holds: 'the CDK app, obsctl, compliance checks, generated files and reference docs, the public API',
    paths: [
      'bin/',
      'lib/cli/',
      'lib/docs/',
      // obsctl grafana publish: the Grafana and Mimir HTTP APIs and the publish plan.
      'lib/grafana/',
      // obsctl review reads cloud assemblies and generated files from disk, never our model.
      'lib/review/',
      'lib/compliance.ts',
      'lib/control-tower-acknowledgements.ts',
      'lib/control-tower-checks.ts',
      'lib/generated-files.ts',
      'lib/index.ts',
      // Reads a team's copy of the platform settings from disk; the rest of lib/platform-settings/ is pure.
      'lib/platform-settings/read.ts',
    ],
    pure: false,
  },
];

/** Packages a pure layer must not reach. */
export const CDK_PACKAGES: readonly string[] = ['aws-cdk-lib', 'constructs', 'cdk-nag'];

/** The layer of a repository-relative path (longest matching entry), or undefined when none covers it. */
export function layerOf(path: string): { layer: Layer; rank: number } | undefined {
  let best: { layer: Layer; rank: number; length: number } | undefined;
  LAYERS.forEach((layer, rank) => {
    for (const entry of layer.paths) {
      const matches = entry.endsWith('/') ? path.startsWith(entry) : path === entry;
      if (matches && (best === undefined || entry.length > best.length)) best = { layer, rank, length: entry.length };
    }
  });
  return best === undefined ? undefined : { layer: best.layer, rank: best.rank };
}

/** The Mermaid picture of the layers, as docs/design.md shows it. */
export function layerDiagram(): string {
  const id = (index: number) => `L${index}`;
  const label = (layer: Layer) =>
    `${layer.name}${layer.pure ? ' (pure)' : ''}<br>${layer.holds}<br>${layer.paths.map((path) => path.replace(/^lib\//, '')).join(' ')}`;
  return [
    'flowchart BT',
    ...LAYERS.map((layer, index) => `  ${id(index)}["${label(layer)}"]`),
    ...LAYERS.slice(1).map((_, index) => `  ${id(index)} --> ${id(index + 1)}`),
  ].join('\n');
}
