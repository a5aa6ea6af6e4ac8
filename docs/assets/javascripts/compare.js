/* Comparison pages: small progressive enhancements; every page works without this file.
   - Name the theme's search dialog, which the theme leaves unnamed (an accessibility error).
   - The passage filters (kind of match, outlet, with differences only): the form is hidden in
     the page and shown here, so without JavaScript every passage is simply listed.
   - A link to a folded passage opens it.
   - Before printing, open every folded section so the printout has the whole comparison,
     and fold them again afterwards.
   Material's instant navigation swaps pages without reloading this script, so the per-page
   set-up runs on each of its page loads (document$) and falls back to the plain page load. */
(function () {
  "use strict";

  function nameSearch() {
    var search = document.querySelector(".md-search[role='dialog']");
    if (search && !search.hasAttribute("aria-label")) {
      search.setAttribute("aria-label", "Search");
    }
  }

  function matches(passage, kind, source, differs) {
    if (kind && passage.getAttribute("data-kind") !== kind) { return false; }
    if (source && (" " + passage.getAttribute("data-sources") + " ").indexOf(" " + source + " ") < 0) { return false; }
    return !(differs && passage.getAttribute("data-differs") !== "1");
  }

  function setUpFilters() {
    var form = document.querySelector(".md-content form.sc-filters");
    if (!form || form.getAttribute("data-ready")) { return; }
    var passages = Array.prototype.slice.call(document.querySelectorAll(".md-content .sc-passage"));
    var groups = Array.prototype.slice.call(document.querySelectorAll(".md-content .sc-group"));
    var count = form.querySelector(".sc-filters__count");
    function apply() {
      var kind = form.elements.kind.value, source = form.elements.source.value, differs = form.elements.differs.checked;
      var shown = 0;
      passages.forEach(function (p) {
        var keep = matches(p, kind, source, differs);
        p.hidden = !keep;
        if (keep) { shown += 1; }
      });
      groups.forEach(function (g) {
        if (g.querySelector(".sc-passage:not([hidden])")) { g.removeAttribute("data-empty"); } else { g.setAttribute("data-empty", ""); }
      });
      count.textContent = shown === passages.length
        ? "Showing all " + passages.length + " passages."
        : "Showing " + shown + " of " + passages.length + " passages.";
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.setAttribute("data-ready", "1");
    form.hidden = false;
    apply();
  }

  // Open the folded passage a link points to, and bring its heading into view.
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) { return; }
    var next = target.nextElementSibling;
    var fold = target.closest("details") || (next && next.matches("details.sc-fold") ? next : null);
    if (fold && !fold.open) {
      fold.open = true;
      target.scrollIntoView();
    }
  }

  function setUpPage() {
    nameSearch();
    setUpFilters();
    openTarget();
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setUpPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpPage);
  } else {
    setUpPage();
  }
  window.addEventListener("hashchange", openTarget);

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
