{#- Jifen service worker, release {{ version }} (docs/offline.md).
 * Static shell: cache-first from a cache named after the release (a deploy changes these bytes,
 * so the browser installs the new worker and refetches the shell). Scoring pages: network first
 * (updates arrive when online), cached copy when the network fails or is slow. Bootstrap: network
 * first, last good copy kept. Other pages: network, or an offline page.
    (Comments in this template are Jinja comments: they stay out of the bytes every phone downloads.) -#}
/* Jifen service worker, release {{ version }} (docs/offline.md). */
"use strict";
const VERSION = {{ version|tojson }};
const SHELL_CACHE = "jifen-shell-" + VERSION;
const DATA_CACHE = "jifen-data";
const SHELL = {{ shell|tojson }};
const HASHES = {{ hashes|tojson }};
const SHELL_PATHS = new Set(SHELL.map((u) => new URL(u, self.location.href).pathname));
const PAGES = {{ pages|tojson }};
const BOOTSTRAP = {{ bootstrap|tojson }};
const OFFLINE = {{ offline|tojson }};
const NETWORK_WAIT_MS = 4000;
const WARM_EVERY_MS = 10 * 60 * 1000;
let lastWarm = 0;

importScripts(...{{ scripts|tojson }});

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    await Promise.all(SHELL.map(async (url) => cache.put(url, await shellFile(url))));
    await warm(cache);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("jifen-shell-") && name !== SHELL_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

{#- Nothing is downloaded twice: the page that registered this worker has just loaded most of the
    shell. A file at its ?v= hash never changes, so the HTTP cache's copy is the one. The others
    (linked without a hash) are taken from the HTTP cache when their SHA-256 is this release's, else
    revalidated against the server: the shell is what the phone runs offline until the next release. #}
async function shellFile(url) {
  const expected = HASHES[url];
  let response = await fetch(url, { cache: url.includes("?v=") || expected ? "force-cache" : "no-cache" });
  if (expected && response.ok) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await response.clone().arrayBuffer()));
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
    if (!hex.startsWith(expected)) response = await fetch(url, { cache: "no-cache" });
  }
  if (!response.ok) throw new Error("shell file " + url + ": " + response.status);
  return response;
}

{#- A scoring page as the server answered it for this session (Vary: Cookie) within two minutes, from
    the HTTP cache when the worker's page has just loaded it (no second download), else fetched. #}
async function freshPage(path) {
  const kept = await fetch(path, { credentials: "same-origin", cache: "force-cache" });
  const age = Date.now() - self.Jifen.Sync.httpDate(kept.headers.get("Date"));
  if (isPage(kept, path) && age <= 120000) return kept;
  return fetch(path, { credentials: "same-origin", cache: "no-store" });
}

function isPage(response, path) {
  return response && response.type === "basic" && response.status === 200 && !response.redirected &&
    new URL(response.url).pathname === path && (response.headers.get("Content-Type") || "").startsWith("text/html");
}

{# Fetch every scoring page (this user's session) and the bootstrap into the caches. #}
async function warm(cache) {
  cache = cache || (await caches.open(SHELL_CACHE));
  let complete = true;
  await Promise.all(PAGES.map(async (path) => {
    try {
      const response = await freshPage(path);
      if (isPage(response, path)) return cache.put(path, response);
    } catch (e) { /* offline */ }
    complete = false;
    {#- Not logged in, or offline: keep the previous release's copy rather than nothing. #}
    if (!(await cache.match(path, { ignoreVary: true }))) {
      const old = await caches.match(path, { ignoreSearch: true, ignoreVary: true });
      if (old) await cache.put(path, old);
    }
  }));
  try {
    const data = await caches.open(DATA_CACHE);
    const kept = await data.match(BOOTSTRAP, { ignoreVary: true });
    {#- The page that registered this worker has usually just fetched (and kept) it. A copy whose #}
    {#- Date cannot be read (missing, or two joined into one) counts as old: fetch it again. #}
    const age = kept ? Date.now() - self.Jifen.Sync.httpDate(kept.headers.get("Date")) : NaN;
    if (!(age <= 120000)) {
      const response = await fetch(BOOTSTRAP, { credentials: "same-origin", cache: "no-store" });
      if (response.ok && !response.redirected) await data.put(BOOTSTRAP, response);
      else complete = false;
    }
  } catch (e) { complete = false; }
  if (complete) lastWarm = Date.now();
  return complete;
}

self.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "warm") return;
  const port = event.ports && event.ports[0];
  event.waitUntil((async () => {
    const ok = Date.now() - lastWarm < WARM_EVERY_MS ? true : await warm();
    if (port) port.postMessage({ ok, version: VERSION });
  })());
});

self.addEventListener("sync", (event) => {
  if (event.tag === "jifen-outbox") event.waitUntil(self.Jifen.Sync.runAll());
});

function timeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("slow")), ms);
    promise.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

function marked(response, how) {
  const headers = new Headers(response.headers);
  headers.set("X-Jifen-Cache", how);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function offlinePage() {
  const page = await caches.match(OFFLINE, { ignoreVary: true });
  return page || new Response("<!doctype html><meta charset=utf-8><title>离线 Offline</title><p>离线 · Offline. <a href=/score>打分 Score</a>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function scoringPage(event, url) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = async () => (await cache.match(url.pathname, { ignoreVary: true })) ||
    (await caches.match(url.pathname, { ignoreSearch: true, ignoreVary: true }));
  const network = fetch(event.request).then(async (response) => {
    if (isPage(response, url.pathname)) await cache.put(url.pathname, response.clone());
    return response;
  });
  event.waitUntil(network.catch(() => null));
  try {
    const response = await timeout(network, NETWORK_WAIT_MS);
    {#- A session that ran out (redirect to the login page) must not stop a worker in the field: #}
    {#- the phone syncs with its device token, so the cached page keeps working. #}
    if (response.type === "opaqueredirect" || response.redirected || response.status >= 500) {
      const hit = await cached();
      if (hit) return hit;
    }
    return response;
  } catch (e) {
    const hit = await cached();
    if (hit) return hit;
    return (await network.catch(() => null)) || offlinePage();
  }
}

async function bootstrap(event) {
  const cache = await caches.open(DATA_CACHE);
  const network = fetch(event.request).then(async (response) => {
    if (response.ok && !response.redirected) await cache.put(BOOTSTRAP, response.clone());
    return response;
  });
  event.waitUntil(network.catch(() => null));
  try {
    const response = await timeout(network, NETWORK_WAIT_MS * 2);
    if (response.ok) return response;
  } catch (e) { /* offline or slow */ }
  const hit = await cache.match(BOOTSTRAP, { ignoreVary: true });
  if (hit) return marked(hit, "hit");
  return network;
}

async function staticAsset(request, url) {
  const cache = await caches.open(SHELL_CACHE);
  const hit = await cache.match(request, { ignoreVary: true });
  if (hit) return hit;
  try {
    return await fetch(request);
  } catch (e) {
    {#- An older page asking for an older ?v= of a shell file: the current one is the best we have. #}
    const near = await caches.match(url.pathname, { ignoreSearch: true, ignoreVary: true });
    if (near) return near;
    throw e;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === BOOTSTRAP) return event.respondWith(bootstrap(event));
  if (url.pathname.startsWith("/static/") || SHELL_PATHS.has(url.pathname)) {
    return event.respondWith(staticAsset(request, url));
  }
  {#- htmx asks for fragments of these URLs: those are never cached, never served from the cache; #}
  {#- nor is a script's own fetch of a page (it wants the network's answer, e.g. a current token). #}
  if (PAGES.includes(url.pathname) && request.mode === "navigate" && !request.headers.get("HX-Request")) {
    return event.respondWith(scoringPage(event, url));
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => offlinePage()));
  }
});
