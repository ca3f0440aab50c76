// Asserts on a synthesized example (scripts/check-examples.sh): every task definition runs the
// collector sidecar, every log group is retained and encrypted with an expiry, alarms exist, and
// no template imports a CloudFormation export (the platform is read by name), and none holds a
// dynamic reference (the source token is read by a deploy-time parameter: CloudFormation resolves
// at most 60 `{{resolve:...}}` per template, so they would bound the alarms per stack).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const outdir = process.argv[2];
const templates = readdirSync(outdir)
  .filter((file) => file.endsWith('.template.json'))
  .map((file) => [file, JSON.parse(readFileSync(join(outdir, file), 'utf8'))]);
const problems = [];
if (templates.length === 0) problems.push('no template synthesized');
let taskDefinitions = 0;
let alarms = 0;
for (const [file, template] of templates) {
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type === 'AWS::ECS::TaskDefinition') {
      taskDefinitions += 1;
      const names = resource.Properties.ContainerDefinitions.map((container) => container.Name);
      if (!names.includes('otel-collector')) problems.push(`${file} ${id}: no otel-collector sidecar (${names})`);
    }
    if (resource.Type === 'AWS::Logs::LogGroup') {
      if (resource.Properties.KmsKeyId === undefined) problems.push(`${file} ${id}: log group not encrypted`);
      if (resource.Properties.RetentionInDays === undefined) problems.push(`${file} ${id}: log group never expires`);
      if (resource.DeletionPolicy !== 'Retain') problems.push(`${file} ${id}: log group not retained`);
    }
    if (resource.Type === 'AWS::CloudWatch::Alarm') alarms += 1;
  }
  if (JSON.stringify(template).includes('Fn::ImportValue')) problems.push(`${file}: imports a CloudFormation export`);
  const dynamicReferences = JSON.stringify(template).split('{{resolve:').length - 1;
  if (dynamicReferences > 0) problems.push(`${file}: ${dynamicReferences} dynamic references, expected none`);
}
if (taskDefinitions === 0) problems.push('no task definition');
if (alarms === 0) problems.push('no CloudWatch alarm');
if (problems.length > 0) {
  console.error(`${outdir}:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `  ${templates.length} template(s), ${taskDefinitions} task definition(s) with a sidecar, ${alarms} alarms`,
);
