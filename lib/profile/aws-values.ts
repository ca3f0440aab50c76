/**
 * Values AWS accepts, kept as data so the profile schema can reject anything else at synth. Data,
 * not a lookup in aws-cdk-lib: the profile is the ground floor of the layers and imports no CDK
 * package (test/architecture/layers.test.ts).
 */

/**
 * Retention periods CloudWatch Logs accepts (`AWS::Logs::LogGroup.RetentionInDays`).
 * "Never expire" is deliberately absent: every log group of this package has a retention.
 * A test checks this list against aws-cdk-lib's `logs.RetentionDays`.
 */
export const CLOUDWATCH_LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * Each region and its partition (the `arn:<partition>:` of its ARNs), as aws-cdk-lib 2.276.0's
 * region-info database lists them (`RegionInfo.regions`, `region.partition`).
 * test/profile/aws-values.test.ts compares it with the installed aws-cdk-lib: after a CDK upgrade
 * that adds a region, it fails and prints the entries to add here.
 */
export const AWS_REGION_PARTITIONS: Readonly<Record<string, string>> = {
  'af-south-1': 'aws',
  'ap-east-1': 'aws',
  'ap-east-2': 'aws',
  'ap-northeast-1': 'aws',
  'ap-northeast-2': 'aws',
  'ap-northeast-3': 'aws',
  'ap-south-1': 'aws',
  'ap-south-2': 'aws',
  'ap-southeast-1': 'aws',
  'ap-southeast-2': 'aws',
  'ap-southeast-3': 'aws',
  'ap-southeast-4': 'aws',
  'ap-southeast-5': 'aws',
  'ap-southeast-6': 'aws',
  'ap-southeast-7': 'aws',
  'ca-central-1': 'aws',
  'ca-west-1': 'aws',
  'cn-north-1': 'aws-cn',
  'cn-northwest-1': 'aws-cn',
  'eu-central-1': 'aws',
  'eu-central-2': 'aws',
  'eu-isoe-west-1': 'aws-iso-e',
  'eu-north-1': 'aws',
  'eu-south-1': 'aws',
  'eu-south-2': 'aws',
  'eu-west-1': 'aws',
  'eu-west-2': 'aws',
  'eu-west-3': 'aws',
  'eusc-de-east-1': 'aws-eusc',
  'il-central-1': 'aws',
  'me-central-1': 'aws',
  'me-south-1': 'aws',
  'me-west-1': 'aws',
  'mx-central-1': 'aws',
  'sa-east-1': 'aws',
  'us-east-1': 'aws',
  'us-east-2': 'aws',
  'us-gov-east-1': 'aws-us-gov',
  'us-gov-west-1': 'aws-us-gov',
  'us-iso-east-1': 'aws-iso',
  'us-iso-west-1': 'aws-iso',
  'us-isob-east-1': 'aws-iso-b',
  'us-isob-west-1': 'aws-iso-b',
  'us-isof-east-1': 'aws-iso-f',
  'us-isof-south-1': 'aws-iso-f',
  'us-west-1': 'aws',
  'us-west-2': 'aws',
};

/** Region names a profile may use. */
export const AWS_REGIONS: readonly string[] = Object.keys(AWS_REGION_PARTITIONS);

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
