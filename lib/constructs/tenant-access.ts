import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './acknowledgements';
import { SavedQueries } from './saved-queries';

export interface TenantAccessProps {
  /** The project name, e.g. `starmates-ai-team`. */
  readonly project: string;
  /** The environment's name, e.g. `prod`. */
  readonly environmentName: string;
  /** The tenant id, e.g. `acme-corp`. */
  readonly tenant: string;
  /** The log groups of the tenant's services: the only ones its readers may query. */
  readonly logGroupNames: readonly string[];
  /** The IAM principals (role, user or account root ARNs) that may assume the reader role. */
  readonly readerPrincipalArns: readonly string[];
}

/** CloudWatch Logs actions with no resource-level permissions (the service authorization reference lists none). */
const ACCOUNT_WIDE_QUERY_ACTIONS = ['logs:GetQueryResults', 'logs:StopQuery', 'logs:DescribeQueryDefinitions'];

/**
 * What one tenant's people may see in CloudWatch: a read-only role that queries the tenant's own
 * log groups and nothing else, and the saved Logs Insights queries over exactly those log groups,
 * in the console folder `<project>/<env>/tenants/<tenant>/`.
 *
 * - Reading actions (Logs Insights, filter, get events) are granted on the tenant's log groups only.
 * - Three query actions have no resource-level permissions and are granted account-wide: fetching
 *   the results of a query the caller started (query ids are random, and `logs:DescribeQueries`,
 *   which would list other callers' ids, is not granted), stopping it, and listing saved query
 *   definitions (names and query text, no log data; running another tenant's definition fails on
 *   `logs:StartQuery`).
 * - No KMS permission: CloudWatch Logs decrypts encrypted log groups for readers it authorises.
 * - Not granted: `logs:DescribeLogGroups` (it would list every log group name of the account).
 */
export class TenantAccess extends Construct {
  public readonly readerRole: iam.Role;
  public readonly savedQueries: SavedQueries;

  constructor(scope: Construct, id: string, props: TenantAccessProps) {
    super(scope, id);
    if (props.readerPrincipalArns.length === 0) {
      throw new Error(
        `${this.node.path}: tenant ${props.tenant} has no readerPrincipalArns; name who may read its logs`,
      );
    }
    this.savedQueries = new SavedQueries(this, 'SavedQueries', {
      project: props.project,
      environmentName: props.environmentName,
      logGroupNames: props.logGroupNames,
      tenant: props.tenant,
    });

    this.readerRole = new iam.Role(this, 'ReaderRole', {
      assumedBy: new iam.CompositePrincipal(...props.readerPrincipalArns.map((arn) => new iam.ArnPrincipal(arn))),
      description: `Read-only access of tenant ${props.tenant} to its own logs in ${props.project}-${props.environmentName}`,
      maxSessionDuration: Duration.hours(1),
    });

    const stack = Stack.of(this);
    const logGroupArns = props.logGroupNames.flatMap((logGroupName) => {
      const arn = stack.formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: logGroupName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      return [arn, `${arn}:*`];
    });
    const policy = new iam.ManagedPolicy(this, 'ReadPolicy', {
      description: `Tenant ${props.tenant}: query its own log groups in ${props.project}-${props.environmentName}`,
      roles: [this.readerRole],
      statements: [
        ...(logGroupArns.length === 0
          ? []
          : [
              new iam.PolicyStatement({
                sid: 'ReadOwnLogGroups',
                actions: ['logs:StartQuery', 'logs:FilterLogEvents', 'logs:GetLogEvents', 'logs:DescribeLogStreams'],
                resources: logGroupArns,
              }),
            ]),
        new iam.PolicyStatement({
          sid: 'OwnQueryResultsAndSavedQueries',
          actions: ACCOUNT_WIDE_QUERY_ACTIONS,
          resources: ['*'],
        }),
      ],
    });
    for (const arn of logGroupArns.filter((arn) => arn.endsWith(':*'))) {
      acknowledgeWildcardResource(
        policy,
        arn,
        `The log streams of one of tenant ${props.tenant}'s own log groups: stream names are per task, unknown in advance.`,
      );
    }
    acknowledgeWildcardResource(
      policy,
      '*',
      `${ACCOUNT_WIDE_QUERY_ACTIONS.join(', ')} support no resource-level permissions (AWS requires Resource "*"). ` +
        'They return results only by a random query id the caller received from its own StartQuery, which is ' +
        "granted on the tenant's log groups only; DescribeQueries, which lists others' ids, is not granted.",
    );
  }
}
