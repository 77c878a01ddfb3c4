/**
 * Writes fixtures/counter-v1.amber: a one-hart bare-metal machine (programs/counter.S),
 * deterministic, checkpointed exactly 150 000 instructions in (mid-count), by the first release of the snapshot format.
 * Committed once; later releases must keep resuming it. Run: npx tsx test/snapshot-engine/make-fixture.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Machine } from '../../src/machine/machine.ts';
import { DirectoryImageSource, imageRefFor } from '../../src/machine/node-images.ts';
import { nodePlatform } from '../../src/workers/node-platform.ts';
import { snapshotBytes } from './helpers.ts';

const elf = new Uint8Array(readFileSync(new URL('../../programs/build/counter-1.elf', import.meta.url)));
const ref = imageRefFor('counter-1.elf', elf);
const images = new DirectoryImageSource('.');
images.add(ref.name, elf);
const machine = await Machine.create({ version: 1, harts: 1, memoryMiB: 16, boot: { kind: 'elf', elf: ref }, deterministic: true }, images, nodePlatform);
machine.runInline(150_000n); // the program retires ~300 000 instructions in all
const { capture } = await machine.checkpoint({ meta: { name: 'counter, one hart, format v1 fixture' } });
await machine.stop();
const out = new URL('./fixtures/counter-v1.amber', import.meta.url);
writeFileSync(out, await snapshotBytes(capture));
console.log(`wrote ${out.pathname}`);
process.exit(0);
