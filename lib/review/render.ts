/**
 * A review printed three ways: plain text for a terminal, Markdown for a pull-request comment,
 * and JSON for scripts. All three say "no observability changes" when there are none.
 */
import type { Change, FieldChange } from './model';
import type { Review } from './review';

export const NO_CHANGES = 'no observability changes';

const NONE = '(none)';

function fieldText(field: FieldChange): string {
  if (field.old === undefined) return `${field.field}: ${field.new ?? NONE}`;
  if (field.new === undefined) return `${field.field}: ${field.old} → ${NONE}`;
  return `${field.field}: ${field.old} → ${field.new}`;
}

/** Changes grouped by `environment / service`, in the review's order. */
function groups(changes: readonly Change[]): Map<string, Change[]> {
  const result = new Map<string, Change[]>();
  for (const change of changes) {
    const key = `${change.environment} / ${change.service}`;
    result.set(key, [...(result.get(key) ?? []), change]);
  }
  return result;
}

function summary(review: Review): string {
  const count = review.changes.length;
  const risks = review.risks.length;
  return `${count} change${count === 1 ? '' : 's'}, ${risks} risk${risks === 1 ? '' : 's'}`;
}

export function formatReviewText(review: Review): string {
  if (review.changes.length === 0) return `${NO_CHANGES}\n`;
  const lines = [`Observability review: ${summary(review)}`];
  for (const [group, changes] of groups(review.changes)) {
    lines.push('', group);
    let category = '';
    for (const change of changes) {
      if (change.category !== category) {
        category = change.category;
        lines.push(`  ${category}`);
      }
      lines.push(`    ${change.risks.length > 0 ? '!' : '-'} ${change.kind} ${change.subject}`);
      for (const field of change.fields) lines.push(`        ${fieldText(field)}`);
      for (const risk of change.risks) lines.push(`        RISK: ${risk}`);
    }
  }
  if (review.risks.length > 0) {
    lines.push('', `Risks (${review.risks.length}):`, ...review.risks.map((risk) => `  - ${risk}`));
  }
  return `${lines.join('\n')}\n`;
}

/** Inline code in Markdown, safe for values that hold backticks. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text.replace(/\n/g, ' ')}${fence}`;
}

function markdownField(field: FieldChange): string {
  if (field.old === undefined) return `${field.field}: ${code(field.new ?? NONE)}`;
  return `${field.field}: ${code(field.old)} → ${code(field.new ?? NONE)}`;
}

export function formatReviewMarkdown(review: Review): string {
  if (review.changes.length === 0) return `### Observability review\n\n${NO_CHANGES}\n`;
  const lines = ['### Observability review', '', summary(review)];
  if (review.risks.length > 0) {
    lines.push('', '**Risks**', '', ...review.risks.map((risk) => `- :warning: ${risk}`));
  }
  for (const [group, changes] of groups(review.changes)) {
    lines.push('', `#### ${group}`, '');
    for (const change of changes) {
      const mark = change.risks.length > 0 ? ':warning: ' : '';
      lines.push(`- ${mark}**${change.kind}** ${change.category}: ${code(change.subject)}`);
      for (const field of change.fields) lines.push(`  - ${markdownField(field)}`);
      for (const risk of change.risks) lines.push(`  - **risk:** ${risk}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function reviewJson(review: Review): string {
  return `${JSON.stringify({ changes: review.changes, risks: review.risks, summary: review.changes.length === 0 ? NO_CHANGES : summary(review) }, null, 2)}\n`;
}
