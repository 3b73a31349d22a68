/* Figures linked to their data rows (maskbook.site.figurelinks): the tooltip shows on hover and on
   keyboard focus by CSS alone; this script adds touch and Escape. On a touch screen the first tap
   on a figure shows its tooltip, a second tap follows the link; a tap elsewhere closes it.
   Escape hides the tooltip of the figure that has focus or the pointer. On phones the tooltip is a
   sheet fixed to the bottom of the screen (maskbook.css); when it would cover the figure itself,
   it opens at the top of the screen instead. */
(function () {
  "use strict";
  var OPEN = "is-open", DISMISSED = "is-dismissed", ON_TOP = "has-sheet-on-top", lastPointer = "mouse";

  function figureOf(node) { return node && node.closest ? node.closest(".mb-fig") : null; }
  function closeAll(except) {
    document.querySelectorAll(".mb-fig." + OPEN).forEach(function (fig) {
      if (fig !== except) fig.classList.remove(OPEN);
    });
  }

  // Before the sheet shows (a tap sets :hover first), from where the figure is: a figure in the
  // lower half of the screen gets its sheet at the top.
  function placeSheet(fig) {
    var tip = fig.querySelector(".mb-tip");
    if (!tip || getComputedStyle(tip).position !== "fixed") return;  // a tooltip beside the figure
    var box = fig.getBoundingClientRect();
    fig.classList.toggle(ON_TOP, box.top + box.height / 2 > window.innerHeight / 2);
  }

  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType;
    var fig = figureOf(event.target);
    if (fig) placeSheet(fig);
  }, true);
  document.addEventListener("click", function (event) {
    var fig = figureOf(event.target);
    if (!fig) { closeAll(null); return; }
    if (lastPointer !== "touch" || !event.target.closest("a")) return;
    if (!fig.classList.contains(OPEN)) {  // first tap: show the sources, do not leave the page yet
      event.preventDefault();
      closeAll(fig);
      fig.classList.remove(DISMISSED);
      fig.classList.add(OPEN);
    }
  });
  document.addEventListener("focusin", function (event) {
    var fig = figureOf(event.target);
    if (fig) placeSheet(fig);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".mb-fig:hover, .mb-fig:focus-within, .mb-fig." + OPEN).forEach(function (fig) {
      fig.classList.remove(OPEN);
      fig.classList.add(DISMISSED);
    });
  });
  ["focusout", "mouseout"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var fig = figureOf(event.target);
      if (fig && !fig.contains(event.relatedTarget)) fig.classList.remove(DISMISSED);
    });
  });
})();
