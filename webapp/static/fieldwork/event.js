/* Jifen event form (加分 / 扣分 / 冻结 for one household): the item picker from the rules kept offline,
 * member and quantity when the item needs them, photos; kept as a draft until saved or discarded.
 */
(function (self) {
  "use strict";
  const J = (self.Jifen = self.Jifen || {});
  const KINDS = { bonus: ["bonus"], deduction: ["deduction", "freeze"] };

  // The picker's markup is the server's (<template id="pick-templates">); this only clones and fills it.
  // With ?kind=bonus or ?kind=deduction (after an inspection: 加分 / 扣分) only those items are offered.
  function fillPicker(ui, picker, scheme, only) {
    const { $, $$ } = ui;
    const parts = $("#pick-templates").content;
    const catPart = $("details.cat", parts);
    const itemPart = $("label.pick", parts);
    let pick = (i) => i.kind !== "base" && (!only || only.includes(i.kind));
    if (only && !scheme.categories.some((c) => c.kind !== "base" && c.items.some(pick))) {
      only = null;
      pick = (i) => i.kind !== "base";
    }
    const wanted = scheme.categories.filter((c) => c.kind !== "base" && (!only || c.items.some(pick)));
    const cats = wanted.map((c) => {
      const cat = catPart.cloneNode(true);
      $("summary", cat).textContent = c.name;
      $(".items", cat).append(...c.items.filter(pick).map((i) => {
        const label = itemPart.cloneNode(true);
        const radio = $("input", label);
        radio.value = i.code;
        for (const key of ["scope", "per", "evidence", "kind"]) radio.dataset[key] = i[key] == null ? "" : i[key];
        $(".pick-name", label).textContent = i.name;
        const pts = $(".pts", label);
        pts.textContent = ui.points(i.points, i.kind);
        pts.classList.toggle("neg", String(i.points).startsWith("-"));
        return label;
      }));
      return cat;
    });
    picker.replaceChildren(...$$(":scope > legend", picker), ...cats);
  }

  function initEvent(ui) {
    const { $, $$, t, esc, show, params } = ui;
    const F = J.Forms.make(ui);
    const form = $("#entry-form");
    const code = params.get("h");
    const only = KINDS[params.get("kind")] || null;
    const photos = [];
    const kit = F.formKit(form, "event", code, () => ({ photos }));
    const picker = $("#picker");
    const memberField = $("#member-field");
    const member = form.elements.member_id;
    const quantityField = $("#quantity-field");
    const quantity = form.elements.quantity;
    const chosen = $("#chosen");
    const draftLoaded = kit.draft.load();
    let restored = false;
    let hh = null;
    let scheme = null;
    F.photoPicker($("#photos"), $("#thumbs"), photos, $("[data-photo-msg]", form), kit.changed);
    kit.reset = () => {
      photos.length = 0;
      F.drawThumbs($("#thumbs"), photos, kit.changed);
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
      const label = radio && radio.closest("label");
      chosen.innerHTML = radio ? `<span class="muted">${esc(cat)}</span><br>${esc(label.querySelector(".pick-name").textContent)}
        <span class="${label.querySelector(".pts").className}">${esc(label.querySelector(".pts").textContent)}</span>
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
      kit.changed();
    }));
    ui.onBoot = () => {
      hh = ui.household(code);
      scheme = ui.schemeOf(hh);
      ui.householdHead(hh, code);
      form.elements.h.value = hh ? hh.code : "";
      const keep = selected() && selected().value;
      if (scheme) {
        fillPicker(ui, picker, scheme, only);
        form.elements.scheme_version_id.value = scheme.version_id;
        const again = keep && $(`input[name=item][value="${CSS.escape(keep)}"]`, picker);
        if (again) again.checked = true;
      }
      const was = member.value;
      member.innerHTML = `<option value="">${esc(t("choose_member_option"))}</option>` + (hh ? hh.members.map((m) =>
        `<option value="${m.id}">${esc(m.name)}${m.relation ? "（" + esc(m.relation) + "）" : ""}</option>`).join("") : "");
      member.value = was;
      update();
      if (!restored && hh && scheme) {
        restored = true;
        draftLoaded.then((draft) => {
          if (!draft || form.dataset.saved) return;
          kit.draft.apply(draft);
          kit.draft.applyPhotos(draft);
          F.drawThumbs($("#thumbs"), photos, kit.changed);
          update();
          form.dataset.restored = "1";
        });
      }
    };
    form.addEventListener("submit", async (e) => {
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
      const noPhoto = radio.dataset.evidence === "required" && !photos.length;
      if (!(await kit.photoOk(noPhoto, () => $("#photos").click()))) return;
      const item = scheme.categories.flatMap((c) => c.items).find((i) => i.code === radio.value) || {};
      const m = memberScope ? hh.members.find((x) => String(x.id) === member.value) : null;
      kit.save("event", {
        uuid: kit.uuid, type: "event", household: hh.code, member_id: m ? m.id : null, item: radio.value,
        scheme_version_id: scheme.version_id, quantity: qty, occurred_at: ui.isoWithOffset(F.occurred(form)),
        note: form.elements.note.value.trim(), place: form.elements.place.value.trim(), photos: photos.map((p) => p.sha),
      }, { head: hh.head_name, title: item.name || radio.value, member: m ? m.name : "",
           points: ui.points(item.points, item.kind), quantity: qty, photo_missing: noPhoto }, photos.slice());
    });
    kit.open();
  }

  J.pages = J.pages || {};
  J.pages.event = initEvent;
})(self);
