// @ts-check
/// <reference lib="webworker" />
/**
 * Amber's cross-origin isolation service worker, for static hosts that cannot set headers.
 *
 * SharedArrayBuffer (and so a shared WebAssembly.Memory) exists only in a cross-origin
 * isolated page, which needs the response headers
 *   Cross-Origin-Opener-Policy: same-origin
 *   Cross-Origin-Embedder-Policy: require-corp
 * `vite` / `vite preview` send them. A plain static host does not: the page then registers
 * this worker (src/ui/isolation.ts) and reloads once; from then on every same-origin
 * response the page and its workers load passes through here and gets those headers (plus
 * Cross-Origin-Resource-Policy), so the reloaded page is isolated.
 *
 * Plain JavaScript served as is from the site root (vite copies public/ verbatim): a service
 * worker's scope is its script's folder, so it must not live under assets/.
 */
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

sw.addEventListener('install', () => {
  void sw.skipWaiting();
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(sw.clients.claim());
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  // Only same-origin GETs: anything else goes to the network untouched.
  if (request.method !== 'GET' || new URL(request.url).origin !== sw.location.origin) return;
  // A Chromium quirk: this combination throws when fetched from a service worker.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(isolated(request));
});

/**
 * The response for `request`, with the isolation headers added.
 * @param {Request} request
 * @returns {Promise<Response>}
 */
async function isolated(request) {
  const response = await fetch(request);
  // Opaque and error responses cannot be rebuilt; pass them on as they are.
  if (response.status === 0 || response.type === 'opaque' || response.type === 'opaqueredirect') return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  if (!headers.has('Cross-Origin-Resource-Policy')) headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
