// The notice board on the village-hall TV: no one touches it, so it scrolls and reloads by itself.
// Each [data-tv-scroll] box whose content is taller than the box glides down slowly, rests at the
// bottom, jumps back to the top and rests again. Every few minutes the page reloads (only when the
// server answers, so a Wi-Fi blip never leaves an error page on the wall until someone comes by).
(function () {
  "use strict";
  var SPEED = 36;        // pixels a second: about one row of the ranking every two seconds
  var REST = 6000;       // milliseconds at the top and at the bottom
  var RETRY = 60000;     // milliseconds before asking the server again when it did not answer
  var script = document.currentScript;
  var reloadAfter = 1000 * Number((script && script.dataset.reloadSeconds) || 600);

  function glide(box) {
    var content = box.firstElementChild;
    if (!content) return;
    var offset = 0, last = null, restUntil = performance.now() + REST;
    function frame(now) {
      var room = content.offsetHeight - box.clientHeight;
      if (room <= 0) {
        offset = 0;
      } else if (now < restUntil) {
        // resting at the top or the bottom
      } else if (offset >= room) {    // rested at the bottom: back to the top, and rest there
        offset = 0;
        restUntil = now + REST;
      } else {
        offset = Math.min(room, offset + SPEED * (now - (last === null ? now : last)) / 1000);
        if (offset >= room) restUntil = now + REST;
      }
      last = now;
      content.style.transform = "translateY(" + (-offset) + "px)";
      requestAnimationFrame(frame);
    }
    requestAnimationFrame(frame);
  }

  function reloadWhenServerAnswers() {
    fetch(location.href, { cache: "no-store", credentials: "omit" }).then(function (response) {
      if (response.ok) location.reload();
      else setTimeout(reloadWhenServerAnswers, RETRY);
    }, function () { setTimeout(reloadWhenServerAnswers, RETRY); });
  }

  function start() {
    document.documentElement.classList.add("tv-moving");
    var boxes = document.querySelectorAll("[data-tv-scroll]");
    for (var i = 0; i < boxes.length; i++) glide(boxes[i]);
    setTimeout(reloadWhenServerAnswers, reloadAfter);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
