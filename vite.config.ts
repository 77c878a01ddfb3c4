import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig, type Connect, type Plugin } from 'vite';

/** Cross-origin isolation: SharedArrayBuffer and a shared WebAssembly.Memory need it. */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * AMBER_E2E=1 (set by playwright.config.ts): a dev server for tests, which never reloads the
 * page when someone edits a source file mid-run (no HMR socket) and keeps its optimized deps
 * apart from a developer's own dev server.
 */
const e2e = process.env.AMBER_E2E === '1';

/** Folders whose files the page loads as guest images, served at /images/<file>. */
const IMAGE_DIRS = ['guest/images', 'programs/build'].map((d) => resolve(import.meta.dirname, d));

/**
 * Serves files from `dirs` at images/ as they are stored: a *.gz file goes out as
 * application/gzip bytes, never with Content-Encoding: gzip (which the browser would undo,
 * and the initramfs must reach the guest compressed, as its sha256 says).
 */
function imageMiddleware(dirs: () => string[]): Connect.NextHandleFunction {
  return (req, res, next) => {
    const file = decodeURIComponent((req.url ?? '').split('?')[0]).replace(/^\/+/, '');
    const path = file && !file.includes('..') && dirs().map((d) => join(d, file)).find((p) => existsSync(p) && statSync(p).isFile());
    if (!path) return next();
    const bytes = readFileSync(path);
    res.setHeader('Content-Type', file.endsWith('.json') ? 'application/json' : file.endsWith('.gz') ? 'application/gzip' : 'application/octet-stream');
    res.setHeader('Content-Length', bytes.length);
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-cache');
    res.end(bytes);
  };
}

/** Serves guest images in dev and preview, and copies them into dist/images on build (no inlining, no hashing). */
function guestImages(): Plugin {
  let outDir = 'dist';
  return {
    name: 'amber-guest-images',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use('/images/', imageMiddleware(() => IMAGE_DIRS));
    },
    configurePreviewServer(server) {
      server.middlewares.use('/images/', imageMiddleware(() => [join(outDir, 'images')]));
    },
    generateBundle() {
      for (const dir of IMAGE_DIRS) {
        if (!existsSync(dir)) continue;
        for (const file of readdirSync(dir)) {
          this.emitFile({ type: 'asset', fileName: `images/${file}`, source: readFileSync(join(dir, file)) });
        }
      }
    },
  };
}

export default defineConfig({
  // Relative asset URLs: dist/ works from any folder of any static host.
  base: './',
  plugins: [guestImages()],
  cacheDir: e2e ? 'node_modules/.vite-e2e' : undefined,
  server: {
    headers: isolationHeaders,
    port: 5173,
    hmr: e2e ? false : undefined,
    ws: e2e ? false : undefined,
    // Only sources change under the dev server; build/ holds kernel trees and scratch.
    watch: { ignored: ['**/build/**', '**/guest/**', '**/test/**', '**/e2e/**', '**/bench/**', '**/docs/**', '**/dist/**'] },
  },
  preview: { headers: isolationHeaders, port: 4173 },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // Never inline the core as a data URL: workers compile it from its own file.
    assetsInlineLimit: (file) => (file.endsWith('.wasm') ? false : undefined),
  },
  optimizeDeps: { include: ['comlink', '@xterm/xterm', '@xterm/addon-fit', '@xterm/addon-serialize', 'uplot', 'idb-keyval'] },
});
