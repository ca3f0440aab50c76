/**
 * docs/reference/architecture.md: Mermaid diagrams of each environment of cdk.json, drawn from the
 * generated collector configs (which pipeline of which collector exports where) and the profile's
 * notifications (which severity topic reaches on-call, chat and e-mail; lib/constructs/alarm-routing.ts).
 */
import { parse } from 'yaml';
import { gatewayConfigPath, sidecarConfigPath } from '../collector/files';
import type { GeneratedFile } from '../generated-file';
import { clusterName } from '../naming';
import type { EnvironmentProfile } from '../profile/schema';
import { generatedHeader, REFERENCE_FOLDER } from './markdown';

export const ARCHITECTURE_PATH = `${REFERENCE_FOLDER}/architecture.md`;

interface Pipelines {
  readonly service: { readonly pipelines: Readonly<Record<string, { readonly exporters: readonly string[] }>> };
}

/** Where an exporter sends, as a diagram node; an exporter not named here is drawn under its own id. */
const EXPORTER_TARGETS: Readonly<Record<string, { readonly id: string; readonly label: string }>> = {
  'otlp_http/grafana_cloud': { id: 'grafana', label: 'Grafana Cloud<br>Tempo · Mimir · Loki' },
  'load_balancing/gateway': { id: 'gateway', label: 'collector gateway<br>tail sampling' },
  awsemf: { id: 'cloudwatch', label: 'CloudWatch metrics<br>EMF log groups' },
  debug: { id: 'debug', label: 'debug exporter<br>collector log' },
};

function target(exporter: string): { id: string; label: string } {
  return EXPORTER_TARGETS[exporter] ?? { id: exporter.replace(/[^A-Za-z0-9]/g, '_'), label: exporter };
}

/** `sidecar -->|traces, logs| grafana` lines of one collector's pipelines, signals grouped per target. */
function edges(from: string, config: Pipelines): string[] {
  const signals = new Map<string, { label: string; signals: string[] }>();
  for (const [pipeline, { exporters }] of Object.entries(config.service.pipelines)) {
    for (const exporter of exporters) {
      const { id, label } = target(exporter);
      const entry = signals.get(id) ?? { label, signals: [] };
      entry.signals.push(pipeline);
      signals.set(id, entry);
    }
  }
  return [...signals].map(([id, { label, signals: names }]) => `  ${from} -->|${names.join(', ')}| ${id}["${label}"]`);
}

function dataPath(environmentName: string, profile: EnvironmentProfile, configs: ReadonlyMap<string, string>): string {
  const sidecar = configs.get(sidecarConfigPath(environmentName));
  const gateway = configs.get(gatewayConfigPath(environmentName));
  const services = Object.keys(profile.services);
  const lines = [
    'flowchart LR',
    `  services["services<br>${services.join('<br>')}"] -->|OTLP over localhost| sidecar["sidecar collector<br>one per task"]`,
    '  services -->|stdout, stderr| logs["CloudWatch Logs<br>service log groups"]',
    ...(sidecar === undefined ? [] : edges('sidecar', parse(sidecar) as Pipelines)),
    ...(gateway === undefined ? [] : edges('gateway', parse(gateway) as Pipelines)),
  ];
  return lines.join('\n');
}

function alarmPath(environmentName: string, profile: EnvironmentProfile): string {
  const topics = `${clusterName(profile.project, environmentName)}-alerts`;
  const { notifications } = profile;
  const mail = `mail["e-mail<br>${notifications.emails.join('<br>')}"]`;
  return [
    'flowchart LR',
    '  alarms["CloudWatch alarms<br>services, collectors, gateway"] --> critical & warning & info',
    `  critical["${topics}-critical"] -->|page| oncall["on-call webhook"]`,
    `  critical --> ${mail}`,
    `  warning["${topics}-warning"] --> mail`,
    ...(notifications.slack === undefined
      ? []
      : [`  warning -->|AWS Chatbot| chat["Slack ${notifications.slack.channelId}"]`]),
    `  info["${topics}-info"] --> mail`,
    `  schedule["EventBridge schedule"] --> heartbeatTopic["${topics}-heartbeat"] --> heartbeat["on-call heartbeat"]`,
    `  rules["Prometheus rules<br>alerts/${environmentName}.rules.yaml"] --> ruler["Grafana Cloud alerting"]`,
  ].join('\n');
}

export function architecturePage(
  profiles: Readonly<Record<string, EnvironmentProfile>>,
  collectorConfigs: readonly GeneratedFile[],
): GeneratedFile {
  const configs = new Map(collectorConfigs.map((file) => [file.path, file.content]));
  const sections = Object.keys(profiles).map((environmentName) => {
    const profile = profiles[environmentName];
    return (
      `## ${environmentName}\n\n` +
      `Data path (from ${[sidecarConfigPath(environmentName), gatewayConfigPath(environmentName)]
        .filter((path) => configs.has(path))
        .map((path) => `\`${path}\``)
        .join(' and ')}):\n\n` +
      `\`\`\`mermaid\n${dataPath(environmentName, profile, configs)}\n\`\`\`\n\n` +
      `Alarm path (from \`notifications\` in cdk.json):\n\n` +
      `\`\`\`mermaid\n${alarmPath(environmentName, profile)}\n\`\`\`\n`
    );
  });
  return {
    path: ARCHITECTURE_PATH,
    content:
      generatedHeader('Architecture', 'the generated collector configs and the profiles in cdk.json') +
      'Each edge of a data path is a pipeline of the generated collector config, labelled with the ' +
      'pipelines that take it. Critical alarms page and mail, warnings go to chat (when configured) and ' +
      'mail, info mails; a heartbeat proves the path to the on-call tool works.\n\n' +
      sections.join('\n'),
  };
}
