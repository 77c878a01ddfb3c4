/**
 * The page's snapshot features: Checkpoint (name, suspend), the stored snapshot list
 * (Resume, Download, Delete), upload or drop a .amber file, `?snapshot=<url>`, quick save
 * and load (F2 / Shift+F2) with an optional autosave, and the storage use. The store and
 * the machine live in the machine worker; this module only asks it and paints the answers.
 *
 * The terminal screen travels with every checkpoint (serialized with @xterm/addon-serialize)
 * and is written back by Session when a snapshot is resumed.
 */
import * as Comlink from 'comlink';
import { SerializeAddon } from '@xterm/addon-serialize';
import type { SaveProgress, StoredSnapshot } from '../snapshot/store.ts';
import type { ConsoleScreen } from '../snapshot/sections.ts';
import type { MachineWorkerApi } from '../workers/machine.worker.ts';
import type { Progress, Session } from './session.ts';
import type { GuestTerminal } from './terminal.ts';

const MiB = 1024 * 1024;
/** Lines of scrollback saved with the screen. */
const SCREEN_SCROLLBACK = 1000;
const AUTOSAVE_KEY = 'amber.autosave.minutes';
const PERSIST_KEY = 'amber.persist.asked';

export interface SnapshotUiView {
  progress(p: Progress | undefined): void;
  message(text: string, kind?: 'info' | 'error'): void;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * MiB) return `${(n / 1024 / MiB).toFixed(2)} GiB`;
  if (n >= MiB) return `${(n / MiB).toFixed(n >= 10 * MiB ? 0 : 1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${n} B`;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> & { dataset?: Record<string, string> } = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  const { dataset, ...rest } = props;
  Object.assign(e, rest);
  if (dataset) Object.assign(e.dataset, dataset);
  e.append(...children);
  return e;
}

/** A file name from a snapshot name. */
function fileName(name: string): string {
  return `${name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').trim() || 'snapshot'}.amber`;
}

export class SnapshotUi {
  private readonly serializer = new SerializeAddon();
  private busy = false;
  private autosaveTimer: ReturnType<typeof setInterval> | undefined;
  private snapshots: StoredSnapshot[] = [];

  readonly name = el('input', { id: 'snapshot-name', type: 'text', placeholder: 'snapshot name', size: 14, title: 'Name of the next checkpoint' });
  readonly suspend = el('input', { id: 'snapshot-suspend', type: 'checkbox', title: 'Leave the machine paused after the checkpoint' });
  readonly checkpointButton = el('button', { id: 'checkpoint', textContent: 'Checkpoint', title: 'Save the whole machine into this browser' });
  readonly quickSave = el('button', { id: 'quick-save', textContent: 'Quick save', title: 'Save into the quick slot, replacing it (F2)' });
  readonly quickLoad = el('button', { id: 'quick-load', textContent: 'Quick load', title: 'Resume the quick slot (Shift+F2)' });
  readonly autosave = el('select', { id: 'autosave', title: 'Quick-save by itself every N minutes (only what changed is stored)' });
  readonly openButton = el('button', { id: 'open-snapshot', textContent: 'Open .amber…', title: 'Resume a snapshot file (or drop one on the page)' });
  readonly fileInput = el('input', { id: 'snapshot-file', type: 'file', accept: '.amber,application/octet-stream', hidden: true });
  readonly list = el('ul', { id: 'snapshot-list', className: 'snapshot-list' });
  readonly storage = el('div', { id: 'storage-use', className: 'storage-use' });

  constructor(
    private readonly worker: Comlink.Remote<MachineWorkerApi>,
    private readonly session: Session,
    private readonly terminal: GuestTerminal,
    private readonly imageBase: string,
    private readonly view: SnapshotUiView,
    tools: HTMLElement,
    panel: HTMLElement,
  ) {
    terminal.term.loadAddon(this.serializer);
    this.autosave.append(...[['0', 'off'], ['1', '1 min'], ['5', '5 min'], ['15', '15 min']].map(([v, l]) => new Option(l, v)));
    tools.append(
      this.name,
      el('label', { title: this.suspend.title }, this.suspend, ' suspend'),
      this.checkpointButton,
      this.quickSave,
      this.quickLoad,
      el('label', { title: this.autosave.title }, 'Autosave ', this.autosave),
      this.openButton,
      this.fileInput,
    );
    tools.hidden = false;
    panel.append(el('h2', { textContent: 'Snapshots' }), this.list, this.storage);
    panel.hidden = false;

    this.checkpointButton.onclick = () => void this.checkpoint(this.name.value.trim() || defaultName(), { suspend: this.suspend.checked });
    this.quickSave.onclick = () => void this.checkpoint('Quick save', { slot: 'quick' });
    this.quickLoad.onclick = () => void this.resumeQuick();
    this.openButton.onclick = () => this.fileInput.click();
    this.fileInput.onchange = () => {
      const file = this.fileInput.files?.[0];
      this.fileInput.value = '';
      if (file) void this.resumeFile(file);
    };
    this.autosave.value = localStorage.getItem(AUTOSAVE_KEY) ?? '0';
    this.autosave.onchange = () => {
      localStorage.setItem(AUTOSAVE_KEY, this.autosave.value);
      this.armAutosave();
    };
    this.armAutosave();

    // F2 quick-saves, Shift+F2 quick-loads (caught before the terminal sees the key).
    window.addEventListener('keydown', (e) => {
      if (e.key !== 'F2' || e.ctrlKey || e.altKey || e.metaKey) return;
      e.preventDefault();
      e.stopPropagation();
      if (e.shiftKey) void this.resumeQuick();
      else if (this.canCheckpoint) void this.checkpoint('Quick save', { slot: 'quick' });
    }, { capture: true });

    // Drop a .amber file anywhere on the page.
    document.addEventListener('dragover', (e) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    });
    document.addEventListener('drop', (e) => {
      const file = e.dataTransfer?.files[0];
      if (!file) return;
      e.preventDefault();
      void this.resumeFile(file);
    });
  }

  get canCheckpoint(): boolean {
    return !this.busy && (this.session.state === 'running' || this.session.state === 'paused');
  }

  /** Enable what makes sense now (called whenever the page's state changes). */
  paint(): void {
    const ok = this.canCheckpoint;
    this.checkpointButton.disabled = !ok;
    this.quickSave.disabled = !ok;
    this.quickLoad.disabled = this.busy || !this.snapshots.some((s) => s.slot === 'quick');
    this.openButton.disabled = this.busy;
    for (const b of this.list.querySelectorAll<HTMLButtonElement>('button[data-action="resume"], button[data-action="delete"]')) b.disabled = this.busy;
  }

  /** The terminal as it looks now (with some scrollback). */
  screen(): ConsoleScreen {
    const term = this.terminal.term;
    return { text: this.serializer.serialize({ scrollback: SCREEN_SCROLLBACK }), cols: term.cols, rows: term.rows };
  }

  private async run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    if (this.busy) return undefined;
    this.busy = true;
    this.paint();
    try {
      return await fn();
    } finally {
      this.busy = false;
      this.paint();
    }
  }

  async checkpoint(name: string, opts: { suspend?: boolean; slot?: string; auto?: boolean } = {}): Promise<void> {
    if (!this.canCheckpoint) return;
    await this.run(async () => {
      const what = opts.slot ? (opts.auto ? 'Autosave' : 'Quick save') : `Checkpoint '${name}'`;
      this.view.progress({ label: `${what}: pausing the machine…` });
      try {
        const report = await this.worker.checkpoint(
          { name, suspend: opts.suspend, screen: this.screen(), slot: opts.slot },
          Comlink.proxy((p: SaveProgress) => this.view.progress({ label: `${what}: saving ${formatBytes(p.fileBytes)} (${formatBytes(p.newBytes)} new, ${formatBytes(p.sharedBytes)} shared)…` })),
        );
        const s = report.snapshot;
        if (opts.suspend) await this.session.markPaused();
        this.view.progress(undefined);
        this.view.message(`${what} saved: ${formatBytes(s.size)} (${formatBytes(s.addedBytes)} new), the guest was paused ${report.pauseMs.toFixed(0)} ms${opts.suspend ? ' and stays paused' : ''}.`);
        void this.askPersistence();
      } catch (err) {
        this.view.progress(undefined);
        this.view.message(err instanceof Error ? err.message : String(err), 'error');
      }
      await this.refresh();
    });
  }

  async resumeStored(s: StoredSnapshot): Promise<boolean> {
    return (await this.run(() => this.session.restore(() => this.worker.restoreStored(s.id, this.imageBase), `Resuming '${s.name}'…`))) ?? false;
  }

  async resumeQuick(): Promise<void> {
    const quick = await this.worker.quickSlot();
    if (!quick) {
      this.view.message('The quick slot is empty: press F2 (or Quick save) first.', 'error');
      return;
    }
    await this.resumeStored(quick);
  }

  async resumeFile(file: Blob, label = file instanceof File ? `'${file.name}'` : 'the snapshot'): Promise<boolean> {
    return (await this.run(() => this.session.restore(() => this.worker.restoreFile(file, this.imageBase), `Checking and resuming ${label}…`))) ?? false;
  }

  /** `?snapshot=<url>`: download (with progress) and resume instead of booting. */
  async resumeUrl(url: string): Promise<boolean> {
    let blob: Blob;
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
      const total = Number(response.headers.get('content-length')) || 0;
      const parts: Uint8Array<ArrayBuffer>[] = [];
      let loaded = 0;
      const reader = response.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        loaded += value.length;
        this.view.progress({ label: `Downloading the snapshot: ${formatBytes(loaded)}${total ? ` of ${formatBytes(total)}` : ''}`, fraction: total ? Math.min(1, loaded / total) : undefined });
      }
      blob = new Blob(parts);
    } catch (err) {
      this.view.progress(undefined);
      this.view.message(`Could not download the snapshot from ${url}: ${err instanceof Error ? err.message : String(err)}.`, 'error');
      return false;
    }
    return this.resumeFile(blob, `the snapshot from ${url}`);
  }

  async download(s: StoredSnapshot): Promise<void> {
    try {
      const blob = await this.worker.snapshotBlob(s.id);
      const a = el('a', { href: URL.createObjectURL(blob), download: fileName(s.name) });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
    } catch (err) {
      this.view.message(err instanceof Error ? err.message : String(err), 'error');
    }
  }

  async remove(s: StoredSnapshot): Promise<void> {
    await this.run(async () => {
      try {
        await this.worker.deleteSnapshot(s.id);
        this.view.message(`Deleted '${s.name}'.`);
      } catch (err) {
        this.view.message(err instanceof Error ? err.message : String(err), 'error');
      }
      await this.refresh();
    });
  }

  /** Read the list and the storage use again. */
  async refresh(): Promise<void> {
    try {
      this.snapshots = await this.worker.listSnapshots();
    } catch (err) {
      this.list.replaceChildren(el('li', { className: 'empty', textContent: `The snapshot store cannot be read: ${err instanceof Error ? err.message : String(err)}` }));
      return;
    }
    this.list.replaceChildren(...(this.snapshots.length ? this.snapshots.map((s) => this.row(s)) : [el('li', { className: 'empty', textContent: 'No snapshots yet: Checkpoint saves one here.' })]));
    this.paint();
    try {
      const u = await this.worker.storageUsage();
      const est = u.estimate;
      this.storage.textContent = `${u.snapshots} snapshot${u.snapshots === 1 ? '' : 's'}: ${formatBytes(u.storedBytes)} stored (${formatBytes(u.logicalBytes)} as files)` +
        (est?.usage !== undefined && est.quota ? ` · site storage ${formatBytes(est.usage)} of ${formatBytes(est.quota)}` : '');
    } catch {
      this.storage.textContent = '';
    }
  }

  private row(s: StoredSnapshot): HTMLLIElement {
    const date = new Date(s.createdAt);
    const button = (action: string, text: string, fn: () => void) => {
      const b = el('button', { className: 'small', textContent: text, dataset: { action } });
      b.onclick = fn;
      return b;
    };
    return el('li', { className: 'snapshot', dataset: { id: s.id } },
      el('div', { className: 'snap-name', textContent: s.slot ? `${s.name} [${s.slot}]` : s.name, title: s.name }),
      el('div', { className: 'snap-facts', textContent: `${date.toLocaleString()} · ${formatBytes(s.size)} · ${s.harts} hart${s.harts === 1 ? '' : 's'} · ${s.memoryMiB} MiB` }),
      el('div', { className: 'snap-actions' },
        button('resume', 'Resume', () => void this.resumeStored(s)),
        button('download', 'Download', () => void this.download(s)),
        button('delete', 'Delete', () => void this.remove(s))),
    );
  }

  private armAutosave(): void {
    if (this.autosaveTimer !== undefined) clearInterval(this.autosaveTimer);
    this.autosaveTimer = undefined;
    const minutes = Number(this.autosave.value);
    if (!minutes) return;
    this.autosaveTimer = setInterval(() => {
      if (this.session.state === 'running' && this.canCheckpoint) void this.checkpoint('Autosave', { slot: 'quick', auto: true });
    }, minutes * 60_000);
  }

  /** Ask once (on the first saved snapshot) that the browser keep this site's storage. */
  private async askPersistence(): Promise<void> {
    try {
      if (localStorage.getItem(PERSIST_KEY) || !navigator.storage?.persist) return;
      localStorage.setItem(PERSIST_KEY, '1');
      if (await navigator.storage.persisted()) return;
      const granted = await navigator.storage.persist();
      if (!granted) this.storage.title = 'The browser may clear stored snapshots when space runs low: download the ones to keep.';
    } catch {
      /* not offered by this browser */
    }
  }
}

function defaultName(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `Snapshot ${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
