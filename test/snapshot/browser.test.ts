/**
 * The library unchanged in a browser: a module worker in a cross-origin-isolated Chromium
 * page (served by vite) writes a snapshot of shared-memory RAM to a Blob, reads it back
 * through the Blob, and must produce the same bytes as Node. Skipped without Chromium.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import { describe, expect, it } from 'vitest';
import { collectBytes, hashHex, openSnapshot } from '../../src/snapshot/index.ts';
import { workloadWriter } from './browser/workload.ts';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('./browser/', import.meta.url));
const repo = fileURLToPath(new URL('../../', import.meta.url));
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

describe.skipIf(!existsSync(CHROMIUM))('snapshot format in a browser worker', () => {
  it('writes through Blob parts, reads through a Blob, and matches Node byte for byte', async () => {
    const { writer } = workloadWriter();
    const nodeFile = await openSnapshot(await collectBytes(writer.finish()));

    const cacheDir = await mkdtemp(join(tmpdir(), 'amber-snap-vite-')); // never share node_modules/.vite
    const server = await createServer({
      configFile: false,
      root,
      cacheDir,
      logLevel: 'silent',
      server: { port: 0, host: '127.0.0.1', headers: isolation, fs: { allow: [repo] }, hmr: false, watch: null },
      worker: { format: 'es' },
    });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      await server.listen();
      const url = server.resolvedUrls!.local[0];
      const page = await browser.newPage();
      await page.goto(url);
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      await page.waitForFunction(() => document.getElementById('out')!.textContent!.startsWith('DONE'), null, { timeout: 90_000 });
      const result = JSON.parse((await page.textContent('#out'))!.slice(5));
      expect(result).toEqual({ ok: true, size: nodeFile.size, fileChecksum: hashHex(nodeFile.fileChecksum) });
    } finally {
      await browser.close();
      await server.close();
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
