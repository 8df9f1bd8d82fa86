/* Jifen sync: drain the outbox to the server (docs/sync-protocol.md), one batch at a time.
 *
 * Runs in the page and in the service worker (Background Sync). A Web Lock makes sure only one
 * context sends at a time; every answer is written to IndexedDB before the next request.
 */
(function (self) {
  "use strict";
  const J = (self.Jifen = self.Jifen || {});
  const O = J.Outbox;
  const URLS = {
    devices: "/api/v1/devices", batch: "/api/v1/sync/batch", photos: "/api/v1/photos/",
    bootstrap: "/api/v1/scoring/bootstrap",
  };
  const BATCH = 50;

  class RetryLater extends Error {}   // no network, timeout, 5xx: keep everything, try again later
  class AuthLost extends Error {}     // 401: stop sending, keep the outbox, ask for a new login

  async function request(url, init, ms) {
    const controller = self.AbortController ? new AbortController() : null;
    const timer = controller ? setTimeout(() => controller.abort(), ms || 30000) : null;
    try {
      return await fetch(url, Object.assign({ signal: controller && controller.signal }, init));
    } catch (error) {
      throw new RetryLater((error && error.message) || "network");
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  function retryable(status) {
    return status >= 500 || status === 408 || status === 429 || status === 0;
  }

  async function jsonOf(response) {
    try { return await response.json(); } catch (e) { return {}; }
  }

  async function token(user) {
    const device = await O.meta("device:" + user);
    return device ? device.token : null;
  }

  async function authLost(user, state, code) {
    await O.deleteMeta("device:" + user);
    await O.setMeta("auth:" + user, { state, code: code || "", at: new Date().toISOString() });
    O.changed({ auth: state });
    throw new AuthLost(state);
  }

  function deviceName() {
    const ua = (self.navigator && navigator.userAgent) || "";
    const android = /Android [\d.]+/.exec(ua);
    const browser = /(MicroMessenger|EdgA|SamsungBrowser|UCBrowser|HuaweiBrowser|MiuiBrowser|Chrome|Firefox|Safari)\/[\d]+/.exec(ua);
    const name = [android && android[0], browser && browser[0]].filter(Boolean).join(" · ");
    return (name || ua).slice(0, 100);
  }

  /** A device token, from IndexedDB or (page only: it needs the session and a CSRF token) a new one. */
  async function ensureToken(user, opts) {
    const existing = await token(user);
    if (existing || !opts.csrf) return existing;
    const auth = (await O.meta("auth:" + user)) || {};
    if (auth.state === "revoked" && !auth.relogin) return null; // the worker must log in again first
    let csrf = opts.csrf;
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await request(URLS.devices, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ name: deviceName() }),
      });
      if (response.status === 201) {
        const body = await response.json();
        await O.setMeta("device:" + user, { token: body.token, device_id: body.device_id, at: new Date().toISOString() });
        await O.deleteMeta("auth:" + user);
        O.changed({ auth: "ok" });
        return body.token;
      }
      if (response.redirected || response.status === 401 || response.status === 403) {
        await O.setMeta("auth:" + user, { state: "login", at: new Date().toISOString() });
        O.changed({ auth: "login" });
        throw new AuthLost("login");
      }
      if (response.status === 400 && attempt === 0 && opts.freshCsrf) {
        csrf = await opts.freshCsrf(); // a page from the cache may carry an older session's token
        if (csrf) continue;
      }
      throw new RetryLater("devices " + response.status);
    }
    return null;
  }

  async function sendBatches(user, bearer, opts, out) {
    for (;;) {
      const items = await O.waiting(user, BATCH);
      if (!items.length) return;
      if (opts.onSending) opts.onSending(items.map((i) => i.uuid));
      const response = await request(URLS.batch, {
        method: "POST", credentials: "omit",
        headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: "Bearer " + bearer },
        body: JSON.stringify({ protocol: 1, items: items.map((i) => i.payload) }),
      }, 60000);
      if (response.status === 401) await authLost(user, "revoked", (await jsonOf(response)).code);
      if (!response.ok) throw new RetryLater("batch " + response.status);
      const body = await jsonOf(response);
      if (!Array.isArray(body.results)) throw new RetryLater("batch answer");
      await O.applyResults(body.results);
      out.sent += items.length;
      for (const r of body.results) {
        if (r.status === "accepted" || r.status === "duplicate") out.acked++;
        else if (r.status === "conflict" || r.status === "rejected") out.parked++;
      }
      const after = await Promise.all(items.map((i) => O.get(i.uuid)));
      if (after.every((i) => i && i.state === "waiting")) throw new RetryLater("no progress");
    }
  }

  async function sendPhotos(user, bearer, out) {
    for (const item of await O.needingPhotos(user)) {
      for (const sha of item.missing) {
        const photo = await O.photo(sha);
        if (!photo) {
          await O.photoRefused(item.uuid, sha, "missing on this phone");
          continue;
        }
        const response = await request(URLS.photos + sha + "?entry=" + encodeURIComponent(item.uuid), {
          method: "PUT", credentials: "omit", body: photo.blob,
          headers: { "Content-Type": photo.type || "image/jpeg", Authorization: "Bearer " + bearer },
        }, 120000);
        if (response.status === 200 || response.status === 201) {
          await O.photoConfirmed(item.uuid, sha);
          out.photos++;
        } else if (response.status === 401) {
          await authLost(user, "revoked", (await jsonOf(response)).code);
        } else if (retryable(response.status)) {
          throw new RetryLater("photo " + response.status);
        } else {
          const body = await jsonOf(response);
          await O.photoRefused(item.uuid, sha, body.error || body.reason || "HTTP " + response.status);
        }
      }
    }
  }

  async function runUnlocked(user, opts) {
    const out = { sent: 0, acked: 0, parked: 0, photos: 0, error: null };
    const bearer = await ensureToken(user, opts);
    if (!bearer) {
      out.error = opts.csrf ? "revoked" : "no_token";
      return out;
    }
    await sendBatches(user, bearer, opts, out);
    await sendPhotos(user, bearer, out);
    await O.prune(user);
    await O.setMeta("last_sync:" + user, new Date().toISOString());
    O.changed({ synced: true });
    return out;
  }

  /** Send everything one user has queued; at most one sender at a time across tabs and the worker. */
  function run(user, opts) {
    opts = opts || {};
    const job = () => runUnlocked(user, opts);
    if (self.navigator && navigator.locks && navigator.locks.request) {
      return navigator.locks.request("jifen-sync", job);
    }
    const next = (J._chain || Promise.resolve()).catch(() => {}).then(job);
    J._chain = next;
    return next;
  }

  /** Background Sync in the service worker: every user that has a device token on this phone. */
  async function runAll() {
    const db = await O.open();
    const keys = await db.getAllKeys("meta");
    for (const key of keys) {
      if (typeof key === "string" && key.startsWith("device:")) {
        try {
          await run(Number(key.slice(7)), {});
        } catch (error) {
          if (!(error instanceof AuthLost)) throw error; // let the browser retry later
        }
      }
    }
  }

  /** The roster and rules for offline use, refreshed when the network answers; the last good copy stays. */
  async function bootstrap(user) {
    const bearer = await token(user);
    const headers = { Accept: "application/json" };
    if (bearer) headers.Authorization = "Bearer " + bearer;
    const response = await request(URLS.bootstrap, { headers, credentials: "same-origin", cache: "no-store" }, 20000);
    if (!response.ok || response.redirected) throw new RetryLater("bootstrap " + response.status);
    const fromCache = response.headers.get("X-Jifen-Cache") === "hit";
    if (!fromCache && self.caches) {
      // Keep it for the service worker too (it then need not fetch it again at install).
      try { await (await caches.open("jifen-data")).put(URLS.bootstrap, response.clone()); } catch (e) { /* no cache */ }
    }
    const data = await response.json();
    if (data.protocol !== 1 || !data.user || data.user.id !== user) throw new RetryLater("bootstrap user");
    const previous = await O.meta("bootstrap:" + user);
    if (fromCache && previous) return previous;
    // A cached copy is as old as its Date header says; a missing or unreadable one (two joined
    // values, garbage) must never lose the roster: then it counts as fetched now.
    const stamped = fromCache ? httpDate(response.headers.get("Date")) : NaN;
    const copy = { data, at: new Date(isNaN(stamped) ? Date.now() : stamped).toISOString() };
    await O.setMeta("bootstrap:" + user, copy);
    return copy;
  }

  /** Milliseconds of an HTTP Date header, or NaN. Two headers joined by the browser
   *  ("Thu, 03 Dec 2026 08:00:00 GMT, Thu, 03 Dec 2026 08:00:00 GMT") count as the first. */
  function httpDate(value) {
    if (!value) return NaN;
    const whole = Date.parse(value);
    if (!isNaN(whole)) return whole;
    const first = /^[^,]*,[^,]*?GMT/i.exec(String(value));
    return first ? Date.parse(first[0]) : NaN;
  }

  J.Sync = { run, runAll, bootstrap, ensureToken, httpDate, RetryLater, AuthLost, deviceName, URLS };
})(self);
