"""The test session's background work: the strict build of the book, then each job that reads only
the build's output, started as soon as what it needs is there, in one process of its own.

pytest-xdist's workers would each make a session fixture once; the jobs here are made once for
the session, whichever worker asks first, and run while the workers run other tests. The first
process to collect the tests starts :func:`main` (``python tests/session_jobs.py FOLDER JOB...``)
with the jobs its tests need; each job writes ``<job>.out``, ``<job>.err`` and, when it ends,
``<job>.status`` (its exit status) into FOLDER, where :meth:`SessionJobs.result` waits for it.

The jobs: ``build`` (``src/``, the book built with warnings as errors, from an empty ``_build``);
then, side by side, ``rebuilt`` (a copy of the built book, caches included, built again in its
new folder, ``settled/src``: the playground of the rebuild tests) and ``pdf`` (the PDF edition,
into ``pdf/``). Once the PDFs exist, side by side: ``pdf-texts`` (every PDF page's text, read
once, ``pdf-texts.json``), ``pdf-again`` (the PDF command a second time, into ``pdf-again/``,
given the page numbers the first run found: its PDFs, each printed once, must be the same bytes
as the first run's) and ``pdf-it`` (the Italian edition, ``--language it``, into ``pdf/it/``, then
its text, ``pdf-texts-it``). The second run and the Italian one print the book and a few of the
other PDFs (``--only``: ``AGAIN``, ``ITALIAN``). Once both the settled copy and the PDFs exist,
``offered``: the settled copy given the PDFs in its ``_build/pdf`` and built again (a rebuild
writes every page again and reads none; a copy in a new folder would read them all again), its
site kept in ``offered/src/_build/html``; then ``withdrawn``: the PDFs taken away and the copy
built again, as it was. ``rebuilt`` ends when all that is done.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

#: The jobs the tests may ask for, and the fixture that reads each (``pdf-texts`` goes with ``pdf``).
FIXTURES = {"rebuilt": "rebuilt", "pdf": "pdfs", "pdf-again": "pdfs_again", "pdf-it": "pdfs_it", "offered": "offered"}
#: What the PDF command's second run prints besides the book (the data edition and a handout:
#: the three ways a PDF is printed), and the Italian run (a handout: the Italian data edition and
#: handouts are printed by the same code as the English ones, read in full).
AGAIN = ["data", "aid"]
ITALIAN = ["aid"]
#: The site's public address given to the PDF command (links and QR codes).
BASE_URL = "https://example.org/maskbook/"
#: What the PDF command keeps of a run for the next (the pages it found for the contents).
PAGE_NUMBERS = ".page-numbers.json"
#: The driver's own status: every job it was asked for has ended.
DRIVER = "jobs"


def jupyter_book_build(src: Path) -> list[str]:
    from maskbook import bench

    return bench.JUPYTER_BOOK + ["build", "-W", "-n", "--keep-going", str(src)]


def pdf_command(src: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "maskbook.editions.pdf", "--root", str(src), "--out", str(out), "--base-url", BASE_URL]


class SessionJobs:
    """The session's jobs, in a folder that every process of the session shares."""

    def __init__(self, config):
        base = config._tmp_path_factory.getbasetemp()
        self.folder = (base.parent if hasattr(config, "workerinput") else base) / "book"
        self.folder.mkdir(exist_ok=True)
        self.src = self.folder / "src"

    def start(self, jobs: set[str]) -> None:
        """Start the build and ``jobs``, unless another process of the session already did."""
        try:
            os.close(os.open(self.folder / "started", os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return
        from maskbook import bench

        bench.copy_book(self.src)
        process = subprocess.Popen([sys.executable, __file__, str(self.folder), *sorted(jobs)], start_new_session=True)
        (self.folder / "pid").write_text(str(process.pid))

    def result(self, job: str = "build", timeout: float = 1500) -> subprocess.CompletedProcess:
        """Wait for ``job`` to end; its exit status and output."""
        import pytest

        status = self.folder / f"{job}.status"
        deadline = time.monotonic() + timeout
        while not status.exists():
            if time.monotonic() > deadline:
                pytest.fail(f"the session's job {job!r} did not end in {timeout / 60:.0f} minutes")
            if (self.folder / f"{DRIVER}.status").exists():
                pytest.fail(f"the session's job {job!r} was not started (not asked for when the tests were collected)")
            time.sleep(0.2)
        return subprocess.CompletedProcess(job, int(status.read_text()), *(
            (self.folder / f"{job}.{stream}").read_text(encoding="utf-8") for stream in ("out", "err")))

    def stop(self) -> None:
        """End jobs still running (a session stopped early: ``-x``, Ctrl-C)."""
        pid = self.folder / "pid"
        if pid.exists() and not (self.folder / f"{DRIVER}.status").exists():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(int(pid.read_text()), signal.SIGKILL)


# --- the driver (its own process) ---------------------------------------------------------------

def run(folder: Path, job: str, argv: list[str], then=None) -> int:
    """Run ``argv`` as ``job``: its output into ``<job>.out``/``.err``, then ``then(status)`` if
    given (what the job does after the command), then its ``<job>.status``."""
    with open(folder / f"{job}.out", "w") as out, open(folder / f"{job}.err", "w") as err:
        status = subprocess.run(argv, stdout=out, stderr=err).returncode
    if then is not None:
        then(status)
    ended(folder, job, status)
    return status


def ended(folder: Path, job: str, status: int) -> None:
    part = folder / f"{job}.status.part"
    part.write_text(str(status))
    part.rename(folder / f"{job}.status")


def copy_built(src: Path, dest: Path) -> Path:
    """A copy of the built book, ``_build`` (execution cache, chart images) included."""
    shutil.copytree(src, dest, symlinks=True)
    return dest


def side_by_side(*jobs) -> None:
    threads = [threading.Thread(target=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def main(folder: Path, jobs: set[str]) -> None:
    src = folder / "src"
    built = run(folder, "build", jupyter_book_build(src)) == 0
    if built:
        printed = threading.Event()  # the PDF command's first run has ended (its status: pdf.status)

        def rebuilt():
            if {"rebuilt", "offered"} & jobs:
                settled = copy_built(src, folder / "settled" / "src")
                run(folder, "rebuilt", jupyter_book_build(settled), then=lambda status: status == 0 and offer(settled))

        def offer(settled: Path) -> None:
            """The settled copy offers the PDFs: built again (every page written again, none read),
            its site kept as ``offered/src/_build/html``; then the PDFs withdrawn and built again."""
            printed.wait()
            if "offered" not in jobs or (folder / "pdf.status").read_text() != "0":
                return
            shutil.copytree(folder / "pdf", settled / "_build" / "pdf", ignore=shutil.ignore_patterns("it", ".*"))
            run(folder, "offered", jupyter_book_build(settled), then=lambda status: shutil.copytree(
                settled / "_build" / "html", folder / "offered" / "src" / "_build" / "html"))
            shutil.rmtree(settled / "_build" / "pdf")
            run(folder, "withdrawn", jupyter_book_build(settled))

        def pdf():
            try:
                wanted = {"pdf", "pdf-again", "pdf-it", "offered"} & jobs
                if not wanted or run(folder, "pdf", pdf_command(src, folder / "pdf")) != 0:
                    return
            finally:
                printed.set()
            side_by_side(texts, again, italian)

        def texts(job="pdf-texts", pdfs=folder / "pdf"):
            reader = str(Path(__file__).with_name("pdf_texts.py"))
            run(folder, job, [sys.executable, reader, str(pdfs), str(folder / f"{job}.json")])

        def again():
            if "pdf-again" in jobs:  # with the first run's page numbers: the book prints once, as it should
                (folder / "pdf-again").mkdir()
                shutil.copyfile(folder / "pdf" / PAGE_NUMBERS, folder / "pdf-again" / PAGE_NUMBERS)
                run(folder, "pdf-again", pdf_command(src, folder / "pdf-again") + ["--only", *AGAIN])

        def italian():
            italian_pdfs = pdf_command(src, folder / "pdf") + ["--language", "it", "--only", *ITALIAN]
            if "pdf-it" in jobs and run(folder, "pdf-it", italian_pdfs) == 0:
                texts("pdf-texts-it", folder / "pdf" / "it")

        side_by_side(rebuilt, pdf)
    readers = {"pdf-texts"} | ({"pdf-texts-it"} if "pdf-it" in jobs else set())
    for job in (jobs | readers) - {"build"}:  # a job that could not start: what it waited for failed
        if not (folder / f"{job}.status").exists():
            (folder / f"{job}.out").write_text("")
            (folder / f"{job}.err").write_text("not run: " + ("the build" if not built else "what it waited for") + " failed")
            ended(folder, job, 1)
    ended(folder, DRIVER, 0)


if __name__ == "__main__":
    main(Path(sys.argv[1]), set(sys.argv[2:]))
