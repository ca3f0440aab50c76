import * as logs from 'aws-cdk-lib/aws-logs';
import { CLOUDWATCH_LOG_RETENTION_DAYS } from '../../lib/profile/aws-values';

test("the accepted retentions are CloudWatch's finite retentions as aws-cdk-lib knows them", () => {
  const cdkRetentions = Object.values(logs.RetentionDays)
    .filter((value): value is number => typeof value === 'number' && value !== logs.RetentionDays.INFINITE)
    .sort((a, b) => a - b);
  expect([...CLOUDWATCH_LOG_RETENTION_DAYS]).toEqual(cdkRetentions);
});
