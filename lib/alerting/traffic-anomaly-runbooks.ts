/**
 * The runbooks of the traffic anomaly signal (lib/alerting/traffic-anomaly.ts), one per side of the
 * band: the Prometheus alert and the CloudWatch alarm of a side link the same section. Data only;
 * lib/alerting/runbooks.ts adds them to the page.
 */
import type { Runbook } from './runbooks';

export const TRAFFIC_ANOMALY_RUNBOOKS: Readonly<Record<'TrafficDrop' | 'TrafficSpike', Runbook>> = {
  TrafficDrop: {
    meaning:
      "The service's request rate has stayed far below its usual band for the window: below the CloudWatch anomaly model's band (3 standard deviations by default), or in Prometheus below half of the same time of each of the last three weeks. The tasks may be healthy: callers are not reaching them, or have stopped calling (a broken client release, a DNS or load balancer change, an upstream outage, a feature flag).",
    checks: [
      'Grafana, service health dashboard: request rate against the same time last week, by endpoint; whether every endpoint fell or one, and whether errors or latency moved at the same time.',
      "The path in front of the service: the load balancer's RequestCount and target health, DNS and listener rules, API gateway or CDN changes, and the callers' own dashboards and deployments.",
      'Recent changes: deployments of this service and of its callers, feature flags, client releases; a planned event (a holiday, a migration, a marketing pause) also lowers traffic.',
    ],
    mitigation:
      'Restore the path or roll back the change that cut the traffic (the caller, the route, the flag). If the drop is expected (a holiday, a migration), acknowledge it; for a lasting change of the traffic pattern the CloudWatch model adapts within about two weeks, and a service with too little or too irregular traffic for a band can turn the signal off (trafficAnomaly.enabled: false).',
  },
  TrafficSpike: {
    meaning:
      "The service's request rate has stayed far above its usual band for the window: above the CloudWatch anomaly model's band, or in Prometheus above three times the same time of each of the last three weeks. A retry storm, a crawler or abusive client, a launch or a caller's loop.",
    checks: [
      'Grafana, service health dashboard: which endpoints and which callers (client attributes, user agents) carry the extra requests; whether error rate and latency follow.',
      'Tempo: a few traces of the surge: who calls, and whether the calls are retries of failing requests (the same tracking_id or route repeated).',
      'ECS: running tasks and CPU against the auto-scaling limits; the cost side (AI spend, downstream quotas) of the extra traffic.',
    ],
    mitigation:
      'Scale out if the traffic is wanted; rate-limit or block the abusive client, or fix the retry loop of the caller; acknowledge a planned launch.',
  },
};
