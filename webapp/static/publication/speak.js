/* The notice board's buttons that need the browser (no inline script: the Content-Security-Policy allows
 * scripts from this site only), on the phone's board and on the village-hall TV:
 *   <button data-speak="#template">  reads the sentences of the <template> aloud with the browser's own
 *                                    speech (speechSynthesis; nothing is fetched), in the template's
 *                                    data-lang (zh-CN); pressed again while reading, it stops.
 *                                    Hidden where the browser cannot speak.
 *   <button data-share="URL">        the phone's share sheet (Web Share API) where there is one, else
 *                                    copies the address and says so (data-copied). Without either, it
 *                                    stays hidden: the address and its QR code are on the page anyway.
 * Runs again on each page htmx swaps in; the click handler is added once. */
(function () {
  "use strict";
  var speech = !!window.speechSynthesis && typeof window.SpeechSynthesisUtterance === "function";
  var canShare = typeof navigator.share === "function";
  var canCopy = !!(navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext);

  function reveal(root) {
    root.querySelectorAll("[data-speak]").forEach(function (button) { button.hidden = !speech; });
    root.querySelectorAll("[data-share]").forEach(function (button) { button.hidden = !(canShare || canCopy); });
  }

  function sentences(selector) {
    var template = document.querySelector(selector);
    if (!template) return { lang: "zh-CN", lines: [] };
    var lines = [];
    template.content.querySelectorAll("p").forEach(function (p) {
      var text = p.textContent.replace(/\s+/g, " ").trim();
      if (text) lines.push(text);
    });
    return { lang: template.dataset.lang || "zh-CN", lines: lines };
  }

  function label(button, speaking) {
    button.textContent = speaking ? button.dataset.stopLabel : button.dataset.label;
    button.setAttribute("aria-pressed", speaking ? "true" : "false");
  }

  function speak(button) {
    var synth = window.speechSynthesis;
    if (button.getAttribute("aria-pressed") === "true") {
      synth.cancel();
      label(button, false);
      return;
    }
    var found = sentences(button.dataset.speak);
    if (!found.lines.length) return;
    synth.cancel();
    label(button, true);
    found.lines.forEach(function (line, index) {
      var utterance = new SpeechSynthesisUtterance(line);
      utterance.lang = found.lang;
      utterance.rate = 0.85;  // a little slower than usual, for older listeners
      if (index === found.lines.length - 1) {
        utterance.onend = function () { label(button, false); };
        utterance.onerror = function () { label(button, false); };
      }
      synth.speak(utterance);
    });
  }

  function say(button, text) {
    var status = button.parentElement && button.parentElement.querySelector(".share-status");
    if (!status) return;
    status.textContent = text;
    status.hidden = false;
  }

  function share(button) {
    var url = button.dataset.share;
    if (canShare) {
      navigator.share({ title: button.dataset.shareTitle || document.title, url: url }).catch(function () {});
    } else if (canCopy) {
      navigator.clipboard.writeText(url).then(function () { say(button, button.dataset.copied); }, function () {});
    }
  }

  if (!window.jifenBoardButtons) {
    window.jifenBoardButtons = true;
    document.addEventListener("click", function (event) {
      var target = event.target.closest && event.target.closest("[data-speak], [data-share]");
      if (!target) return;
      if (target.hasAttribute("data-speak") && speech) speak(target);
      else if (target.hasAttribute("data-share")) share(target);
    });
    document.addEventListener("htmx:load", function (event) { reveal(event.target); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  } else {
    reveal(document);
  }
})();
