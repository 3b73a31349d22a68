/* Boxes that scroll sideways when their content is wide (code, notebook outputs, tables) become
 * keyboard-reachable regions (axe: scrollable-region-focusable), only while they do scroll
 * (maskbook.site.a11y). The theme marks code blocks at load and after a resize, but not when a
 * solution is opened: its padding narrows the code, which may then scroll. So they are marked
 * here too, as soon as a click or a <details> opens them.
 * A file, not an inline script, so a Content Security Policy need not allow inline code. */
(function () {
  // The region's name in the page's language (<html lang>).
  var NAMES = { it: "Contenuto scorrevole" };
  var name = NAMES[document.documentElement.lang] || "Scrollable content";
  var boxes = "div.highlight pre, .cell_output .output, .maskbook-table-wrap, .pst-scrollable-table-container";
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
  // At once, so that nothing between the opening and the mark finds a scrolling box unreachable:
  document.addEventListener("toggle", mark, true);  // a <details> opened (the event does not bubble)
  document.addEventListener("click", mark);         // a dropdown (a solution), opened by its own handler first
})();
