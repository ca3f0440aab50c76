/**
 * The Alertmanager configuration of each environment, for Grafana Cloud's (Mimir's) Alertmanager,
 * which receives the alerts of the rules in alerts/<env>.rules.yaml. Built from the routing model
 * the CloudWatch alarms use (lib/alerting/routing.ts): critical → Grafana OnCall and e-mail,
 * warning → Slack (where configured) and e-mail, info → e-mail. Pure: no CDK.
 *
 * Format. The committed file `alerts/<env>.alertmanager.yaml` is a plain Alertmanager
 * configuration, so `amtool check-config` reads it as it is and a reviewer reads YAML, not a YAML
 * string inside YAML. `obsctl grafana publish` wraps it into Mimir's upload document
 * (`{template_files, alertmanager_config: <this file as text>}`, POST /api/v1/alerts) after
 * resolving its secrets.
 *
 * Secrets. Mimir refuses every `*_file` setting (`url_file`, `api_url_file`,
 * `smtp_auth_password_file`...: pkg/alertmanager/api.go, ValidateAlertmanagerConfig), so a secret
 * must be in the uploaded text itself. The committed file holds, in its place, a reference that
 * names the Secrets Manager secret: `https://secretsmanager.invalid/<secret name>`. It is a valid
 * URL, so amtool checks the file as it is; `.invalid` can never resolve (RFC 2606), so a reference
 * that reached an Alertmanager unresolved could deliver nothing to anyone; and publish refuses to
 * upload a document that still holds one. Secrets Manager, as the profile's other notification
 * URLs (notifications.onCallWebhook): one place for the on-call tool's secrets.
 */
import { GENERATE_COMMAND, type GeneratedFile } from '../generated-file';
import type { EnvironmentProfile, Severity } from '../profile/schema';
import { SEVERITIES } from '../profile/schema';
import { type Channel, ENVIRONMENT_LABEL, SERVICE_LABEL, SEVERITY_CHANNELS, SIGNAL_LABEL } from './routing';
import { ALERTS_FOLDER, renderYaml } from './rule-files';

/** Placeholders start with this; nothing else in a configuration does. */
export const SECRET_REFERENCE_PREFIX = 'https://secretsmanager.invalid/';

/** The reference that stands for the secret's value in the committed file. */
export function secretReference(secretName: string): string {
  return `${SECRET_REFERENCE_PREFIX}${secretName.replace(/^\//, '')}`;
}

/** A secret of the configuration: the reference in the file, and the secret that replaces it. */
export interface AlertmanagerSecret {
  readonly reference: string;
  readonly secretName: string;
  /** The profile field that names it, for messages. */
  readonly field: string;
}

export type AlertmanagerProfile = NonNullable<EnvironmentProfile['notifications']['alertmanager']>;

/** The secrets the environment's configuration references, in a fixed order. */
export function alertmanagerSecrets(alertmanager: AlertmanagerProfile): AlertmanagerSecret[] {
  const named = [
    ['onCallWebhook', alertmanager.onCallWebhook],
    ['slackWebhook', alertmanager.slackWebhook],
    ['smtp.password', alertmanager.smtp.password],
  ] as const;
  return named.flatMap(([field, secret]) =>
    secret === undefined
      ? []
      : [
          {
            reference: secretReference(secret.secretsManagerSecretName),
            secretName: secret.secretsManagerSecretName,
            field: `notifications.alertmanager.${field}.secretsManagerSecretName`,
          },
        ],
  );
}

/** The receiver of each severity: named after the severity, so `amtool config routes test` names it. */
export function receiverName(severity: Severity): string {
  return severity;
}

/**
 * Timing: the first notification of a group waits 30 s for its siblings (the rules evaluate every
 * minute, so alerts of one incident arrive together); changes are sent every 5 m; an alert still
 * firing is repeated every 4 h (Alertmanager's default), so a page that was missed comes back.
 */
const TIMING = { group_wait: '30s', group_interval: '5m', repeat_interval: '4h' } as const;

/** The Alertmanager configuration of one environment, as the object to serialise. */
export function alertmanagerConfig(environmentName: string, profile: EnvironmentProfile): Record<string, unknown> {
  const alertmanager = profile.notifications.alertmanager;
  if (alertmanager === undefined) {
    throw new Error(`environments.${environmentName}.notifications.alertmanager is not set`);
  }
  const emails = profile.notifications.emails;
  const integration = (channel: Channel): Record<string, unknown[]> => {
    if (channel === 'onCall') {
      return {
        webhook_configs: [
          { url: secretReference(alertmanager.onCallWebhook.secretsManagerSecretName), send_resolved: true },
        ],
      };
    }
    if (channel === 'chat') {
      if (alertmanager.slackWebhook === undefined) return {};
      return {
        slack_configs: [
          {
            api_url: secretReference(alertmanager.slackWebhook.secretsManagerSecretName),
            send_resolved: true,
            title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} in {{ .CommonLabels.environment }}',
            text: '{{ range .Alerts }}{{ .Annotations.summary }}: {{ .Annotations.runbook_url }}\n{{ end }}',
          },
        ],
      };
    }
    return { email_configs: [{ to: emails.join(', '), send_resolved: true }] };
  };
  return {
    global: {
      smtp_smarthost: alertmanager.smtp.smarthost,
      smtp_from: alertmanager.smtp.from,
      smtp_auth_username: alertmanager.smtp.username,
      smtp_auth_password: secretReference(alertmanager.smtp.password.secretsManagerSecretName),
      smtp_require_tls: true,
    },
    route: {
      // An alert without a known severity is a rule bug; it still reaches people, by e-mail.
      receiver: receiverName('info'),
      group_by: [ENVIRONMENT_LABEL, SERVICE_LABEL, 'alertname'],
      ...TIMING,
      routes: SEVERITIES.map((severity) => ({
        receiver: receiverName(severity),
        matchers: [`severity="${severity}"`],
      })),
    },
    inhibit_rules: [
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity="warning"'],
        equal: [ENVIRONMENT_LABEL, SERVICE_LABEL, SIGNAL_LABEL],
      },
    ],
    receivers: SEVERITIES.map((severity) => ({
      name: receiverName(severity),
      ...Object.assign({}, ...SEVERITY_CHANNELS[severity].map(integration)),
    })),
  };
}

/** `alerts/prod.alertmanager.yaml`. */
export function alertmanagerFilePath(environmentName: string): string {
  return `${ALERTS_FOLDER}/${environmentName}.alertmanager.yaml`;
}

/** The Alertmanager configuration of every environment whose profile has notifications.alertmanager. */
export function alertmanagerFiles(profiles: Record<string, EnvironmentProfile>): GeneratedFile[] {
  return Object.keys(profiles)
    .sort()
    .filter((environmentName) => profiles[environmentName].notifications.alertmanager !== undefined)
    .map((environmentName) => {
      const path = alertmanagerFilePath(environmentName);
      return {
        path,
        content: renderYaml(alertmanagerConfig(environmentName, profiles[environmentName]), [
          `Generated by lib/alerting/alertmanager.ts from cdk.json (environments.${environmentName}). Do not edit: run \`${GENERATE_COMMAND}\`.`,
          `Grafana Cloud's Alertmanager configuration for the alerts of ${ALERTS_FOLDER}/${environmentName}.rules.yaml; published by \`obsctl grafana publish --env ${environmentName}\`.`,
          `Each ${SECRET_REFERENCE_PREFIX}<name> stands for the Secrets Manager secret <name>, resolved at publish. Check: amtool check-config ${path}.`,
        ]),
      };
    });
}
