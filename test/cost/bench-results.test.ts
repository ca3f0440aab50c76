import { type BenchResults, renderResults } from '../../bench/results';
import type { CellResult } from '../../bench/worker';

const cell = (services: number, extra: Partial<CellResult> = {}): CellResult => ({
  variant: 'observed',
  services,
  runs: services >= 500 ? 1 : 3,
  validation: false,
  compliance: false,
  constructMs: [100],
  synthMs: [200],
  weight: {
    stackCount: 3,
    maxResources: 90,
    totalResources: 150,
    maxBytes: 90_000,
    totalBytes: 150_000,
    platform: { resources: 90, bytes: 90_000, outputs: 10 },
    service: { resources: 30, bytes: 30_000 },
  },
  monthlyUsd: 20,
  maxRssKiB: 200 * 1024,
  ...extra,
});

const results = (cells: readonly CellResult[], singleRunFrom?: number): BenchResults => ({
  machine: { cpus: 2, cpuModel: 'test', memoryGiB: 8, node: '20', versions: {} },
  startedAt: '2026-12-07T00:00:00Z',
  durationSeconds: 1,
  runsPerCell: 3,
  singleRunFrom,
  serviceCounts: cells.map((c) => c.services),
  cells,
  validatedCells: [],
  wholeProcess: [],
  increments: [],
  breakdown: {
    services: 10,
    constructMs: 1,
    synthMs: 1,
    validatorMs: 1,
    cdkNagMs: 1,
    cpu: { totalMs: 1, areas: [], functions: [] },
  },
});

const alarms = { perService: 22, perServiceUsd: 4.9, environment: 10, environmentUsd: 3.1 };

describe('the benchmark table', () => {
  test('gives resources and template bytes per stack as max / mean', () => {
    expect(renderResults(results([cell(10)]))).toContain('| 3 | 90 / 50 | 90 KB / 50 KB |');
  });

  test('gives the alarms and their monthly USD per service stack', () => {
    expect(renderResults(results([cell(10, { alarms })]))).toContain('| 90 KB / 50 KB | 22 / 4.90 | 20.00 |');
  });

  test('leaves the alarm column empty for results measured before it existed', () => {
    expect(renderResults(results([cell(10)]))).toContain('| 90 KB / 50 KB |  | 20.00 |');
  });

  test('says which N were timed once', () => {
    expect(renderResults(results([cell(10), cell(500)], 500))).toContain(
      'median of 3 (1 for N = 500) `app.synth()` runs',
    );
  });
});
