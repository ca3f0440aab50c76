import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { runbookSentence } from '../alerting/runbooks';
import {
  TRAFFIC_PERIOD_MINUTES,
  TRAFFIC_SIGNALS,
  type TrafficAnomaly,
  type TrafficBand,
} from '../alerting/traffic-anomaly';
import type { Severity } from '../profile/schema';
import type { AlarmFactory, AlarmIdentity } from './alarm-factory';
import { type EmfSource, emfMetric } from './emf-metrics';

export interface TrafficAnomalyAlarmsProps {
  /** The service's EMF metrics: the request counter the error-rate alarm divides by. */
  readonly emfSource: EmfSource;
  /** The band of each side (lib/alerting/traffic-anomaly.ts, `trafficAnomalyFor`). */
  readonly settings: TrafficAnomaly;
  /** `checkout (prod)`: who the descriptions speak of. */
  readonly subject: string;
  readonly alarmFactory: AlarmFactory;
  /** The identity of a signal's alarm, as its other alarms have theirs (ServiceAlarms' naming and strategy). */
  readonly identity: (signal: string, severity: Severity) => AlarmIdentity;
}

/**
 * The traffic anomaly alarms of one service: its requests per 5 minutes (`request_count`, Sum)
 * against CloudWatch's anomaly detection band. Below the band pages (critical, a member of the
 * service's `Page` composite), above it warns. Each alarm is billed for three metrics: the request
 * sum and the band's two bounds.
 *
 * Missing data is not breaching: with delta temporality an idle service writes no request counts,
 * so silence is a quiet hour, and a dev environment without traffic must not page. A fall to nothing
 * while tasks run is the Prometheus rule's to see (lib/alerting/traffic-anomaly.ts). Until the model
 * has trained (up to two weeks of data), its band is wide or absent and the alarms rarely fire.
 */
export class TrafficAnomalyAlarms extends Construct {
  /** The drop alarm (critical) and the spike alarm (warning). */
  public readonly alarms: { readonly drop: cloudwatch.Alarm; readonly spike: cloudwatch.Alarm };

  constructor(scope: Construct, id: string, props: TrafficAnomalyAlarmsProps) {
    super(scope, id);
    this.alarms = {
      drop: this.bandAlarm(props, 'drop', props.settings.drop),
      spike: this.bandAlarm(props, 'spike', props.settings.spike),
    };
  }

  private bandAlarm(props: TrafficAnomalyAlarmsProps, side: 'drop' | 'spike', band: TrafficBand): cloudwatch.Alarm {
    const { signal, severity, alert } = TRAFFIC_SIGNALS[side];
    const periods = band.windowMinutes / TRAFFIC_PERIOD_MINUTES;
    const where = side === 'drop' ? 'below' : 'above';
    return props.alarmFactory.anomalyAlarm(this, props.identity(signal, severity), {
      alarmDescription:
        `${props.subject}: requests per ${TRAFFIC_PERIOD_MINUTES} min ${where} the usual band ` +
        `(anomaly detection, ${band.bandWidth} standard deviations) for ${periods} of ${periods} periods ` +
        `(${band.windowMinutes} min) [${severity}]` +
        runbookSentence(alert),
      metric: emfMetric(
        props.emfSource,
        'request_count',
        cloudwatch.Stats.SUM,
        Duration.minutes(TRAFFIC_PERIOD_MINUTES),
        'requests',
      ),
      stdDevs: band.bandWidth,
      comparisonOperator:
        side === 'drop'
          ? cloudwatch.ComparisonOperator.LESS_THAN_LOWER_THRESHOLD
          : cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
      // Silence is an idle service, not a drop (see the class comment).
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
