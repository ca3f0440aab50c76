/** The streams obsctl talks through, injected so tests can capture them and fake a terminal. */

export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  /** A terminal's width in characters. */
  readonly columns?: number;
}

export interface InputStream extends NodeJS.ReadableStream {
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: InputStream;
}

/** Time, injected so polling and timeouts run instantly in tests. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export const REDACTED = '[REDACTED]';

/**
 * Output streams that replace registered secrets before writing. The token is never formatted
 * into output on purpose; this catches the accident (an AWS error that echoes a request value).
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string): void {
    if (secret.length > 0) this.secrets.add(secret);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join(REDACTED);
    return result;
  }

  wrap(stream: OutputStream): OutputStream {
    return {
      isTTY: stream.isTTY,
      // A getter: a terminal's width changes when its window does.
      get columns() {
        return stream.columns;
      },
      write: (text: string) => stream.write(this.redact(text)),
    };
  }
}

/**
 * A progress line on stderr while something runs; silent when stderr is not a terminal (a pipe, a
 * file, CI), so a log or `2>&1 | tee` never fills with spinner frames.
 */
export interface Progress {
  update(message: string): void;
  stop(): void;
}

const SPINNER = ['|', '/', '-', '\\'];

export function terminalProgress(stderr: OutputStream): Progress {
  if (!stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  let frame = 0;
  let shown = false;
  return {
    update(message) {
      // Longer than the terminal, the line would wrap and `\r` could no longer overwrite it.
      const room = stderr.columns === undefined ? message.length : Math.max(stderr.columns - 3, 1);
      const text = message.length > room ? `${message.slice(0, Math.max(room - 1, 0))}…` : message;
      stderr.write(`\r${SPINNER[frame++ % SPINNER.length]} ${text}\u001b[K`);
      shown = true;
    },
    stop() {
      if (shown) stderr.write('\r\u001b[K');
      shown = false;
    },
  };
}
