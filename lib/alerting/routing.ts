/**
 * Where an alert of each severity goes: the one routing model of the CloudWatch alarms
 * (lib/constructs/alarm-routing.ts: SNS topics, Chatbot, e-mail) and of the Prometheus alerts
 * (lib/alerting/alertmanager.ts: Grafana Cloud's Alertmanager). Critical pages the on-call
 * engineer and mails; warning goes to the chat channel, where there is one, and mails; info mails
 * (design 6.5). Pure: no CDK.
 */
import type { Severity } from '../profile/schema';

/** A kind of destination: the on-call tool (Grafana OnCall), the chat channel (Slack), e-mail. */
export type Channel = 'onCall' | 'chat' | 'email';

export const SEVERITY_CHANNELS: Readonly<Record<Severity, readonly Channel[]>> = {
  critical: ['onCall', 'email'],
  warning: ['chat', 'email'],
  info: ['email'],
};

/**
 * The label that names what an alert watches, the same for each severity of it (`errorRate` for
 * HighErrorRate and ElevatedErrorRate): the inhibition of a warning by the critical alert of the
 * same signal and service matches on it, since their alert names differ.
 */
export const SIGNAL_LABEL = 'alert_signal';

/** The labels that identify "the same problem": one notification per group, one inhibition per signal. */
export const ENVIRONMENT_LABEL = 'environment';
export const SERVICE_LABEL = 'service_name';
