/* What every page's buttons and pickers do, without inline script (the Content-Security-Policy
 * allows scripts from this site only; webapp/web/security_headers.py):
 *   <button data-print>                  prints the page;
 *   <select data-submit-on-change>       sends its form when the choice changes (htmx, if it
 *                                        boosts the form, still swaps the answer in).
 * Loaded in <head> without defer, so `js` is on <html> before the page is drawn (the scoring
 * pages show their JavaScript-only parts by it). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-print]");
    if (button) window.print();
  });
  document.addEventListener("change", function (event) {
    const field = event.target;
    if (field.matches && field.matches("[data-submit-on-change]") && field.form) field.form.requestSubmit();
  });
})();
