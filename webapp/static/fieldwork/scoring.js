/* Jifen scoring pages: household search, event and inspection forms, the outbox, sync status.
 *
 * One write path: every form goes to the IndexedDB outbox first (fieldwork/outbox.js), then sync
 * (fieldwork/sync.js) sends it. Strings come from the server-rendered page (#i18n), data from the
 * bootstrap (roster and rules), kept in IndexedDB for offline use.
 */
(function () {
  "use strict";
  const J = window.Jifen;
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const cfg = JSON.parse($("#jifen-config").textContent);
  const STR = JSON.parse($("#i18n").textContent);
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
  window.addEventListener("online", () => { Sched.failures = 0; Sched.kick(); });
  window.addEventListener("offline", () => { Sched.state = "offline"; refresh(); });
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") Sched.kick(); });
  $$("[data-sync-now]").forEach((b) => b.addEventListener("click", () => {
    Sched.failures = 0;
    // One request at a time on a weak network: the queue first, then a fresh roster.
    Promise.resolve(Sched.kick()).finally(() => loadBootstrap(true));
  }));

  async function freshCsrf() {
    const response = await fetch(cfg.urls.offline, { cache: "no-store", credentials: "same-origin" });
    const html = await response.text();
    const match = /"csrf":\s*"([^"]+)"/.exec(html);
    return match ? match[1] : null;
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
      if (auth) $("[data-auth-text]", banner).textContent = auth.state === "revoked" ? t("revoked") : t("login_needed");
    }
    if (pageRefresh) await pageRefresh(counts);
  }
  if (window.BroadcastChannel) new BroadcastChannel("jifen").onmessage = () => refresh();
  if (J.events) J.events.addEventListener("changed", () => refresh());
  const relogin = $("#relogin");
  if (relogin) relogin.addEventListener("click", async () => {
    if (!navigator.onLine) { alert(t("connect_first")); return; }
    const auth = (await O.meta("auth:" + user)) || {};
    auth.relogin = true;
    await O.setMeta("auth:" + user, auth);
    const logout = document.querySelector("form[action$='/logout']");
    if (logout) logout.submit(); else location.href = cfg.urls.login;
  });

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

  // -- home: search by name, code or pinyin initials (zsf → 张三丰), offline -------------------------
  function initHome() {
    const input = $("#q");
    const results = $("#results");
    let pending = new Map();
    function render() {
      if (!boot) return;
      const q = input.value.trim().toLowerCase();
      const list = boot.data.households.filter((h) => !q || h.code.toLowerCase().includes(q) ||
        h.head_name.includes(q) || (h.initials || "").startsWith(q) || h.members.some((m) => m.name.includes(q)));
      const rows = list.slice(0, 50).map((h) => {
        const n = pending.get(h.code) || 0;
        return `<li class="hh" data-code="${esc(h.code)}"><div class="hh-name"><strong>${esc(h.head_name)}</strong>
          <span class="code">${esc(h.code)} · ${esc(h.group)}</span>${n ? ` <span class="badge">${n}</span>` : ""}</div>
          <div class="hh-actions"><a class="button" href="${cfg.urls.event}?h=${encodeURIComponent(h.code)}">${esc(t("record"))}</a>
          <a class="button" href="${cfg.urls.inspection}?h=${encodeURIComponent(h.code)}">${esc(t("inspect"))}</a></div></li>`;
      });
      results.innerHTML = `<p class="muted">${esc(t("n_households", { n: list.length }))}</p>` +
        (rows.length ? `<ul class="hh-results">${rows.join("")}</ul>` : `<p class="muted">${esc(t("no_match"))}</p>`);
    }
    input.addEventListener("input", render);
    $("#search-form").addEventListener("submit", (e) => { e.preventDefault(); render(); });
    if (params.get("q")) input.value = params.get("q");
    onBoot = render;
    pageRefresh = async () => {
      pending = new Map();
      for (const i of await O.list(user)) {
        if (i.state === "waiting") pending.set(i.payload.household, (pending.get(i.payload.household) || 0) + 1);
      }
      render();
    };
    storage();
  }

  async function storage() {
    const persistEl = $("[data-persist]");
    const usageEl = $("[data-usage]");
    const button = $("#persist-btn");
    const st = navigator.storage;
    async function persisted() {
      const yes = st && st.persisted ? await st.persisted() : false;
      if (persistEl) persistEl.textContent = yes ? t("persist_yes") : t("persist_no");
      root.dataset.persisted = yes ? "1" : "0";
      show(button, !yes && !!(st && st.persist));
      return yes;
    }
    if (!(await persisted()) && st && st.persist) { await st.persist().catch(() => false); await persisted(); }
    if (button) button.addEventListener("click", async () => { await st.persist().catch(() => false); persisted(); });
    if (st && st.estimate && usageEl) {
      const { usage, quota } = await st.estimate();
      usageEl.textContent = t("usage", { used: bytes(usage), quota: bytes(quota) });
    }
  }

  // -- photos: shrink and hash on the phone, keep in memory until the form is saved -----------------
  function photoPicker(input, list, photos, msg) {
    input.addEventListener("change", async () => {
      const files = Array.from(input.files || []);
      input.value = "";
      for (const file of files) {
        msg.textContent = t("processing_photo");
        try {
          const photo = await J.Camera.prepare(file);
          if (!photos.some((p) => p.sha === photo.sha)) photos.push(photo);
          msg.textContent = "";
        } catch (e) {
          msg.textContent = t("photo_failed");
        }
      }
      drawThumbs(list, photos);
    });
  }
  function drawThumbs(list, photos) {
    list.querySelectorAll("img").forEach((img) => URL.revokeObjectURL(img.src));
    list.innerHTML = "";
    photos.forEach((p, n) => {
      const li = document.createElement("li");
      const img = document.createElement("img");
      img.src = URL.createObjectURL(p.blob);
      img.alt = "";
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "×";
      remove.setAttribute("aria-label", t("remove"));
      remove.addEventListener("click", () => { photos.splice(n, 1); drawThumbs(list, photos); });
      li.append(img, remove);
      list.append(li);
    });
  }

  // -- forms: one write path (IndexedDB first, then sync) -----------------------------------------
  function formKit(form) {
    const msg = $("[data-form-msg]", form);
    const fields = $("fieldset.fields", form);
    const after = $("[data-after-save]", form);
    const kit = {
      uuid: null,
      open() {
        kit.uuid = newUUID(); // made when the form opens: saving it again is the same entry
        form.elements.uuid.value = kit.uuid;
        form.elements.occurred_at.value = localInput(new Date());
        fields.disabled = false;
        show(after, false);
        msg.textContent = "";
        msg.className = "form-msg";
        delete form.dataset.saved;
      },
      fail(text) {
        msg.textContent = text;
        msg.className = "form-msg error";
        msg.scrollIntoView({ block: "center" });
      },
      async save(kind, payload, label, photos) {
        payload.uuid = kit.uuid;
        msg.textContent = "";
        try {
          const result = await O.save(user, kind, payload, label, photos);
          fields.disabled = true;
          msg.textContent = result.status === "exists" ? t("already_saved") : t("saved");
          msg.className = "form-msg ok";
          form.dataset.saved = kit.uuid;
          show(after, true);
          (after || msg).scrollIntoView({ block: "end" });
          backgroundSync();
          Sched.kick();
        } catch (e) {
          kit.fail(t(e && e.name === "QuotaExceededError" ? "quota_error" : "save_failed", { error: (e && e.message) || e }));
        }
      },
    };
    const again = $("[data-again]", form);
    if (again) again.addEventListener("click", (e) => { e.preventDefault(); kit.reset && kit.reset(); kit.open(); });
    return kit;
  }
  function occurred(form) {
    const d = form.elements.occurred_at.value ? new Date(form.elements.occurred_at.value) : new Date();
    return isNaN(d) ? new Date() : d;
  }

  // The picker's markup is the server's (<template id="pick-templates">); this only clones and fills it.
  function fillPicker(picker, scheme) {
    const parts = $("#pick-templates").content;
    const catPart = $("details.cat", parts);
    const itemPart = $("label.pick", parts);
    const cats = scheme.categories.filter((c) => c.kind !== "base").map((c) => {
      const cat = catPart.cloneNode(true);
      $("summary", cat).textContent = c.name;
      $(".items", cat).append(...c.items.filter((i) => i.kind !== "base").map((i) => {
        const label = itemPart.cloneNode(true);
        const radio = $("input", label);
        radio.value = i.code;
        for (const key of ["scope", "per", "evidence", "kind"]) radio.dataset[key] = i[key] == null ? "" : i[key];
        $(".pick-name", label).textContent = i.name;
        const pts = $(".pts", label);
        pts.textContent = points(i.points, i.kind);
        pts.classList.toggle("neg", String(i.points).startsWith("-"));
        return label;
      }));
      return cat;
    });
    picker.replaceChildren(...$$(":scope > legend", picker), ...cats);
  }

  function initEvent() {
    const form = $("#entry-form");
    const kit = formKit(form);
    const code = params.get("h");
    const picker = $("#picker");
    const memberField = $("#member-field");
    const member = form.elements.member_id;
    const quantityField = $("#quantity-field");
    const quantity = form.elements.quantity;
    const chosen = $("#chosen");
    const photos = [];
    let hh = null;
    let scheme = null;
    photoPicker($("#photos"), $("#thumbs"), photos, $("[data-photo-msg]", form));
    kit.reset = () => {
      photos.length = 0;
      drawThumbs($("#thumbs"), photos);
      $$("input[name=item]", picker).forEach((r) => { r.checked = false; });
      $$("details", picker).forEach((d) => { d.open = false; });
      quantity.value = "1";
      form.elements.note.value = "";
      update();
    };
    function selected() { return $("input[name=item]:checked", picker); }
    function update() {
      const radio = selected();
      const scope = radio && radio.dataset.scope;
      show(memberField, !radio || scope === "member");
      show(quantityField, !radio || radio.dataset.per === "event");
      const cat = radio && radio.closest("details").querySelector("summary").textContent;
      chosen.innerHTML = radio ? `<span class="muted">${esc(cat)}</span><br>${esc(radio.closest("label").querySelector(".pick-name").textContent)}
        <span class="${radio.closest("label").querySelector(".pts").className}">${esc(radio.closest("label").querySelector(".pts").textContent)}</span>
        ${radio.dataset.evidence === "required" ? `<br><span class="warn">${esc(t("evidence_required"))}</span>` : ""}` : "";
      show(chosen, !!radio);
    }
    picker.addEventListener("change", (e) => {
      if (e.target.name === "item") {
        $$("details", picker).forEach((d) => { d.open = false; });
        update();
        chosen.scrollIntoView({ block: "nearest" });
      }
    });
    $$("[data-step]", form).forEach((b) => b.addEventListener("click", () => {
      const v = Math.max(1, Math.round((Number(quantity.value) || 0) + Number(b.dataset.step)));
      quantity.value = String(Math.min(100, v));
    }));
    onBoot = () => {
      hh = household(code);
      scheme = schemeOf(hh);
      householdHead(hh, code);
      form.elements.h.value = hh ? hh.code : "";
      const keep = selected() && selected().value;
      if (scheme) {
        fillPicker(picker, scheme);
        form.elements.scheme_version_id.value = scheme.version_id;
        const again = keep && $(`input[name=item][value="${CSS.escape(keep)}"]`, picker);
        if (again) again.checked = true;
      }
      const was = member.value;
      member.innerHTML = `<option value="">${esc(t("choose_member_option"))}</option>` + (hh ? hh.members.map((m) =>
        `<option value="${m.id}">${esc(m.name)}${m.relation ? "（" + esc(m.relation) + "）" : ""}</option>`).join("") : "");
      member.value = was;
      update();
    };
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const radio = selected();
      if (!hh) return kit.fail(t("choose_household"));
      if (!scheme) return kit.fail(t("no_rules"));
      if (!radio) return kit.fail(t("choose_item"));
      const memberScope = radio.dataset.scope === "member";
      if (memberScope && !member.value) return kit.fail(t("choose_member"));
      let qty = "1";
      if (radio.dataset.per === "event") {
        const q = Number(quantity.value);
        if (!(q > 0 && q <= 100) || Math.round(q * 100) !== q * 100) return kit.fail(t("bad_quantity"));
        qty = String(q);
      }
      const item = scheme.categories.flatMap((c) => c.items).find((i) => i.code === radio.value) || {};
      const m = memberScope ? hh.members.find((x) => String(x.id) === member.value) : null;
      kit.save("event", {
        uuid: kit.uuid, type: "event", household: hh.code, member_id: m ? m.id : null, item: radio.value,
        scheme_version_id: scheme.version_id, quantity: qty, occurred_at: isoWithOffset(occurred(form)),
        note: form.elements.note.value.trim(), place: form.elements.place.value.trim(), photos: photos.map((p) => p.sha),
      }, { head: hh.head_name, title: item.name || radio.value, member: m ? m.name : "",
           points: points(item.points, item.kind), quantity: qty }, photos.slice());
    });
    kit.open();
  }

  function initInspection() {
    const form = $("#inspection-form");
    const kit = formKit(form);
    const code = params.get("h");
    const checklist = $("#checklist");
    const kindsBox = $("#kinds");
    const periodBox = $("#period-choice");
    const photos = [];
    const itemPhotos = {};
    let hh = null;
    let scheme = null;
    photoPicker($("#photos"), $("#thumbs"), photos, $("[data-photo-msg]", form));
    function kind() {
      const radio = $("input[name=kind]:checked", form);
      return radio ? radio.value : (form.elements.kind && form.elements.kind.value) || "month";
    }
    function chosenPeriod() {
      const field = $("input[name=period]:checked", periodBox) || $("input[name=period][type=hidden]", periodBox);
      return field ? field.value : periodKey(kind(), occurred(form));
    }
    function renderPeriods(k) {
      const was = chosenPeriod();
      const offer = openPeriods(k, occurred(form), scheme.scoring_deadline_day);
      if (offer.periods.length < 2) {
        const hidden = document.createElement("input");
        Object.assign(hidden, { type: "hidden", name: "period", value: offer.periods[0] });
        periodBox.replaceChildren(hidden);
        return;
      }
      const parts = $("#check-templates").content;
      // The current period unless the worker chose the previous one (a household's November round may
      // already be done: the earlier period is a deliberate choice, with its deadline beside it).
      const pick = offer.periods.includes(was) ? was : offer.periods[offer.periods.length - 1];
      const hint = $("[data-period-hint]", parts).cloneNode(true);
      hint.textContent = t("period_open_until", { period: offer.periods[0], day: offer.until });
      periodBox.replaceChildren(hint, ...offer.periods.map((p) => {
        const label = $("label.period-pick", parts).cloneNode(true);
        const radio = $("input", label);
        radio.value = p;
        radio.defaultChecked = radio.checked = p === pick;
        label.append(p);
        return label;
      }));
    }
    function render() {
      const cats = scheme.categories.filter((c) => c.kind === "base");
      const kinds = [...new Set(cats.map((c) => c.inspection_period))];
      const current = kinds.includes(kind()) ? kind() : (kinds.includes("month") ? "month" : kinds[0]);
      // The markup is the server's (<template id="check-templates">); this only clones and fills it.
      const parts = $("#check-templates").content;
      if (kinds.length > 1) {
        kindsBox.replaceChildren(...kinds.map((k) => {
          const label = $("label.check", parts).cloneNode(true);
          const radio = $("input", label);
          radio.value = k;
          radio.defaultChecked = k === current;
          label.append(t("period_" + k));
          return label;
        }));
      } else {
        const hidden = document.createElement("input");
        Object.assign(hidden, { type: "hidden", name: "kind", value: current || "month" });
        kindsBox.replaceChildren(hidden);
      }
      checklist.replaceChildren(...cats.filter((c) => c.inspection_period === current).map((c) => {
        const section = $("section.check-cat", parts).cloneNode(true);
        $("h2", section).textContent = c.name;
        section.append(...c.items.filter((i) => i.kind === "base").map((i) => {
          const item = $("div.check-item", parts).cloneNode(true);
          const box = $("input[name=met]", item);
          box.value = i.code;
          box.defaultChecked = !!i.default_met;
          if (i.default_met) box.dataset.default = "";
          $(".pick-name", item).textContent = i.name;
          $(".pts", item).textContent = points(i.points, "base");
          $$("[data-item]", item).forEach((el) => { el.dataset.item = i.code; });
          return item;
        }));
        return section;
      }));
      $$("input[type=file][data-item]", checklist).forEach((input) => {
        const c = input.dataset.item;
        itemPhotos[c] = itemPhotos[c] || [];
        photoPicker(input, $(`ul[data-item="${CSS.escape(c)}"]`, checklist), itemPhotos[c], $("[data-photo-msg]", form));
        drawThumbs($(`ul[data-item="${CSS.escape(c)}"]`, checklist), itemPhotos[c]);
      });
      renderPeriods(current);
      duplicateWarning();
    }
    async function duplicateWarning() {
      const period = chosenPeriod();
      $("[data-period]").textContent = period;
      const dup = hh && (await O.list(user)).some((i) => i.kind === "inspection" && i.uuid !== kit.uuid &&
        i.payload.household === hh.code && i.payload.period === period && i.state !== "parked");
      const warn = $("[data-dup]");
      warn.textContent = dup ? t("already_inspected_local", { period }) : "";
      show(warn, !!dup);
    }
    kindsBox.addEventListener("change", render);
    periodBox.addEventListener("change", duplicateWarning);
    form.elements.occurred_at.addEventListener("change", () => {
      if (scheme) renderPeriods(kind());
      duplicateWarning();
    });
    kit.reset = () => {
      photos.length = 0;
      for (const k of Object.keys(itemPhotos)) delete itemPhotos[k];
      drawThumbs($("#thumbs"), photos);
      form.elements.note.value = "";
      if (scheme) render();
    };
    onBoot = () => {
      hh = household(code);
      scheme = schemeOf(hh);
      householdHead(hh, code);
      form.elements.h.value = hh ? hh.code : "";
      if (scheme) { form.elements.scheme_version_id.value = scheme.version_id; render(); }
    };
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!hh) return kit.fail(t("choose_household"));
      if (!scheme) return kit.fail(t("no_rules"));
      const k = kind();
      const when = occurred(form);
      const items = {};
      $$("input[name=met]", checklist).forEach((box) => { items[box.value] = box.checked; });
      const perItem = {};
      for (const [c, list] of Object.entries(itemPhotos)) if (list.length && c in items) perItem[c] = list.map((p) => p.sha);
      const all = photos.concat(...Object.keys(perItem).map((c) => itemPhotos[c]));
      const period = chosenPeriod();
      if (!openPeriods(k, when, scheme.scoring_deadline_day).periods.includes(period)) {
        renderPeriods(k); // the date was changed without a change event: offer what that day allows
        return kit.fail(t("period_recheck"));
      }
      kit.save("inspection", {
        uuid: kit.uuid, type: "inspection", household: hh.code, period, scheme_version_id: scheme.version_id,
        occurred_at: isoWithOffset(when), items, note: form.elements.note.value.trim(),
        place: form.elements.place.value.trim(), photos: photos.map((p) => p.sha), item_photos: perItem,
      }, { head: hh.head_name, title: t("inspection_label", { period }),
           short: Object.values(items).filter((v) => !v).length }, all);
    });
    kit.open();
  }

  // -- outbox: every item and its state; parked items never block; export a backup -----------------
  function itemState(i) {
    if (i.state === "waiting") return Sched.sending.has(i.uuid) ? "sending" : "waiting";
    if (i.state === "parked") return "parked";
    if (i.missing.length) return "photos";
    if (i.flags.length || Object.keys(i.photo_errors || {}).length) return "review";
    return "synced";
  }
  function initOutbox() {
    const list = $("#outbox-list");
    pageRefresh = async () => {
      const items = (await O.list(user)).reverse();
      list.innerHTML = items.length ? items.map((i) => {
        const state = itemState(i);
        const notes = [];
        if (i.reason) notes.push(i.reason);
        for (const f of i.flags || []) notes.push(t("flag_" + f));
        for (const r of Object.values(i.photo_errors || {})) notes.push(t("photo_refused", { reason: r }));
        const nPhotos = O.allPhotos(i.payload).length;
        const l = i.label || {};
        return `<li class="ob ob-${state}" data-uuid="${esc(i.uuid)}" data-state="${state}">
          <div class="ob-main"><strong>${esc(l.head || i.payload.household)}</strong> · ${esc(l.title || i.kind)}
          ${l.member ? `<span class="muted">（${esc(l.member)}）</span>` : ""}${l.points ? ` <span class="pts${l.points.startsWith("−") ? " neg" : ""}">${esc(l.points)}</span>` : ""}</div>
          <div class="ob-meta"><span class="state state-${state}">${esc(t("state_" + state))}</span>
          <span class="muted">${esc(when(i.created_at))}${nPhotos ? " · " + esc(t("n_photos", { n: nPhotos })) : ""}</span></div>
          ${notes.length ? `<p class="ob-reason">${notes.map(esc).join("<br>")}</p>` : ""}</li>`;
      }).join("") : `<li class="muted">${esc(t("outbox_empty"))}</li>`;
    };
    $("#export").addEventListener("click", async () => {
      const data = await O.exportUnsent(user);
      const msg = $("[data-export-msg]");
      if (!data.items.length) { msg.textContent = t("export_none"); return; }
      const blob = new Blob([JSON.stringify(data, null, 1)], { type: "application/json" });
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = `jifen-unsent-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, "")}.json`;
      document.body.append(a);
      a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      msg.textContent = t("exported", { n: data.items.length });
    });
  }

  const pages = { home: initHome, event: initEvent, inspection: initInspection, outbox: initOutbox };
  if (pages[cfg.page]) pages[cfg.page]();
  J.page = { kick: () => Sched.kick(), sched: Sched, refresh, user };
  refresh();
  loadBootstrap().then(() => { root.dataset.ready = "1"; Sched.kick(); });
})();
