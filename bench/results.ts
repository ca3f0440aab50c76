/** The benchmark's results: their shape, the per-service increments, and the Markdown table. Pure. */
import type { ProfileSummary } from './cpu-profile';
import { median, slope } from './measure';
import { VARIANT_LABELS, VARIANTS, type Variant } from './variants';
import type { CellResult } from './worker';

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly versions: Readonly<Record<string, string>>;
}

export interface WholeProcessResult {
  readonly variant: Variant;
  readonly services: number;
  /** `cdk synth` wall time per run (ms), CLI start to exit. */
  readonly runsMs: readonly number[];
  readonly validation: boolean;
}

export interface SynthBreakdown {
  readonly services: number;
  /** Medians (ms) of the observed variant. */
  readonly constructMs: number;
  readonly synthMs: number;
  /** What the built-in CloudFormation validator adds to `app.synth()` (after its one-off start-up). */
  readonly validatorMs: number;
  /** What the cdk-nag packs add to `app.synth()`. */
  readonly cdkNagMs: number;
  readonly cpu: ProfileSummary;
}

export interface Increment {
  readonly variant: Variant;
  /** Per service, over the bare variant: slopes over N. */
  readonly resources: number;
  readonly bytes: number;
  readonly inProcessMs: number;
  readonly wholeProcessMs?: number;
  readonly monthlyUsd: number;
}

export interface BenchResults {
  readonly machine: Machine;
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly runsPerCell: number;
  /** From this N on, cells ran once (absent in results before December 2026: every cell ran runsPerCell times). */
  readonly singleRunFrom?: number;
  readonly serviceCounts: readonly number[];
  /** In-process, validator off. */
  readonly cells: readonly CellResult[];
  /** In-process, validator on. */
  readonly validatedCells: readonly CellResult[];
  readonly wholeProcess: readonly WholeProcessResult[];
  readonly increments: readonly Increment[];
  readonly breakdown: SynthBreakdown;
}

export const totalMs = (cell: CellResult) => median(cell.constructMs.map((ms, i) => ms + cell.synthMs[i]));

/** Per-service increments of every variant over bare, as slopes over every N measured. */
export function increments(cells: readonly CellResult[], wholeProcess: readonly WholeProcessResult[]): Increment[] {
  const perService = (variant: Variant, value: (cell: CellResult) => number) =>
    slope(cells.filter((c) => c.variant === variant).map((c) => [c.services, value(c)] as const));
  const wholeSlope = (variant: Variant) => {
    const points = wholeProcess
      .filter((w) => w.variant === variant)
      .map((w) => [w.services, median(w.runsMs)] as const);
    return points.length >= 2 ? slope(points) : undefined;
  };
  const over = (variant: Variant, value: (cell: CellResult) => number) =>
    perService(variant, value) - perService('bare', value);
  return VARIANTS.filter((variant) => variant !== 'bare').map((variant) => {
    const whole = wholeSlope(variant);
    const bareWhole = wholeSlope('bare');
    return {
      variant,
      resources: over(variant, (c) => c.weight.totalResources),
      bytes: over(variant, (c) => c.weight.totalBytes),
      inProcessMs: over(variant, totalMs),
      wholeProcessMs: whole !== undefined && bareWhole !== undefined ? whole - bareWhole : undefined,
      monthlyUsd: over(variant, (c) => c.monthlyUsd),
    };
  });
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} KB`;
const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;

/** `max / mean` of a per-stack figure. */
const maxMean = (max: number, total: number, stacks: number, format: (value: number) => string) =>
  `${format(max)} / ${format(stacks === 0 ? 0 : total / stacks)}`;

/** What the timed runs were, in words: "3 runs" or "3 runs (1 from N = 500)". */
function runsText(results: BenchResults): string {
  const single = results.singleRunFrom;
  const singleCounts = single === undefined ? [] : results.serviceCounts.filter((n) => n >= single);
  return singleCounts.length === 0
    ? `${results.runsPerCell}`
    : `${results.runsPerCell} (1 for N = ${singleCounts.join(', ')})`;
}

export function renderResults(results: BenchResults): string {
  const { machine } = results;
  const bare = (services: number) => results.cells.find((c) => c.variant === 'bare' && c.services === services);
  const validated = (variant: Variant, services: number) =>
    results.validatedCells.find((c) => c.variant === variant && c.services === services);
  const synthRows = VARIANTS.flatMap((variant) =>
    results.cells
      .filter((cell) => cell.variant === variant)
      .map((cell) => {
        const base = bare(cell.services);
        const ratio = base === undefined ? '' : `${(totalMs(cell) / totalMs(base)).toFixed(1)}×`;
        const withValidator = validated(variant, cell.services);
        const w = cell.weight;
        const alarms = cell.alarms;
        return (
          `| ${VARIANT_LABELS[variant]} | ${cell.services} | ${ms(totalMs(cell))} | ${ratio} | ` +
          `${withValidator === undefined ? '' : ms(totalMs(withValidator))} | ${mib(cell.maxRssKiB)} | ` +
          `${w.stackCount} | ${maxMean(w.maxResources, w.totalResources, w.stackCount, (v) => v.toFixed(0))} | ` +
          `${maxMean(w.maxBytes, w.totalBytes, w.stackCount, kb)} | ` +
          `${alarms === undefined ? '' : `${alarms.perService.toFixed(0)} / ${alarms.perServiceUsd.toFixed(2)}`} | ` +
          `${cell.monthlyUsd.toFixed(2)} |`
        );
      }),
  );
  const wholeRows = results.wholeProcess.map((w) => {
    const base = results.wholeProcess.find((b) => b.variant === 'bare' && b.services === w.services);
    const ratio = base === undefined ? '' : `${(median(w.runsMs) / median(base.runsMs)).toFixed(2)}×`;
    return `| ${VARIANT_LABELS[w.variant]} | ${w.services} | ${seconds(median(w.runsMs))} | ${ratio} | ${w.runsMs.length} |`;
  });
  const observedIncrement = results.increments.find((i) => i.variant === 'observed');
  const incrementRows = results.increments.map(
    (i) =>
      `| ${VARIANT_LABELS[i.variant]} | ${i.resources.toFixed(1)} | ${kb(i.bytes)} | ${ms(i.inProcessMs)} | ` +
      `${observedIncrement === undefined || i.inProcessMs <= 0 ? '' : `${(observedIncrement.inProcessMs / i.inProcessMs).toFixed(1)}×`} | ` +
      `${i.resources <= 0 ? '' : `${(i.inProcessMs / i.resources).toFixed(2)} ms`} | ` +
      `${i.wholeProcessMs === undefined ? '' : ms(i.wholeProcessMs)} | ${i.monthlyUsd.toFixed(2)} |`,
  );
  const b = results.breakdown;
  const profileRows = b.cpu.areas.map((area) => `| ${area.name} | ${ms(area.ms)} | ${area.percent.toFixed(0)} % |`);
  const versions = Object.entries(machine.versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  return [
    '### Synth cost per observed service',
    '',
    `_Measured on ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${versions}. ` +
      'Ratios matter, absolute times do not: they depend on the machine. In-process times are the median of ' +
      `${runsText(results)} \`app.synth()\` runs after a warm-up, each in a fresh App (construct creation included), with ` +
      "aws-cdk-lib's built-in CloudFormation validator off unless the column says otherwise and without cdk-nag. " +
      "One environment (cdk.json's prod profile) with N services; USD is the monthly CloudWatch bill the templates add " +
      "(alarms, dashboards, custom metrics, collector, gateway and EMF logs, but not the gateway's Fargate tasks; not the application logs every variant writes; no " +
      'free tier; bench/cost-model/prices.json); alarms per service are the alarms of one service stack and their ' +
      "monthly USD (`npm run cost` lists them by signal), the platform stack's alarms apart. (a) is one Fargate service per stack with its encrypted log group; (b) is the " +
      "default app's ServiceStack (ObservedFargateService: collector sidecar, two log groups, alarms); (c) is (a) plus " +
      "cdk-monitoring-constructs' MonitoringFacade in each service stack (its default dashboard) with " +
      '`monitorSimpleFargateService`, the load-balancer-free form of `monitorFargateService`, and two alarms; (d) is (c) ' +
      "with as many alarms as (b)'s service stack (its two, nine more over EMF, ECS and Logs metrics, metric math " +
      'and percentiles, two anomaly bands and a composite): the comparison at equal alarm coverage. All four ' +
      "share the default app's PlatformStack; for (a), (c) and (d) it is built for one service, so its per-service parts " +
      '(dashboard rows, saved-query log groups) count for (b) only. Single runs vary by up to a third when other jobs share the machine; run it on a quiet one._',
    '',
    '| Variant | N | Synth (in process) | vs (a) | With validator | Peak RSS | Stacks | Resources per stack max / mean | Template per stack max / mean | Alarms / alarm USD per service | USD / month |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...synthRows,
    '',
    `Whole process (\`cdk synth --quiet\`, the CLI's defaults, validator on; median of the runs):`,
    '',
    '| Variant | N | `cdk synth` | vs (a) | Runs |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...wholeRows,
    '',
    'Per-service increment over (a), slopes over every N:',
    '',
    '| Variant | Resources | Template bytes | In-process synth | (b) ÷ this | Synth per resource | Whole-process synth | USD / month |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...incrementRows,
    '',
    `Where the time of one observed N=${b.services} synth goes: construct creation ${ms(b.constructMs)}, ` +
      `\`app.synth()\` ${ms(b.synthMs)}; the validator adds ${ms(b.validatorMs)} to it (plus its one-off start-up per ` +
      `process), the cdk-nag packs ${ms(b.cdkNagMs)}. CPU profile (self time) of construct creation and synth:`,
    '',
    '| Area | Self time | Share |',
    '| --- | ---: | ---: |',
    ...profileRows,
    '',
    `Functions with the most self time: ${b.cpu.functions
      .slice(0, 6)
      .map((f) => `${f.name} ${ms(f.ms)}`)
      .join('; ')}.`,
    '',
    `The benchmark itself took ${results.durationSeconds.toFixed(0)} s.`,
    '',
  ].join('\n');
}
