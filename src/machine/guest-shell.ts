/**
 * Talking to the guest's shell over its console: wait for text, run a command and get
 * its output and exit status. Used by `amber run --exec`, the tests and the benchmarks.
 */

export interface CommandResult {
  output: string;
  status: number;
}


interface Waiter {
  test(text: string): boolean;
  resolve(): void;
}

export class GuestConsole {
  private text = '';
  private readonly decoder = new TextDecoder();
  private waiters: Waiter[] = [];
  /** Numbers each command's markers, so a command that outlived its caller cannot be mistaken for the next one. */
  private commands = 0;

  constructor(private readonly send: (bytes: Uint8Array) => void) {}

  /** Feed console output from the machine. */
  push(bytes: Uint8Array): void {
    this.text += this.decoder.decode(bytes, { stream: true });
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(this.text)) return true;
      w.resolve();
      return false;
    });
  }

  /** Everything the guest printed so far. */
  get output(): string {
    return this.text;
  }

  type(text: string): void {
    this.send(new TextEncoder().encode(text));
  }

  /** Resolve once the output after character `from` contains `pattern`; returns the index just after the match. */
  async waitFor(pattern: string | RegExp, timeoutMs: number, from = 0): Promise<number> {
    const find = (text: string): number => {
      const tail = text.slice(from);
      if (typeof pattern === 'string') {
        const i = tail.indexOf(pattern);
        return i < 0 ? -1 : from + i + pattern.length;
      }
      const m = pattern.exec(tail);
      return m ? from + m.index + m[0].length : -1;
    };
    if (find(this.text) >= 0) return find(this.text);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const tail = this.text.slice(-400);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${String(pattern)}; console ends with:\n${tail}`));
      }, timeoutMs);
      const waiter: Waiter = {
        test: (text) => find(text) >= 0,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
    return find(this.text);
  }

  /**
   * Run `command` in the guest shell; resolves with what it printed (CR LF → LF) and its
   * exit status. One line is typed (the shell echoes a later line only when it reads it,
   * which would land inside the output); the markers have an empty '' inside, so the
   * echo of the typed line never matches them. `command` must be a single line.
   */
  async run(command: string, timeoutMs: number): Promise<CommandResult> {
    if (command.includes('\n')) throw new Error('a guest command must be a single line');
    const from = this.text.length;
    const id = ++this.commands;
    const body = command.trimEnd();
    const separator = body.endsWith('&') ? ' ' : '; ';
    this.type(`echo __AMBER''_BEGIN_${id}__; ${body}${separator}echo __AMBER''_END_${id}__ $?\n`);
    const start = await this.waitFor(`__AMBER_BEGIN_${id}__\r\n`, timeoutMs, from);
    const endPattern = new RegExp(`__AMBER_END_${id}__ (\\d+)\\r?\\n`);
    const end = await this.waitFor(endPattern, timeoutMs, start);
    const block = this.text.slice(start, end);
    const m = endPattern.exec(block)!;
    const output = block.slice(0, m.index).replace(/\r\n/g, '\n');
    return { output, status: Number(m[1]) };
  }
}
