import type { CfnResource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { Severity } from '../profile/schema';

/**
 * How an alarm's severity becomes SNS actions. The topics carry the people (AlarmRouting): critical
 * pages and mails, warning goes to chat and mails, info mails. Every alarm of every stack is routed by
 * one of these, and only these; docs/design.md ("Alarm routing") says why each exists.
 *
 * - `bySeverity`, the rule: the alarm notifies its severity's topic; a critical one also notifies it
 *   when OK again, so the on-call tool resolves the page it opened.
 * - `pageThroughComposite`: for an alarm that a composite alarm pages for (a service's critical
 *   signals and fast SLO burns under its `Page` alarm). A critical one notifies the warning topic,
 *   on alarm and on OK, so the team sees in chat which signal broke, and the composite pages once
 *   for all of them: three signals of one outage are one page, not three.
 * - `reportOnAnotherChannel`: for an alarm about a notification channel that failed (a dead-letter
 *   queue of the on-call webhook, the heartbeat or the e-mails). It notifies the given severity's
 *   topic, chosen by the caller as one that does not deliver through the failed channel, and sends no
 *   OK notification: the OK of an e-mail failure would itself go out by e-mail and could fail into
 *   the same queue.
 */
export type AlarmStrategy = 'bySeverity' | 'pageThroughComposite' | 'reportOnAnotherChannel';

/** The topics, by severity, an alarm notifies when it fires and when it is OK again. */
export interface AlarmActionTopics {
  readonly alarm: readonly Severity[];
  readonly ok: readonly Severity[];
}

/** The one action table: severity and strategy -> the severity topics notified. */
export function alarmActionTopics(severity: Severity, strategy: AlarmStrategy): AlarmActionTopics {
  switch (strategy) {
    case 'bySeverity':
      return { alarm: [severity], ok: severity === 'critical' ? ['critical'] : [] };
    case 'pageThroughComposite':
      return severity === 'critical' ? { alarm: ['warning'], ok: ['warning'] } : { alarm: [severity], ok: [] };
    case 'reportOnAnotherChannel':
      return { alarm: [severity], ok: [] };
  }
}

/**
 * The template metadata key under which each alarm records its signal, severity and strategy, so that
 * a reviewer, `obsctl review` or a test can read an alarm's routing from the template alone.
 */
export const ALARM_METADATA_KEY = 'StarmatesAlarm';

/** What the factory records on each alarm resource (`Metadata.StarmatesAlarm`). */
export interface AlarmMetadata {
  /** The stable id of what the alarm watches: `serviceDown`, `page`, `slo:availability-burn14.4-long`, ... */
  readonly signal: string;
  readonly severity: Severity;
  readonly strategy: AlarmStrategy;
}

/**
 * Who an alarm is: everything its name, logical id and routing come from. Built by the caller from the
 * signal id, the service (or environment-wide subject) and the environment, never from display text:
 * the construct id and the name are a contract (a changed logical id replaces the alarm and loses its
 * history; a changed name does too).
 */
export interface AlarmIdentity extends AlarmMetadata {
  /** The construct id; with the scope's path it makes the logical id. */
  readonly id: string;
  /** The alarm's name (AlarmName). */
  readonly alarmName: string;
}

/**
 * The one way alarms are made: every `cloudwatch.Alarm` and `CompositeAlarm` of the package comes
 * from here, named and routed from its `AlarmIdentity`, so severity -> topic is written once
 * (`alarmActionTopics`) and recorded on the resource (`ALARM_METADATA_KEY`).
 */
export class AlarmFactory {
  constructor(private readonly topics: Readonly<Record<Severity, sns.ITopic>>) {}

  public alarm(
    scope: Construct,
    identity: AlarmIdentity,
    props: Omit<cloudwatch.AlarmProps, 'alarmName' | 'actionsEnabled'>,
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(scope, identity.id, { ...props, alarmName: identity.alarmName });
    return this.route(alarm, identity);
  }

  /**
   * An anomaly detection alarm: the metric against `ANOMALY_DETECTION_BAND(m, stdDevs)`, CloudWatch's
   * trained band, with an anomaly comparison (`LessThanLowerThreshold`, ...) and `ThresholdMetricId`
   * set by aws-cdk-lib's `AnomalyDetectionAlarm`. Named and routed as every other alarm.
   */
  public anomalyAlarm(
    scope: Construct,
    identity: AlarmIdentity,
    props: Omit<cloudwatch.AnomalyDetectionAlarmProps, 'alarmName' | 'actionsEnabled'>,
  ): cloudwatch.AnomalyDetectionAlarm {
    const alarm = new cloudwatch.AnomalyDetectionAlarm(scope, identity.id, { ...props, alarmName: identity.alarmName });
    return this.route(alarm, identity);
  }

  public compositeAlarm(
    scope: Construct,
    identity: AlarmIdentity,
    props: Omit<cloudwatch.CompositeAlarmProps, 'compositeAlarmName' | 'actionsEnabled'>,
  ): cloudwatch.CompositeAlarm {
    const alarm = new cloudwatch.CompositeAlarm(scope, identity.id, {
      ...props,
      compositeAlarmName: identity.alarmName,
    });
    return this.route(alarm, identity);
  }

  private route<T extends cloudwatch.AlarmBase>(alarm: T, identity: AlarmIdentity): T {
    const { alarm: onAlarm, ok } = alarmActionTopics(identity.severity, identity.strategy);
    const snsActions = (severities: readonly Severity[]) =>
      severities.map((severity) => new actions.SnsAction(this.topics[severity]));
    alarm.addAlarmAction(...snsActions(onAlarm));
    // Only when there is one: an empty call would still write `OKActions: []` into the template.
    if (ok.length > 0) alarm.addOkAction(...snsActions(ok));
    const metadata: AlarmMetadata = {
      signal: identity.signal,
      severity: identity.severity,
      strategy: identity.strategy,
    };
    (alarm.node.defaultChild as CfnResource).addMetadata(ALARM_METADATA_KEY, metadata);
    return alarm;
  }
}
