"""Execute the chapters' notebooks in parallel, ahead of Sphinx's reading (a faster cold build).

myst-nb executes a notebook when Sphinx reads its page, one page after another: on two cores a
cold build waited on one kernel at a time. Here, once Sphinx knows which pages it will read
(``env-before-read-docs``), every notebook missing from the execution cache starts in a pool of
kernels (``MASKBOOK_KERNELS``, default: the number of cores, at least 2). When Sphinx comes to a
page (``source-read``), its notebook is waited for and stored in myst-nb's cache exactly as
myst-nb stores it, so myst-nb finds it there and does not execute it again. The log still says
``<page>.md: Executing notebook`` for each notebook run (the benchmark and the tests count them).

A notebook that fails is not stored: myst-nb runs it again when it reads the page and reports the
failure as it always did (for bad input, one plain message). Nothing else changes: the same
notebook (the page's text as the build reads it, fingerprint cell included), the same kernel,
working folder, timeout and cache entry.

Every kernel the build starts (here or in myst-nb) talks to it over Unix sockets
(:class:`UnixSocketKernelManager`), where zmq has them; while notebooks run in parallel, each is a
fork of one process that has already imported what they import (:class:`ForkedKernelManager`,
:mod:`maskbook.site.kernelfork`).
"""
from __future__ import annotations

import os
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import zmq
from jupyter_cache import get_cache
from jupyter_client.manager import KernelManager
from sphinx.application import Sphinx
from sphinx.util import logging
from traitlets import default

from maskbook.site import compat, kernelfork

logger = logging.getLogger(__name__)

#: This build's notebook runs, for the benchmark: kernel-seconds (summed over kernels), the first
#: start and last end (``time.perf_counter()``), and the seconds Sphinx's reading waited for them.
runs = {"kernel_seconds": 0.0, "start": None, "end": None, "waited": 0.0}


class UnixSocketKernelManager(KernelManager):
    """A kernel reached over Unix sockets of its own (files named by a random id in the temporary
    folder), not TCP ports. A TCP kernel's ports are picked by its client, free when picked, and
    bound by the kernel a moment later: two processes starting kernels at once (the two editions'
    builds, a test's kernel) can pick the same port, and one kernel dies at start ("Address already
    in use"). A file of its own cannot be taken; the kernel's manager removes it at shutdown."""

    @default("transport")
    def _unix_sockets(self) -> str:
        return "ipc"

    @default("ip")
    def _socket_path(self) -> str:
        # Absolute (the kernel runs in the notebook's folder) and short (a socket's path holds about 104 bytes).
        return os.path.join(tempfile.gettempdir(), f"kernel-{uuid.uuid4().hex[:16]}")


class ForkedKernelManager(UnixSocketKernelManager):
    """A build's kernel: a fork of the build's fork server while one runs (:mod:`maskbook.site.kernelfork`),
    else a kernel started as usual."""

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        server = kernelfork.server
        if server is None or not kernelfork.forkable(kernel_cmd):
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        cwd = str(kw.get("cwd") or os.getcwd())
        pid = server.fork(kernel_cmd[3:], dict(kw.get("env") or os.environ), cwd)
        if pid is None:  # another environment than the server's, or the server has ended
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        compat.adopt_kernel_process(self, kernelfork.ForkedProcess(pid), cwd)


#: nbclient's options for every kernel the book starts (TCP where zmq has no Unix sockets); the
#: build's kernels may be forks (``BUILD_OPTIONS``), the tests' start from nothing, as a reader's do.
CLIENT_OPTIONS = {"kernel_manager_class": UnixSocketKernelManager} if zmq.has("ipc") else {}
BUILD_OPTIONS = {"kernel_manager_class": ForkedKernelManager} if zmq.has("ipc") else {}


def kernels() -> int:
    return int(os.environ.get("MASKBOOK_KERNELS", "0")) or max(2, os.cpu_count() or 1)


class Prerun:
    """The notebooks of one build being executed: docname -> (notebook, read format, future)."""

    def __init__(self, app: Sphinx):
        self.app = app
        self.jobs: dict[str, tuple] = {}
        self.pool: ThreadPoolExecutor | None = None
        self.lock = threading.Lock()

    def cache(self):
        return get_cache(compat.notebook_configs(self.app.env)[1].execution_cache_path or ".jupyter_cache")

    def notebook(self, docname: str, text: str):
        """The notebook myst-nb will make of the page's text (None for a page without code)."""
        from maskbook.site.sphinxext import fingerprinted

        env = self.app.env
        path = env.doc2path(docname)
        text, _ = fingerprinted(text)
        reader = compat.create_nb_reader(str(path), *compat.notebook_configs(env), text)
        if reader is None or "{code-cell}" not in text:
            return None, None
        return reader.read(text), reader.read_fmt

    def start(self, app: Sphinx, env, docnames: list[str]) -> None:
        config = compat.notebook_configs(env)[1]
        if config.execution_mode != "cache" or config.execution_excludepatterns or config.execution_in_temp:
            return
        cache = self.cache()
        todo = []
        for docname in sorted(docnames):  # Sphinx reads in this order: the first needed starts first
            path = Path(env.doc2path(docname))
            if path.suffix != ".md":
                continue
            nb, read_fmt = self.notebook(docname, path.read_text(encoding="utf-8"))
            if nb is None:
                continue
            try:
                cache.match_cache_notebook(nb)
                continue
            except KeyError:
                todo.append((docname, path, nb, read_fmt))
        if len(todo) < 2:
            return  # myst-nb runs a single notebook as fast
        runs["start"] = time.perf_counter()
        kernelfork.start(set().union(*(kernelfork.first_cell_imports(nb) for _, _, nb, _ in todo)))
        self.pool = ThreadPoolExecutor(max_workers=min(kernels(), len(todo)))
        for docname, path, nb, read_fmt in todo:
            future = self.pool.submit(self.run, path, nb)
            self.jobs[docname] = (path, nb, read_fmt, future)

    def run(self, path: Path, nb) -> compat.ExecutionResult:
        logger.info(f"{path}: Executing notebook using local CWD (in parallel) [mystnb]")
        config = compat.notebook_configs(self.app.env)[1]
        result = compat.single_nb_execution(nb, cwd=str(path.parent), allow_errors=config.execution_allow_errors,
                                     timeout=config.execution_timeout, meta_override=True, **BUILD_OPTIONS)
        with self.lock:
            runs["kernel_seconds"] += result.time
            runs["end"] = time.perf_counter()
        return result

    def store(self, app: Sphinx, docname: str, source: list[str]) -> None:
        """Wait for the page's notebook and store it in the cache, as myst-nb would have."""
        job = self.jobs.pop(docname, None)
        if job is None:
            return
        path, nb, read_fmt, future = job
        waiting = time.perf_counter()
        result: compat.ExecutionResult = future.result()
        runs["waited"] += time.perf_counter() - waiting
        if result.err is None:
            cache = self.cache()
            stage = cache.add_nb_to_project(str(path), read_data=read_fmt) if read_fmt else cache.add_nb_to_project(str(path))
            cache.cache_notebook_bundle(compat.CacheBundleIn(nb, stage.uri, data={"execution_seconds": result.time}),
                                        check_validity=False, overwrite=True)
        if not self.jobs and self.pool is not None:
            self.pool.shutdown()
            self.pool = None
            kernelfork.stop()

    def stop(self, app: Sphinx, exception) -> None:
        """A build that ends early (bad input) waits for no kernel it no longer needs."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        kernelfork.stop()


def setup_parallel_execution(app: Sphinx) -> None:
    compat.mystnb_executes_with(**BUILD_OPTIONS)
    prerun = Prerun(app)
    app.connect("env-before-read-docs", prerun.start)
    # Before the fingerprint is added (priority 500): the page's own text is what was executed.
    app.connect("source-read", prerun.store, priority=400)
    app.connect("build-finished", prerun.stop, priority=100)
