/* Search result summaries that read as text (maskbook.pageparts, templates/search.html).
 *
 * Sphinx's searchtools.js shows, under each result, text taken from the page's main element with
 * textContent: the print-only and sidebar contents come first, and table cells, headings and list
 * items run together ("2020-03-1002020-03-10"). Here the summary text is the article alone,
 * without the contents lists, code-cell toggles and heading links, with a space between blocks.
 */
(function () {
  "use strict";
  if (typeof Search === "undefined") return;
  var LEAVE_OUT = "script, style, .headerlink, #jb-print-docs-body, .bd-sidebar-secondary, " +
    ".bd-header-article, .prev-next-footer, .toggle-details__summary, summary, .visually-hidden";
  var BLOCKS = "p, li, dt, dd, td, th, caption, figcaption, h1, h2, h3, h4, h5, h6, pre, " +
    "div, section, blockquote, br, tr";
  Search.htmlToText = function (htmlString, anchor) {
    var doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll(LEAVE_OUT).forEach(function (el) { el.remove(); });
    var root = doc.querySelector("article.bd-article") || doc.querySelector('[role="main"]');
    if (!root) return "";
    if (anchor) root = root.querySelector(anchor) || root;
    root.querySelectorAll(BLOCKS).forEach(function (el) { el.append(" "); });
    return root.textContent.replace(/\s+/g, " ").trim();
  };
})();
