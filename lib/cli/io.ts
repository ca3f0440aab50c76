/** The streams obsctl talks through, injected so tests can capture them and fake a terminal. */

export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
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
    return { isTTY: stream.isTTY, write: (text: string) => stream.write(this.redact(text)) };
  }
}

/** A progress line on stderr while something runs; silent when stderr is not a terminal. */
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
      stderr.write(`\r${SPINNER[frame++ % SPINNER.length]} ${message}\u001b[K`);
      shown = true;
    },
    stop() {
      if (shown) stderr.write('\r\u001b[K');
      shown = false;
    },
  };
}
