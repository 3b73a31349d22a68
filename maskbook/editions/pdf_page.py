"""One page of the built site, ready for print (maskbook.editions.pdf): screen-only parts gone,
charts numbered with their static image, the interactive chart's address and a QR code, ids made
unique in a combined document, paper manners (:mod:`maskbook.editions.pdf_paper`) applied."""
from __future__ import annotations

import copy
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from maskbook.edition import Book, BookError
from maskbook.editions import pdf_paper
from maskbook.language import _

#: Parts of a page that are controls or screen-only: never printed.
SCREEN_ONLY = ["script", "a.headerlink", "span.mb-tip", "details.hide.above-input", "details.maskbook-chart-data",
               "p.maskbook-chart-download", "div.plotly-graph-div", "div.toctree-wrapper", "button"]


class PdfError(BookError):
    """A problem with the inputs of the PDF edition, said in plain words."""



def anchor(docname: str, fragment: str = "") -> str:
    """The id of ``fragment`` of page ``docname`` in a combined document (ids are unique per page)."""
    return docname.replace("/", "-") + ("--" + fragment if fragment else "")


@dataclass
class Page:
    docname: str
    title: str
    body: Tag  # the page's <section>, cleaned for print, ids made unique in the combined document
    cited: list[str]  # bibliography anchors the page links to, in order


def qr_svg(url: str) -> str:
    """A QR code of ``url`` as inline SVG (vector)."""
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=1,
                      error_correction=qrcode.constants.ERROR_CORRECT_M)
    svg = img.to_string(encoding="unicode")
    svg = re.sub(r"<\?xml[^>]*>", "", svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_("QR code of the link")}" ', 1)


def chart_links(soup: BeautifulSoup, figure: Tag, page_url: str, book: Book) -> Tag:
    """The print block under a chart: where the interactive chart and its data are (link, QR code)."""
    csvs = [a["href"].split("/")[-1] for a in figure.select("p.maskbook-chart-download a[href]")]
    block = soup.new_tag("div", attrs={"class": "pdf-links"})
    text = soup.new_tag("p")
    if book.base_url:
        url = f"{book.base_url}{page_url}#{figure['id']}"
        block.append(BeautifulSoup(qr_svg(url), "html.parser"))
        text.append(_("Interactive chart: "))
        link = soup.new_tag("a", href=url)
        link.string = url
        text.append(link)
        for name in csvs:
            text.append(soup.new_tag("br"))
            text.append(_("Data: "))
            data_link = soup.new_tag("a", href=f"{book.base_url}data/{name}")
            data_link.string = f"{book.base_url}data/{name}"
            text.append(data_link)
    else:
        text.string = (_("Interactive chart on the book's website, page {page}").format(page=page_url)
                       + (_("; data: {files}").format(files=", ".join("data/" + n for n in csvs)) if csvs else "") + ".")
    block.append(text)
    return block


def load_page(site: Path, docname: str, book: Book, number: str = "") -> Page:
    """Page ``docname`` of the built site, ready for print (see the module's docstring); its charts
    are numbered "Figure <number>.1", ... when the chapter has a ``number``."""
    path = site / f"{docname}.html"
    if not path.is_file():
        raise PdfError(f"{path}: missing; build the site first (jupyter-book build .), then run python -m maskbook.editions.pdf")
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    section = soup.select_one("article.bd-article > section")
    if section is None or section.find("h1") is None:
        raise PdfError(f"{path}: no <article> with a titled <section>; is it a page of this book's site?")
    for n, figure in enumerate(section.find_all("figure", class_="maskbook-chart"), start=1):
        alt = figure.select_one("p.maskbook-chart-alt")
        img = figure.select_one("img.maskbook-chart-static")
        if img is not None:
            img["alt"] = alt.get_text(" ", strip=True) if alt else ""
            img["loading"] = "eager"
        for source in figure.select("picture source"):  # the phone layout's image: its text would
            source.decompose()                            # print larger than the body's
        if alt is not None:
            alt.decompose()
        caption = figure.figcaption
        if number and caption is not None and not caption.get_text().startswith(_("Figure {number}").format(number="")):
            label = soup.new_tag("span", attrs={"class": "pdf-figure-number"})
            label.string = _("Figure {number}").format(number=f"{number}.{n}")
            caption.insert(0, " ")
            caption.insert(0, label)
        figure.append(chart_links(soup, figure, f"{docname}.html", book))
    for number in section.find_all("span", class_="section-number"):  # the site's "1. ": print has "Chapter 1"
        number.decompose()
    for el in section.select(", ".join(SCREEN_ONLY)):  # one walk of the page (a large table's page is slow to walk)
        el.decompose()
    for details in section.find_all("details"):  # folded text (sources) prints open; folded tables
        if details.find("table"):             # (data previews) are left to the CSV linked beside them
            details.decompose()
            continue
        details.name = "div"
        details["class"] = details.get("class", []) + ["pdf-unfolded"]
        for summary in details.find_all("summary", recursive=False):
            summary.name = "p"
            summary["class"] = ["pdf-summary"]
    here = posixpath.dirname(docname)
    for img in section.find_all("img", src=True):
        img["src"] = (site / posixpath.normpath(posixpath.join(here, img["src"]))).resolve().as_uri()
    for el in section.find_all(attrs={"aria-describedby": True}):  # its tooltip was screen-only
        del el["aria-describedby"]
    for el in section.find_all(id=True):
        el["id"] = anchor(docname, el["id"])
    section["id"] = anchor(docname)
    cited = []
    for a in section.find_all("a", href=True):
        href = a["href"]
        if re.match(r"^[a-z][a-z0-9+.-]*:", href):
            continue  # http(s), mailto: already absolute
        target, _hash, frag = href.partition("#")
        target_doc = (posixpath.normpath(posixpath.join(here, target))[:-5] if target.endswith(".html")
                      else docname if not target else None)
        if target_doc is not None:
            a["href"] = "#" + anchor(target_doc, frag)
            if "bibtex-citation" in (a.parent.get("class") or []):
                cited.append(a["href"][1:])
        elif book.base_url:  # the data package, the teaching pack: on the site
            a["href"] = book.base_url + posixpath.normpath(posixpath.join(here, target)) + (f"#{frag}" if frag else "")
    pdf_paper.for_paper(soup, section, book.base_url)
    for a in section.find_all("a", href=True):
        if not re.match(r"^[a-z][a-z0-9+.-]*:|#", a["href"]):
            a.unwrap()
    pdf_paper.hyphenate(section)
    h1 = section.find("h1")
    return Page(docname, h1.get_text(" ", strip=True), section, cited)


def with_sections(page: Page, sub_pages: list[Page]) -> Page:
    """``page`` followed by its ``sub_pages``, their headings one level down (sections of the chapter)."""
    body = copy.copy(page.body)
    for sub in sub_pages:
        section = copy.copy(sub.body)
        for h in section.find_all(re.compile(r"^h[1-6]$")):
            h.name = f"h{min(int(h.name[1]) + 1, 6)}"
        body.append(section)
    return Page(page.docname, page.title, body, page.cited + [c for sub in sub_pages for c in sub.cited])


DATA_ROWS = "mb-rows"  # the class of a Data appendix page's row table


def summary_page(table: Page, data_doc: str) -> Page:
    """A table's page of the Data appendix as the book prints it (:func:`pdf_paper.table_summary`)."""
    soup = BeautifulSoup("", "html.parser")
    body = pdf_paper.table_summary(soup, copy.copy(table.body),
                                   _("the data edition ({file})").format(file=f"{Path(data_doc).name}.pdf"))
    return Page(table.docname, table.title, body, table.cited)

