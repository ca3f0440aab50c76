/**
 * The Grafana Cloud token, read from standard input only: a command-line argument would stay in
 * shell history and be visible to every user in `ps`. Nothing here ever formats the token into a
 * message; problems are described by length and character class.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { CliError } from './errors';
import type { InputStream, OutputStream } from './io';

/** Grafana Cloud access-policy tokens are `glc_` and a base64-encoded JSON document. */
export const TOKEN_PREFIX = 'glc_';
/** Real tokens are well over 100 characters; anything this short is a truncated paste. */
export const MIN_TOKEN_BODY_LENGTH = 32;
/** The value limit of a standard-tier SSM parameter. */
export const MAX_TOKEN_LENGTH = 4096;
/** Standard input should hold one token; more than this is the wrong file. */
export const MAX_STDIN_BYTES = 64 * 1024;

const TOKEN_BODY = /^[A-Za-z0-9+/_=-]+$/;

/** What is wrong with the shape of a token, or undefined when it looks like one. Never quotes the token. */
export function tokenShapeProblem(token: string): string | undefined {
  if (token.length === 0) return 'the token is empty';
  if (/\s/.test(token)) return 'the token contains whitespace (a line break or space inside it)';
  if (!token.startsWith(TOKEN_PREFIX)) {
    return `the token does not start with "${TOKEN_PREFIX}": use a Grafana Cloud access-policy token (Administration > Access policies)`;
  }
  const body = token.slice(TOKEN_PREFIX.length);
  if (!TOKEN_BODY.test(body)) {
    return `the token has characters other than letters, digits and + / _ = - after "${TOKEN_PREFIX}"`;
  }
  if (body.length < MIN_TOKEN_BODY_LENGTH) {
    return `the token is too short (${token.length} characters; a token has at least ${TOKEN_PREFIX.length + MIN_TOKEN_BODY_LENGTH}), so it may have been cut off`;
  }
  if (token.length > MAX_TOKEN_LENGTH) return `the token is longer than ${MAX_TOKEN_LENGTH} characters`;
  return undefined;
}

/** Drops the line ending(s) an editor or `echo` leaves at the end of a file, and a UTF-8 byte order mark. */
export function trimTrailingNewlines(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/[\r\n]+$/, '');
}

/**
 * Reads the token: all of standard input when it is a pipe or file, or a hidden prompt on a terminal.
 * @throws CliError when input is empty, too large, or the prompt is cancelled
 */
export async function readToken(
  stdin: InputStream,
  stderr: OutputStream,
  howTo: string,
  /** What the prompt asks for, e.g. `Grafana Cloud token of tenant acme-corp`. */
  what = 'Grafana Cloud token',
): Promise<string> {
  return readSecret(stdin, stderr, howTo, { what, noun: 'token', shapeProblem: tokenShapeProblem });
}

export interface SecretInput {
  /** What the prompt asks for, e.g. `on-call webhook URL`. */
  readonly what: string;
  /** How messages name it: `token`, `URL`. */
  readonly noun: string;
  /** What is wrong with its shape, never quoting it; undefined when it looks right. */
  readonly shapeProblem: (value: string) => string | undefined;
}

/**
 * Reads one secret the way `readToken` reads the token: standard input only, checked, never echoed.
 * @throws CliError when input is empty, too large, badly shaped, or the prompt is cancelled
 */
export async function readSecret(
  stdin: InputStream,
  stderr: OutputStream,
  howTo: string,
  input: SecretInput,
): Promise<string> {
  const value = stdin.isTTY
    ? await promptHidden(stdin, stderr, input.what, input.noun)
    : trimTrailingNewlines(await readAll(stdin, input.noun));
  if (value.length === 0) throw new CliError(`No ${input.noun} on standard input. ${howTo}`, 'invalid-secret');
  const problem = input.shapeProblem(value);
  if (problem !== undefined) throw new CliError(`Refusing to store it: ${problem}.`, 'invalid-secret');
  return value;
}

async function readAll(stdin: InputStream, noun: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_STDIN_BYTES) {
      throw new CliError(
        `Standard input is larger than ${MAX_STDIN_BYTES / 1024} KiB: it must hold only the ${noun}.`,
        'invalid-secret',
      );
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A prompt whose echo goes nowhere: readline puts the terminal in raw mode and "echoes" to `muted`. */
function promptHidden(stdin: InputStream, stderr: OutputStream, what: string, noun: string): Promise<string> {
  stderr.write(`${what} (input hidden, Enter to finish): `);
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const reader = createInterface({ input: stdin, output: muted, terminal: true });
  return new Promise((resolve, reject) => {
    let answered = false;
    reader.once('line', (line) => {
      answered = true;
      reader.close();
      stderr.write('\n');
      resolve(line.trim());
    });
    reader.once('SIGINT', () => {
      reader.close();
    });
    reader.once('close', () => {
      if (answered) return;
      stderr.write('\n');
      reject(new CliError(`Cancelled: no ${noun} was stored.`, 'cancelled'));
    });
  });
}
