/// <reference lib="webworker" />
/**
 * The page's machine worker: owns the Machine (controller, console pump, power watch)
 * and is driven from the UI through comlink. Hart workers are its children.
 */
import * as Comlink from 'comlink';
import type { MachineConfig } from '../machine/config.ts';
import { FetchImageSource } from '../machine/fetch-images.ts';
import { Machine } from '../machine/machine.ts';
import type { PowerEvent } from '../machine/power.ts';
import { browserPlatform } from './browser-platform.ts';

export interface MachineListener {
  console(bytes: Uint8Array): void;
  power(event: PowerEvent, exitCode: number): void;
  progress(what: string, loaded: number, total: number): void;
}

export interface HartSnapshotStatus {
  instret: number;
  sleeping: boolean;
}

let machine: Machine | undefined;

const api = {
  async boot(config: MachineConfig, imageBaseUrl: string, listener: MachineListener): Promise<void> {
    if (machine) await machine.stop();
    machine = undefined;
    const images = new FetchImageSource(imageBaseUrl, (name, loaded, total) => listener.progress(name, loaded, total));
    const m = await Machine.create(config, images, browserPlatform, {
      onConsole: (bytes) => listener.console(Comlink.transfer(bytes, [bytes.buffer])),
      onPower: (event, code) => listener.power(event, code),
    });
    machine = m;
    await m.start();
  },
  async pause(): Promise<void> {
    await machine?.pause();
  },
  resume(): void {
    machine?.resume();
  },
  async stop(): Promise<void> {
    await machine?.stop();
    machine = undefined;
  },
  sendInput(bytes: Uint8Array): void {
    machine?.sendInput(bytes);
  },
  status(): { state: string; uptime: number; harts: HartSnapshotStatus[] } | undefined {
    if (!machine) return undefined;
    return {
      state: machine.state,
      uptime: machine.uptimeSeconds,
      harts: machine.hartStatus().map((h) => ({ instret: Number(h.instret), sleeping: h.sleeping })),
    };
  },
};

export type MachineWorkerApi = typeof api;
Comlink.expose(api);
