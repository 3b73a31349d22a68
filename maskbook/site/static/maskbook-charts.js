/* Lazy charts (added by maskbook.site.plotly_renderer to pages with charts only).
 *
 * Each chart's figure is in <script type="application/json" class="maskbook-chart-spec">, next to
 * a static SVG image of it, which is what the reader sees first. Once the reader interacts with the
 * page (wheel, pointer, touch, key) and a chart is near the viewport, this script loads plotly.js
 * once (its URL is this script's data-plotly attribute: _static/plotly.min.js), then draws every
 * chart as it nears the viewport. plotly.js (about 400 KB gzipped, the basic bundle) thus stays
 * off the page's first load. The static image stays for printing and for readers without
 * JavaScript. Each chart is laid out at build time for wide and for narrow screens (the spec's
 * "narrow" entry holds the media query and the layout's changes); the chart is drawn with the
 * layout for the screen, at the size of its box, and drawn again when the screen changes class.
 * On the dark page (pydata-sphinx-theme sets data-theme="dark" on <html>) each chart is drawn with
 * the book's dark template and its static images are the dark ones (data-dark-src/-srcset); a
 * change of theme redraws the drawn charts and swaps the images back or forth.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var plotlyUrl = script && script.getAttribute("data-plotly");
  var templateUrl = script && script.getAttribute("data-template");
  var loading = null;
  var redrawers = [];  // one per drawn chart: draws it again (for a change of theme)

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = url;  // relative to the page, like every link Sphinx writes
      s.async = true;
      s.onload = resolve;
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  // plotly.js and the book's plotly template (one file for the site: the chart specs leave it out).
  function loadPlotly() {
    if (!loading) {
      loading = Promise.all([
        window.Plotly ? null : loadScript(plotlyUrl),
        window.maskbookTemplate ? null : loadScript(templateUrl),
      ]).then(function () { return window.Plotly; });
    }
    return loading;
  }

  function isDark() { return document.documentElement.getAttribute("data-theme") === "dark"; }

  // The layout for the screen: the wide one, or the wide one with the narrow one's changes; the
  // book's template for the page's theme.
  function layoutFor(fig, narrow) {
    var layout = Object.assign({}, fig.layout, narrow.matches ? fig.narrow.layout : {});
    if (fig.bookTemplate) layout.template = isDark() ? window.maskbookTemplateDark : window.maskbookTemplate;
    // plotly sizes the chart to its box (which has the layout's aspect ratio).
    delete layout.height;
    delete layout.width;
    layout.autosize = true;
    return layout;
  }

  function draw(spec) {
    var id = spec.getAttribute("data-for");
    var div = document.getElementById(id);
    if (!div || div.getAttribute("data-drawn")) return;
    div.setAttribute("data-drawn", "pending");
    var fig = JSON.parse(spec.textContent);
    var narrow = window.matchMedia(fig.narrow.media);
    loadPlotly().then(function (Plotly) {
      var redraw = function () { Plotly.react(div, fig.data, layoutFor(fig, narrow), fig.config); };
      narrow.addEventListener("change", redraw);
      redrawers.push(redraw);
      return Plotly.newPlot(div, fig.data, layoutFor(fig, narrow), fig.config);
    }).then(function () {
      div.setAttribute("data-drawn", "yes");
      // The drawing is visual only: its text alternative and data table are in the figure.
      div.querySelectorAll("svg.main-svg").forEach(function (svg) { svg.setAttribute("aria-hidden", "true"); });
      div.parentNode.classList.add("is-drawn");
    }, function () {
      div.removeAttribute("data-drawn");  // the static image stays
    });
  }

  // The static images for the page's theme: each keeps its light URL and its dark one.
  function showImagesForTheme(printing) {
    var dark = isDark() && !printing;
    document.querySelectorAll(".maskbook-chart-plot picture").forEach(function (picture) {
      picture.querySelectorAll("[data-dark-src], [data-dark-srcset]").forEach(function (el) {
        var attr = el.hasAttribute("data-dark-src") ? "src" : "srcset";
        if (!el.hasAttribute("data-light-" + attr)) el.setAttribute("data-light-" + attr, el.getAttribute(attr));
        var want = el.getAttribute((dark ? "data-dark-" : "data-light-") + attr);
        if (el.getAttribute(attr) !== want) el.setAttribute(attr, want);
      });
      picture.classList.toggle("is-themed", true);
    });
  }

  function followTheme() {
    showImagesForTheme();
    new MutationObserver(function () {
      showImagesForTheme();
      redrawers.forEach(function (redraw) { redraw(); });
    }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    // Paper is white: a page printed from the dark theme prints the light images.
    window.addEventListener("beforeprint", function () { showImagesForTheme(true); });
    window.addEventListener("afterprint", function () { showImagesForTheme(false); });
  }

  function start() {
    var specs = document.querySelectorAll("script.maskbook-chart-spec");
    if (!specs.length) return;
    followTheme();
    var near = [];            // charts near the viewport, waiting for the first interaction
    var interacted = false;
    var observer = null;
    // Draw the charts near the viewport; one inside a closed dropdown (an exercise's solution)
    // waits until it is shown, so that plotly sizes it to its real width.
    function drawNear() {
      near.splice(0).forEach(function (spec) {
        if (spec.parentNode.getClientRects().length || !observer) draw(spec);
        else observer.observe(spec.parentNode);
      });
    }
    // Input only: programmatic scrolls and focus (e.g. an anchor in the URL) do not count.
    var events = ["wheel", "pointerdown", "pointermove", "touchstart", "keydown"];
    function onInteraction() {
      if (interacted) return;
      interacted = true;
      events.forEach(function (e) { window.removeEventListener(e, onInteraction, true); });
      drawNear();
    }
    events.forEach(function (e) { window.addEventListener(e, onInteraction, { capture: true, passive: true }); });
    if (!("IntersectionObserver" in window)) { specs.forEach(function (s) { near.push(s); }); return; }
    observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        near.push(entry.target.querySelector("script.maskbook-chart-spec"));
      });
      if (interacted) drawNear();
    }, { rootMargin: "300px 0px" });
    specs.forEach(function (spec) { observer.observe(spec.parentNode); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
