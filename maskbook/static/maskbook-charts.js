/* Lazy charts (added by maskbook.plotly_renderer to pages with charts only).
 *
 * Each chart's figure is in <script type="application/json" class="maskbook-chart-spec">, next to
 * a static SVG image of it, which is what the reader sees first. Once the reader interacts with the
 * page (wheel, pointer, touch, key) and a chart is near the viewport, this script loads plotly.js
 * once (its URL is this script's data-plotly attribute: _static/plotly.min.js), then draws every
 * chart as it nears the viewport. plotly.js (1.5 MB gzipped, ~1 s of script on a phone) thus stays
 * off the page's first load. The static image stays for printing and for readers without
 * JavaScript. On narrow screens long annotations and axis titles are wrapped to the width.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var plotlyUrl = script && script.getAttribute("data-plotly");
  var loading = null;

  function loadPlotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = plotlyUrl;  // relative to the page, like every link Sphinx writes
        s.async = true;
        s.onload = function () { resolve(window.Plotly); };
        s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    return loading;
  }

  // Break `text` into lines of at most `max` characters (plotly wraps only at <br>).
  function wrap(text, max) {
    if (typeof text !== "string" || text.length <= max || text.indexOf("<br") !== -1) return text;
    var lines = [], line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > max) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) lines.push(line);
    return lines.join("<br>");
  }

  function fontSize(obj, fallback) {
    return (obj && obj.font && obj.font.size) || fallback;
  }

  // Fit long labels to a narrow chart: wrap annotations and axis titles by the width they have.
  function fitToWidth(layout, width) {
    if (width >= 640) return layout;
    var base = fontSize(layout, 14);
    (layout.annotations || []).forEach(function (a) {
      var x = (a.xref === "paper" && typeof a.x === "number") ? a.x : 0;
      var room = a.xanchor === "left" ? width * (1 - x) : width;
      var max = Math.max(12, Math.floor((room - 16) / (0.55 * fontSize(a, base))));
      a.text = wrap(a.text, max);
    });
    Object.keys(layout).forEach(function (key) {
      if (!/^[xy]axis\d*$/.test(key) || !layout[key] || !layout[key].title) return;
      var t = layout[key].title;
      var size = fontSize(t, base);
      var max = Math.max(12, Math.floor((width - 40) / (0.55 * size)));
      if (typeof t === "string") layout[key].title = wrap(t, max);
      else if (t.text) t.text = wrap(t.text, max);
    });
    return layout;
  }

  function draw(spec) {
    var id = spec.getAttribute("data-for");
    var div = document.getElementById(id);
    if (!div || div.getAttribute("data-drawn")) return;
    div.setAttribute("data-drawn", "pending");
    var fig = JSON.parse(spec.textContent);
    var layout = fitToWidth(fig.layout || {}, div.clientWidth || window.innerWidth);
    loadPlotly().then(function (Plotly) {
      return Plotly.newPlot(div, fig.data, layout, fig.config || {});
    }).then(function () {
      div.setAttribute("data-drawn", "yes");
      // The drawing is visual only: its text alternative and data table are in the figure.
      div.querySelectorAll("svg.main-svg").forEach(function (svg) { svg.setAttribute("aria-hidden", "true"); });
      div.parentNode.classList.add("is-drawn");
    }, function () {
      div.removeAttribute("data-drawn");  // the static image stays
    });
  }

  function start() {
    var specs = document.querySelectorAll("script.maskbook-chart-spec");
    if (!specs.length) return;
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
