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

/** `obsctl credentials put --env prod < token.txt` */
export function credentialsPutCommand(context: CommandContext, rotate = false): string {
  return `${obsctl(context, 'credentials put', ...(rotate ? ['--rotate'] : []))} < token.txt`;
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

/** Restarts a service's tasks so they read the rotated token (ECS reads secrets at task start). */
export function forceNewDeploymentCommand(context: CommandContext, cluster: string, service: string): string {
  const profile = context.awsProfile === undefined ? '' : ` --profile ${shellWord(context.awsProfile)}`;
  return `aws ecs update-service --cluster ${cluster} --service ${service} --force-new-deployment --region ${context.region}${profile} --no-cli-pager`;
}
