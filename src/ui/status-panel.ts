/**
 * The status panel: guest uptime, RAM, total MIPS, and per hart its MIPS (from instret
 * deltas between two status() calls) and activity (share of time not in WFI), with a live
 * uPlot chart of each hart's MIPS over the last minute.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MachineStatus } from '../workers/machine.worker.ts';

const HISTORY_POINTS = 60;
const HART_COLORS = ['#ffb000', '#4fc3f7', '#81c784', '#e57373', '#ba68c8', '#fff176', '#4db6ac', '#f06292'];

export interface StatusSample {
  status: MachineStatus;
  /** Millions of instructions per second per hart since the previous sample. */
  mips: number[];
}

/** Turns successive status() answers into MIPS per hart. */
export class MipsMeter {
  private last: { at: number; instret: number[] } | undefined;

  sample(status: MachineStatus, now = performance.now()): StatusSample {
    const instret = status.hart.map((h) => h.instret);
    const prev = this.last;
    this.last = { at: now, instret };
    const seconds = prev ? (now - prev.at) / 1000 : 0;
    const mips = instret.map((n, i) => {
      if (!prev || seconds <= 0 || prev.instret.length !== instret.length) return 0;
      return Math.max(0, n - prev.instret[i]) / seconds / 1e6;
    });
    return { status, mips };
  }

  reset(): void {
    this.last = undefined;
  }
}

export function formatUptime(seconds: number): string {
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const two = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

export class StatusPanel {
  private chart: uPlot | undefined;
  private harts = 0;
  private data: number[][] = [[]];
  private readonly hartList: HTMLElement;
  private readonly chartBox: HTMLElement;
  private readonly fields: Record<'uptime' | 'ram' | 'harts' | 'mips', HTMLElement>;

  constructor(root: HTMLElement) {
    const q = (sel: string) => root.querySelector<HTMLElement>(sel)!;
    this.hartList = q('[data-field="hart-list"]');
    this.chartBox = q('[data-field="chart"]');
    this.fields = { uptime: q('[data-field="uptime"]'), ram: q('[data-field="ram"]'), harts: q('[data-field="harts"]'), mips: q('[data-field="mips"]') };
    new ResizeObserver(() => this.chart?.setSize(this.chartSize())).observe(this.chartBox);
  }

  /** A new machine with `harts` harts: empty history, one row and one line per hart. */
  begin(harts: number, memoryMiB: number): void {
    this.harts = harts;
    this.data = [[], ...Array.from({ length: harts }, () => [])];
    this.chart?.destroy();
    this.chart = new uPlot(this.chartOptions(harts), this.data as uPlot.AlignedData, this.chartBox);
    this.hartList.replaceChildren(...Array.from({ length: harts }, (_, i) => this.hartRow(i)));
    this.fields.ram.textContent = `${memoryMiB} MiB`;
    this.fields.harts.textContent = String(harts);
    this.fields.uptime.textContent = '–';
    this.fields.mips.textContent = '–';
  }

  update({ status, mips }: StatusSample): void {
    if (status.hart.length !== this.harts) this.begin(status.hart.length, status.memoryMiB);
    const total = mips.reduce((a, b) => a + b, 0);
    this.fields.uptime.textContent = formatUptime(status.guestUptime);
    this.fields.mips.textContent = total.toFixed(1);
    status.hart.forEach((h, i) => {
      const row = this.hartList.children[i] as HTMLElement;
      const busy = status.state === 'running' ? h.busy : 0;
      row.querySelector('meter')!.value = busy;
      row.querySelector<HTMLElement>('[data-field="busy"]')!.textContent = `${Math.round(busy * 100)} %`;
      row.querySelector<HTMLElement>('[data-field="hart-mips"]')!.textContent = `${mips[i].toFixed(1)} MIPS`;
      row.dataset.sleeping = String(h.sleeping);
    });
    this.data[0].push(status.hostUptime);
    mips.forEach((m, i) => this.data[i + 1].push(m));
    if (this.data[0].length > HISTORY_POINTS) for (const series of this.data) series.shift();
    this.chart?.setData(this.data as uPlot.AlignedData);
  }

  /** The machine is gone: keep the last picture, show no activity. */
  end(): void {
    for (const row of this.hartList.children) {
      (row as HTMLElement).querySelector('meter')!.value = 0;
      (row as HTMLElement).querySelector<HTMLElement>('[data-field="busy"]')!.textContent = '–';
      (row as HTMLElement).querySelector<HTMLElement>('[data-field="hart-mips"]')!.textContent = '';
    }
    this.fields.mips.textContent = '–';
  }

  private hartRow(i: number): HTMLElement {
    const row = document.createElement('div');
    row.className = 'hart';
    row.innerHTML = `<span class="swatch"></span><span class="name">hart ${i}</span>` +
      '<meter min="0" max="1" value="0"></meter><span data-field="busy">–</span><span data-field="hart-mips"></span>';
    row.querySelector<HTMLElement>('.swatch')!.style.background = HART_COLORS[i % HART_COLORS.length];
    row.querySelector('meter')!.title = `hart ${i}: share of time running (not waiting in WFI)`;
    return row;
  }

  private chartSize(): { width: number; height: number } {
    return { width: Math.max(120, this.chartBox.clientWidth), height: 120 };
  }

  private chartOptions(harts: number): uPlot.Options {
    const axis: uPlot.Axis = { stroke: '#a89882', grid: { stroke: '#ffffff14', width: 1 }, ticks: { stroke: '#ffffff20', width: 1 }, font: '10px system-ui' };
    return {
      ...this.chartSize(),
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [
        { ...axis, incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600], values: (_u, ticks) => ticks.map((t) => `${Math.round(t)}s`) },
        { ...axis, size: 36, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000], values: (_u, ticks) => ticks.map((t) => String(Math.round(t))) },
      ],
      series: [
        {},
        ...Array.from({ length: harts }, (_, i): uPlot.Series => ({
          label: `hart ${i}`,
          stroke: HART_COLORS[i % HART_COLORS.length],
          width: 1.5,
          points: { show: false },
        })),
      ],
    };
  }
}
