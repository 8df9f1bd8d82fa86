/* Register the service worker (root scope) and ask it to keep the scoring pages and the
 * roster ready for offline use. Loaded on every page of a grid worker. */
(function () {
  "use strict";
  if (window.__jifenSW || !("serviceWorker" in navigator) || !window.isSecureContext) return;
  window.__jifenSW = true;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(() => navigator.serviceWorker.ready).then((reg) => {
    const worker = reg.active;
    if (!worker || !navigator.onLine) return;
    const channel = new MessageChannel();
    channel.port1.onmessage = (e) => {
      if (e.data && e.data.ok) document.documentElement.dataset.offlineReady = e.data.version;
    };
    worker.postMessage({ type: "warm" }, [channel.port2]);
  }).catch(() => { /* no offline support here: the pages still work online */ });
})();
