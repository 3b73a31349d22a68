"""Where a build spends its time: the start of each Sphinx phase, written as JSON when the build
ends (read by ``python -m maskbook.bench``, which sets ``MASKBOOK_PHASES``). A translated build
(the Italian edition, its own process) writes its own file beside it (:func:`phases_file`)."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from sphinx.application import Sphinx

from maskbook import language
from maskbook.site import execute, plotly_renderer

#: A build given this variable (a file path) writes there the times of its phases, as JSON.
PHASES_VAR = "MASKBOOK_PHASES"
#: Where ``timed_build`` asks for them (under ``_build/``).
PHASES_FILE = "bench-phases.json"


def phases_file(path: Path | str, lang: str | None = None) -> Path:
    """Where the build in ``lang`` writes its phases: ``path`` for the book's own language,
    ``<stem>-<lang>.json`` beside it for a translation."""
    path = Path(path)
    return path if lang in (None, language.ORIGINAL) else path.with_name(f"{path.stem}-{lang}{path.suffix}")


def record_phases(app: Sphinx) -> None:
    """Note when each phase of this build starts (Sphinx events); write them when it ends. The
    English build also notes when it starts waiting for its translations (``translations``, just
    before ``maskbook.editions.translation`` waits for them, at priority 950).

    Connected by ``maskbook.site.sphinxext`` when ``MASKBOOK_PHASES`` names a file.
    """
    marks: dict[str, float] = {}

    def mark(name):
        def note(*args) -> None:  # a handler of env-before-read-docs must return None
            marks.setdefault(name, time.perf_counter())
        return note

    def write(app, exception):
        marks["end"] = time.perf_counter()
        phases_file(os.environ[PHASES_VAR], app.config.language).write_text(json.dumps(
            {"marks": marks, "execution": execute.runs, "images": plotly_renderer.drawing}), encoding="utf-8")

    marks["setup"] = time.perf_counter()
    app.connect("env-before-read-docs", mark("read"), priority=0)
    app.connect("env-updated", mark("resolve"), priority=0)
    app.connect("write-started", mark("write"), priority=0)
    app.connect("build-finished", mark("post"), priority=0)
    app.connect("build-finished", mark("translations"), priority=949)
    app.connect("build-finished", write, priority=10_000)
