import { defineConfig } from '@playwright/test';

const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const DEV = 'http://localhost:5173';
/** `vite preview` of the built dist/ (COOP/COEP from vite's preview.headers). */
const PREVIEW = 'http://localhost:4173';
/** The same dist/ from a static server that sends no isolation headers: the service worker must. */
const STATIC = 'http://localhost:4174';

export default defineConfig({
  testDir: 'e2e',
  // A Linux boot takes 5–15 s alone, several times that on a busy 2-core machine.
  timeout: 180_000,
  expect: { timeout: 10_000 },
  retries: 0,
  workers: 1,
  reporter: [['list']],
  use: {
    launchOptions: { executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: chromiumArgs },
    viewport: { width: 1280, height: 800 },
  },
  projects: [
    // Every spec against the dev server, except those written for the built site.
    { name: 'dev', use: { baseURL: DEV }, testIgnore: ['static-host.spec.ts'] },
    // The built site: the same Linux boot test, through `vite preview`.
    { name: 'dist', use: { baseURL: PREVIEW }, testMatch: 'linux.spec.ts', grep: /@dist/ },
    // The built site on a host without headers: isolation through the service worker.
    { name: 'static', use: { baseURL: STATIC }, testMatch: 'static-host.spec.ts' },
  ],
  webServer: [
    {
      command: 'AMBER_E2E=1 npx vite --port 5173 --strictPort',
      url: DEV,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      // Builds dist/ (the wasm core is built by `npm test` before this runs) and previews it.
      command: 'npx vite build --logLevel warn && npx vite preview --port 4173 --strictPort',
      url: PREVIEW,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
    },
    {
      command: 'node e2e/static-server.mjs dist 4174',
      url: `${STATIC}/index.html`,
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
    },
  ],
});
