/**
 * Cross-origin isolation for the page: SharedArrayBuffer needs it.
 *
 * A server that sends COOP/COEP (vite, vite preview, a configured host) makes the page
 * isolated from the start. On a static host that cannot set headers, the page registers
 * public/coi-sw.js, a service worker that re-serves every same-origin response with those
 * headers, and reloads once so that the reloaded page is served through it. A session flag
 * makes sure it reloads at most once; if the page is still not isolated afterwards, the
 * caller gets a reason in plain words.
 */

const RELOAD_FLAG = 'amber-coi-reload';
const SW_FILE = 'coi-sw.js';

export type Isolation = { ok: true; via: 'headers' | 'service worker' } | { ok: false; reason: string };

/**
 * Resolves when the page is isolated, or with a reason why it cannot be. May reload the
 * page (the promise then never settles).
 */
export async function ensureCrossOriginIsolated(): Promise<Isolation> {
  const controlled = 'serviceWorker' in navigator && navigator.serviceWorker.controller !== null;
  if (globalThis.crossOriginIsolated && typeof SharedArrayBuffer === 'function') {
    sessionStorage.removeItem(RELOAD_FLAG);
    return { ok: true, via: controlled ? 'service worker' : 'headers' };
  }
  if (!window.isSecureContext) {
    return { ok: false, reason: 'This page needs a secure context (https:// or http://localhost) to enable SharedArrayBuffer.' };
  }
  if (!('serviceWorker' in navigator)) {
    return { ok: false, reason: notIsolated('this browser has no service workers to add them') };
  }
  if (sessionStorage.getItem(RELOAD_FLAG)) {
    // Already reloaded once through the service worker and still not isolated.
    sessionStorage.removeItem(RELOAD_FLAG);
    return { ok: false, reason: notIsolated('the helper service worker could not add them (private mode or blocked service workers?)') };
  }
  try {
    const registration = await navigator.serviceWorker.register(new URL(SW_FILE, document.baseURI), { scope: './' });
    await activated(registration);
  } catch (err) {
    return { ok: false, reason: notIsolated(`the helper service worker failed to register: ${err instanceof Error ? err.message : String(err)}`) };
  }
  sessionStorage.setItem(RELOAD_FLAG, '1');
  location.reload();
  return new Promise<never>(() => {});
}

function notIsolated(why: string): string {
  return 'SharedArrayBuffer is not available because this page is not cross-origin isolated: the server does not send ' +
    `the Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers, and ${why}. ` +
    'Serve the site with those headers (e.g. `npm run preview`), or open it in a current Chromium, Firefox or Safari.';
}

function activated(registration: ServiceWorkerRegistration): Promise<void> {
  const worker = registration.installing ?? registration.waiting ?? registration.active;
  if (!worker || worker.state === 'activated') return Promise.resolve();
  return new Promise((resolve, reject) => {
    worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve();
      if (worker.state === 'redundant') reject(new Error('the service worker was discarded'));
    });
  });
}
