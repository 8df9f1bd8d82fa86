/* Jifen scoring home (search the worker's households offline, progress "已评 12 / 50") and the
 * outbox page (every entry on the phone and its state; parked items never block; export a backup).
 */
(function (self) {
  "use strict";
  const J = (self.Jifen = self.Jifen || {});

  // The inspection period a household's progress counts: its rules' monthly round, else the first kind.
  function roundOf(ui, hh) {
    const scheme = ui.schemeOf(hh);
    if (!scheme) return null;
    const kinds = scheme.categories.filter((c) => c.kind === "base").map((c) => c.inspection_period);
    const kind = kinds.includes("month") ? "month" : kinds[0];
    return kind ? ui.periodKey(kind, new Date()) : null;
  }

  // -- home: search by name, code or pinyin initials (zsf → 张三丰), offline -------------------------
  function initHome(ui) {
    const { $, t, esc, cfg, params } = ui;
    const input = $("#q");
    const results = $("#results");
    let pending = new Map();
    let mine = new Set(); // "code period" of inspections on this phone not yet refused
    let todoOnly = false;
    function inspected(h) {
      const period = roundOf(ui, h);
      return !!period && ((h.inspected || []).includes(period) || mine.has(h.code + " " + period));
    }
    function render() {
      const boot = ui.boot;
      if (!boot) return;
      const all = boot.data.households;
      const done = new Set(all.filter(inspected).map((h) => h.code));
      const q = input.value.trim().toLowerCase();
      const list = all.filter((h) => (!todoOnly || !done.has(h.code)) && (!q || h.code.toLowerCase().includes(q) ||
        h.head_name.includes(q) || (h.initials || "").startsWith(q) || h.members.some((m) => m.name.includes(q))));
      const rows = list.slice(0, 50).map((h) => {
        const n = pending.get(h.code) || 0;
        const tag = done.has(h.code) ? `<span class="tag tag-done">${esc(t("inspected"))}</span>`
          : `<span class="tag tag-todo">${esc(t("not_inspected"))}</span>`;
        return `<li class="hh" data-code="${esc(h.code)}" data-inspected="${done.has(h.code) ? 1 : 0}"><div class="hh-name"><strong>${esc(h.head_name)}</strong>
          <span class="code">${esc(h.code)} · ${esc(h.group)}</span> ${tag}${n ? ` <span class="badge">${n}</span>` : ""}</div>
          <div class="hh-actions"><a class="button" href="${cfg.urls.event}?h=${encodeURIComponent(h.code)}">${esc(t("record"))}</a>
          <a class="button" href="${cfg.urls.inspection}?h=${encodeURIComponent(h.code)}">${esc(t("inspect"))}</a></div></li>`;
      });
      results.innerHTML = `<p class="progress" data-progress="${done.size}/${all.length}"><strong>${esc(t("progress", { done: done.size, total: all.length }))}</strong>
          <button type="button" class="linkish" data-todo aria-pressed="${todoOnly}">${esc(todoOnly ? t("show_all") : t("show_todo"))}</button></p>
        <p class="muted">${esc(t("n_households", { n: list.length }))}</p>` +
        (rows.length ? `<ul class="hh-results">${rows.join("")}</ul>` : `<p class="muted">${esc(t("no_match"))}</p>`);
      $("[data-todo]", results).addEventListener("click", () => { todoOnly = !todoOnly; render(); });
    }
    input.addEventListener("input", render);
    $("#search-form").addEventListener("submit", (e) => { e.preventDefault(); render(); });
    if (params.get("q")) input.value = params.get("q");
    ui.onBoot = render;
    ui.pageRefresh = async () => {
      pending = new Map();
      mine = new Set();
      for (const i of await ui.O.list(ui.user)) {
        if (i.state === "waiting") pending.set(i.payload.household, (pending.get(i.payload.household) || 0) + 1);
        if (i.kind === "inspection" && i.state !== "parked") mine.add(i.payload.household + " " + i.payload.period);
      }
      render();
    };
    storage(ui);
  }

  async function storage(ui) {
    const { $, t, show, root } = ui;
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
      usageEl.textContent = t("usage", { used: ui.bytes(usage), quota: ui.bytes(quota) });
    }
  }

  // -- outbox: every item and its state; parked items never block; export a backup -----------------
  function itemState(ui, i) {
    if (i.state === "waiting") return ui.Sched.sending.has(i.uuid) ? "sending" : "waiting";
    if (i.state === "parked") return "parked";
    if (i.missing.length) return "photos";
    if (i.flags.length || Object.keys(i.photo_errors || {}).length) return "review";
    return "synced";
  }
  function initOutbox(ui) {
    const { $, t, esc, when } = ui;
    const list = $("#outbox-list");
    ui.pageRefresh = async () => {
      const items = (await ui.O.list(ui.user)).reverse();
      list.innerHTML = items.length ? items.map((i) => {
        const state = itemState(ui, i);
        const notes = [];
        if (i.reason) notes.push(i.reason);
        for (const f of i.flags || []) notes.push(t("flag_" + f));
        for (const r of Object.values(i.photo_errors || {})) notes.push(t("photo_refused", { reason: r }));
        const nPhotos = ui.O.allPhotos(i.payload).length;
        const l = i.label || {};
        // Saved without the photo its item needs: marked at once (the server flags it "photo_missing").
        const noPhoto = (i.flags || []).includes("photo_missing") || !!l.photo_missing;
        return `<li class="ob ob-${state}${noPhoto ? " ob-nophoto" : ""}" data-uuid="${esc(i.uuid)}" data-state="${state}"${noPhoto ? " data-no-photo" : ""}>
          <div class="ob-main"><strong>${esc(l.head || i.payload.household)}</strong> · ${esc(l.title || i.kind)}
          ${l.member ? `<span class="muted">（${esc(l.member)}）</span>` : ""}${l.points ? ` <span class="pts${l.points.startsWith("−") ? " neg" : ""}">${esc(l.points)}</span>` : ""}</div>
          <div class="ob-meta"><span class="state state-${state}">${esc(t("state_" + state))}</span>
          ${noPhoto ? `<span class="tag tag-nophoto">${esc(t("no_photo_mark"))}</span>` : ""}
          <span class="muted">${esc(when(i.created_at))}${nPhotos ? " · " + esc(t("n_photos", { n: nPhotos })) : ""}</span></div>
          ${notes.length ? `<p class="ob-reason">${notes.map(esc).join("<br>")}</p>` : ""}</li>`;
      }).join("") : `<li class="muted">${esc(t("outbox_empty"))}</li>`;
    };
    // After an upload, what the server now holds: this page's "received" block, fetched alone.
    document.body.addEventListener("jifen:synced", async () => {
      try {
        const response = await fetch(location.pathname, { credentials: "same-origin", headers: { "HX-Request": "true" } });
        const box = document.createElement("template");
        box.innerHTML = response.ok ? await response.text() : "";
        const fresh = box.content.querySelector("#received");
        if (fresh) $("#received").replaceWith(fresh);
      } catch (e) { /* offline: the list stays as it was */ }
    });
    $("#export").addEventListener("click", async () => {
      const data = await ui.O.exportUnsent(ui.user);
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

  J.pages = J.pages || {};
  J.pages.home = initHome;
  J.pages.outbox = initOutbox;
})(self);
