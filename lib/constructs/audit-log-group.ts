import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { envReference } from '../collector/expansion';
import type { GeneratedCollectorConfig } from '../collector/generate';
import type { SavedQuery } from '../logs/queries';

export interface AuditLogGroupProps {
  /** The log group name, `auditLogGroupName(project, environment)` (lib/logs/audit.ts). */
  readonly logGroupName: string;
  /** How long CloudWatch keeps audit events: the profile's, not the application logs'. */
  readonly retention: logs.RetentionDays;
  /** The environment's customer-managed key; its policy must let CloudWatch Logs use it for this name. */
  readonly encryptionKey: kms.IKey;
  /**
   * A saved Logs Insights query over the group.
   * @default - none
   */
  readonly savedQuery?: SavedQuery;
}

/**
 * The environment's audit trail (design 6.3): the log group the sidecars' `logs/audit` pipeline
 * writes audit records to, with a retention of its own, the environment's key, a saved query, and
 * protected against deletion twice: CloudFormation keeps it when the stack or the construct goes
 * (RETAIN, in every environment: an audit trail is not a dev convenience), and CloudWatch Logs
 * refuses DeleteLogGroup while `DeletionProtectionEnabled` is set, whoever asks.
 */
export class AuditLogGroup extends Construct {
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AuditLogGroupProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      retention: props.retention,
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtectionEnabled: true,
    });
    if (props.savedQuery !== undefined) {
      new logs.CfnQueryDefinition(this, 'AuditEvents', {
        name: props.savedQuery.name,
        queryString: props.savedQuery.queryString,
        queryLanguage: 'CWLI',
        logGroupNames: [props.logGroupName],
      });
    }
  }
}

/**
 * Lets a sidecar write the audit records of its own service: the one stream its collector config
 * names in the audit log group (the config's `${env:...}` stream name is the task's service name).
 * Nothing when the config has no audit exporter.
 */
export function grantAuditWrites(role: iam.IRole, collector: GeneratedCollectorConfig, serviceName: string): void {
  const exporter = collector.config.exporters['awscloudwatchlogs/audit'] as
    | { log_group_name?: string; log_stream_name?: string }
    | undefined;
  if (exporter?.log_group_name === undefined || exporter.log_stream_name === undefined) return;
  const streamName = collector.environment
    .filter((variable) => variable.perTask === 'serviceName')
    .reduce((name, variable) => name.split(envReference(variable.name)).join(serviceName), exporter.log_stream_name);
  if (streamName.includes('${')) {
    throw new Error(
      `the audit exporter's log_stream_name "${exporter.log_stream_name}" reads a variable the task does not set`,
    );
  }
  const logGroupArn = Stack.of(role).formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: exporter.log_group_name,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'WriteOwnAuditStream',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroupArn, `${logGroupArn}:log-stream:${streamName}`],
    }),
  );
}
