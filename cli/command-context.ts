/**
 * What a command may touch of the outside world, passed in so that tests (and other callers) can
 * run commands with their own working directory, streams and environment.
 */
import type { Readable, Writable } from 'node:stream';

export interface CommandContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin: Readable;
  /** Where human output and --json go. */
  stdout: Writable;
  /** Diagnostics and progress; never part of --json output. */
  progress: Progress;
}

/**
 * Progress for long runs, on stderr. On a terminal one line is redrawn in place; otherwise (logs, CI,
 * pipes) a line is written at most every `intervalMs`, so a long audit leaves a readable trail.
 */
export class Progress {
  private lastWrite = 0;
  private pendingLine = false;

  constructor(
    private readonly stream: Writable & { isTTY?: boolean },
    private readonly enabled = true,
    private readonly intervalMs = 2000,
    private readonly now: () => number = Date.now,
  ) {}

  /** A message that always appears (start, end of a phase). */
  note(message: string): void {
    if (!this.enabled) return;
    this.clearLine();
    this.stream.write(`${message}\n`);
  }

  /** A frequently updated status; throttled. */
  update(message: string): void {
    if (!this.enabled) return;
    const t = this.now();
    if (this.stream.isTTY) {
      if (t - this.lastWrite < 100) return;
      this.stream.write(`\r\x1b[K${message}`);
      this.pendingLine = true;
    } else {
      if (t - this.lastWrite < this.intervalMs) return;
      this.stream.write(`${message}\n`);
    }
    this.lastWrite = t;
  }

  /** Ends an in-place line so that what follows starts on a fresh one. */
  done(): void {
    this.clearLine();
  }

  private clearLine(): void {
    if (this.pendingLine) {
      this.stream.write('\r\x1b[K');
      this.pendingLine = false;
    }
  }
}
