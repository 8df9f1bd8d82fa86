/* The store counter: scan a household card, count the cart, keep a refused cart on screen.
 *
 * Scanning uses the browser's BarcodeDetector where it exists; otherwise the vendored
 * jsQR decoder (static/vendor/jsqr-1.4.0, loaded only when needed); typing the household
 * code always works. Everything is wired by event delegation on the document, so it
 * keeps working when htmx swaps the panel or a boosted page is loaded again.
 */
(function () {
  "use strict";
  if (window.jifenCounter) return;  // loaded again by a boosted navigation: already wired
  window.jifenCounter = true;

  var stream = null, timer = null;

  function scanForm() { return document.getElementById("scan-form"); }

  function status(text) {
    var el = document.querySelector("[data-scan-status]");
    if (el) el.textContent = text || "";
  }

  function stopCamera() {
    if (timer) { clearTimeout(timer); timer = null; }
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    var video = document.querySelector(".scan-video");
    if (video) { video.hidden = true; video.srcObject = null; }
    var button = document.querySelector("[data-scan]");
    if (button && button.dataset.label) { button.textContent = button.dataset.label; }
  }

  function found(text) {
    stopCamera();
    var form = scanForm();
    form.elements.card.value = text;
    form.requestSubmit();  // htmx posts it and swaps in the household
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) return resolve();
      var s = document.createElement("script");
      s.src = src; s.onload = resolve; s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  /* A function that looks at one video frame and resolves to the QR text or null. */
  function makeDecoder(button) {
    if ("BarcodeDetector" in window) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") < 0) throw new Error("no qr");
        var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        return function (video) {
          return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
        };
      }).catch(function () { return jsqrDecoder(button); });
    }
    return jsqrDecoder(button);
  }

  function jsqrDecoder(button) {
    return loadScript(button.dataset.decoder).then(function () {
      var canvas = document.createElement("canvas"), ctx = canvas.getContext("2d", { willReadFrequently: true });
      return function (video) {
        var w = video.videoWidth, h = video.videoHeight;
        if (!w || !h) return Promise.resolve(null);
        var scale = Math.min(1, 640 / Math.max(w, h));  // small frames decode fast on a cheap phone
        canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
        var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        return Promise.resolve(code ? code.data : null);
      };
    });
  }

  function startCamera(button) {
    if (stream) { stopCamera(); return; }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      status(button.dataset.noCamera || "");
      document.querySelector(".lookup input[name=code]").focus();
      return;
    }
    var video = document.querySelector(".scan-video");
    button.dataset.label = button.textContent;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s; video.srcObject = s; video.hidden = false;
        button.textContent = button.dataset.labelStop;
        return Promise.all([video.play(), makeDecoder(button)]);
      })
      .then(function (results) {
        var decode = results[1];
        (function tick() {
          if (!stream) return;
          decode(video).then(function (text) {
            if (text) { found(text); } else { timer = setTimeout(tick, 150); }
          }).catch(function () { timer = setTimeout(tick, 300); });
        })();
      })
      .catch(function () {
        stopCamera();
        status(button.dataset.noCamera || "");
        document.querySelector(".lookup input[name=code]").focus();
      });
  }

  /* The cart: steppers, the running total and the points left. */
  function recount(form) {
    var total = 0;
    form.querySelectorAll("input[data-price]").forEach(function (input) {
      var q = parseInt(input.value, 10);
      if (q > 0) total += q * parseFloat(input.dataset.price);
    });
    var panel = document.getElementById("panel");
    var left = parseFloat(panel.dataset.balance) - total;
    var fmt = function (n) { return String(Math.round(n * 100) / 100); };
    form.querySelector("[data-total]").textContent = fmt(total);
    form.querySelector("[data-left]").textContent = fmt(left);
    form.querySelector("[data-left-wrap]").classList.toggle("over", left < 0);
    /* Over the balance: 确认兑换 is disabled and the reason stands beside it ("还差 12 分"). The server
       refuses an overspend anyway; this only saves the clerk a refused request. */
    var short = form.querySelector("[data-short]"), button = form.querySelector("button[type=submit]");
    var over = left < -0.004;
    if (short) {
      short.textContent = over ? short.dataset.template.replace("__N__", fmt(-left)) : "";
      short.hidden = !over;
    }
    if (button) button.disabled = over;
  }

  document.addEventListener("click", function (event) {
    var scan = event.target.closest("[data-scan]");
    if (scan) { startCamera(scan); return; }
    var step = event.target.closest("[data-step]");
    if (!step) return;
    var input = step.parentElement.querySelector("input");
    var max = parseInt(input.max, 10), next = (parseInt(input.value, 10) || 0) + parseInt(step.dataset.step, 10);
    input.value = Math.max(0, isNaN(max) ? next : Math.min(max, next)) || "";
    recount(input.form);
  });

  document.addEventListener("input", function (event) {
    if (event.target.matches("#cart input[data-price]")) recount(event.target.form);
  });

  /* A refused cart (422) or an unknown card comes back as the panel with the reason: show it. */
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422 && event.detail.target && event.detail.target.id === "panel") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function recountShown() {
    var form = document.getElementById("cart");
    if (form) recount(form);
  }
  document.addEventListener("htmx:afterSettle", recountShown);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", recountShown);
  else recountShown();  // a refused cart served as a whole page keeps its quantities: show their total

  /* Leaving the page (boosted navigation or not) turns the camera off. */
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt && event.detail.elt.tagName === "A") stopCamera();
  });
  window.addEventListener("pagehide", stopCamera);
})();
