/* Comparison pages: small progressive enhancements; every page works without this file.
   - Name the theme's search dialog, which the theme leaves unnamed (an accessibility error).
   - Before printing, open every folded section so the printout has the whole comparison,
     and fold them again afterwards. */
(function () {
  "use strict";
  var search = document.querySelector(".md-search[role='dialog']");
  if (search && !search.hasAttribute("aria-label")) {
    search.setAttribute("aria-label", "Search");
  }
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.slice.call(document.querySelectorAll(".md-content details:not([open])"));
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
