/* Jifen drafts: what a worker has typed into a scoring form (item, quantity, member, note, place,
 * ticks and photos) is kept on the phone until it is saved or discarded, so a reload, a crash or a
 * swipe-away loses nothing. One draft per user + form + household, in the outbox database's meta
 * store (photo blobs included); nothing of it is ever sent.
 */
(function (self) {
  "use strict";
  const J = (self.Jifen = self.Jifen || {});
  const SKIP = new Set(["uuid", "h", "scheme_version_id", "csrf_token"]);
  const WAIT_MS = 300;

  /** A draft keeper for one form. `photoSets()` returns {name: [photo…]} (the arrays the form keeps). */
  function keeper(ui, form, formName, code, photoSets) {
    const key = `draft:${ui.user}:${formName}:${code || ""}`;
    let timer = null;
    let off = false; // after a save or a discard, until the form is opened again
    const bar = ui.$("[data-draft]", form);

    function fields() {
      const out = [];
      for (const el of Array.from(form.elements)) {
        if (!el.name || SKIP.has(el.name) || ["file", "submit", "button", "hidden"].includes(el.type)) continue;
        if (el.type === "radio" || el.type === "checkbox") out.push([el.name, el.value, el.checked]);
        else out.push([el.name, el.value]);
      }
      return out;
    }
    function photosNow() {
      const sets = {};
      for (const [name, list] of Object.entries(photoSets())) {
        if (list.length) sets[name] = list.map((p) => ({ sha: p.sha, blob: p.blob, type: p.type, width: p.width, height: p.height }));
      }
      return sets;
    }
    async function write() {
      timer = null;
      if (off) return;
      try {
        await ui.O.setMeta(key, { at: new Date().toISOString(), fields: fields(), photos: photosNow() });
        ui.show(bar, true);
      } catch (e) { /* a full disk: the form itself still saves to the outbox */ }
    }
    const D = {
      key,
      /** Something was typed or picked: keep it (soon, once for a burst of keystrokes). */
      touch() {
        if (off) return;
        clearTimeout(timer);
        timer = setTimeout(write, WAIT_MS);
      },
      /** Write now (before the page may go away). */
      flush() { if (timer) { clearTimeout(timer); return write(); } return Promise.resolve(); },
      async load() {
        try { return (await ui.O.meta(key)) || null; } catch (e) { return null; }
      },
      /** Put a draft's values back into the form (only the fields named `only`, if given). */
      apply(draft, only) {
        for (const [name, value, checked] of draft.fields || []) {
          if (only && !only.includes(name)) continue;
          const els = Array.from(form.querySelectorAll(`[name="${CSS.escape(name)}"]`));
          for (const el of els) {
            if (el.type === "radio" || el.type === "checkbox") {
              if (el.value === value) el.checked = checked;
            } else if (el.type !== "file" && el.type !== "hidden") {
              el.value = value;
            }
          }
        }
        ui.show(bar, true);
      },
      /** The draft's photos, put back into the form's arrays (mutated in place: pickers hold them). */
      applyPhotos(draft) {
        const sets = photoSets();
        for (const [name, list] of Object.entries(draft.photos || {})) {
          if (!sets[name]) continue;
          for (const p of list) if (!sets[name].some((q) => q.sha === p.sha)) sets[name].push(p);
        }
      },
      /** Saved or discarded: the draft goes, and nothing writes it again until the form reopens. */
      async drop() {
        off = true;
        clearTimeout(timer);
        timer = null;
        ui.show(bar, false);
        try { await ui.O.deleteMeta(key); } catch (e) { /* gone anyway on the next save */ }
      },
      reopen() { off = false; },
    };
    form.addEventListener("input", () => D.touch());
    form.addEventListener("change", () => D.touch());
    addEventListener("pagehide", () => { D.flush(); });
    return D;
  }

  J.Drafts = { keeper };
})(self);
