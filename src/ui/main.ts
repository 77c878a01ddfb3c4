/**
 * The page: an xterm.js terminal on the guest console, the controls for one machine that
 * lives in the machine worker (driven through comlink), boot progress and a status panel.
 *
 * Layout (index.html): a toolbar (machine config, power controls, an empty snapshot-tools
 * group for later), a progress row, the console, and a side panel (status, an empty
 * snapshots panel for later).
 */
import * as Comlink from 'comlink';
import { MAX_CONFIG_HARTS } from '../machine/config.ts';
import type { MachineWorkerApi } from '../workers/machine.worker.ts';
import { loadCatalog, type BootChoice } from './catalog.ts';
import { ensureCrossOriginIsolated } from './isolation.ts';
import { Session, type UiState } from './session.ts';
import { formatUptime, MipsMeter, StatusPanel } from './status-panel.ts';
import { SnapshotUi } from './snapshots.ts';
import { GuestTerminal } from './terminal.ts';

const IMAGE_BASE = new URL('images/', document.baseURI).href;
const MEMORY_CHOICES_MIB = [64, 128, 256, 512, 1024];
const DEFAULT_MEMORY_MIB = 256;
const STATUS_INTERVAL_MS = 1000;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  image: $<HTMLSelectElement>('image'),
  harts: $<HTMLSelectElement>('harts'),
  memory: $<HTMLSelectElement>('memory'),
  start: $<HTMLButtonElement>('start'),
  pause: $<HTMLButtonElement>('pause'),
  reset: $<HTMLButtonElement>('reset'),
  stop: $<HTMLButtonElement>('stop'),
  state: $<HTMLSpanElement>('state'),
  banner: $<HTMLDivElement>('banner'),
  progressRow: $<HTMLDivElement>('progress-row'),
  progress: $<HTMLProgressElement>('progress'),
  progressText: $<HTMLSpanElement>('progress-text'),
  termSize: $<HTMLSpanElement>('term-size'),
  guestSize: $<HTMLSpanElement>('guest-size'),
  syncSize: $<HTMLInputElement>('sync-size'),
  copy: $<HTMLButtonElement>('copy'),
  paste: $<HTMLButtonElement>('paste'),
  status: $<HTMLSpanElement>('status'),
  message: $<HTMLSpanElement>('message'),
};

let choices: BootChoice[] = [];
let snapshots: SnapshotUi | undefined;
let isolated = false;

const machineWorker = new Worker(new URL('../workers/machine.worker.ts', import.meta.url), { type: 'module', name: 'machine' });
machineWorker.addEventListener('error', (e) => {
  showBanner(`The machine worker failed${e.message ? `: ${e.message}` : ' to load'}. Reload the page; if it persists, the site is incomplete.`);
});
const worker = Comlink.wrap<MachineWorkerApi>(machineWorker);
const encoder = new TextEncoder();
const terminal = new GuestTerminal($('terminal'), (data) => void worker.sendInput(encoder.encode(data)));
const panel = new StatusPanel($('status-panel'));
const meter = new MipsMeter();

/** The progress row: a label and a bar (indeterminate without a fraction); hidden when idle. */
function showProgress(p: { label: string; fraction?: number } | undefined): void {
  ui.progressRow.hidden = !p;
  if (!p) return;
  ui.progressText.textContent = p.label;
  if (p.fraction === undefined) ui.progress.removeAttribute('value');
  else ui.progress.value = p.fraction;
}

const session = new Session(worker, terminal, IMAGE_BASE, {
  state: (state, message, kind) => {
    paintState(state);
    showMessage(message, kind);
    if (!session.active) panel.end();
  },
  progress: (p) => {
    showProgress(p);
    paintState(session.state);
  },
  machine: (harts, memoryMiB) => {
    meter.reset();
    panel.begin(harts, memoryMiB);
  },
});

snapshots = new SnapshotUi(worker, session, terminal, IMAGE_BASE, {
  progress: showProgress,
  message: (text, kind) => showMessage(text, kind),
}, $('snapshot-tools'), $('snapshots-panel'));

function paintState(state: UiState): void {
  ui.state.textContent = state;
  ui.state.dataset.state = state;
  const active = session.active;
  ui.start.disabled = active || !isolated || choices.length === 0;
  ui.pause.disabled = !session.canPause;
  ui.pause.textContent = state === 'paused' ? 'Resume' : 'Pause';
  ui.reset.disabled = !active;
  ui.stop.disabled = !active;
  for (const select of [ui.image, ui.harts, ui.memory]) select.disabled = active || choices.length === 0;
  if (!active) {
    const fixed = selectedChoice()?.fixedHarts;
    if (fixed) ui.harts.disabled = true;
  }
  snapshots?.paint();
}

function showMessage(text: string, kind: 'info' | 'error' = 'info'): void {
  ui.message.textContent = text;
  ui.message.dataset.kind = kind;
}

function showBanner(text: string): void {
  ui.banner.textContent = text;
  ui.banner.hidden = false;
}

function fillSelect(select: HTMLSelectElement, options: [string, string][], selected: string): void {
  select.replaceChildren(...options.map(([value, label]) => new Option(label, value, value === selected, value === selected)));
}

function selectedChoice(): BootChoice | undefined {
  return choices.find((c) => c.id === ui.image.value);
}

/** A bare-metal sample is built for a fixed hart count; an image needs a minimum of RAM. */
function applyChoiceLimits(): void {
  const choice = selectedChoice();
  if (!choice) return;
  // A sample's fixed count overrides the user's choice only while that sample is selected.
  ui.harts.value = String(choice.fixedHarts ?? userHarts);
  for (const option of ui.memory.options) option.disabled = Number(option.value) < choice.minMemoryMiB;
  if (Number(ui.memory.value) < choice.minMemoryMiB) {
    ui.memory.value = String(MEMORY_CHOICES_MIB.find((m) => m >= choice.minMemoryMiB) ?? MEMORY_CHOICES_MIB.at(-1));
  }
  paintState(session.state);
}

let userHarts = 1;
ui.harts.onchange = () => (userHarts = Number(ui.harts.value));
ui.image.onchange = applyChoiceLimits;
ui.start.onclick = () => {
  const choice = selectedChoice();
  if (!choice) return;
  void session.start(choice, Number(ui.harts.value), Number(ui.memory.value)).then(() => terminal.focus());
};
ui.pause.onclick = () => void session.togglePause().then(() => session.state === 'running' && terminal.focus());
ui.reset.onclick = () => void session.reset().then(() => terminal.focus());
ui.stop.onclick = () => void session.stop();
ui.syncSize.onchange = () => (terminal.sizeSync.enabled = ui.syncSize.checked);
ui.copy.onclick = () => void terminal.copy().then((copied) => showMessage(copied ? 'Copied the selection.' : 'Select text in the terminal first.')).catch((err) => showMessage(`Copy failed: ${String(err)}`, 'error'));
ui.paste.onclick = () => void terminal.paste().catch(() => showMessage('The browser did not allow reading the clipboard: use Ctrl+Shift+V in the terminal.', 'error'));

terminal.onResize((rows, cols) => (ui.termSize.textContent = `${cols}×${rows}`));
terminal.sizeSync.onSynced = () => paintGuestSize();

function paintGuestSize(): void {
  const told = terminal.sizeSync.guestSize;
  ui.guestSize.textContent = !session.ready || session.choice?.kind !== 'linux' ? '' :
    told ? (told.rows === terminal.term.rows && told.cols === terminal.term.cols ? 'guest knows this size' : `guest told ${told.cols}×${told.rows} (updates at the next prompt)`) :
    'guest: 80×24 (default) until the shell is idle at a prompt';
}

async function refreshStatus(): Promise<void> {
  session.tick();
  paintGuestSize();
  const status = await session.status().catch(() => undefined);
  if (!status || !session.active) {
    ui.status.textContent = '';
    return;
  }
  const sample = meter.sample(status);
  panel.update(sample);
  const total = sample.mips.reduce((a, b) => a + b, 0);
  ui.status.textContent = `${status.harts} hart${status.harts > 1 ? 's' : ''} · ${status.memoryMiB} MiB · up ${formatUptime(status.guestUptime)} · ${total.toFixed(0)} MIPS`;
}
setInterval(() => void refreshStatus(), STATUS_INTERVAL_MS);

async function init(): Promise<void> {
  void snapshots?.refresh();
  fillSelect(ui.memory, MEMORY_CHOICES_MIB.map((m) => [String(m), m >= 1024 ? `${m / 1024} GiB` : `${m} MiB`]), String(DEFAULT_MEMORY_MIB));
  const defaultHarts = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
  fillSelect(ui.harts, Array.from({ length: MAX_CONFIG_HARTS }, (_, i) => [String(i + 1), String(i + 1)]), String(defaultHarts));
  userHarts = defaultHarts;

  const isolation = await ensureCrossOriginIsolated();
  if (!isolation.ok) {
    showBanner(isolation.reason);
    showMessage('Cannot start: SharedArrayBuffer is not available.', 'error');
    ui.state.textContent = 'unavailable';
    ui.state.dataset.state = 'error';
    return;
  }
  if (typeof Atomics.waitAsync !== 'function') {
    showBanner('This browser lacks Atomics.waitAsync, which the machine needs. Use a current Chromium, Edge, Safari or Firefox.');
    showMessage('Cannot start in this browser.', 'error');
    return;
  }
  isolated = true;
  const catalog = await loadCatalog(IMAGE_BASE);
  choices = catalog.choices;
  if (catalog.problems.length) showBanner(catalog.problems.join(' '));
  if (choices.length === 0) {
    showMessage('Nothing to boot: no guest images were found.', 'error');
    return;
  }
  const groups = new Map<string, HTMLOptGroupElement>();
  ui.image.replaceChildren();
  for (const c of choices) {
    const label = c.kind === 'linux' ? 'Linux' : 'Bare-metal samples';
    let group = groups.get(label);
    if (!group) {
      group = document.createElement('optgroup');
      group.label = label;
      groups.set(label, group);
      ui.image.append(group);
    }
    group.append(new Option(c.label, c.id));
  }
  ui.image.value = choices[0].id;
  applyChoiceLimits();
  paintState('stopped');
  showMessage(isolation.via === 'service worker' ? 'Ready (cross-origin isolation through the helper service worker).' : 'Ready: pick what to boot, then Start.');
  // ?snapshot=<url>: resume that file instead of booting.
  const fromUrl = new URLSearchParams(location.search).get('snapshot');
  if (fromUrl) void snapshots?.resumeUrl(new URL(fromUrl, location.href).href);
}

void init();

// Test and console hooks (read-only views of what the user sees, plus the session).
Object.assign(globalThis, { amber: { term: terminal.term, terminal, session, snapshots, get state() { return session.state; } } });
