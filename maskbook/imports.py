"""Which of the package's modules a piece of code imports, read from its syntax tree (``ast``).

The one import scanner: the site's input fingerprint of each chapter
(``maskbook.site.sphinxext.inputs_read_by``) and the teaching pack's choice of the modules it
ships (``maskbook.editions.teaching_pack``) both read a chapter's imports here. The bottom layer,
with ``maskbook`` itself: it imports nothing else of the package.
"""
from __future__ import annotations

import ast
import functools
from pathlib import Path

import maskbook


@functools.lru_cache(maxsize=128)
def myst_cells(source: str) -> tuple[tuple[str, str], ...]:
    """(cell type, source) of each cell of a MyST notebook's text, as jupytext reads it: once per
    text (a build reads each chapter's cells for its fingerprint, its teaching pack and its modules)."""
    import jupytext

    return tuple((c.cell_type, c.source) for c in jupytext.reads(source, fmt="md:myst").cells)


@functools.lru_cache(maxsize=128)
def _python_of_code_cells(source: str) -> tuple[str, ...]:
    from IPython.core.inputtransformer2 import TransformerManager

    return tuple(TransformerManager().transform_cell(code) for kind, code in myst_cells(source) if kind == "code")


def code_cells(source: str) -> list[str]:
    """The code of a MyST notebook's code cells, as plain Python (IPython magics translated)."""
    return list(_python_of_code_cells(source))


def module_file(name: str, root: Path = maskbook.ROOT) -> Path | None:
    """The file of module ``name`` of the package in ``root`` (``maskbook.book.charts`` ->
    ``maskbook/book/charts/__init__.py``), if there is one."""
    path = Path(root).joinpath(*name.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imported_modules(tree: ast.AST, module: str = "", root: Path = maskbook.ROOT) -> set[str]:
    """The package's modules that the code ``tree`` (the text of module ``module``, if it is one)
    imports, with every package they lie in: ``from maskbook.book.charts import aid`` imports
    ``maskbook``, ``maskbook.book``, ``maskbook.book.charts`` and ``maskbook.book.charts.aid``.
    Relative imports are read from ``module``'s package."""
    own = module_file(module, root) if module else None
    package = module if own is not None and own.name == "__init__.py" else module.rpartition(".")[0]
    return {m for m in names_imported(tree, package) if m.split(".")[0] == maskbook.__name__ and module_file(m, root)}


@functools.lru_cache(maxsize=256)
def names_imported(tree: ast.AST, package: str) -> frozenset[str]:
    """Every dotted name that the code ``tree``, in ``package``, imports, with the packages above it
    (a walk of the whole tree: kept for the next chapter that imports the same module)."""
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                modules |= {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import: from the package, up level - 1 packages
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            parts = base.split(".")
            modules |= {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
            modules |= {f"{base}.{alias.name}" for alias in node.names}
    return frozenset(modules)


@functools.lru_cache(maxsize=256)
def parsed(text: str) -> ast.Module:
    """The syntax tree of the code ``text``, parsed once per process: a build reads the same
    modules for every chapter, and every chapter twice (its notebook starts, then its page is read)."""
    return ast.parse(text)


def modules_imported_by(tree: ast.AST, root: Path = maskbook.ROOT) -> dict[str, ast.AST]:
    """Every module of the package that the code ``tree`` imports, and in turn the modules those
    import: {module name: its syntax tree}."""
    todo, found = imported_modules(tree, root=root), {}
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found[name] = parsed(module_file(name, root).read_text(encoding="utf-8"))
        todo |= imported_modules(found[name], name, root) - found.keys()
    return found
