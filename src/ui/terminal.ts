/**
 * The guest console in xterm.js: fitted to its box and re-fitted on every resize, a visible
 * cursor, focus on click, copy and paste, and the guest told its size when that is safe
 * (see size-sync.ts).
 *
 * Keys: Ctrl+Shift+C copies the selection (so does Ctrl+C while something is selected,
 * otherwise Ctrl+C goes to the guest as usual); Ctrl+Shift+V, Ctrl+V and Shift+Insert
 * paste. The Copy and Paste buttons do the same with the mouse.
 */
import '@xterm/xterm/css/xterm.css';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { TerminalSizeSync } from './size-sync.ts';

const THEME = {
  background: '#0f0c08',
  foreground: '#eadfcf',
  cursor: '#ffb000',
  cursorAccent: '#0f0c08',
  selectionBackground: '#ffb00055',
};

/** Smaller type on narrow screens, so that a phone still gets ~45 columns. */
function fontSizeFor(width: number): number {
  return width < 480 ? 11 : width < 800 ? 12 : 14;
}

export class GuestTerminal {
  readonly term: Terminal;
  readonly sizeSync: TerminalSizeSync;
  private readonly fitAddon = new FitAddon();
  private readonly decoder = new TextDecoder();
  private resizeListeners: ((rows: number, cols: number) => void)[] = [];

  constructor(private readonly box: HTMLElement, send: (data: string) => void) {
    this.term = new Terminal({
      cursorBlink: true,
      cursorStyle: 'block',
      cursorInactiveStyle: 'outline',
      convertEol: false,
      scrollback: 5000,
      fontSize: fontSizeFor(box.clientWidth),
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      theme: THEME,
      allowProposedApi: false,
    });
    this.term.loadAddon(this.fitAddon);
    this.term.open(box);
    this.sizeSync = new TerminalSizeSync({ write: (text) => this.term.write(text), send });
    this.term.onData((data) => this.sizeSync.input(data));
    this.term.onResize(({ rows, cols }) => {
      this.sizeSync.resize(rows, cols);
      for (const l of this.resizeListeners) l(rows, cols);
    });
    this.term.attachCustomKeyEventHandler((e) => this.onKey(e));
    box.addEventListener('mousedown', () => queueMicrotask(() => this.term.focus()));
    new ResizeObserver(() => this.fit()).observe(box);
    this.fit();
    this.sizeSync.resize(this.term.rows, this.term.cols);
  }

  /** Re-fit rows and columns to the box (and the font to the width). */
  fit(): void {
    if (this.box.clientWidth === 0 || this.box.clientHeight === 0) return;
    const size = fontSizeFor(this.box.clientWidth);
    if (this.term.options.fontSize !== size) {
      this.term.options.fontSize = size;
      // The cell size is measured again on the next frame: fit once more then.
      requestAnimationFrame(() => this.fitAddon.fit());
    }
    this.fitAddon.fit();
  }

  onResize(listener: (rows: number, cols: number) => void): void {
    this.resizeListeners.push(listener);
    listener(this.term.rows, this.term.cols);
  }

  /** Guest console output. */
  write(bytes: Uint8Array): void {
    const text = this.decoder.decode(bytes, { stream: true });
    if (text) this.sizeSync.output(text);
  }

  /** A fresh screen for a new boot. `crlf`: turn bare LF into CR LF (bare-metal programs print "\n"). */
  newSession(readyLine: string | undefined, crlf: boolean): void {
    this.term.reset();
    this.term.options.convertEol = crlf;
    this.sizeSync.reset(readyLine);
  }

  focus(): void {
    this.term.focus();
  }

  async copy(): Promise<boolean> {
    const text = this.term.getSelection();
    if (!text) return false;
    await navigator.clipboard.writeText(text);
    return true;
  }

  async paste(): Promise<void> {
    const text = await navigator.clipboard.readText();
    if (text) this.term.paste(text);
    this.term.focus();
  }

  /** false: xterm.js leaves the key alone (the browser's own copy/paste then runs). */
  private onKey(e: KeyboardEvent): boolean {
    if (e.type !== 'keydown') return true;
    const key = e.key.toLowerCase();
    const mod = e.ctrlKey || e.metaKey;
    if (mod && key === 'c' && (e.shiftKey || this.term.hasSelection())) {
      void this.copy();
      e.preventDefault();
      return false;
    }
    // Paste: let the browser fire its paste event, which xterm.js turns into input.
    if ((mod && key === 'v') || (e.shiftKey && key === 'insert')) return false;
    return true;
  }
}
