/**
 * docs/reference/queries.md: the saved CloudWatch Logs Insights queries every environment gets
 * (lib/logs/queries.ts), with their names under the environments of cdk.json.
 */
import type { GeneratedFile } from '../generated-file';
import { savedQueries, savedQueryFolder } from '../logs/queries';
import type { EnvironmentProfile } from '../profile/schema';
import { code, generatedHeader, REFERENCE_FOLDER } from './markdown';

export const SAVED_QUERIES_PATH = `${REFERENCE_FOLDER}/queries.md`;

export function savedQueriesPage(profiles: Readonly<Record<string, EnvironmentProfile>>): GeneratedFile {
  const names = Object.keys(profiles);
  const folders = names.flatMap((name) => {
    const { project, tenants } = profiles[name];
    return [
      savedQueryFolder(project, name),
      ...Object.keys(tenants ?? {}).map((tenant) => savedQueryFolder(project, name, tenant)),
    ];
  });
  const [first] = names;
  const queries = savedQueries(profiles[first].project, first);
  const sections = queries.map(
    (query) =>
      `## ${query.title}\n\n${query.description}\n\n` +
      `Saved as ${code(query.name)} in ${first}; run it with \`npx obsctl query --env ${first} "${query.title}"\`.\n\n` +
      `\`\`\`text\n${query.queryString}\n\`\`\`\n`,
  );
  return {
    path: SAVED_QUERIES_PATH,
    content:
      generatedHeader('Saved Logs Insights queries', 'lib/logs/queries.ts and the profiles in cdk.json') +
      'Each environment (and each tenant) gets these query definitions in CloudWatch Logs Insights, ' +
      'in a folder per environment:\n\n' +
      `${folders.map((folder) => `- ${code(`${folder}/`)}`).join('\n')}\n\n` +
      `${sections.join('\n')}`,
  };
}
