/**
 * Values AWS accepts, kept as data so the profile schema can reject anything else at synth.
 */
import { RegionInfo } from 'aws-cdk-lib/region-info';

/**
 * Retention periods CloudWatch Logs accepts (`AWS::Logs::LogGroup.RetentionInDays`).
 * "Never expire" is deliberately absent: every log group of this package has a retention.
 * A test checks this list against aws-cdk-lib's `logs.RetentionDays`.
 */
export const CLOUDWATCH_LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * Region names known to aws-cdk-lib's region-info database (a data module: it loads no constructs).
 * Using it instead of a hand-written list keeps new regions working after a CDK upgrade.
 */
export const AWS_REGIONS: readonly string[] = RegionInfo.regions.map((region) => region.name).sort();

/** Fargate task cpu units. */
export const FARGATE_CPU_UNITS = [256, 512, 1024, 2048, 4096, 8192, 16384] as const;

/** Fargate task sizes: cpu units to the memory values (MiB) Fargate accepts with them. */
export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += step) values.push(value);
  return values;
}
