// Nobody is signed in on this page: the inspector pages the offline form's worker kept (Cache API,
// certify-inspect-v1, with the last inspector's name and work on them) are dropped, so that the
// next person on a shared phone is never shown them with no network. Drafts and unsent
// inspections stay: they are kept per inspector (IndexedDB certify-inspect-<user id>).
if (window.caches) { caches.delete("certify-inspect-v1").catch(function () {}); }
