/* Jifen household inspection (入户评分): the base checklist from the rules kept offline, the period
 * (last month until the rules' deadline), photos per item; a category whose items are all met folds
 * to one line ("卫生 全部达标 ✓", tap to open); kept as a draft until saved or discarded.
 */
(function (self) {
  "use strict";
  const J = (self.Jifen = self.Jifen || {});

  function initInspection(ui) {
    const { $, $$, t, show, params } = ui;
    const F = J.Forms.make(ui);
    const form = $("#inspection-form");
    const code = params.get("h");
    const checklist = $("#checklist");
    const kindsBox = $("#kinds");
    const periodBox = $("#period-choice");
    const photos = [];
    const itemPhotos = {};
    const photoSets = () => Object.assign({ photos }, ...Object.entries(itemPhotos).map(([c, l]) => ({ ["item:" + c]: l })));
    const kit = F.formKit(form, "inspection", code, photoSets);
    const draftLoaded = kit.draft.load();
    let restored = false;
    let hh = null;
    let scheme = null;
    F.photoPicker($("#photos"), $("#thumbs"), photos, $("[data-photo-msg]", form), kit.changed);
    F.eventLinks(form, code);
    function kind() {
      const radio = $("input[name=kind]:checked", form);
      return radio ? radio.value : (form.elements.kind && form.elements.kind.value) || "month";
    }
    function chosenPeriod() {
      const field = $("input[name=period]:checked", periodBox) || $("input[name=period][type=hidden]", periodBox);
      return field ? field.value : ui.periodKey(kind(), F.occurred(form));
    }
    function renderPeriods(k) {
      const was = chosenPeriod();
      const offer = ui.openPeriods(k, F.occurred(form), scheme.scoring_deadline_day);
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
    // A category folds to one line when all its items are met; its line says how many fall short.
    function foldState(cat, setOpen) {
      const short = $$("input[name=met]", cat).filter((b) => !b.checked).length;
      const state = $(".cat-state", cat);
      state.textContent = short ? t("n_short", { n: short }) : t("all_met");
      state.classList.toggle("ok", !short);
      cat.dataset.short = short;
      if (setOpen) cat.open = short > 0;
    }
    function folds(setOpen) { $$("details.check-cat", checklist).forEach((cat) => foldState(cat, setOpen)); }
    function drawItemThumbs() {
      $$("input[type=file][data-item]", checklist).forEach((input) => {
        const c = input.dataset.item;
        F.drawThumbs($(`ul[data-item="${CSS.escape(c)}"]`, checklist), itemPhotos[c], kit.changed);
      });
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
          radio.defaultChecked = radio.checked = k === current;
          label.append(t("period_" + k));
          return label;
        }));
      } else {
        const hidden = document.createElement("input");
        Object.assign(hidden, { type: "hidden", name: "kind", value: current || "month" });
        kindsBox.replaceChildren(hidden);
      }
      checklist.replaceChildren(...cats.filter((c) => c.inspection_period === current).map((c) => {
        const section = $("details.check-cat", parts).cloneNode(true);
        $("h2", section).textContent = c.name;
        section.append(...c.items.filter((i) => i.kind === "base").map((i) => {
          const item = $("div.check-item", parts).cloneNode(true);
          const box = $("input[name=met]", item);
          box.value = i.code;
          box.defaultChecked = !!i.default_met;
          box.dataset.evidence = i.evidence || "";
          if (i.default_met) box.dataset.default = "";
          $(".pick-name", item).textContent = i.name;
          $(".pts", item).textContent = ui.points(i.points, "base");
          $$("[data-item]", item).forEach((el) => { el.dataset.item = i.code; });
          return item;
        }));
        return section;
      }));
      $$("input[type=file][data-item]", checklist).forEach((input) => {
        const c = input.dataset.item;
        itemPhotos[c] = itemPhotos[c] || [];
        F.photoPicker(input, $(`ul[data-item="${CSS.escape(c)}"]`, checklist), itemPhotos[c], $("[data-photo-msg]", form), kit.changed);
      });
      drawItemThumbs();
      folds(true);
      renderPeriods(current);
      duplicateWarning();
    }
    async function duplicateWarning() {
      const period = chosenPeriod();
      $("[data-period]").textContent = period;
      const dup = hh && (await ui.O.list(ui.user)).some((i) => i.kind === "inspection" && i.uuid !== kit.uuid &&
        i.payload.household === hh.code && i.payload.period === period && i.state !== "parked");
      const already = hh && (hh.inspected || []).includes(period);
      const warn = $("[data-dup]");
      warn.textContent = dup ? t("already_inspected_local", { period }) : (already ? t("already_inspected_server", { period }) : "");
      show(warn, !!(dup || already));
    }
    kindsBox.addEventListener("change", render);
    periodBox.addEventListener("change", duplicateWarning);
    checklist.addEventListener("change", (e) => {
      const cat = e.target.closest && e.target.closest("details.check-cat");
      if (cat && e.target.name === "met") foldState(cat, false);
    });
    form.elements.occurred_at.addEventListener("change", () => {
      if (scheme) renderPeriods(kind());
      duplicateWarning();
    });
    kit.reset = () => {
      photos.length = 0;
      for (const k of Object.keys(itemPhotos)) delete itemPhotos[k];
      F.drawThumbs($("#thumbs"), photos, kit.changed);
      form.elements.note.value = "";
      if (scheme) render();
    };
    function restore(draft) {
      kit.draft.apply(draft, ["kind", "occurred_at"]);
      render();
      kit.draft.apply(draft);
      kit.draft.applyPhotos(draft);
      F.drawThumbs($("#thumbs"), photos, kit.changed);
      drawItemThumbs();
      folds(true);
      duplicateWarning();
      form.dataset.restored = "1";
    }
    ui.onBoot = () => {
      hh = ui.household(code);
      scheme = ui.schemeOf(hh);
      ui.householdHead(hh, code);
      form.elements.h.value = hh ? hh.code : "";
      if (scheme) { form.elements.scheme_version_id.value = scheme.version_id; render(); }
      if (!restored && hh && scheme) {
        restored = true;
        draftLoaded.then((draft) => { if (draft && !form.dataset.saved) restore(draft); });
      }
    };
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!hh) return kit.fail(t("choose_household"));
      if (!scheme) return kit.fail(t("no_rules"));
      const k = kind();
      const when = F.occurred(form);
      const items = {};
      $$("input[name=met]", checklist).forEach((box) => { items[box.value] = box.checked; });
      const perItem = {};
      for (const [c, list] of Object.entries(itemPhotos)) if (list.length && c in items) perItem[c] = list.map((p) => p.sha);
      const all = photos.concat(...Object.keys(perItem).map((c) => itemPhotos[c]));
      const period = chosenPeriod();
      if (!ui.openPeriods(k, when, scheme.scoring_deadline_day).periods.includes(period)) {
        renderPeriods(k); // the date was changed without a change event: offer what that day allows
        return kit.fail(t("period_recheck"));
      }
      // A shortfall that needs a photo, without one: ask (确定 / 去拍照) before saving.
      const bare = $$("input[name=met]", checklist).find((b) => !b.checked && b.dataset.evidence === "required" &&
        !(itemPhotos[b.value] || []).length && !photos.length);
      const ok = await kit.photoOk(!!bare, () => {
        const cat = bare.closest("details.check-cat");
        if (cat) cat.open = true;
        const input = $(`input[type=file][data-item="${CSS.escape(bare.value)}"]`, checklist);
        bare.scrollIntoView({ block: "center" });
        if (input) input.click();
      });
      if (!ok) return;
      kit.save("inspection", {
        uuid: kit.uuid, type: "inspection", household: hh.code, period, scheme_version_id: scheme.version_id,
        occurred_at: ui.isoWithOffset(when), items, note: form.elements.note.value.trim(),
        place: form.elements.place.value.trim(), photos: photos.map((p) => p.sha), item_photos: perItem,
      }, { head: hh.head_name, title: t("inspection_label", { period }), photo_missing: !!bare,
           short: Object.values(items).filter((v) => !v).length }, all);
    });
    kit.open();
  }

  J.pages = J.pages || {};
  J.pages.inspection = initInspection;
})(self);
