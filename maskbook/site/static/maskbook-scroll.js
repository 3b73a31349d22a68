/* Boxes that scroll sideways when their content is wide (notebook outputs, tables) become
 * keyboard-reachable regions (axe: scrollable-region-focusable), only while they do scroll
 * (maskbook.site.a11y). A file, not an inline script, so a Content Security Policy need not allow inline code. */
(function () {
  // The region's name in the page's language (<html lang>).
  var NAMES = { it: "Contenuto scorrevole" };
  var name = NAMES[document.documentElement.lang] || "Scrollable content";
  var boxes = ".cell_output .output, .maskbook-table-wrap, .pst-scrollable-table-container";
  function mark() {
    document.querySelectorAll(boxes).forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("data-maskbook-scroll")) {
        // myst-nb gives outputs tabindex="-1": remember it, make the box reachable.
        box.setAttribute("data-maskbook-scroll", box.getAttribute("tabindex") || "");
        box.setAttribute("tabindex", "0");
        if (!box.hasAttribute("role")) { box.setAttribute("role", "region"); box.setAttribute("aria-label", name); }
      } else if (!scrolls && box.hasAttribute("data-maskbook-scroll")) {
        var before = box.getAttribute("data-maskbook-scroll");
        if (before) box.setAttribute("tabindex", before); else box.removeAttribute("tabindex");
        if (box.getAttribute("aria-label") === name) { box.removeAttribute("role"); box.removeAttribute("aria-label"); }
        box.removeAttribute("data-maskbook-scroll");
      }
    });
  }
  var timer;
  function later() { clearTimeout(timer); timer = setTimeout(mark, 150); }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", later);
  document.addEventListener("toggle", later, true);   // <details> opened
  document.addEventListener("click", later, true);    // dropdowns (exercise solutions) opened
})();
