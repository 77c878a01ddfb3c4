/**
 * NS16550A UART (QEMU virt's `uart0`): 8 byte-wide registers, 16-byte FIFOs, interrupts.
 *
 * Transmit is instantaneous: a THR write appends to the console output ring (the host
 * drains it to xterm.js or stdout) and THR is empty again at once. Received bytes come
 * from the host through `receive()`, into a receive buffer in the state block, so
 * typed-ahead input survives a snapshot. Interrupt identification follows QEMU's
 * serial.c, which the Linux 8250 driver is known to accept.
 */
import { CONSOLE_OUT_RING, CONSOLE_OUT_RING_SIZE } from '../machine/layout.ts';
import { ByteRing } from '../machine/byte-ring.ts';
import type { SharedMachineMemory } from '../machine/shared-memory.ts';
import type { AccessSize, Device, InterruptSink } from './device.ts';
import { DeviceState, defineSchema } from './state.ts';

const RX_BUFFER = 2048;

export const ns16550aSchema = defineSchema({
  name: 'ns16550a',
  version: 1,
  fields: {
    ier: { type: 'u8' },
    iir: { type: 'u8' },
    fcr: { type: 'u8' },
    lcr: { type: 'u8' },
    mcr: { type: 'u8' },
    lsr: { type: 'u8' },
    msr: { type: 'u8' },
    scr: { type: 'u8' },
    dll: { type: 'u8' },
    dlm: { type: 'u8' },
    /** A THR-empty interrupt is pending (cleared by reading IIR or writing THR). */
    thrIpending: { type: 'u8' },
    irqLevel: { type: 'u8' },
    rxHead: { type: 'u16' },
    rxCount: { type: 'u16' },
    rxBuffer: { type: 'u8', count: RX_BUFFER },
  },
});

// Register offsets
const RBR_THR_DLL = 0, IER_DLM = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;
// IER bits
const IER_RDI = 0x01, IER_THRI = 0x02, IER_RLSI = 0x04, IER_MSI = 0x08;
// IIR values
const IIR_NO_INT = 0x01, IIR_MSI = 0x00, IIR_THRI = 0x02, IIR_RDI = 0x04, IIR_RLSI = 0x06, IIR_CTI = 0x0c, IIR_FIFO = 0xc0;
// LSR bits
const LSR_DR = 0x01, LSR_OE = 0x02, LSR_BI_FE_PE = 0x1c, LSR_THRE = 0x20, LSR_TEMT = 0x40;
const LCR_DLAB = 0x80;
const FCR_ENABLE = 0x01, FCR_CLEAR_RX = 0x02;
// MSR: carrier detect, data set ready, clear to send
const MSR_IDLE = 0xb0;
const MSR_ANY_DELTA = 0x0f;
/** Receive trigger levels selected by FCR bits 7:6. */
const TRIGGER = [1, 4, 8, 14];
/** How long a transmitting hart may wait for the host to drain the output ring. */
const TX_BACKPRESSURE_MS = 200;

type S = typeof ns16550aSchema.fields;

export class Ns16550a implements Device<S> {
  readonly state: DeviceState<S>;
  private readonly out: ByteRing;

  constructor(
    mem: SharedMachineMemory,
    slot: number,
    readonly name: string,
    readonly base: number,
    readonly irq: number,
    private readonly irqs: InterruptSink,
    readonly size = 0x100,
  ) {
    this.state = new DeviceState(mem, slot, ns16550aSchema);
    this.out = new ByteRing(mem, CONSOLE_OUT_RING, CONSOLE_OUT_RING_SIZE);
  }

  reset(): void {
    const s = this.state;
    s.clear();
    s.set('iir', IIR_NO_INT);
    s.set('lsr', LSR_THRE | LSR_TEMT);
    s.set('msr', MSR_IDLE);
    this.out.reset();
    this.updateIrq();
  }

  afterLoad(): void {
    this.updateIrq();
  }

  read(offset: number, _size: AccessSize): bigint {
    const s = this.state;
    const dlab = (s.get('lcr') & LCR_DLAB) !== 0;
    switch (offset) {
      case RBR_THR_DLL:
        return BigInt(dlab ? s.get('dll') : this.popRx());
      case IER_DLM:
        return BigInt(dlab ? s.get('dlm') : s.get('ier'));
      case IIR_FCR: {
        const iir = s.get('iir');
        if ((iir & 0x0f) === IIR_THRI) {
          s.set('thrIpending', 0);
          this.updateIrq();
        }
        return BigInt(iir);
      }
      case LCR: return BigInt(s.get('lcr'));
      case MCR: return BigInt(s.get('mcr'));
      case LSR: {
        const lsr = s.get('lsr');
        // Error bits clear on read.
        s.set('lsr', lsr & ~(LSR_OE | LSR_BI_FE_PE));
        if (lsr & (LSR_OE | LSR_BI_FE_PE)) this.updateIrq();
        return BigInt(lsr);
      }
      case MSR: {
        const msr = s.get('msr');
        s.set('msr', msr & ~MSR_ANY_DELTA);
        return BigInt(msr);
      }
      case SCR: return BigInt(s.get('scr'));
      default: return 0n;
    }
  }

  write(offset: number, _size: AccessSize, value: bigint): void {
    const s = this.state;
    const v = Number(value & 0xffn);
    const dlab = (s.get('lcr') & LCR_DLAB) !== 0;
    switch (offset) {
      case RBR_THR_DLL:
        if (dlab) s.set('dll', v);
        else this.transmit(v);
        break;
      case IER_DLM:
        if (dlab) {
          s.set('dlm', v);
        } else {
          const old = s.get('ier');
          s.set('ier', v & 0x0f);
          // Enabling THRI while THR is empty raises it at once (the 8250 driver relies on this).
          if ((v & IER_THRI) && !(old & IER_THRI) && (s.get('lsr') & LSR_THRE)) s.set('thrIpending', 1);
          this.updateIrq();
        }
        break;
      case IIR_FCR:
        if (v & FCR_CLEAR_RX) {
          s.set('rxCount', 0);
          s.set('rxHead', 0);
          s.set('lsr', s.get('lsr') & ~LSR_DR);
        }
        s.set('fcr', v & 0xc9);
        s.set('iir', (s.get('iir') & 0x0f) | ((v & FCR_ENABLE) ? IIR_FIFO : 0));
        this.updateIrq();
        break;
      case LCR: s.set('lcr', v); break;
      case MCR: s.set('mcr', v & 0x1f); break;
      case SCR: s.set('scr', v); break;
      default: break; // LSR and MSR are read-only
    }
  }

  /** Host → guest: buffer `bytes` for the guest to read. Returns how many fit (lock held). */
  receive(bytes: ArrayLike<number>): number {
    const s = this.state;
    let count = s.get('rxCount');
    const head = s.get('rxHead');
    let n = 0;
    for (; n < bytes.length && count < RX_BUFFER; n++, count++) {
      s.set('rxBuffer', bytes[n], (head + count) % RX_BUFFER);
    }
    s.set('rxCount', count);
    if (count > 0) s.set('lsr', s.get('lsr') | LSR_DR);
    this.updateIrq();
    return n;
  }

  /** Put a byte on the console line from another source (HTIF putchar); lock held. */
  emit(byte: number): void {
    this.out.writeByte(byte, TX_BACKPRESSURE_MS);
  }

  private transmit(byte: number): void {
    if (this.state.get('mcr') & 0x10) {
      this.receive([byte]); // loopback mode
    } else {
      this.emit(byte);
    }
    this.state.set('thrIpending', 1);
    this.updateIrq();
  }

  private popRx(): number {
    const s = this.state;
    const count = s.get('rxCount');
    if (count === 0) return 0;
    const head = s.get('rxHead');
    const byte = s.get('rxBuffer', head);
    s.set('rxHead', (head + 1) % RX_BUFFER);
    s.set('rxCount', count - 1);
    if (count === 1) s.set('lsr', s.get('lsr') & ~LSR_DR);
    this.updateIrq();
    return byte;
  }

  private updateIrq(): void {
    const s = this.state;
    const ier = s.get('ier');
    const lsr = s.get('lsr');
    let id = IIR_NO_INT;
    if ((ier & IER_RLSI) && (lsr & (LSR_OE | LSR_BI_FE_PE))) {
      id = IIR_RLSI;
    } else if ((ier & IER_RDI) && (lsr & LSR_DR)) {
      const fifo = (s.get('fcr') & FCR_ENABLE) !== 0;
      // Below the trigger level a real UART signals a character timeout after a few
      // character times; with no line timing to model, signal it at once.
      id = fifo && s.get('rxCount') < TRIGGER[s.get('fcr') >> 6] ? IIR_CTI : IIR_RDI;
    } else if ((ier & IER_THRI) && s.get('thrIpending')) {
      id = IIR_THRI;
    } else if ((ier & IER_MSI) && (s.get('msr') & MSR_ANY_DELTA)) {
      id = IIR_MSI;
    }
    s.set('iir', id | (s.get('iir') & 0xf0));
    const level = id !== IIR_NO_INT ? 1 : 0;
    if (level !== s.get('irqLevel')) {
      s.set('irqLevel', level);
      this.irqs.setLevel(this.irq, level === 1);
    }
  }
}
