import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALERT_NAMES } from '../lib/alerting/runbooks';
import { GATEWAY_SIZING, gatewaySizing } from '../lib/collector/gateway-sizing';
import { CONTROL_TOWER_ACKNOWLEDGEMENTS } from '../lib/control-tower-acknowledgements';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

test.each(ALERT_NAMES)("the README has the runbook %s's runbook_url points at", (alertName) => {
  // GitHub's anchor for `### Runbook: ServiceDown` is `#runbook-servicedown`.
  expect(readme).toContain(`### Runbook: ${alertName}\n`);
});

describe('the README gateway sizing section', () => {
  const oneVcpuTask = { spansPerTrace: 20, cpu: 1024 as const, memoryMiB: 2048, maxTasks: 100 };
  const number = (value: number) => value.toLocaleString('en-US');

  test.each([100, 1000, 5000])('its row for %i traces per second is what gateway-sizing computes', (rate) => {
    const tasksNeeded = gatewaySizing({ ...oneVcpuTask, expectedTracesPerSecond: rate, minTasks: 1 }).tasksNeeded;
    const sizing = gatewaySizing({ ...oneVcpuTask, expectedTracesPerSecond: rate, minTasks: tasksNeeded });
    expect(readme).toContain(
      `| ${number(rate)} | ${number(sizing.spansPerSecond)} | ${tasksNeeded} | ${number(sizing.numTraces)} | ` +
        `${sizing.memoryNeededMiB} MiB |`,
    );
    expect(readme).toContain(`heap needed per task (of ${number(sizing.memoryAvailableMiB)} MiB)`);
  });

  test('quotes the figures the sizing code uses', () => {
    expect(readme).toContain(`| ${number(GATEWAY_SIZING.spansPerSecondPerVcpu)} |`);
    expect(readme).toContain(`| ${GATEWAY_SIZING.targetCpuUtilizationPercent} % |`);
    expect(readme).toContain(`| ${GATEWAY_SIZING.bytesPerBufferedSpan / 1024} KiB |`);
    expect(readme).toContain(`| ${GATEWAY_SIZING.baselineMiB} MiB |`);
  });
});

test('the README Control Tower table lists every acknowledgement, and nothing else', () => {
  const section = readme.slice(readme.indexOf('## Control Tower controls'), readme.indexOf('## Use the constructs'));
  const rows = [...section.matchAll(/^\| (CT\.[A-Z0-9.]+) \| `([a-z_]+)` \|/gm)].map(([, control, rule]) => [
    control,
    rule,
  ]);
  expect(rows).toEqual(CONTROL_TOWER_ACKNOWLEDGEMENTS.map(({ control, rule }) => [control, rule]));
});
