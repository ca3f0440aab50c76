import { Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { savedQueries } from '../logs/queries';
import { pascalCase } from '../naming';
import { MAX_LOG_GROUPS_PER_SAVED_QUERY } from '../profile-loader/scale';

export interface SavedQueriesProps {
  /** The project name, the first folder of every query name, e.g. `starmates-ai-team`. */
  readonly project: string;
  /** The environment name, the second folder of every query name, e.g. `prod`. */
  readonly environmentName: string;
  /**
   * The log groups each query opens with in the console, e.g. the environment's service log groups
   * (`serviceLogGroupName(project, env, service)`). An empty list saves the queries without log
   * groups: whoever runs one picks them.
   */
  readonly logGroupNames: readonly string[];
  /**
   * The tenant whose queries these are: they are saved in `<project>/<env>/tenants/<tenant>/`.
   * @default - the environment's own queries, in `<project>/<env>/`
   */
  readonly tenant?: string;
  /**
   * The one service whose queries these are, for a service the profile does not list (observed
   * from another repository): saved in `<project>/<env>/services/<service>/`, next to the environment's.
   * @default - the environment's (or tenant's) queries
   */
  readonly serviceName?: string;
  /**
   * The view group whose queries these are, for the environment's groups after the first (at most
   * 50 services each, a query's log group limit): saved in `<project>/<env>/<group>/`, e.g. `services-51-100`.
   * @default - the environment's first group, in `<project>/<env>/`
   */
  readonly group?: string;
}

/** What CloudWatch Logs accepts as a log group name in a query definition. */
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

/**
 * The environment's saved CloudWatch Logs Insights queries (`lib/logs/queries.ts`), one
 * `AWS::Logs::QueryDefinition` each, in the console folder `<project>/<env>/`.
 *
 * L1 on purpose: `logs.QueryDefinition` only takes a structured `logs.QueryString`, and our queries
 * are raw query strings checked field by field against the log schema.
 */
export class SavedQueries extends Construct {
  public readonly queryDefinitions: logs.CfnQueryDefinition[];

  constructor(scope: Construct, id: string, props: SavedQueriesProps) {
    super(scope, id);
    const invalid = props.logGroupNames.filter((name) => !Token.isUnresolved(name) && !LOG_GROUP_NAME.test(name));
    if (invalid.length > 0) {
      throw new Error(
        `SavedQueries: invalid log group names ${invalid.map((name) => JSON.stringify(name)).join(', ')}: ` +
          'use 1 to 512 letters, digits and . - _ / #',
      );
    }
    // A query runs over the log groups it names, and StartQuery reads at most 50: more would save
    // queries that fail when someone runs them.
    if (props.logGroupNames.length > MAX_LOG_GROUPS_PER_SAVED_QUERY) {
      throw new Error(
        `SavedQueries: ${props.logGroupNames.length} log groups; a Logs Insights query reads at most ` +
          `${MAX_LOG_GROUPS_PER_SAVED_QUERY}: save one set of queries per group of at most ${MAX_LOG_GROUPS_PER_SAVED_QUERY} (viewGroups)`,
      );
    }
    const logGroupNames = props.logGroupNames.length > 0 ? [...props.logGroupNames] : undefined;
    this.queryDefinitions = savedQueries(
      props.project,
      props.environmentName,
      props.tenant,
      props.serviceName,
      props.group,
    ).map(
      (query) =>
        new logs.CfnQueryDefinition(this, pascalCase(query.title.replace(/[^A-Za-z0-9]+/g, ' ')), {
          name: query.name,
          queryString: query.queryString,
          queryLanguage: 'CWLI',
          logGroupNames,
        }),
    );
  }
}
