/** The exact commands obsctl suggests, carrying over the options the operator used. */
import { DEFAULT_CONFIG_PATH } from './config';

export interface CommandContext {
  readonly environmentName: string;
  /** `--config` as given. */
  readonly configPath: string;
  /** `--profile` as given. */
  readonly awsProfile?: string;
  /** The region the run used. */
  readonly region: string;
}

/** Quotes a shell word only when it needs it. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function obsctl(context: CommandContext, command: string, ...options: readonly string[]): string {
  const words = ['obsctl', command, '--env', shellWord(context.environmentName), ...options];
  if (context.configPath !== DEFAULT_CONFIG_PATH) words.push('--config', shellWord(context.configPath));
  if (context.awsProfile !== undefined) words.push('--profile', shellWord(context.awsProfile));
  return words.join(' ');
}

export interface CredentialsPutCommandOptions {
  /** A tenant's token rather than the platform's. */
  readonly tenant?: string;
  readonly rotate?: boolean;
}

/** `obsctl credentials put --env prod < token.txt`, `... --tenant acme-corp --rotate < token.txt` */
export function credentialsPutCommand(context: CommandContext, options: CredentialsPutCommandOptions = {}): string {
  const words = [
    ...(options.tenant === undefined ? [] : ['--tenant', shellWord(options.tenant)]),
    ...(options.rotate === true ? ['--rotate'] : []),
  ];
  return `${obsctl(context, 'credentials put', ...words)} < token.txt`;
}

/** `obsctl credentials put-webhook --env prod < webhook-url.txt`, `... --heartbeat < heartbeat-url.txt` */
export function credentialsPutWebhookCommand(context: CommandContext, heartbeat: boolean): string {
  return heartbeat
    ? `${obsctl(context, 'credentials put-webhook', '--heartbeat')} < heartbeat-url.txt`
    : `${obsctl(context, 'credentials put-webhook')} < webhook-url.txt`;
}

/** `obsctl doctor --env prod` */
export function doctorCommand(context: CommandContext, afterDeploy = false): string {
  return obsctl(context, 'doctor', ...(afterDeploy ? ['--after-deploy'] : []));
}

/** `npx cdk deploy -c env=prod --all`: the deploy creates the config parameter, log groups and saved queries. */
export function cdkDeployCommand(context: CommandContext): string {
  const profile = context.awsProfile === undefined ? '' : ` --profile ${shellWord(context.awsProfile)}`;
  return `npx cdk deploy -c env=${shellWord(context.environmentName)} --all${profile}`;
}

/** `aws ssm delete-parameter ...`: the only way to change a parameter's type. */
export function deleteParameterCommand(context: CommandContext, name: string): string {
  const profile = context.awsProfile === undefined ? '' : ` --profile ${shellWord(context.awsProfile)}`;
  return `aws ssm delete-parameter --name ${shellWord(name)} --region ${context.region}${profile}`;
}

/** Writes a secret that is no Grafana Cloud token (obsctl writes only those) as a SecureString. */
export function putSecureStringCommand(
  context: CommandContext,
  name: string,
  options: { readonly keyArn?: string; readonly overwrite?: boolean } = {},
): string {
  const key = options.keyArn === undefined ? '' : ` --key-id ${shellWord(options.keyArn)}`;
  const overwrite = options.overwrite === true ? ' --overwrite' : '';
  const profile = context.awsProfile === undefined ? '' : ` --profile ${shellWord(context.awsProfile)}`;
  return `aws ssm put-parameter --name ${shellWord(name)} --type SecureString${key}${overwrite} --value file://secret.txt --region ${context.region}${profile}`;
}

/** The latest events of an ECS service: why its tasks do not start or stay unhealthy. */
export function serviceEventsCommand(context: CommandContext, cluster: string, service: string): string {
  const profile = context.awsProfile === undefined ? '' : ` --profile ${shellWord(context.awsProfile)}`;
  return `aws ecs describe-services --cluster ${cluster} --services ${service} --query 'services[0].events[:5].message' --region ${context.region}${profile} --no-cli-pager`;
}

/** Restarts a service's tasks so they read the rotated token (ECS reads secrets at task start). */
export function forceNewDeploymentCommand(context: CommandContext, cluster: string, service: string): string {
  const profile = context.awsProfile === undefined ? '' : ` --profile ${shellWord(context.awsProfile)}`;
  return `aws ecs update-service --cluster ${cluster} --service ${service} --force-new-deployment --region ${context.region}${profile} --no-cli-pager`;
}

/**
 * A suggested command as lines of at most `width` characters, each but the last ending in ` \`, the
 * continuations indented: pasted whole into a shell it is still one command. Words (quoted ones
 * included) are never split, so a word longer than the width makes a longer line.
 */
export function wrapCommand(command: string, width: number): string[] {
  const words = shellWordsOf(command);
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    const candidate = current === '' ? word : `${current} ${word}`;
    const indent = lines.length === 0 ? 0 : CONTINUATION_INDENT.length;
    if (current !== '' && indent + candidate.length + ' \\'.length > width) {
      lines.push(current);
      current = word;
    } else {
      current = candidate;
    }
  }
  lines.push(current);
  return lines.map(
    (line, index) => `${index === 0 ? '' : CONTINUATION_INDENT}${line}${index < lines.length - 1 ? ' \\' : ''}`,
  );
}

const CONTINUATION_INDENT = '  ';

/** The words of a command as `shellWord` and the command builders write them: single spaces, single quotes. */
function shellWordsOf(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let quoted = false;
  for (const character of command) {
    if (character === "'") quoted = !quoted;
    if (character === ' ' && !quoted) {
      if (word !== '') words.push(word);
      word = '';
    } else {
      word += character;
    }
  }
  if (word !== '') words.push(word);
  return words;
}
