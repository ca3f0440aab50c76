import * as logs from 'aws-cdk-lib/aws-logs';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { AWS_REGION_PARTITIONS, CLOUDWATCH_LOG_RETENTION_DAYS } from '../../lib/profile/aws-values';

test("the accepted retentions are CloudWatch's finite retentions as aws-cdk-lib knows them", () => {
  const cdkRetentions = Object.values(logs.RetentionDays)
    .filter((value): value is number => typeof value === 'number' && value !== logs.RetentionDays.INFINITE)
    .sort((a, b) => a - b);
  expect([...CLOUDWATCH_LOG_RETENTION_DAYS]).toEqual(cdkRetentions);
});

test("the accepted regions and their partitions are aws-cdk-lib's region-info database", () => {
  const cdkRegions = Object.fromEntries(
    RegionInfo.regions.map((region) => [region.name, region.partition] as const).sort(([a], [b]) => a.localeCompare(b)),
  );
  // On failure after a CDK upgrade: copy the received entries into AWS_REGION_PARTITIONS (lib/profile/aws-values.ts).
  expect(AWS_REGION_PARTITIONS).toEqual(cdkRegions);
});
