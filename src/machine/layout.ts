/**
 * The one declaration of the shared memory's layout.
 *
 * Every thread (UI, machine controller, hart workers) and the AssemblyScript core
 * read these offsets. `scripts/gen-layout.ts` turns this file into
 * `src/cpu/generated/layout.ts` for the core, so the two can never disagree.
 *
 * All offsets are byte offsets into the one shared `WebAssembly.Memory`.
 */

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const WASM_PAGE = 64 * KiB;
export const PAGE_SIZE = 4096;

export const MAX_HARTS = 8;

/** Guest physical address where DRAM starts (QEMU virt). */
export const DRAM_GUEST_BASE = 0x8000_0000;
/** Guest physical address and size of the boot ROM (reset vector). */
export const BOOTROM_GUEST_BASE = 0x1000;
export const BOOTROM_SIZE = 0x1000;

// ── Regions ──────────────────────────────────────────────────────────────
// 0 .. 1 MiB is left to AssemblyScript's own static data (it uses ~2 KiB).

/** Control words: run state, pause handshake, power state, wake words. */
export const CONTROL_BASE = 1 * MiB;
export const CONTROL_SIZE = 4 * KiB;

/** Device state blocks, one fixed slot per device instance. */
export const DEVICE_BASE = CONTROL_BASE + CONTROL_SIZE;
export const DEVICE_SLOT_SIZE = 4 * KiB;
export const DEVICE_SLOTS = 60;

/** Byte rings between device models (hart threads) and host backends: a 64-byte header, then the data. */
export const RING_BASE = 1 * MiB + 256 * KiB;
export const RING_HEADER = 64;
export const CONSOLE_OUT_RING = RING_BASE;
/** Data capacity (a power of two). */
export const CONSOLE_OUT_RING_SIZE = 64 * KiB;

/** Boot ROM contents (guest 0x1000..0x2000), read-only to the guest. */
export const BOOTROM_BASE = 1 * MiB + 512 * KiB;

/** One block per hart: architectural state first, then hart-private caches. */
export const HART_BASE = 2 * MiB;
export const HART_STRIDE = 2 * MiB;
/** Architectural state (saved in snapshots) occupies the first 4 KiB. */
export const HART_STATE_SIZE = 4 * KiB;
/** Transient per-hart words shared with the host (not architectural). */
export const HART_HOST_OFFSET = HART_STATE_SIZE;
export const HART_HOST_SIZE = 4 * KiB;
/** Caches owned by the core (TLBs, decoded instructions): never saved. */
export const HART_SCRATCH_OFFSET = HART_HOST_OFFSET + HART_HOST_SIZE;
export const HART_SCRATCH_SIZE = HART_STRIDE - HART_SCRATCH_OFFSET;

/** Guest DRAM starts here in the wasm memory and maps guest 0x8000_0000. */
export const RAM_BASE = HART_BASE + MAX_HARTS * HART_STRIDE + 14 * MiB; // = 32 MiB
export const MIN_RAM_SIZE = 16 * MiB;
export const MAX_RAM_SIZE = 2048 * MiB;

// ── Control words (i32 index into an Int32Array over CONTROL_BASE) ──────
export const Ctrl = {
  /** Equals LAYOUT_MAGIC once the controller has initialised the memory. */
  magic: 0,
  /** Number of harts in this machine. */
  hartCount: 1,
  /** Nonzero: every hart parks at its next instruction-batch boundary. */
  pauseRequest: 2,
  /** How many harts are parked (in the pause handshake). */
  parkedCount: 3,
  /** Nonzero: every hart leaves its run loop for good. */
  stopRequest: 4,
  /** Why the guest stopped on its own: see PowerState. */
  powerState: 5,
  /** Guest-chosen exit code (HTIF exit, or 0 for power-off). */
  exitCode: 6,
  /** Bit flags, see CtrlFlags. */
  flags: 7,
  /** Guest RAM size in bytes, low and high halves. */
  ramSizeLo: 8,
  ramSizeHi: 9,
  /** f64 (indices 10–11): host epoch milliseconds at which mtime was 0; see src/machine/clock.ts. */
  timeBaseMs: 10,
  /** Guest physical address of HTIF tohost (0 = none), low and high. */
  tohostLo: 12,
  tohostHi: 13,
  /** Guest physical address of HTIF fromhost, low and high. */
  fromhostLo: 14,
  fromhostHi: 15,
  /** How many harts are running their loop (started and not exited). */
  liveHarts: 16,
  /** Deterministic mode: mtime ticks skipped by idle WFI (low, high). */
  idleTicksLo: 18,
  idleTicksHi: 19,
  /**
   * Wasm offset of the RAM dirty-page bitmap (bit i of u32 word i >> 5 = guest RAM page i), 0 for
   * none. Harts set a page's bit when they fill a store TLB entry for it (and on every uncached
   * store), devices when they write guest RAM: see src/machine/ram-dirty.ts.
   */
  ramDirtyBase: 20,
  /** Bumped by the controller after it clears the dirty bitmap: each hart drops its TLBs at its next run. */
  ramDirtyEpoch: 21,
  /** One wake word per hart: notified to end a WFI/pause sleep. */
  wake0: 32,
} as const;

export const LAYOUT_MAGIC = 0x414d4252; // 'AMBR'

export const PowerState = { running: 0, poweroff: 1, reboot: 2, htifExit: 3, fatal: 4 } as const;
export const CtrlFlags = { deterministic: 1 } as const;

// ── Per-hart host words (i32 index into an Int32Array over hartBase + HART_HOST_OFFSET) ──
export const HartHost = {
  /** Set by a device model during an MMIO call to make `run` return to the host at once. */
  hostRequest: 0,
  /** Set by the host when an MMIO access hit no device: the core raises an access fault. */
  mmioFault: 1,
  /** Hart is parked in WFI (1) or running (0): for status displays. */
  sleeping: 2,
} as const;

// ── Reasons `run(budget)` returns ──
export const RunReason = {
  /** The instruction budget is spent. */
  budget: 0,
  /** WFI with no interrupt pending: the host may sleep until a wake or the timer. */
  wfi: 1,
  /** A device model asked the host to look (hostRequest was set). */
  host: 2,
  /** The core hit a state it cannot continue from (emulator bug); details in the hart block. */
  fatal: 3,
} as const;

/**
 * Architectural hart state, in the first HART_STATE_SIZE bytes of each hart block.
 * Every field is a u64 (8 bytes). The order fixes the offsets; the names are what
 * snapshots write. Adding a field: append it, and add a migration for the `hart`
 * snapshot section (older snapshots load it at its reset value).
 */
export const HART_STATE_FIELDS: ReadonlyArray<{ name: string; count?: number }> = [
  { name: 'x', count: 32 },
  { name: 'f', count: 32 },
  { name: 'pc' },
  { name: 'priv' },
  { name: 'mip' },
  { name: 'mie' },
  { name: 'mstatus' },
  { name: 'misa' },
  { name: 'medeleg' },
  { name: 'mideleg' },
  { name: 'mtvec' },
  { name: 'mscratch' },
  { name: 'mepc' },
  { name: 'mcause' },
  { name: 'mtval' },
  { name: 'mcounteren' },
  { name: 'menvcfg' },
  { name: 'mhartid' },
  { name: 'stvec' },
  { name: 'sscratch' },
  { name: 'sepc' },
  { name: 'scause' },
  { name: 'stval' },
  { name: 'scounteren' },
  { name: 'senvcfg' },
  { name: 'satp' },
  { name: 'fcsr' },
  { name: 'cycle' },
  { name: 'instret' },
  { name: 'pmpcfg', count: 2 },
  { name: 'pmpaddr', count: 16 },
  { name: 'reservation' },
  { name: 'reservationValid' },
  { name: 'mcountinhibit' },
  { name: 'wfiPending' },
  /** The value LR saw at `reservation` (SC is a compare-and-swap against it, as QEMU does). */
  { name: 'reservationValue' },
];

export interface FieldOffset {
  name: string;
  offset: number;
  count: number;
}

/** Byte offsets of the hart state fields within a hart block. */
export function hartStateOffsets(): FieldOffset[] {
  const out: FieldOffset[] = [];
  let offset = 0;
  for (const f of HART_STATE_FIELDS) {
    const count = f.count ?? 1;
    out.push({ name: f.name, offset, count });
    offset += 8 * count;
  }
  if (offset > HART_STATE_SIZE) throw new Error(`hart state (${offset} B) exceeds HART_STATE_SIZE`);
  return out;
}

export function hartBase(hart: number): number {
  return HART_BASE + hart * HART_STRIDE;
}

export function deviceSlotBase(slot: number): number {
  if (slot < 0 || slot >= DEVICE_SLOTS) throw new Error(`device slot ${slot} out of range`);
  return DEVICE_BASE + slot * DEVICE_SLOT_SIZE;
}

/** Wasm memory pages needed for a machine with `ramBytes` of guest RAM plus `extraBytes` (disk images). */
export function memoryPagesFor(ramBytes: number, extraBytes = 0): number {
  return Math.ceil((RAM_BASE + ramBytes + extraBytes) / WASM_PAGE);
}

/** Initial pages the core module declares: everything below guest RAM. */
export const CORE_MIN_PAGES = RAM_BASE / WASM_PAGE;
/** Maximum pages: 4 GiB, the wasm32 limit. */
export const CORE_MAX_PAGES = 65536;

/** Byte offset of each hart state field within a hart block, by name. */
export const HS: Readonly<Record<string, number>> = Object.fromEntries(
  hartStateOffsets().map((f) => [f.name, f.offset]),
);
