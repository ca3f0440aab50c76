import { createHash } from 'node:crypto';

/** A short, stable digest of a text: the first 12 hex characters of its SHA-256. */
export function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** Long values (an embedded collector config) read as their size and digest; short ones as they are. */
export function shortValue(text: string | undefined, limit = 120): string | undefined {
  if (text === undefined || text.length <= limit) return text;
  return `${text.length} characters, sha256 ${digest(text)}`;
}
