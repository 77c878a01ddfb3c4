import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/** Cross-origin isolation: SharedArrayBuffer and a shared WebAssembly.Memory need it. */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Folders whose files the page loads as guest images, served at /images/<file>. */
const IMAGE_DIRS = ['guest/images', 'programs/build'].map((d) => resolve(import.meta.dirname, d));

/** Serves guest images in dev and copies them into dist/images on build (no inlining, no hashing). */
function guestImages(): Plugin {
  const find = (file: string) => IMAGE_DIRS.map((d) => join(d, file)).find((p) => existsSync(p));
  return {
    name: 'amber-guest-images',
    configureServer(server) {
      server.middlewares.use('/images/', (req, res, next) => {
        const file = decodeURIComponent((req.url ?? '').split('?')[0]).replace(/^\/+/, '');
        const path = !file.includes('..') && find(file);
        if (!path) return next();
        res.setHeader('Content-Type', 'application/octet-stream');
        res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
        res.end(readFileSync(path));
      });
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
  plugins: [guestImages()],
  server: {
    headers: isolationHeaders,
    port: 5173,
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
  optimizeDeps: { include: ['comlink', '@xterm/xterm', '@xterm/addon-fit'] },
});
