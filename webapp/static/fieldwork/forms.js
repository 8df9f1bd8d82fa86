/* Jifen scoring forms, the parts the event and inspection forms share: photos (shrunk and hashed on
 * the phone, kept in memory and in the draft until the form is saved), the one write path (IndexedDB
 * first, then sync), the draft, and the "no photo yet" question.
 */
(function (self) {
  "use strict";
  const J = (self.Jifen = self.Jifen || {});

  function make(ui) {
    const { $, t, show } = ui;

    // -- photos ---------------------------------------------------------------------------------
    function photoPicker(input, list, photos, msg, changed) {
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
        drawThumbs(list, photos, changed);
        if (changed) changed();
      });
    }
    function drawThumbs(list, photos, changed) {
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
        remove.addEventListener("click", () => {
          photos.splice(n, 1);
          drawThumbs(list, photos, changed);
          if (changed) changed();
        });
        li.append(img, remove);
        list.append(li);
      });
    }

    // -- "no photo yet: save anyway?" (确定 / 去拍照) ----------------------------------------------
    function askPhoto() {
      const dialog = $("#photo-ask");
      if (!dialog || !dialog.showModal) return Promise.resolve(confirm(t("no_photo_ask")) ? "save" : "photo");
      return new Promise((resolve) => {
        dialog.returnValue = "";
        dialog.addEventListener("close", () => resolve(dialog.returnValue), { once: true });
        dialog.showModal();
      });
    }

    // -- the form kit: open, fail, save; the draft kept until saved or discarded -----------------
    function formKit(form, name, code, photoSets) {
      const msg = $("[data-form-msg]", form);
      const fields = $("fieldset.fields", form);
      const after = $("[data-after-save]", form);
      const draft = J.Drafts.keeper(ui, form, name, code, photoSets);
      const kit = {
        uuid: null,
        draft,
        reset: null,
        open() {
          kit.uuid = ui.newUUID(); // made when the form opens: saving it again is the same entry
          form.elements.uuid.value = kit.uuid;
          form.elements.occurred_at.value = ui.localInput(new Date());
          fields.disabled = false;
          show(after, false);
          msg.textContent = "";
          msg.className = "form-msg";
          delete form.dataset.saved;
          draft.reopen();
        },
        fail(text) {
          msg.textContent = text;
          msg.className = "form-msg error";
          msg.scrollIntoView({ block: "center" });
        },
        changed() { draft.touch(); },
        async save(kind, payload, label, photos) {
          payload.uuid = kit.uuid;
          msg.textContent = "";
          try {
            const result = await ui.O.save(ui.user, kind, payload, label, photos);
            await draft.drop();
            fields.disabled = true;
            msg.textContent = result.status === "exists" ? t("already_saved") : t("saved");
            msg.className = "form-msg ok";
            form.dataset.saved = kit.uuid;
            show(after, true);
            (after || msg).scrollIntoView({ block: "end" });
            ui.backgroundSync();
            ui.Sched.kick();
          } catch (e) {
            kit.fail(t(e && e.name === "QuotaExceededError" ? "quota_error" : "save_failed", { error: (e && e.message) || e }));
          }
        },
        /** Ask before saving without a photo an item needs; "photo" means the worker went to take one. */
        async photoOk(needed, goTakeOne) {
          if (!needed) return true;
          const answer = await askPhoto(); // "save", "photo", or "" (dismissed: back to the form)
          if (answer === "save") return true;
          if (answer === "photo") goTakeOne();
          return false;
        },
      };
      const again = $("[data-again]", form);
      if (again) again.addEventListener("click", (e) => { e.preventDefault(); kit.reset && kit.reset(); kit.open(); });
      const discard = $("[data-discard]", form);
      if (discard) discard.addEventListener("click", async () => {
        await draft.drop();
        form.elements.place.value = "";
        if (form.elements.member_id) form.elements.member_id.value = "";
        if (kit.reset) kit.reset();
        kit.open();
      });
      return kit;
    }

    function occurred(form) {
      const d = form.elements.occurred_at.value ? new Date(form.elements.occurred_at.value) : new Date();
      return isNaN(d) ? new Date() : d;
    }

    /** Links to the event form for this household (加分 / 扣分 after an inspection). */
    function eventLinks(form, code) {
      ui.$$("[data-event-link]", form).forEach((a) => {
        const url = new URL(ui.cfg.urls.event, location.href);
        if (code) url.searchParams.set("h", code);
        if (a.dataset.eventLink) url.searchParams.set("kind", a.dataset.eventLink);
        a.href = url.pathname + url.search;
      });
    }

    return { photoPicker, drawThumbs, formKit, occurred, eventLinks };
  }

  J.Forms = { make };
})(self);
