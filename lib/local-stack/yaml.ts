/**
 * Plain data -> YAML, deterministically: keys in insertion order, block style, no anchors or
 * aliases, no line folding, after `#` comment lines.
 */
import { Document } from 'yaml';

export function renderYaml(value: unknown, headerLines: readonly string[]): string {
  const body = new Document(value, { aliasDuplicateObjects: false }).toString({ lineWidth: 0, minContentWidth: 0 });
  const header = headerLines.map((line) => `# ${line}`.trimEnd()).join('\n');
  return header === '' ? body : `${header}\n${body}`;
}
