"""The Data appendix, generated from the data package: per table its description, row count,
what it measures and its caveats (from ``data/README.md``), sources, licence, a preview and a
download link. Everything comes from ``data/`` so the appendix cannot drift from the data."""
from __future__ import annotations

import html
import re

from IPython.display import HTML, display
from markdown_it import MarkdownIt

from maskbook import data

PREVIEW_ROWS = 5


def readme_section(name: str) -> str:
    """The body of the ``### `name``` section of data/README.md (markdown), or ''."""
    text = (data.data_dir() / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^#+ `{re.escape(name)}`[^\n]*\n(.*?)(?=^#+ |\Z)", text, re.S | re.M)
    return match.group(1).strip() if match else ""


def _source_item(src: dict) -> str:
    esc = html.escape
    title = esc(src["title"])
    if src.get("path"):
        title = f'<a href="{esc(src["path"])}">{title}</a>'
    bits = [esc(src.get("publisher") or ""), title, esc(src.get("date") or "no date shown")]
    flag = " (second-hand)" if src.get("secondhand") else ""
    return f"<li>{', '.join(b for b in bits if b)}{flag}</li>"


def table_section(name: str, root: str = "../") -> str:
    """One table's section of the appendix, as HTML."""
    info = data.table_info(name)
    df = data.load_table(name)
    csv = data.csv_path(name).name
    esc = html.escape
    preview = df.head(PREVIEW_ROWS).to_html(index=False, na_rep="", border=0, classes="maskbook-preview")
    return (
        f'<section class="maskbook-dataset" id="data-{name}">\n'
        f"<h2>{esc(info['title'])} <code>{name}</code></h2>\n"
        f"<p>{esc(info['description'])}</p>\n"
        f"<p><strong>Rows:</strong> {len(df)} · <strong>Licence:</strong> {esc(info['licence'])} "
        f"(our compilation; the figures belong to their publishers) · "
        f'<a href="{root}data/{csv}">Download {csv}</a></p>\n'
        f"<div class=\"maskbook-readme\">{MarkdownIt().render(readme_section(name))}</div>\n"
        f"<details><summary>Sources ({len(info['sources'])} documents)</summary><ul>"
        + "".join(_source_item(s) for s in info["sources"])
        + "</ul></details>\n"
        f"<details><summary>Preview: the first {PREVIEW_ROWS} rows</summary>"
        f'<div class="maskbook-table-wrap">{preview}</div></details>\n</section>'
    )


def show_appendix() -> None:
    """Display the whole appendix: a list of the tables, then one section per table."""
    names = data.list_tables()
    index = "".join(
        f'<li><a href="#data-{n}">{html.escape(data.table_info(n)["title"])}</a></li>' for n in names
    )
    display(HTML(f"<ul>{index}</ul>\n" + "\n".join(table_section(n) for n in names)))
