/**
 * The page: an xterm.js terminal on the guest console, and controls for one machine
 * that lives in the machine worker (driven through comlink).
 */
import '@xterm/xterm/css/xterm.css';
import * as Comlink from 'comlink';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import type { MachineConfig } from '../machine/config.ts';
import { PowerState } from '../machine/layout.ts';
import type { PowerEvent } from '../machine/power.ts';
import type { MachineListener, MachineWorkerApi } from '../workers/machine.worker.ts';

type UiState = 'stopped' | 'booting' | 'running' | 'paused' | 'error';

interface ProgramEntry {
  name: string;
  size: number;
  sha256: string;
}

const IMAGE_BASE = new URL('images/', document.baseURI).href;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  image: $<HTMLSelectElement>('image'),
  harts: $<HTMLSelectElement>('harts'),
  memory: $<HTMLSelectElement>('memory'),
  start: $<HTMLButtonElement>('start'),
  pause: $<HTMLButtonElement>('pause'),
  stop: $<HTMLButtonElement>('stop'),
  state: $<HTMLSpanElement>('state'),
  status: $<HTMLSpanElement>('status'),
  message: $<HTMLSpanElement>('message'),
};

const term = new Terminal({ cursorBlink: true, convertEol: true, scrollback: 5000, fontSize: 14 });
const fit = new FitAddon();
term.loadAddon(fit);
term.open($('terminal'));
fit.fit();
new ResizeObserver(() => fit.fit()).observe($('terminal'));

const worker = Comlink.wrap<MachineWorkerApi>(
  new Worker(new URL('../workers/machine.worker.ts', import.meta.url), { type: 'module', name: 'machine' }),
);
const encoder = new TextEncoder();
term.onData((data) => void worker.sendInput(encoder.encode(data)));

let state: UiState = 'stopped';
let programs: ProgramEntry[] = [];

function setState(next: UiState, message = ''): void {
  state = next;
  ui.state.textContent = next;
  ui.state.dataset.state = next;
  ui.start.textContent = next === 'stopped' || next === 'error' ? 'Start' : 'Restart';
  ui.pause.disabled = next !== 'running' && next !== 'paused';
  ui.pause.textContent = next === 'paused' ? 'Resume' : 'Pause';
  ui.stop.disabled = next === 'stopped' || next === 'error';
  showMessage(message, next === 'error' ? 'error' : 'info');
}

function showMessage(text: string, kind: 'info' | 'error' = 'info'): void {
  ui.message.textContent = text;
  ui.message.dataset.kind = kind;
}

function fillSelect(select: HTMLSelectElement, options: [string, string][], selected: string): void {
  select.replaceChildren(...options.map(([value, label]) => new Option(label, value, false, value === selected)));
}

const listener: MachineListener = {
  console: (bytes) => term.write(bytes),
  power: (event: PowerEvent, code: number) => {
    const what = event === PowerState.reboot ? 'rebooted' : event === PowerState.fatal ? 'stopped by an emulator error' : 'powered off';
    setState(event === PowerState.fatal ? 'error' : 'stopped', `The guest ${what}${code ? ` (exit code ${code})` : ''}.`);
    void worker.stop();
  },
  progress: (name, loaded, total) => showMessage(`Loading ${name}: ${Math.round((100 * loaded) / total)} %`),
};

function configFromControls(): MachineConfig {
  const harts = Number(ui.harts.value);
  const program = programs.find((p) => p.name === ui.image.value) ?? programs[0];
  return {
    version: 1,
    harts,
    memoryMiB: Number(ui.memory.value),
    boot: { kind: 'elf', elf: { name: program.name, sha256: program.sha256, size: program.size } },
    deterministic: false,
  };
}

async function start(): Promise<void> {
  setState('booting', 'Booting…');
  term.reset();
  try {
    await worker.boot(configFromControls(), IMAGE_BASE, Comlink.proxy(listener));
    if (state === 'booting') setState('running');
  } catch (err) {
    setState('error', err instanceof Error ? err.message : String(err));
  }
}

ui.start.onclick = () => void start();
// A bare-metal sample is built for a fixed hart count (its name says how many).
ui.image.onchange = () => {
  const harts = /-(\d+)\.elf$/.exec(ui.image.value)?.[1];
  if (harts) ui.harts.value = harts;
};
ui.pause.onclick = async () => {
  if (state === 'running') {
    await worker.pause();
    setState('paused');
  } else if (state === 'paused') {
    await worker.resume();
    setState('running');
  }
};
ui.stop.onclick = async () => {
  await worker.stop();
  setState('stopped', 'Stopped.');
};
$('terminal').addEventListener('click', () => term.focus());

async function refreshStatus(): Promise<void> {
  const s = await worker.status();
  if (!s) {
    ui.status.textContent = '';
    return;
  }
  const harts = s.harts.map((h, i) => `hart${i} ${(h.instret / 1e6).toFixed(1)}M${h.sleeping ? ' (idle)' : ''}`).join(' · ');
  ui.status.textContent = `up ${s.uptime.toFixed(1)} s · ${harts}`;
}
setInterval(() => void refreshStatus(), 1000);

async function init(): Promise<void> {
  if (!crossOriginIsolated) {
    setState('error', 'This page is not cross-origin isolated, so SharedArrayBuffer is unavailable: serve it with COOP/COEP headers.');
    ui.start.disabled = true;
    return;
  }
  const response = await fetch(new URL('programs.json', IMAGE_BASE));
  programs = ((await response.json()) as { programs: ProgramEntry[] }).programs;
  fillSelect(ui.image, programs.map((p) => [p.name, p.name.replace('.elf', '') + ' (bare metal)']), programs.find((p) => p.name.includes('-2'))?.name ?? programs[0].name);
  const maxHarts = 8;
  const defaultHarts = Math.min(4, navigator.hardwareConcurrency || 1);
  fillSelect(ui.harts, Array.from({ length: maxHarts }, (_, i) => [String(i + 1), String(i + 1)]), String(defaultHarts));
  fillSelect(ui.memory, [64, 128, 256, 512, 1024].map((m) => [String(m), `${m} MiB`]), '128');
  ui.image.onchange?.(new Event('change'));
  setState('stopped', 'Ready.');
}

void init();

// Test and console hooks (read-only views of what the user sees).
Object.assign(globalThis, { amber: { term, get state() { return state; } } });
