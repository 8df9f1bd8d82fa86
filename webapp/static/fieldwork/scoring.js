/* Jifen scoring pages: household search, event and inspection forms, the outbox, sync status.
 *
 * One write path: every form goes to the IndexedDB outbox first (fieldwork/outbox.js), then sync
 * (fieldwork/sync.js) sends it. Strings come from /score/strings.js (window.JifenStrings), data from the
 * bootstrap (roster and rules), kept in IndexedDB for offline use.
 */
(function () {
  "use strict";
  const J = window.Jifen;
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const cfg = JSON.parse($("#jifen-config").textContent);
  const STR = window.JifenStrings || {};  // fieldwork/_strings.html, loaded just before
  const root = $("#scoring");
  const user = cfg.user;
  const params = new URLSearchParams(location.search);
  const lang = document.documentElement.lang || "zh-CN";

  function t(key, values) {
    return (STR[key] || key).replace(/\{(\w+)\}/g, (m, k) => (values && k in values ? values[k] : m));
  }
  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, (c) =>
      ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }
  function show(el, on) { if (el) el.hidden = !on; }
  function when(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    return isNaN(d) ? "" : new Intl.DateTimeFormat(lang, {
      month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false }).format(d);
  }
  function bytes(n) {
    if (n == null) return "?";
    const units = ["B", "KB", "MB", "GB"];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i ? n.toFixed(1) : n) + " " + units[i];
  }
  function points(p, kind) {
    if (kind === "freeze") return t("freeze");
    const s = String(Number(p));
    return s.startsWith("-") ? "−" + s.slice(1) : (kind === "base" ? s : "+" + s);
  }
  function newUUID() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  function localInput(d) {
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }
  function isoWithOffset(d) {
    const off = -d.getTimezoneOffset();
    return `${localInput(d)}:${pad(d.getSeconds())}${off >= 0 ? "+" : "-"}${pad(off / 60)}:${pad(off % 60)}`;
  }
  function periodKey(kind, d) {
    if (kind === "quarter") return `${d.getFullYear()}-Q${Math.floor(d.getMonth() / 3) + 1}`;
    if (kind === "year") return String(d.getFullYear());
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;
  }
  const ymd = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  // The periods an inspection recorded on day d may be for: the previous one until the rules' scoring
  // deadline (that day of the month after it, included), then only the current one. The server's rule
  // is the same (sync/periods.py open_periods) and judges by this recorded day, not the upload day.
  function openPeriods(kind, d, deadlineDay) {
    const current = periodKey(kind, d);
    if (!deadlineDay) return { periods: [current], until: null };
    const start = kind === "year" ? new Date(d.getFullYear(), 0, 1)
      : new Date(d.getFullYear(), kind === "quarter" ? Math.floor(d.getMonth() / 3) * 3 : d.getMonth(), 1);
    const days = new Date(start.getFullYear(), start.getMonth() + 1, 0).getDate();
    const until = ymd(new Date(start.getFullYear(), start.getMonth(), Math.min(deadlineDay, days)));
    const previous = periodKey(kind, new Date(start.getFullYear(), start.getMonth(), 0));
    return ymd(d) <= until ? { periods: [previous, current], until } : { periods: [current], until: null };
  }

  // -- can this browser keep data offline at all? ---------------------------------------------------
  if (/MicroMessenger/i.test(navigator.userAgent)) show($("#wechat-banner"), true);
  if (!window.isSecureContext || !window.indexedDB || !(window.crypto && crypto.subtle) || !J || !J.Outbox) {
    // The forms then post to the server as they are (online only).
    document.documentElement.classList.remove("js");
    show($("#insecure-banner"), true);
    return;
  }
  const O = J.Outbox;
  const S = J.Sync;

  // -- sync scheduling: app open, online, visible again, backoff timer, the button, after a save ---
  const Sched = {
    state: "idle", failures: 0, timer: null, running: null, again: false, sending: new Set(), nextAt: 0,
    kick() {
      if (this.running) { this.again = true; return this.running; }
      clearTimeout(this.timer);
      this.timer = null;
      if (!navigator.onLine) { this.state = "offline"; refresh(); return Promise.resolve(); }
      this.state = "running";
      refresh();
      this.running = S.run(user, {
        csrf: cfg.csrf, freshCsrf,
        onSending: (uuids) => { this.sending = new Set(uuids); refresh(); },
      }).then((out) => {
        this.failures = 0;
        this.state = out.error ? "auth" : "ok";
        if (out.acked || out.parked || out.photos) document.body.dispatchEvent(new CustomEvent("jifen:synced"));
      }, (error) => {
        if (error instanceof S.AuthLost) { this.state = "auth"; return; }
        this.failures++;
        this.state = "retry";
        const delay = Math.min(300000, 3000 * 2 ** (this.failures - 1)) * (0.75 + Math.random() * 0.5);
        this.nextAt = Date.now() + delay;
        this.timer = setTimeout(() => this.kick(), delay);
      }).finally(() => {
        this.sending = new Set();
        this.running = null;
        refresh();
        if (this.again) { this.again = false; this.kick(); }
      });
      return this.running;
    },
  };
  // Without Background Sync (Safari, iOS) these are what send the queue: the page opening (at the
  // end of this file), the network coming back, the app shown again, the backoff timer, a save.
  window.addEventListener("online", () => { Sched.failures = 0; Sched.kick(); checkSession(); });
  window.addEventListener("offline", () => { Sched.state = "offline"; refresh(); });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") { Sched.kick(); checkSession(); }
  });
  $$("[data-sync-now]").forEach((b) => b.addEventListener("click", () => {
    Sched.failures = 0;
    // One request at a time on a weak network: the queue first, then a fresh roster.
    Promise.resolve(Sched.kick()).finally(() => loadBootstrap(true));
  }));

  /** {user, csrf} of this browser's session, from the network (never a cached page). */
  async function sessionState() {
    const response = await fetch(cfg.urls.session || "/session", {
      cache: "no-store", credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error("session " + response.status);
    return response.json();
  }
  async function freshCsrf() {
    // A page from the cache carries the token of the session it was cached in.
    try { return (await sessionState()).csrf || null; } catch (e) { return null; }
  }
  /** Online, a page served from the cache while the login has expired says so (the banner). */
  let checkedAt = 0;
  async function checkSession() {
    if (!navigator.onLine || Date.now() - checkedAt < 5000) return;
    checkedAt = Date.now();
    let state;
    try { state = await sessionState(); } catch (e) { return; } // offline or a server error: say nothing
    const auth = await O.meta("auth:" + user);
    if (state.user === user) {
      cfg.csrf = state.csrf; // the next device request posts with a current token
      if (auth && auth.state !== "revoked") { await O.deleteMeta("auth:" + user); refresh(); }
    } else if (!auth || auth.state !== "revoked") {
      await O.setMeta("auth:" + user, Object.assign({}, auth, { state: "session", at: new Date().toISOString() }));
      refresh();
    }
  }

  function backgroundSync() {
    if (!navigator.serviceWorker) return;
    navigator.serviceWorker.ready.then((r) => r.sync && r.sync.register("jifen-outbox")).catch(() => {});
  }

  // -- status: badge, last sync, login problems --------------------------------------------------
  let refreshing = null;
  let refreshAgain = false;
  function refresh() {
    if (refreshing) { refreshAgain = true; return refreshing; }
    refreshing = new Promise((r) => setTimeout(r, 30)).then(renderStatus).catch(() => {}).finally(() => {
      refreshing = null;
      if (refreshAgain) { refreshAgain = false; refresh(); }
    });
    return refreshing;
  }
  async function renderStatus() {
    const counts = await O.counts(user);
    const last = await O.meta("last_sync:" + user);
    const auth = await O.meta("auth:" + user);
    root.dataset.unsent = counts.unsent;
    root.dataset.syncState = Sched.state;
    let text = counts.unsent ? t("n_pending", { n: counts.unsent }) : t("all_sent");
    if (Sched.state === "running") text = t("syncing") + " " + text;
    else if (!navigator.onLine) text = t("offline") + " · " + text;
    else if (Sched.state === "retry" && counts.unsent) {
      text += " · " + t("retry_in", { s: Math.max(1, Math.round((Sched.nextAt - Date.now()) / 1000)) });
    }
    if (counts.parked) text += " · " + t("n_parked", { n: counts.parked });
    $$("[data-status-text]").forEach((el) => { el.textContent = text; });
    $$("[data-pending-badge]").forEach((el) => { el.textContent = counts.unsent; el.classList.toggle("zero", !counts.unsent); });
    $$("[data-last-sync]").forEach((el) => { el.textContent = last ? t("last_sync", { time: when(last) }) : t("never_synced"); });
    const banner = $("#auth-banner");
    if (banner) {
      show(banner, !!auth);
      if (auth) {
        $("[data-auth-text]", banner).textContent = auth.state === "revoked" ? t("revoked")
          : auth.state === "session" ? t("session_expired") : t("login_needed");
      }
    }
    // The sync card folds to its badge while nothing waits; it opens when something starts waiting
    // or is refused (and on a tap, as any <details>).
    const card = $("[data-sync-card]");
    const wanted = !!(counts.unsent || counts.parked);
    if (card && wanted !== cardWanted) card.open = wanted;
    cardWanted = wanted;
    await rulesNotices();
    if (pageRefresh) await pageRefresh(counts);
  }
  let cardWanted = null;
  /** Entries the server counted under rules newer than the form they were recorded on. */
  async function rulesNotices() {
    const box = $("[data-rules-notices]");
    if (!box) return;
    const changed = (await O.list(user)).filter((i) => (i.flags || []).includes("rules_changed")).reverse();
    $("ul", box).innerHTML = changed.map((i) => `<li>${esc(t("rules_changed_notice", {
      head: (i.label && i.label.head) || i.payload.household, item: i.server_item || i.payload.item || "",
      points: i.server_points != null && i.server_points !== "" ? points(i.server_points, "base") : "?" }))}</li>`).join("");
    show(box, changed.length > 0);
  }
  if (window.BroadcastChannel) new BroadcastChannel("jifen").onmessage = () => refresh();
  if (J.events) J.events.addEventListener("changed", () => refresh());
  const relogin = $("#relogin");
  if (relogin) relogin.addEventListener("click", async () => {
    if (!navigator.onLine) { alert(t("connect_first")); return; }
    const auth = (await O.meta("auth:" + user)) || {};
    auth.relogin = true;
    await O.setMeta("auth:" + user, auth);
    // Back to this page after the login; the queue stays in IndexedDB and is sent then.
    const login = cfg.urls.login + "?next=" + encodeURIComponent(location.pathname + location.search);
    let state = null;
    try { state = await sessionState(); } catch (e) { /* the login page will tell */ }
    const logout = document.querySelector("form[action$='/logout']");
    if (state && state.user && logout) {
      // Still logged in (the phone's token was refused): log out first, with a current token (the
      // cached form's one is an older session's: a 400), then log in.
      const token = logout.querySelector("input[name=csrf_token]");
      if (token) token.value = state.csrf;
      logout.action = logout.action.split("?")[0] + "?next=" + encodeURIComponent(location.pathname + location.search);
      logout.submit();
    } else {
      location.href = login;
    }
  });
  Promise.resolve().then(checkSession); // after this file has run: at page start

  // -- bootstrap: the roster and rules ------------------------------------------------------------
  let boot = null;
  let onBoot = null;
  let pageRefresh = null;
  const BOOTSTRAP_FRESH_MS = 5 * 60 * 1000; // walking from house to house needs no new roster each page
  async function loadBootstrap(force) {
    if (!boot || !force) {
      try { boot = (await O.meta("bootstrap:" + user)) || null; } catch (e) { boot = null; }
      if (boot && onBoot) onBoot();
    }
    if (!force && boot && Date.now() - Date.parse(boot.at) < BOOTSTRAP_FRESH_MS) return showBootState();
    try {
      const fresh = await S.bootstrap(user);
      const changed = !boot || fresh.data.version !== boot.data.version;
      boot = fresh;
      if (changed && onBoot) onBoot();
    } catch (e) { /* offline: the last good copy stays */ }
    showBootState();
  }
  function showBootState() {
    const state = $("[data-bootstrap-state]");
    if (state) state.textContent = boot ? t("bootstrap_at", { time: when(boot.at), n: boot.data.households.length }) : t("no_bootstrap");
    root.dataset.bootstrap = boot ? boot.data.version : "";
    if (!boot) { const msg = $("[data-need-bootstrap]"); if (msg) { msg.textContent = t("no_bootstrap"); show(msg, true); } }
  }
  function household(code) {
    return boot && code ? boot.data.households.find((h) => h.code === code) || null : null;
  }
  function schemeOf(hh) {
    const village = hh && boot.data.villages.find((v) => v.code === hh.village);
    return village ? village.scheme : null;
  }
  function householdHead(hh, code) {
    const head = $("[data-hh-head]");
    if (!head) return;
    head.innerHTML = hh
      ? `<strong>${esc(hh.head_name)}</strong> <span class="code">${esc(hh.code)} · ${esc(hh.group)}</span>`
      : `<span class="error">${esc(code ? t("household_unknown", { code }) : t("choose_household"))}</span>`;
  }

  // -- the pages: fieldwork/pages.js (home, outbox), forms.js, drafts.js, event.js, inspection.js,
  // loaded before this file, register in J.pages and get these helpers and hooks.
  const ui = {
    $, $$, cfg, user, params, root, t, esc, show, when, bytes, points, newUUID, localInput, isoWithOffset, periodKey,
    openPeriods, O, Sched, refresh, backgroundSync, household, schemeOf, householdHead,
    get boot() { return boot; },
    set onBoot(fn) { onBoot = fn; },
    set pageRefresh(fn) { pageRefresh = fn; },
  };
  J.ui = ui;
  const pages = J.pages || {};
  if (pages[cfg.page]) pages[cfg.page](ui);
  J.page = { kick: () => Sched.kick(), sched: Sched, refresh, user };
  refresh();
  loadBootstrap().then(() => { root.dataset.ready = "1"; Sched.kick(); });
})();
