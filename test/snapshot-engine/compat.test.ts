/**
 * Compatibility and bad input at the engine level, on a small bare-metal machine.
 * fixtures/counter-v1.amber was written by the first release of the format (see
 * make-fixture.ts): every later release must resume it to the program's correct end.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PowerState } from '../../src/machine/layout.ts';
import { Machine } from '../../src/machine/machine.ts';
import { DirectoryImageSource } from '../../src/machine/node-images.ts';
import { SnapshotWriter, openSnapshot } from '../../src/snapshot/container.ts';
import { collectBytes } from '../../src/snapshot/source.ts';
import { planRestore } from '../../src/snapshot/engine.ts';
import { isSnapshotError } from '../../src/snapshot/errors.ts';
import { nodePlatform } from '../../src/workers/node-platform.ts';
import { images, linux, plan, snapshotBytes } from './helpers.ts';

const fixture = new Uint8Array(readFileSync(new URL('./fixtures/counter-v1.amber', import.meta.url)));

async function rewrite(bytes: Uint8Array, edit: (name: string, payload: Uint8Array) => Uint8Array | undefined, extra?: [string, boolean]) {
  const snap = await openSnapshot(bytes);
  const w = new SnapshotWriter();
  for (const s of snap.sections) {
    const payload = edit(s.name, await snap.readSection(s.name));
    if (payload) w.addSection({ name: s.name, version: s.version, required: s.required, encoding: s.encoding }, payload);
  }
  if (extra) w.addSection({ name: extra[0], version: 1, required: extra[1], encoding: 'json' }, new TextEncoder().encode('{}'));
  return collectBytes(w.finish());
}

describe('snapshot compatibility', () => {
  it('resumes the format-v1 fixture, and its program finishes with the exact total', async () => {
    let power: { event: number; code: number } | undefined;
    const chunks: string[] = [];
    const machine = await Machine.restore(await plan(fixture), new DirectoryImageSource('.'), nodePlatform, {
      onConsole: (b) => chunks.push(new TextDecoder().decode(b)),
      onPower: (event, code) => (power = { event, code }),
    });
    await machine.start();
    const deadline = Date.now() + 60_000;
    while (!power && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await machine.stop();
    expect(power).toEqual({ event: PowerState.htifExit, code: 0 });
    expect(chunks.join('')).toContain('counter total 100000');
  });
});

describe('bad snapshots are refused with an error that names the problem', () => {
  const expectRefused = async (bytes: Uint8Array, code: string, message: RegExp, opts: { images?: Parameters<typeof planRestore>[2] } = {}) => {
    const err = await planRestore(bytes, Machine.registryFor, opts.images ?? { has: async (ref) => void (await images.load(ref)) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSnapshotError(err, code as never) || (code === 'any' && err instanceof Error), String(err)).toBe(true);
    expect((err as Error).message).toMatch(message);
  };

  it('truncated at many offsets', async () => {
    for (const cut of [0, 7, 16, 100, fixture.length / 2, fixture.length - 49, fixture.length - 1]) {
      const err = await plan(fixture.subarray(0, Math.floor(cut))).then(() => undefined, (e: unknown) => e);
      expect(isSnapshotError(err), `cut at ${cut}: ${String(err)}`).toBe(true);
    }
  });

  it('wrong magic', () => expectRefused(readFileSync(new URL('../../programs/build/counter-1.elf', import.meta.url)), 'bad-magic', /not an Amber snapshot/));

  it('a future format version', async () => {
    const future = fixture.slice();
    new DataView(future.buffer).setUint32(8, 3, true);
    await expectRefused(future, 'future-version', /newer Amber.*v3/);
  });

  it('an unknown required section, while an unknown optional one is skipped', async () => {
    await expectRefused(await rewrite(fixture, (_, p) => p, ['device/teleporter', true]), 'unknown-required-section', /teleporter/);
    const withOptional = await rewrite(fixture, (_, p) => p, ['x-future-extra', false]);
    const ok = await plan(withOptional);
    expect(ok.notes.join('\n')).toMatch(/x-future-extra/);
  });

  it('a missing device section', () =>
    rewrite(fixture, (name, p) => (name === 'device/uart0' ? undefined : p)).then((b) => expectRefused(b, 'missing-section', /uart0/)));

  it('a machine config this release cannot build', () =>
    rewrite(fixture, (name, p) => (name === 'machine' ? new TextEncoder().encode(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(p)), harts: 99 })) : p))
      .then((b) => expectRefused(b, 'bad-section', /harts must be 1–8/)));

  it('a base image that is not available', async () => {
    // A Linux machine, built but not started, has a disk over the committed base image.
    const machine = await Machine.create(linux(1, 64), images, nodePlatform);
    const { capture } = await machine.checkpoint();
    await machine.stop();
    const bytes = await snapshotBytes(capture);
    await expectRefused(bytes, 'any', /disk\.ext4\.gz.*not available/, {
      images: { has: async (ref) => { throw new Error(`image '${ref.name}' is not available here`); } },
    });
  });
});
