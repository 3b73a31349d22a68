/* The "Contents" sidebar follows the reader (maskbook.site.pageparts).
 *
 * pydata-sphinx-theme marks a section's entry only when the section's heading crosses a band at
 * the top of the window; a reader who jumps (Page Down, a link, a scroll of more than the band)
 * skips the band, and the sidebar stays on an earlier section. Here the entry marked is always
 * that of the last section whose heading is above the band's lower edge (30 % of the window);
 * at the end of the page, the last section whose heading is in view. The theme's own marking,
 * when it runs, agrees with this; a section the reader just chose in the sidebar stays marked
 * while the browser scrolls to it.
 */
(function () {
  "use strict";
  function start() {
    var nav = document.querySelector("#pst-page-toc-nav");
    if (!nav) return;
    var links = Array.prototype.slice.call(nav.querySelectorAll("a[href^='#']"));
    var targets = links.map(function (link) {
      var section = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      return section && (section.querySelector("h1, h2, h3, h4, h5, h6") || section);
    });
    var entries = Array.prototype.slice.call(nav.querySelectorAll(".toc-entry"));
    var chosenUntil = 0;

    function mark(link) {
      links.forEach(function (other) {
        var on = other === link;
        other.classList.toggle("active", on);
        if (on) other.setAttribute("aria-current", "true"); else other.removeAttribute("aria-current");
      });
      entries.forEach(function (entry) { entry.classList.toggle("active", !!link && entry.contains(link)); });
    }

    function current() {
      var line = window.innerHeight * 0.3;
      var atEnd = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
      var found = null;
      targets.forEach(function (target, i) {
        if (!target) return;
        var top = target.getBoundingClientRect().top;
        if (top <= line || (atEnd && top < window.innerHeight)) found = links[i];
      });
      return found;
    }

    var pending = false;
    function update() {
      pending = false;
      if (Date.now() < chosenUntil) return;
      mark(current());
    }
    function later() {
      if (!pending) { pending = true; window.requestAnimationFrame(update); }
    }
    nav.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (link) { chosenUntil = Date.now() + 1000; mark(link); }
    });
    window.addEventListener("scroll", later, { passive: true });
    window.addEventListener("resize", later);
    update();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
