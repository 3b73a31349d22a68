/* The search page's results (maskbook.site.pageparts, maskbook.site.searchrank, templates/search.html).
 *
 * Ranking: Sphinx scores a page by where a query word occurs (title or heading, or text) and sorts
 * pages of equal score alphabetically. Here pages of equal score are ranked by how often the
 * query's rarest word occurs in their prose (searchcounts.js, written by maskbook.site.searchrank):
 * title and heading hits first, then the pages that say most about the query.
 *
 * Summaries: Sphinx's searchtools.js shows, under each result, text taken from the page's main
 * element with textContent: the print-only and sidebar contents come first, and table cells,
 * headings and list items run together ("2020-03-1002020-03-10"). Here the summary text is the
 * article alone, without the contents lists, code-cell toggles and heading links, with a space
 * between blocks. The fetched page is read inert: its inline event handlers (the theme's print
 * button) are taken out of the markup first, and what is left is parsed into a <template>, whose
 * content has no browsing context: no handler, script or policy of the fetched page is ever
 * instantiated, so the site's Content Security Policy has nothing to report.
 */
(function () {
  "use strict";
  if (typeof Search === "undefined") return;

  var queryTerms = [];
  var performSearch = Search._performSearch;
  Search._performSearch = function (query, searchTerms) {
    queryTerms = Array.from(searchTerms || []);
    return performSearch.apply(this, arguments);
  };
  Scorer.score = function (result) {
    var counts = (window.maskbookTermCounts || {})[result[0]] || {};
    var rarest = queryTerms.length === 0 ? 0 : Math.min.apply(null, queryTerms.map(function (term) {
      return counts[term] || 1;
    }));
    return result[4] * 1000 + Math.min(rarest, 999);
  };

  var LEAVE_OUT = "script, style, .headerlink, #jb-print-docs-body, .bd-sidebar-secondary, " +
    ".bd-header-article, .prev-next-footer, .toggle-details__summary, summary, .visually-hidden";
  var BLOCKS = "p, li, dt, dd, td, th, caption, figcaption, h1, h2, h3, h4, h5, h6, pre, " +
    "div, section, blockquote, br, tr";
  // A start tag (quoted values may hold ">"), and an event-handler attribute within one.
  var START_TAG = /<[a-zA-Z][^\s>\/]*(?:[^>"']|"[^"]*"|'[^']*')*>/g;
  var HANDLER = /\son[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+)/gi;

  function inert(htmlString) {
    var template = document.createElement("template");
    template.innerHTML = htmlString.replace(START_TAG, function (tag) { return tag.replace(HANDLER, ""); });
    return template.content;
  }

  Search.htmlToText = function (htmlString, anchor) {
    var doc = inert(htmlString);
    doc.querySelectorAll(LEAVE_OUT).forEach(function (el) { el.remove(); });
    var root = doc.querySelector("article.bd-article") || doc.querySelector('[role="main"]');
    if (!root) return "";
    if (anchor) root = root.querySelector(anchor) || root;
    root.querySelectorAll(BLOCKS).forEach(function (el) { el.append(" "); });
    return root.textContent.replace(/\s+/g, " ").trim();
  };
})();
