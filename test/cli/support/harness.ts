/** Runs obsctl in-process with captured streams, a fake clock and SDK clients that aws-sdk-client-mock intercepts. */
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { AwsClientOptions } from '../../../lib/cli/clients';
import type { Clock, InputStream, OutputStream } from '../../../lib/cli/io';
import { runCli } from '../../../lib/cli/program';

// As bin/obsctl.ts does: the SDK's Node 22 notice is not for obsctl's users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/**
 * The folder of the example app's cdk.json (test/fixtures/example-app), where obsctl runs by
 * default: the tests read a frozen copy of the profiles cdk.json shipped with, not the operator's.
 */
export const EXAMPLE_APP = join(REPO_ROOT, 'test', 'fixtures', 'example-app');

/** A token in the shape Grafana Cloud issues; tests assert it never reaches any output. */
export const FAKE_TOKEN =
  'glc_eyJvIjoiOTk5OTk5IiwibiI6InN0YWNrLTk5OTk5OS1vdGVsIiwiayI6IkZha2VTZWNyZXRLZXkxMjMiLCJtIjp7InIiOiJldSJ9fQ==';

/** 2025-01-31T11:00:00Z: "now" in unit tests. */
export const NOW = Date.UTC(2025, 0, 31, 11, 0, 0);

export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(private time = NOW) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }
}

export class CapturedOutput implements OutputStream {
  text = '';
  constructor(
    readonly isTTY = false,
    readonly columns?: number,
  ) {}
  write(text: string): boolean {
    this.text += text;
    return true;
  }
}

export interface RunOptions {
  /** Standard input (a pipe). */
  readonly stdin?: string;
  /** Standard input as a stream, e.g. a fake terminal. */
  readonly stdinStream?: InputStream;
  readonly stderrIsTTY?: boolean;
  /** Standard output is a terminal this many columns wide (otherwise a pipe). */
  readonly terminalColumns?: number;
  readonly clock?: Clock;
  /** Environment variables (OBSCTL_ENV); none by default. */
  readonly variables?: Readonly<Record<string, string>>;
  /** The cdk.json directory; the example app's (EXAMPLE_APP) by default. */
  readonly cwd?: string;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The options each client factory call got. */
  readonly clientOptions: readonly AwsClientOptions[];
}

/** `obsctl <args>` against the example app's cdk.json (the default ./cdk.json, from EXAMPLE_APP). */
export async function obsctl(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const stdout = new CapturedOutput(options.terminalColumns !== undefined, options.terminalColumns);
  const stderr = new CapturedOutput(options.stderrIsTTY ?? false, options.terminalColumns);
  const stdin =
    options.stdinStream ??
    (Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]) as InputStream);
  const clientOptions: AwsClientOptions[] = [];
  const code = await runCli(args, {
    io: { stdout, stderr, stdin },
    clock: options.clock ?? new FakeClock(),
    cwd: options.cwd ?? EXAMPLE_APP,
    variables: options.variables ?? {},
    createClients: (clientOption) => {
      clientOptions.push(clientOption);
      // Real clients; aws-sdk-client-mock replaces `send` on their prototypes.
      const config = { region: clientOption.region, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } };
      return {
        ssm: new SSMClient(config),
        logs: new CloudWatchLogsClient(config),
        serviceDiscovery: new ServiceDiscoveryClient(config),
        secretsManager: new SecretsManagerClient(config),
      };
    },
  });
  return { code, stdout: stdout.text, stderr: stderr.text, clientOptions };
}

/** A terminal on standard input that types `keys` once obsctl reads it; records raw-mode switches. */
export function fakeTerminal(keys: string): InputStream & { readonly rawModes: boolean[] } {
  const rawModes: boolean[] = [];
  const terminal = Object.assign(new PassThrough(), {
    isTTY: true,
    rawModes,
    setRawMode(mode: boolean) {
      rawModes.push(mode);
      // Typing starts when the prompt switches echo off.
      if (mode) setImmediate(() => terminal.write(keys));
      return terminal;
    },
  });
  return terminal;
}

/** An error as the SDK throws it for an AWS error code. */
export function awsError(name: string, message = name, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400, requestId: 'req-1' }, ...extra });
}

/**
 * The services of the example app's prod profile that obsctl reads (test/fixtures/example-app):
 * its own, then those it observes from other repositories (externalServices). Written out, not
 * derived from the profile, so a test fails when obsctl's reading of the profile changes.
 */
export const PROD_SERVICES: readonly string[] = [
  'api-gateway',
  'workflow-agent',
  'workflow-engine',
  'workflow-scheduler',
  'checkout',
  'orders',
  'invoices',
  'payments',
];
