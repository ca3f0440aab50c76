/**
 * A fixture profile whose on-call webhook and heartbeat are named by fixture secrets, and the
 * distinctive URLs those secrets would hold in Secrets Manager (each with a token of the shape
 * on-call tools issue). The URLs exist only here: the security tests put them where a careless
 * implementation would pick them up, then search every output for them.
 */
import { exampleEnvironments } from './example-app';

export interface FixtureSecret {
  /** The Secrets Manager secret the profile names. */
  readonly name: string;
  /** The SecretString it holds in the fixture: a URL with a token. */
  readonly url: string;
}

export type NotificationSecrets = Readonly<Record<'onCallWebhook' | 'heartbeat', FixtureSecret>>;

/** The fixture's secrets, per environment of the default app. */
export function fixtureNotificationSecrets(environmentName: string): NotificationSecrets {
  const token = (kind: string) => `zq7${kind}Fx${environmentName}T0k3n9x4W2v8`;
  return {
    onCallWebhook: {
      name: `/fixture/${environmentName}/oncall-webhook-url`,
      url: `https://oncall-fixture.example.net/integrations/v1/amazon_sns/${token('Hook')}/`,
    },
    heartbeat: {
      name: `/fixture/${environmentName}/oncall-heartbeat-url`,
      url: `https://oncall-fixture.example.net/integrations/v1/heartbeat/${token('Beat')}/`,
    },
  };
}

/** The default app's environments, their notifications naming the fixture's secrets. */
export function environmentsWithFixtureSecrets(): Record<string, Record<string, unknown>> {
  const environments = exampleEnvironments();
  for (const [environmentName, profile] of Object.entries(environments)) {
    const secrets = fixtureNotificationSecrets(environmentName);
    const notifications = profile.notifications as Record<string, unknown>;
    notifications.onCallWebhook = { secretsManagerSecretName: secrets.onCallWebhook.name };
    notifications.heartbeat = { secretsManagerSecretName: secrets.heartbeat.name };
  }
  return environments;
}
