/**
 * Writes test/snapshot/fixtures/format-v1.amber (see fixture-spec.ts before running this).
 *   npx tsx test/snapshot/make-fixture.ts
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { collectBytes, defaultRegistry, encodeDisk, encodeRam, SnapshotWriter } from '../../src/snapshot/index.ts';
import * as spec from './fixture-spec.ts';

const reg = defaultRegistry().registerDevice('clint', spec.fakeTimerSchema).registerDevice('uart0', spec.fakeUartSchema);
const w = new SnapshotWriter();
w.addSection(...reg.json('machine', spec.config));
w.addSection(...reg.fields('hart/0', spec.hartValues()));
w.addSection(...reg.fields('device/clint', spec.timerValues));
w.addSection(...reg.fields('device/uart0', spec.uartValues));
w.addSection(...reg.fields('clock', spec.clockValues));
w.addSection(reg.meta('ram'), encodeRam(spec.ramImage()));
const { disk, written } = spec.diskImage();
w.addSection(reg.meta('disk/0'), encodeDisk(disk, { mode: 'delta', base: spec.diskBase, written }));
w.addSection(...reg.json('console/screen', spec.screen));
w.addSection(...reg.json('meta', spec.meta));
w.addSection({ name: spec.VENDOR_SECTION, version: 1, required: false, encoding: 'raw' }, new TextEncoder().encode('ignore me'));
const bytes = await collectBytes(w.finish());
await writeFile(fileURLToPath(spec.FIXTURE_PATH), bytes);
console.log(`wrote ${fileURLToPath(spec.FIXTURE_PATH)}: ${bytes.length} bytes`);
