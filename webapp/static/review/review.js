/* The review queue. */
(function () {
  if (window.jifenReviewQueue) return;  // a boosted visit back to the queue runs this script again
  window.jifenReviewQueue = true;

  /* A refused decision (422) comes back as the row with the reason inside it. htmx does not swap
     4xx answers by default; let it swap this one, into the row that asked. */
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status === 422 && target && target.closest && target.closest("[data-review-row]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  /* Filters left at "all" stay out of the address (and so out of the pushed URL). */
  document.addEventListener("htmx:configRequest", function (event) {
    if (!event.detail.elt.matches || !event.detail.elt.matches(".rq-filters")) return;
    var params = event.detail.parameters, empty = [];
    (params.keys ? Array.from(params.keys()) : Object.keys(params)).forEach(function (name) {
      if (params[name] === "" || (params.get && params.get(name) === "")) empty.push(name);
    });
    empty.forEach(function (name) { params.delete ? params.delete(name) : delete params[name]; });
  });
})();
