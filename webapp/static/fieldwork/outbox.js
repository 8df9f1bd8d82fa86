/* Jifen outbox: everything the grid worker records, kept in IndexedDB until the server has it.
 *
 * Runs in the page and in the service worker (importScripts), so it is a classic script on
 * self.Jifen. Stores:
 *   outbox  {uuid, user, seq, kind, payload, label, state, missing, flags, reason, code, ...}
 *           state: "waiting" (never answered) → "acked" (accepted/duplicate; done once `missing`
 *           is empty) or "parked" (conflict/rejected: kept with the reason, never resent).
 *   photos  {sha, blob, type, bytes, refs: [uuid…], error}: deleted only when no entry still needs it.
 *   meta    {key, value}: device token, bootstrap copy, last sync, counters.
 */
(function (self) {
  "use strict";
  const J = (self.Jifen = self.Jifen || {});
  const DB_NAME = "jifen";
  const DB_VERSION = 1;
  const KEEP_DONE_MS = 3 * 24 * 3600 * 1000; // finished items stay visible for three days
  const KEEP_DONE_MAX = 300;

  let dbPromise = null;

  function open() {
    if (dbPromise) return dbPromise;
    const opening = self.idb.openDB(DB_NAME, DB_VERSION, {
      upgrade(db) {
        const outbox = db.createObjectStore("outbox", { keyPath: "uuid" });
        outbox.createIndex("by_user_seq", ["user", "seq"]);
        db.createObjectStore("photos", { keyPath: "sha" });
        db.createObjectStore("meta", { keyPath: "key" });
      },
      blocking() {
        // Another tab (or a newer release) wants to upgrade: let it, and reopen on next use.
        forget(opening);
      },
      terminated() {
        // The browser closed the connection (storage pressure, clearing data): reopen on next use.
        forget(opening);
      },
    });
    dbPromise = opening;
    opening.catch(() => forget(opening));
    return opening;
  }

  function forget(which) {
    if (dbPromise === which) dbPromise = null;
    which.then((db) => { try { db.close(); } catch (e) { /* already closed */ } }, () => {});
  }

  /** Run fn(db) and retry once on a connection the browser has closed under us. */
  async function withDB(fn) {
    try {
      return await fn(await open());
    } catch (error) {
      if (error && (error.name === "InvalidStateError" || error.name === "TransactionInactiveError")) {
        dbPromise = null;
        return fn(await open());
      }
      throw error;
    }
  }

  function changed(detail) {
    // Every page and the service worker hear about changes (counts, states) at once.
    try {
      if (!J._channel && self.BroadcastChannel) J._channel = new BroadcastChannel("jifen");
      if (J._channel) J._channel.postMessage({ type: "changed", detail: detail || {} });
    } catch (e) { /* no channel: the page refreshes on its own events */ }
    if (J.events) J.events.dispatchEvent(new CustomEvent("changed", { detail: detail || {} }));
  }
  if (self.EventTarget) J.events = J.events || new EventTarget();

  const Outbox = {
    open,

    /** Save one form: the item and its photo blobs in ONE transaction. Resolves when it is on disk.
     *  The same uuid saved again (a double tap, a resubmitted form) stays one entry. */
    async save(user, kind, payload, label, photos) {
      return withDB(async (db) => {
        const tx = db.transaction(["outbox", "photos", "meta"], "readwrite");
        const outbox = tx.objectStore("outbox");
        const existing = await outbox.get(payload.uuid);
        if (existing && existing.state !== "waiting") {
          await tx.done;
          return { status: "exists", item: existing };
        }
        let seq = existing ? existing.seq : null;
        if (seq === null) {
          const counter = (await tx.objectStore("meta").get("seq")) || { key: "seq", value: 0 };
          seq = counter.value = Math.max(counter.value + 1, Date.now());
          tx.objectStore("meta").put(counter);
        }
        const now = new Date().toISOString();
        const item = {
          uuid: payload.uuid, user, seq, kind, payload, label: label || {},
          state: "waiting", missing: [], flags: [], reason: "", code: "", photo_errors: {},
          created_at: existing ? existing.created_at : now, updated_at: now, attempts: 0,
        };
        outbox.put(item);
        const store = tx.objectStore("photos");
        for (const photo of photos || []) {
          const old = await store.get(photo.sha);
          const refs = new Set((old && old.refs) || []);
          refs.add(payload.uuid);
          store.put({
            sha: photo.sha, blob: photo.blob, type: photo.type, bytes: photo.blob.size,
            width: photo.width, height: photo.height, refs: [...refs], error: "",
            created_at: (old && old.created_at) || now,
          });
        }
        await tx.done;
        changed({ saved: payload.uuid });
        return { status: "saved", item };
      });
    },

    async get(uuid) {
      return withDB((db) => db.get("outbox", uuid));
    },

    /** All of a user's items in the order they were recorded. */
    async list(user) {
      return withDB((db) =>
        db.getAllFromIndex("outbox", "by_user_seq", IDBKeyRange.bound([user, -Infinity], [user, Infinity])));
    },

    async waiting(user, limit) {
      const all = await Outbox.list(user);
      return all.filter((i) => i.state === "waiting").slice(0, limit || 50);
    },

    async needingPhotos(user) {
      const all = await Outbox.list(user);
      return all.filter((i) => i.state === "acked" && i.missing.length);
    },

    /** Counts for the badge: unsent = waiting + acked-with-photos-missing; parked and review apart. */
    async counts(user) {
      const all = await Outbox.list(user);
      const c = { waiting: 0, photos: 0, parked: 0, review: 0, done: 0, total: all.length };
      for (const i of all) {
        if (i.state === "waiting") c.waiting++;
        else if (i.state === "parked") c.parked++;
        else if (i.missing.length) c.photos++;
        else if (i.flags.length || Object.keys(i.photo_errors || {}).length) c.review++;
        else c.done++;
      }
      c.unsent = c.waiting + c.photos;
      return c;
    },

    /** Record a batch's answers in one transaction; photos the server does not miss are released. */
    async applyResults(results) {
      return withDB(async (db) => {
        const tx = db.transaction(["outbox", "photos"], "readwrite");
        const outbox = tx.objectStore("outbox");
        const now = new Date().toISOString();
        const release = [];
        for (const r of results) {
          const item = r && r.uuid ? await outbox.get(r.uuid) : null;
          if (!item || item.state !== "waiting") continue;
          item.updated_at = now;
          item.attempts = (item.attempts || 0) + 1;
          if (r.status === "accepted" || r.status === "duplicate") {
            const sent = allPhotos(item.payload);
            item.state = "acked";
            item.answer = r.status;
            item.entry_status = r.entry_status || "";
            item.flags = r.flags || [];
            // What the server stored when it counted the entry under newer rules ("rules_changed"):
            // the worker is shown the new value (scoring.js, status).
            if (r.points != null) item.server_points = String(r.points);
            if (r.item) item.server_item = r.item;
            item.missing = (r.missing_photos || []).filter((sha) => sent.includes(sha));
            item.acked_at = now;
            for (const sha of sent) if (!item.missing.includes(sha)) release.push([sha, item.uuid]);
          } else if (r.status === "conflict" || r.status === "rejected") {
            item.state = "parked";
            item.answer = r.status;
            item.reason = r.reason || "";
            item.code = r.code || r.status;
          } else {
            continue; // an answer this phone does not know: keep waiting, send again later
          }
          outbox.put(item);
        }
        const photos = tx.objectStore("photos");
        for (const [sha, uuid] of release) await unref(photos, sha, uuid);
        await tx.done;
        changed({ results: results.length });
      });
    },

    /** The server confirmed a photo (201/200): drop it from the entry's missing list and free it. */
    async photoConfirmed(uuid, sha) {
      return withDB(async (db) => {
        const tx = db.transaction(["outbox", "photos"], "readwrite");
        const item = await tx.objectStore("outbox").get(uuid);
        if (item) {
          item.missing = item.missing.filter((s) => s !== sha);
          item.updated_at = new Date().toISOString();
          tx.objectStore("outbox").put(item);
        }
        await unref(tx.objectStore("photos"), sha, uuid);
        await tx.done;
        changed({ photo: sha });
      });
    },

    /** The server refused a photo for good (413/422/…): keep the bytes, show why, stop retrying. */
    async photoRefused(uuid, sha, reason) {
      return withDB(async (db) => {
        const tx = db.transaction(["outbox", "photos"], "readwrite");
        const item = await tx.objectStore("outbox").get(uuid);
        if (item) {
          item.missing = item.missing.filter((s) => s !== sha);
          item.photo_errors = Object.assign({}, item.photo_errors, { [sha]: reason });
          tx.objectStore("outbox").put(item);
        }
        const photo = await tx.objectStore("photos").get(sha);
        if (photo) { photo.error = reason; tx.objectStore("photos").put(photo); }
        await tx.done;
        changed({ photo: sha });
      });
    },

    async photo(sha) {
      return withDB((db) => db.get("photos", sha));
    },

    /** Forget finished items after a few days (never waiting, parked or photo-missing ones). */
    async prune(user) {
      const all = await Outbox.list(user);
      const done = all.filter((i) => i.state === "acked" && !i.missing.length &&
                                     !Object.keys(i.photo_errors || {}).length);
      const cutoff = Date.now() - KEEP_DONE_MS;
      const drop = done.filter((i, n) => Date.parse(i.acked_at) < cutoff || n < done.length - KEEP_DONE_MAX);
      if (!drop.length) return 0;
      await withDB(async (db) => {
        const tx = db.transaction(["outbox", "photos"], "readwrite");
        for (const i of drop) {
          tx.objectStore("outbox").delete(i.uuid);
          for (const sha of allPhotos(i.payload)) {
            await unref(tx.objectStore("photos"), sha, i.uuid);
          }
        }
        await tx.done;
      });
      changed({ pruned: drop.length });
      return drop.length;
    },

    /** A JSON backup of everything not yet safely on the server, photos included (base64). */
    async exportUnsent(user) {
      const all = await Outbox.list(user);
      const items = all.filter((i) => i.state !== "acked" || i.missing.length ||
                                      Object.keys(i.photo_errors || {}).length);
      const photos = {};
      for (const item of items) {
        for (const sha of allPhotos(item.payload)) {
          if (photos[sha]) continue;
          const p = await Outbox.photo(sha);
          if (p) photos[sha] = { type: p.type, base64: await toBase64(p.blob) };
        }
      }
      return {
        format: "jifen-outbox-export", protocol: 1, exported_at: new Date().toISOString(), user,
        items: items.map((i) => ({
          uuid: i.uuid, state: i.state, reason: i.reason, code: i.code, missing_photos: i.missing,
          recorded_at: i.created_at, payload: i.payload,
        })),
        photos,
      };
    },

    async meta(key) {
      const row = await withDB((db) => db.get("meta", key));
      return row ? row.value : undefined;
    },

    async setMeta(key, value) {
      await withDB((db) => db.put("meta", { key, value }));
    },

    async deleteMeta(key) {
      await withDB((db) => db.delete("meta", key));
    },

    changed,
  };

  function allPhotos(payload) {
    const shas = [...(payload.photos || [])];
    for (const list of Object.values(payload.item_photos || {})) shas.push(...list);
    return [...new Set(shas)];
  }

  async function unref(store, sha, uuid) {
    const p = await store.get(sha);
    if (!p) return;
    p.refs = (p.refs || []).filter((u) => u !== uuid);
    if (p.refs.length) store.put(p);
    else store.delete(sha);
  }

  function toBase64(blob) {
    return blob.arrayBuffer().then((buf) => {
      const bytes = new Uint8Array(buf);
      let binary = "";
      for (let i = 0; i < bytes.length; i += 0x8000) {
        binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
      }
      return btoa(binary);
    });
  }

  Outbox.allPhotos = allPhotos;
  J.Outbox = Outbox;
})(self);
