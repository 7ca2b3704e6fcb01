// The service worker (offline/views.py serves it at /sw.js, for the whole site). Workbox comes
// from static/vendor/workbox, never from a CDN. It keeps, network first, only the pages the
// server marked as the ambassador's own (offline/rules.py): each is saved when it arrives and
// shown from the phone when the connection is gone, marked so the page says it is a copy.
// Answers to POST never pass through here (Workbox routes GET only).
"use strict";
const CONFIG = {{ config|safe }};
importScripts(...{{ scripts|safe }});
workbox.setConfig({ modulePathPrefix: CONFIG.module_prefix, debug: false });

const pages = CONFIG.pages.map((pattern) => new RegExp(pattern));

const onlyMarkedPages = {
  // A page is kept only if the server said it may be (and never a redirect or an error).
  cacheWillUpdate: async ({ response }) =>
    response && response.status === 200 && !response.redirected && response.headers.get(CONFIG.header) === "1"
      ? response
      : null,
  // Shown from the phone: the page's data-offline-source says so, and its script shows the
  // "sin conexión · datos del …" banner the server wrote in it, hidden.
  cachedResponseWillBeUsed: async ({ cachedResponse }) => {
    if (!cachedResponse) {
      return null;
    }
    const html = await cachedResponse.text();
    return new Response(html.replace('data-offline-source="network"', 'data-offline-source="cache"'), {
      status: 200,
      headers: cachedResponse.headers,
    });
  },
};

// The right to read kept pages ends with the right to read them online: when a kept page now
// answers 401/403, or the server says this person keeps nothing any more (the forget header:
// the appointment ended, offline/rules.py), every kept page goes; a page that is gone (404/410)
// takes its own copy with it. (A redirect to the login is opaque here: the login page's script,
// static/js/offline.js, forgets them then.)
const forgetWhenNoLongerAllowed = {
  fetchDidSucceed: async ({ request, response }) => {
    if (response.status === 401 || response.status === 403 || response.headers.get(CONFIG.forget) === "1") {
      await caches.delete(CONFIG.cache);
    } else if (response.status === 404 || response.status === 410) {
      const kept = await caches.open(CONFIG.cache);
      await kept.delete(request, { ignoreSearch: true });
    }
    return response;
  },
};

workbox.routing.registerRoute(
  ({ request, url }) =>
    request.mode === "navigate" && url.origin === self.location.origin && pages.some((page) => page.test(url.pathname)),
  new workbox.strategies.NetworkFirst({
    cacheName: CONFIG.cache,
    networkTimeoutSeconds: 10,
    plugins: [forgetWhenNoLongerAllowed, onlyMarkedPages],
  }),
);

// The site's own styles and scripts (and its manifest), so a kept page looks and works as it did.
workbox.routing.registerRoute(
  ({ url }) =>
    url.origin === self.location.origin &&
    (url.pathname.startsWith(CONFIG.static_prefix) || url.pathname === CONFIG.manifest),
  new workbox.strategies.StaleWhileRevalidate({
    cacheName: CONFIG.static_cache,
    plugins: [new workbox.cacheableResponse.CacheableResponsePlugin({ statuses: [200] })],
  }),
);

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  const current = [CONFIG.cache, CONFIG.static_cache];
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => !current.includes(name)).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});
