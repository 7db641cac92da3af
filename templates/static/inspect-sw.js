// The inspector's pages with no network: each page and asset fetched is kept (Cache API); with
// no connection the kept copy answers. Pages are fetched from the network first (fresh when
// online), the style sheet and script from the cache first (refreshed behind). Only GETs: the
// form's posts are the page script's business (its outbox, in IndexedDB).
var CACHE = "certify-inspect-v1";
var ASSETS = ["/static/site.css", "/static/inspect.js"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(ASSETS); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function fetchAndKeep(request) {
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected && response.type === "basic") {
      var copy = response.clone();
      caches.open(CACHE).then(function (c) { return c.put(request, copy); });
    }
    return response;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (ASSETS.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(request, { ignoreVary: true }).then(function (kept) {
      var fresh = fetchAndKeep(request).catch(function () { return Response.error(); });
      return kept || fresh;
    }));
  } else if (url.pathname.indexOf("/inspect/") === 0) {
    event.respondWith(fetchAndKeep(request).catch(function () {
      return caches.match(request, { ignoreVary: true }).then(function (kept) { return kept || Response.error(); });
    }));
  }
});
