/**
 * Telling the guest the terminal's size over a serial console.
 *
 * A serial line has no size channel (no TIOCSWINSZ from the far end), so the guest's tty
 * believes it is 0×0 (shells and editors then assume 80×24) whatever the page shows. When,
 * and only when, the guest shell is idle at its prompt, this types
 *     stty rows R cols C
 * for the user, and hides exactly that exchange (the echoed line and the repeated prompt)
 * from the terminal, so the screen looks untouched. Conditions, all required:
 *   - the guest has printed its ready line (a Linux shell, not a bare-metal program);
 *   - the last console line is a shell prompt like `~ # ` printed after a newline, the user
 *     has typed nothing since it appeared, and the console has been quiet for a moment;
 *   - the machine is running (not paused) and the size differs from what the guest was told.
 * While the command is in flight, the user's keystrokes are held back and sent right after
 * it. If the guest's reply is not exactly the expected echo and prompt (say a kernel message
 * lands in between), everything held is shown as it came and the size is not retried.
 * A resize during a full-screen program (vi, top) or a running command is applied at the
 * next prompt.
 */

/** A shell prompt as the guest's PS1 ('\w \$ ') prints it, on a line of its own. */
const PROMPT = /^\S+ [#$] $/;
/** CSI and other escape sequences, dropped when looking at the text a user would see. */
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])/g;
/** A terminal's reply to a cursor position query (ESC [ 6 n): not something the user typed. */
// eslint-disable-next-line no-control-regex
const CURSOR_REPORT = /^\x1b\[\d+;\d+R$/;

const QUIET_MS = 400;
const REPLY_TIMEOUT_MS = 3000;
const TAIL_CHARS = 512;

export interface SizeSyncIo {
  /** Show guest output in the terminal. */
  write(text: string): void;
  /** Send bytes to the guest's console input. */
  send(text: string): void;
}

interface Size {
  rows: number;
  cols: number;
}

interface InFlight {
  expected: string;
  prompt: string;
  held: string;
  queuedInput: string[];
  timer: ReturnType<typeof setTimeout>;
  size: Size;
}

export class TerminalSizeSync {
  /** Whether to type `stty` at all (the user can switch it off). */
  enabled = true;
  /** Set by the page: the machine runs (not paused, not stopped). */
  active = false;
  private ready = false;
  private readyLine = '';
  private readyScan = '';
  private tail = '';
  private lastOutputAt = 0;
  private promptAt = -1;
  private typedAt = 0;
  private told: Size | undefined;
  private want: Size | undefined;
  private inFlight: InFlight | undefined;
  private readonly timer: ReturnType<typeof setInterval>;

  /** Called when the guest has taken a new size. */
  onSynced: ((size: Size) => void) | undefined;

  constructor(private readonly io: SizeSyncIo) {
    this.timer = setInterval(() => this.maybeSync(), 200);
  }

  /** A new boot: nothing told yet; `readyLine` (if any) says when the shell is up. */
  reset(readyLine: string | undefined): void {
    this.abort();
    this.ready = false;
    this.readyLine = readyLine ?? '';
    this.readyScan = '';
    this.tail = '';
    this.promptAt = -1;
    this.told = undefined;
  }

  /** The shell is up without a ready line to wait for (a machine restored from a snapshot). */
  markReady(): void {
    this.ready = true;
  }

  /** The size the terminal shows now. */
  resize(rows: number, cols: number): void {
    this.want = { rows, cols };
  }

  /** The size the guest was last told (undefined: never, so it assumes 80×24). */
  get guestSize(): Size | undefined {
    return this.told;
  }

  /** Console output from the guest. */
  output(text: string): void {
    this.lastOutputAt = performance.now();
    if (this.readyLine && !this.ready) {
      this.readyScan = (this.readyScan + text).slice(-TAIL_CHARS);
      if (this.readyScan.includes(this.readyLine)) this.ready = true;
    }
    if (this.inFlight) {
      this.inFlight.held += text;
      this.checkReply();
      return;
    }
    this.see(text);
    this.io.write(text);
  }

  /** What the user typed (or the terminal answered): to the guest, unless a command is in flight. */
  input(data: string): void {
    if (!CURSOR_REPORT.test(data)) this.typedAt = performance.now();
    if (this.inFlight) this.inFlight.queuedInput.push(data);
    else this.io.send(data);
  }

  dispose(): void {
    clearInterval(this.timer);
    this.abort();
  }

  private see(text: string): void {
    this.tail = (this.tail + text).slice(-TAIL_CHARS);
    const line = this.lastLine();
    if (line !== undefined && PROMPT.test(line)) {
      if (this.promptAt < 0) this.promptAt = performance.now();
    } else {
      this.promptAt = -1;
    }
  }

  /** The visible text of the console's last line, if a newline came before it. */
  private lastLine(): string | undefined {
    const visible = this.tail.replace(ESCAPES, '');
    const nl = visible.lastIndexOf('\n');
    if (nl < 0) return undefined;
    const line = visible.slice(nl + 1);
    const cr = line.lastIndexOf('\r');
    return cr < 0 ? line : line.slice(cr + 1);
  }

  private maybeSync(): void {
    const want = this.want;
    if (!this.enabled || !this.active || !this.ready || this.inFlight || !want) return;
    if (this.told && this.told.rows === want.rows && this.told.cols === want.cols) return;
    const now = performance.now();
    if (this.promptAt < 0 || this.typedAt >= this.promptAt || now - this.lastOutputAt < QUIET_MS) return;
    const prompt = this.lastLine();
    if (prompt === undefined) return;
    const command = `stty rows ${want.rows} cols ${want.cols}`;
    this.inFlight = {
      expected: `${command}\r\n${prompt}`,
      prompt,
      held: '',
      queuedInput: [],
      size: { ...want },
      timer: setTimeout(() => this.finish(false), REPLY_TIMEOUT_MS),
    };
    this.io.send(`${command}\r`);
  }

  /** Compare what came back with the echo and prompt we expect. */
  private checkReply(): void {
    const f = this.inFlight!;
    const visible = f.held.replace(ESCAPES, '');
    if (visible.length < f.expected.length) {
      if (!f.expected.startsWith(visible)) this.finish(false);
      return;
    }
    this.finish(visible === f.expected);
  }

  /**
   * End the exchange. Matched: drop the echo and prompt, keep any escape sequences after
   * the prompt (the shell's cursor query). Otherwise show everything as it came.
   */
  private finish(matched: boolean): void {
    const f = this.inFlight;
    if (!f) return;
    clearTimeout(f.timer);
    this.inFlight = undefined;
    // Either way the guest ran the command (or will): do not type it again for this size.
    this.told = f.size;
    if (matched) {
      const end = f.held.lastIndexOf(f.prompt.trimEnd());
      const rest = end < 0 ? '' : f.held.slice(end + f.prompt.trimEnd().length).replace(/^ /, '');
      if (rest) this.io.write(rest);
      this.promptAt = performance.now();
      if (f.queuedInput.length) this.typedAt = this.promptAt;
      this.onSynced?.(f.size);
    } else {
      this.see(f.held);
      this.io.write(f.held);
    }
    for (const data of f.queuedInput) this.io.send(data);
  }

  private abort(): void {
    const f = this.inFlight;
    if (!f) return;
    clearTimeout(f.timer);
    this.inFlight = undefined;
    if (f.held) this.io.write(f.held);
  }
}
