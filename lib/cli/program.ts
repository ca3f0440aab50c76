/**
 * The obsctl command line: commander parses every argument; actions load the profile, make the
 * AWS clients and hand over to the command modules. Errors become one line each on stderr (under
 * --json one JSON object on stdout), a stable error code and an exit code (exit-codes.ts); nothing
 * throws out of `runCli`.
 */
import { dirname, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { savedQueries } from '../logs/queries';
import { type AwsClientFactory, type AwsClientOptions, createAwsClients } from './clients';
import { declaredTenant, type RunContext } from './commands/context';
import { formatCredentialsResult, putCredentials } from './commands/credentials';
import { doctorExitCode, doctorJson, formatDoctorReport, runDoctor } from './commands/doctor';
import { formatPublishReport, grafanaDriftCheck, publishFailed, publishGrafana, publishJson } from './commands/grafana';
import {
  formatQueryResult,
  formatSavedQueryList,
  queryJson,
  runSavedQuery,
  savedQueryListJson,
} from './commands/query';
import {
  formatReview,
  npmSynth,
  type ReviewFormat,
  riskFailureLines,
  runReview,
  type Synthesize,
} from './commands/review';
import { formatTrace, runTrace, traceJson } from './commands/trace';
import { formatWebhookResult, putWebhook, WEBHOOK_WORDS, webhookUrlProblem } from './commands/webhook';
import { DEFAULT_CONFIG_PATH, ENVIRONMENT_VARIABLE, loadEnvironment } from './config';
import { formatDuration, parseDuration } from './duration';
import { type DescribedError, describeError, errorJson } from './errors';
import { type ErrorCode, EXIT, EXIT_CODE_HELP, type ExitCode } from './exit-codes';
import { credentialsPutCommand, credentialsPutWebhookCommand } from './fixes';
import { DEFAULT_QUERY_TIMEOUT_MS, type InsightsOptions } from './insights';
import { type CliIo, type Clock, type OutputStream, Redactor, systemClock, terminalProgress } from './io';
import type { TableOptions } from './table';
import { readSecret, readToken } from './token';
import { normalizeTrackingId } from './tracking-id';
import { packageVersion } from './version';

export interface CliDependencies {
  readonly io: CliIo;
  readonly createClients: AwsClientFactory;
  readonly clock: Clock;
  /** Where a relative --config is resolved. */
  readonly cwd: string;
  /** The process's environment variables (OBSCTL_ENV). */
  readonly variables: Readonly<Record<string, string | undefined>>;
  /** How `obsctl review` synthesizes a side. @default - the README's `npm run synth` */
  readonly synthesize?: Synthesize;
}

/** The real process: its streams, the SDK's clients, the system clock, its environment variables. */
export function processDependencies(): CliDependencies {
  return {
    io: { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
    createClients: createAwsClients,
    clock: systemClock,
    cwd: process.cwd(),
    variables: process.env,
  };
}

/** The width tables fit when stdout is not a terminal (a pipe, a file). */
export const PIPED_TABLE_WIDTH = 80;

/** Tables fit the terminal, or 80 columns when piped; `--wide` lifts the limit. */
export function tableOptions(stdout: OutputStream, wide: boolean | undefined): TableOptions {
  if (wide === true) return {};
  // Some terminals (CI pseudo-terminals) report 0 columns: treat that as unknown.
  const columns = stdout.isTTY === true ? (stdout.columns ?? 0) : 0;
  return { width: columns > 0 ? columns : PIPED_TABLE_WIDTH };
}

/** Whether the command line asks for JSON (before a `--`), so even a usage error is printed as JSON. */
function wantsJson(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--json');
}

/** Commander's own errors: a bad value is `invalid-argument`, anything else about the command line `usage`. */
function commanderErrorCode(code: string): ErrorCode {
  return code === 'commander.invalidArgument' ? 'invalid-argument' : 'usage';
}

interface GlobalOptions {
  readonly config: string;
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
}

/** A command's environment before any client exists. */
type Target = Omit<RunContext, 'clients'> & { readonly clientOptions: AwsClientOptions };

const DEFAULT_SINCE_MS = 3_600_000;

/** Runs obsctl with `args` (without `node` and the script) and returns the exit code. */
export async function runCli(args: readonly string[], dependencies: CliDependencies): Promise<ExitCode> {
  const redactor = new Redactor();
  const io: CliIo = {
    stdin: dependencies.io.stdin,
    stdout: redactor.wrap(dependencies.io.stdout),
    stderr: redactor.wrap(dependencies.io.stderr),
  };
  const json = wantsJson(args);
  const state: { exitCode: ExitCode } = { exitCode: EXIT.ok };
  const program = buildProgram({ ...dependencies, io }, redactor, state, json);
  const report = (described: DescribedError): ExitCode => {
    if (json) io.stdout.write(errorJson(described));
    else for (const line of described.lines) io.stderr.write(`${line}\n`);
    return described.exitCode;
  };
  try {
    await program.parseAsync([...args], { from: 'user' });
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      // Commander has printed the error already, unless it is to be JSON.
      if (!json) return EXIT.usage;
      return report({
        code: commanderErrorCode(error.code),
        // Commander's suggestion comes on a second line: `(Did you mean doctor?)`.
        lines: [error.message.replace(/^error: /, '').replace(/\n/g, ' ')],
        exitCode: EXIT.usage,
      });
    }
    return report(describeError(error));
  }
}

/**
 * The obsctl program itself, for rendering its help into docs/reference/obsctl.md: output goes
 * nowhere and help is laid out for 80 columns, as when piped. Its actions are never run.
 */
export function obsctlProgram(): Command {
  const nowhere: OutputStream = { write: () => true };
  return buildProgram(
    {
      io: { stdout: nowhere, stderr: nowhere, stdin: process.stdin },
      createClients: createAwsClients,
      clock: systemClock,
      cwd: '.',
      variables: {},
    },
    new Redactor(),
    { exitCode: EXIT.ok },
    false,
  );
}

function buildProgram(
  dependencies: CliDependencies,
  redactor: Redactor,
  state: { exitCode: ExitCode },
  json: boolean,
): Command {
  const { io } = dependencies;
  const program = new Command('obsctl')
    .description(
      'Operate the observability of the ECS services: the Grafana Cloud token, pre- and post-deploy checks, ' +
        'and log search by tracking id.',
    )
    .version(packageVersion(), '-V, --version', 'print the obsctl version')
    .addOption(
      new Option('--config <path>', 'the cdk.json whose context "environments" holds the profiles').default(
        DEFAULT_CONFIG_PATH,
      ),
    )
    .option('--region <region>', "the AWS region (default: the environment profile's region)")
    .option('--profile <name>', 'the AWS named profile for credentials (default: AWS_PROFILE, then the default chain)')
    .addOption(
      new Option(
        '--endpoint-url <url>',
        'send SSM, CloudWatch Logs and Cloud Map calls to this endpoint (the SDK also reads AWS_ENDPOINT_URL itself)',
      ).argParser(parseUrl),
    )
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Help fits the terminal of the injected streams, or 80 columns, like the tables.
      getOutHelpWidth: () => tableOptions(io.stdout, false).width ?? PIPED_TABLE_WIDTH,
      getErrHelpWidth: () => tableOptions(io.stderr, false).width ?? PIPED_TABLE_WIDTH,
      // Under --json, runCli prints commander's errors as JSON instead.
      outputError: (text, write) => {
        if (!json) write(text);
      },
    })
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .addHelpText('after', `\n${EXIT_CODE_HELP}\n`);

  const envOption = () =>
    new Option(
      '--env <env>',
      `the environment, a key of "environments" in cdk.json (default: $${ENVIRONMENT_VARIABLE}, else the only environment)`,
    );
  const wideOption = () =>
    new Option(
      '--wide',
      'print every column at full width, one line per row (default: fit the terminal, 80 columns when piped)',
    );

  /** The --config to repeat in suggested commands: none when it is the default file. */
  const suggestedConfigPath = (configPath: string): string =>
    resolve(dependencies.cwd, configPath) === resolve(dependencies.cwd, DEFAULT_CONFIG_PATH)
      ? DEFAULT_CONFIG_PATH
      : configPath;

  /** The environment a command targets: its validated profile, region and AWS options. No AWS call yet. */
  const target = (command: Command): Target => {
    const globals = command.optsWithGlobals<GlobalOptions & { env?: string }>();
    const { environmentName, profile } = loadEnvironment(
      globals.config,
      { flag: globals.env, variable: dependencies.variables[ENVIRONMENT_VARIABLE] },
      dependencies.cwd,
    );
    const region = globals.region ?? profile.region;
    if (region !== profile.region) {
      io.stderr.write(
        `note: --region ${region} is not the region of ${environmentName} in the profile (${profile.region})\n`,
      );
    }
    return {
      environmentName,
      profile,
      clientOptions: { region, awsProfile: globals.profile, endpointUrl: globals.endpointUrl },
      command: {
        environmentName,
        configPath: suggestedConfigPath(globals.config),
        awsProfile: globals.profile,
        region,
      },
    };
  };

  /** Makes the clients, runs `body`, sets the exit code, and always releases the clients' sockets. */
  const connect = async (environment: Target, body: (run: RunContext) => Promise<ExitCode>): Promise<void> => {
    const clients = dependencies.createClients(environment.clientOptions);
    try {
      state.exitCode = await body({ ...environment, clients });
    } finally {
      clients.ssm.destroy();
      clients.logs.destroy();
      clients.serviceDiscovery.destroy();
    }
  };

  const insightsOptions = (timeoutMs: number): InsightsOptions => ({
    clock: dependencies.clock,
    timeoutMs,
    progress: terminalProgress(io.stderr),
  });

  const since = () =>
    new Option('--since <duration>', 'how far back to search: a number and a unit s, m, h, d or w (15m, 2d, 1w)')
      .default(DEFAULT_SINCE_MS, '1h')
      .argParser(durationArgument);
  const timeout = () =>
    new Option('--timeout <duration>', 'give up on the Logs Insights query after this long')
      .default(DEFAULT_QUERY_TIMEOUT_MS, '30s')
      .argParser(durationArgument);

  const credentials = program
    .command('credentials')
    .description(
      'store the secrets a deploy reads: the Grafana Cloud token (SSM) and the on-call URLs (Secrets Manager)',
    );
  credentials
    .command('put')
    .description(
      'store a Grafana Cloud access-policy token (read from standard input) as the SecureString parameter the ' +
        "collector tasks read: the platform's, or with --tenant a tenant's; for the platform's token, also update " +
        'the non-secret config parameter when it differs from the profile',
    )
    .addOption(envOption())
    .option(
      '--tenant <id>',
      "store this tenant's token (tenants.<id>.grafanaCloud.apiKeyParameterName) instead of the platform's",
    )
    .option('--rotate', 'replace an existing token (without it an existing parameter is never overwritten)')
    .addHelpText(
      'after',
      '\nThe token is read from standard input only, never from an argument (shell\n' +
        'history and ps keep those). On a terminal it is prompted for without echo. It is\n' +
        'never printed.\n\n' +
        'Examples:\n  obsctl credentials put --env prod < token.txt\n  obsctl credentials put --env prod --rotate < new-token.txt\n' +
        '  obsctl credentials put --env prod --tenant acme-corp < acme-corp-token.txt\n',
    )
    .action(async (options: { rotate?: boolean; tenant?: string }, command: Command) => {
      const rotate = options.rotate === true;
      // The profile and tenant are validated and the token checked before any AWS call, so a bad paste costs nothing.
      const environment = target(command);
      const tenant =
        options.tenant === undefined
          ? undefined
          : declaredTenant(environment.environmentName, environment.profile, options.tenant);
      const token = await readToken(
        io.stdin,
        io.stderr,
        `Pipe it in: ${credentialsPutCommand(environment.command, { tenant, rotate })}`,
        tenant === undefined ? 'Grafana Cloud token' : `Grafana Cloud token of tenant ${tenant}`,
      );
      redactor.add(token);
      await connect(environment, async (run) => {
        io.stdout.write(formatCredentialsResult(run, await putCredentials(run, { token, rotate, tenant })));
        return EXIT.ok;
      });
    });

  credentials
    .command('put-webhook')
    .description(
      "store the on-call tool's webhook URL (read from standard input), or with --heartbeat its heartbeat URL, as " +
        'the Secrets Manager secret the profile names (notifications.onCallWebhook / notifications.heartbeat)',
    )
    .addOption(envOption())
    .option('--heartbeat', 'store the heartbeat URL instead of the webhook URL')
    .addHelpText(
      'after',
      "\nThe URL carries the tool's token: it is read from standard input only and never\n" +
        'printed. An existing secret is never overwritten: CloudFormation would not see\n' +
        'the new value (store a new URL under a new secret name).\n\n' +
        'Examples:\n  obsctl credentials put-webhook --env prod < webhook-url.txt\n' +
        '  obsctl credentials put-webhook --env prod --heartbeat < heartbeat-url.txt\n',
    )
    .action(async (options: { heartbeat?: boolean }, command: Command) => {
      const kind = options.heartbeat === true ? 'heartbeat' : 'onCallWebhook';
      const environment = target(command);
      const url = await readSecret(
        io.stdin,
        io.stderr,
        `Pipe it in: ${credentialsPutWebhookCommand(environment.command, kind === 'heartbeat')}`,
        { what: WEBHOOK_WORDS[kind], noun: 'URL', shapeProblem: webhookUrlProblem },
      );
      redactor.add(url);
      await connect(environment, async (run) => {
        io.stdout.write(formatWebhookResult(run, await putWebhook(run, { kind, url })));
        return EXIT.ok;
      });
    });

  program
    .command('doctor')
    .description(
      'check that the parameters the collectors read (platform, tenants, gateway) exist with the right type, the ' +
        'config parameter matches the profile, the log groups and saved queries the deploy creates exist, and the ' +
        'collector gateway has healthy tasks',
    )
    .addOption(envOption())
    .option('--after-deploy', 'the deploy has run: what it creates must exist (otherwise "not deployed" is no failure)')
    .option('--json', 'print JSON only: {environment, checks[{check, result, detail, fix?}], summary}')
    .option('--grafana', 'also compare Grafana Cloud with the committed dashboards/ and alerts/ (a dry-run publish)')
    .addOption(wideOption())
    .addHelpText(
      'after',
      '\nResults: pass, fail (with the command that fixes it), or "not deployed" for what\n' +
        '`cdk deploy` creates (config parameter, service log groups, saved queries, the\n' +
        'gateway in Cloud Map) when --after-deploy is not given. Exits 1 when any check\n' +
        'fails. Fitted to the terminal (80 columns when piped), each check is a block\n' +
        'with its fix; --wide prints one line per check.\n\nExamples:\n  obsctl doctor --env prod\n  obsctl doctor --env prod --after-deploy\n' +
        '  obsctl doctor --env prod --json\n',
    )
    .action(
      async (
        options: { afterDeploy?: boolean; json?: boolean; wide?: boolean; grafana?: boolean },
        command: Command,
      ) => {
        const root = dirname(resolve(dependencies.cwd, command.optsWithGlobals<GlobalOptions>().config));
        await connect(target(command), async (run) => {
          const checks = [
            ...(await runDoctor(run, {
              afterDeploy: options.afterDeploy === true,
              progress: terminalProgress(io.stderr),
            })),
            ...(options.grafana === true
              ? [
                  grafanaDriftCheck(
                    await publishGrafana(run, {
                      root,
                      dryRun: true,
                      force: false,
                      redactor,
                      progress: terminalProgress(io.stderr),
                    }),
                    run.environmentName,
                  ),
                ]
              : []),
          ];
          io.stdout.write(
            options.json === true
              ? doctorJson(run.environmentName, checks)
              : formatDoctorReport(checks, tableOptions(io.stdout, options.wide)),
          );
          return doctorExitCode(checks);
        });
      },
    );

  program
    .command('grafana')
    .description("Grafana Cloud: the environment's dashboards, rule groups and Alertmanager configuration")
    .command('publish')
    .description(
      'publish the committed dashboards/ (a folder per environment), alerts/<env>.rules.yaml (one ruler namespace ' +
        'per environment) and alerts/<env>.alertmanager.yaml (its secrets resolved from Secrets Manager) to Grafana Cloud',
    )
    .addOption(envOption())
    .option('--dry-run', 'only show what would change against what is live')
    .option('--force', 'also replace live objects changed by hand since the last publish')
    .option('--json', 'print JSON only: {environment, dryRun, objects[{kind, name, action}], summary}')
    .addOption(
      new Option('--grafana-url <url>', "send Grafana API calls here instead of the profile's stackUrl").argParser(
        parseUrl,
      ),
    )
    .addOption(
      new Option(
        '--prometheus-url <url>',
        'send ruler and Alertmanager calls here instead of grafanaCloud.publish.prometheusUrl',
      ).argParser(parseUrl),
    )
    .addHelpText(
      'after',
      '\nEach object we publish carries a stamp (the hash of its content): an object whose\n' +
        'content no longer matches its stamp was changed by hand, and is reported and left\n' +
        'alone (exit 1) unless --force. Publishing twice changes nothing.\n\n' +
        'Examples:\n  obsctl grafana publish --env prod --dry-run\n  obsctl grafana publish --env prod --json\n',
    )
    .action(
      async (
        options: { dryRun?: boolean; force?: boolean; json?: boolean; grafanaUrl?: string; prometheusUrl?: string },
        command: Command,
      ) => {
        const environment = target(command);
        const root = dirname(resolve(dependencies.cwd, command.optsWithGlobals<GlobalOptions>().config));
        await connect(environment, async (run) => {
          const report = await publishGrafana(run, {
            root,
            dryRun: options.dryRun === true,
            force: options.force === true,
            grafanaUrl: options.grafanaUrl,
            prometheusUrl: options.prometheusUrl,
            redactor,
            progress: terminalProgress(io.stderr),
          });
          io.stdout.write(options.json === true ? publishJson(report) : formatPublishReport(report));
          return publishFailed(report) ? EXIT.failed : EXIT.ok;
        });
      },
    );

  program
    .command('trace')
    .description(
      "print every log record of one request across the environment's services, in time order, and its Grafana Tempo link",
    )
    .argument(
      '<tracking-id>',
      'the X-Tracking-ID response header (the trace id: 32 hex characters)',
      trackingIdArgument,
    )
    .addOption(envOption())
    .addOption(since())
    .addOption(timeout())
    .option('--json', 'print JSON only: {trackingId, environment, from, to, logGroups, events[], tempoUrl}')
    .addOption(wideOption())
    .addHelpText(
      'after',
      '\nExits 1 when no record carries the tracking id (records reach Logs Insights\n' +
        'about a minute after they are written). Fitted to the terminal (80 columns when\n' +
        'piped), messages wrap and the span id is left out; --wide adds the SPAN column.\n\n' +
        'Examples:\n  obsctl trace 4bf92f3577b34da6a3ce929d0e0e4736 --env prod\n' +
        '  obsctl trace 4bf92f3577b34da6a3ce929d0e0e4736 --env prod --since 2d --json\n',
    )
    .action(
      async (
        trackingId: string,
        options: { since: number; timeout: number; json?: boolean; wide?: boolean },
        command: Command,
      ) => {
        await connect(target(command), async (run) => {
          const result = await runTrace(run, {
            trackingId,
            sinceMs: options.since,
            insights: insightsOptions(options.timeout),
          });
          warnMissing(result.missingLogGroups);
          io.stdout.write(
            options.json === true ? traceJson(result) : formatTrace(result, tableOptions(io.stdout, options.wide)),
          );
          if (result.events.length > 0) return EXIT.ok;
          // Under --json the empty `events` says it: stdout holds the one JSON document, stderr nothing.
          if (options.json !== true) {
            io.stderr.write(
              `No log record has tracking id ${trackingId} in the last ${formatDuration(options.since)} ` +
                `(${result.logGroups.length} log groups searched). Widen --since, or check the environment.\n`,
            );
          }
          return EXIT.failed;
        });
      },
    );

  const query = program
    .command('query')
    .description("the environment's saved Logs Insights queries: list them, or run one and print the rows");
  query
    .command('run', { isDefault: true })
    .description(
      "run one of the environment's saved Logs Insights queries over the service log groups and print the rows " +
        '(the default: `obsctl query <name>` is `obsctl query run <name>`)',
    )
    .argument('<saved-query-name>', 'the title ("Top error types") or full name ("<project>/<env>/Top error types")')
    .addOption(envOption())
    .addOption(since())
    .addOption(timeout())
    .option('--json', 'print JSON only: {query, environment, from, to, logGroups, rows[]}')
    .addOption(wideOption())
    .addHelpText(
      'after',
      '\nExamples:\n  obsctl query "Top error types" --env prod --since 1d\n  obsctl query "Error count by service" --env prod --json\n',
    )
    .action(
      async (
        name: string,
        options: { since: number; timeout: number; json?: boolean; wide?: boolean },
        command: Command,
      ) => {
        await connect(target(command), async (run) => {
          const result = await runSavedQuery(run, {
            name,
            sinceMs: options.since,
            insights: insightsOptions(options.timeout),
          });
          warnMissing(result.missingLogGroups);
          io.stdout.write(
            options.json === true
              ? queryJson(result)
              : formatQueryResult(result, tableOptions(io.stdout, options.wide)),
          );
          return EXIT.ok;
        });
      },
    );
  query
    .command('list')
    .description("list the environment's saved queries with what each answers (no AWS call)")
    .addOption(envOption())
    .option('--json', 'print JSON only: {environment, queries[{title, name, description, command}]}')
    .addOption(wideOption())
    .action((options: { json?: boolean; wide?: boolean }, command: Command) => {
      const { environmentName, profile } = target(command);
      const queries = savedQueries(profile.project, environmentName);
      io.stdout.write(
        options.json === true
          ? savedQueryListJson(environmentName, queries)
          : formatSavedQueryList(queries, tableOptions(io.stdout, options.wide)),
      );
      state.exitCode = EXIT.ok;
    });

  program
    .command('review')
    .description(
      'say what a change does to monitoring and paging: alarms and where they route, log retention, saved ' +
        'queries, IAM grants, task definitions, collector configs and sampling, Prometheus rules and dashboards ' +
        '(no AWS call)',
    )
    .option('--base <dir>', 'the cloud assembly before the change (or a repository root with cdk.out/)')
    .option('--base-ref <git-ref>', 'synthesize the base from this git ref in a temporary worktree (origin/main)')
    .option('--head <dir>', 'the cloud assembly after the change (default: a fresh synth of the work tree)')
    .option('--markdown', 'print Markdown for a pull-request comment')
    .option(
      '--json',
      'print JSON only: {changes[{environment, service, category, subject, kind, fields, risks}], risks, summary}',
    )
    .option('--fail-on-risk', 'exit 1 when a change is a risk, listing why on stderr')
    .addHelpText(
      'after',
      '\nThe generated files (collector-config/, alerts/, dashboards/) are read from the\n' +
        "assembly's directory or its parent. A synth runs the README's `npm run synth`,\n" +
        'offline. Prints "no observability changes" when there are none.\n\n' +
        'Examples:\n  obsctl review --base-ref origin/main\n  obsctl review --base base/cdk.out --head cdk.out --markdown --fail-on-risk\n',
    )
    .action(
      (options: {
        base?: string;
        baseRef?: string;
        head?: string;
        markdown?: boolean;
        json?: boolean;
        failOnRisk?: boolean;
      }) => {
        const result = runReview({
          base: options.base,
          baseRef: options.baseRef,
          head: options.head,
          cwd: dependencies.cwd,
          synthesize: dependencies.synthesize ?? npmSynth,
        });
        const format: ReviewFormat = options.json === true ? 'json' : options.markdown === true ? 'markdown' : 'text';
        io.stdout.write(formatReview(result, format));
        if (options.failOnRisk === true && result.risks.length > 0) {
          if (options.json !== true) for (const line of riskFailureLines(result)) io.stderr.write(`${line}\n`);
          state.exitCode = EXIT.failed;
          return;
        }
        state.exitCode = EXIT.ok;
      },
    );

  const warnMissing = (missing: readonly string[]) => {
    if (missing.length > 0) io.stderr.write(`note: not searched, not deployed yet: ${missing.join(', ')}\n`);
  };

  return program;
}

function durationArgument(value: string): number {
  try {
    return parseDuration(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function trackingIdArgument(value: string): string {
  try {
    return normalizeTrackingId(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function parseUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    return value;
  } catch {
    throw new InvalidArgumentError(`"${value}" is not an http(s) URL, e.g. http://127.0.0.1:4566`);
  }
}
