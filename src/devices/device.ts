/**
 * What every device model offers to the bus, the board and snapshots.
 *
 * A model is a thin object of functions over its DeviceState: it holds no guest-visible
 * state of its own, so every thread can build the same model over the same memory.
 */
import type { DeviceState, FieldDecls } from './state.ts';

export type AccessSize = 1 | 2 | 4 | 8;

export interface Device<F extends FieldDecls = FieldDecls> {
  /** Instance name, unique in a machine: also the snapshot section name (`device/<name>`). */
  readonly name: string;
  /** Guest physical base address and size of the MMIO window. */
  readonly base: number;
  readonly size: number;
  readonly state: DeviceState<F>;
  /** Register read at `offset` in the window; called with the device lock held. */
  read(offset: number, size: AccessSize): bigint;
  /** Register write at `offset` in the window; called with the device lock held. */
  write(offset: number, size: AccessSize, value: bigint): void;
  /** Put the state block in its power-on state (lock held). */
  reset(): void;
  /** Recompute what is derived from state (interrupt lines…) after a snapshot load (lock held). */
  afterLoad?(): void;
}

/** Where a device raises and lowers its interrupt line (the PLIC). */
export interface InterruptSink {
  setLevel(irq: number, level: boolean): void;
}
