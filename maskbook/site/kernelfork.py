"""Kernels forked from a process that has already imported what the chapters import (a faster build).

Each chapter's kernel used to start from nothing: about 1.5 s to start Python and ipykernel, then
1-2 s for its first cell to import pandas, plotly and the book's charts, 16 times in a build of
both editions. When a build runs notebooks in parallel (``maskbook.site.execute``), it starts one
fork server (:func:`serve`, in a process of its own) that imports ipykernel and the modules the
notebooks' first cells import (every chapter's set-up cell), then waits. Each kernel the build
starts is a fork of it (:class:`ForkedKernelManager`): a copy of that process which becomes the
kernel ipykernel would have started, with the command's arguments, the kernel's environment and
working folder, its own session (interrupts reach it and only it) and the book's kernel
configuration. What a cell then imports is already there, as it would be after the set-up cell.

Modules settle some things once, on import, from the process around them: ipykernel its parent's
pid, pandas and plotly their display defaults from ``get_ipython()``. So the server imports under
the kernels' environment and path, with ``get_ipython()`` answering a kernel's shell
(:data:`KERNEL_SHELL`), and refuses a kernel whose environment is not its own (that kernel starts
as before). The fork server ends when its build closes its input. A kernel started another way (another
command, or when no server runs) starts as before. POSIX only (``os.fork``); elsewhere nothing changes.

Imports nothing of the package at module level (the server must import only what the notebooks do).
"""
from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
import threading
import time

#: What every kernel imports before its first cell: ipykernel's application.
KERNEL_MODULES = ["ipykernel.kernelapp"]
#: Environment variables a kernel's may differ in from the server's (set for each kernel).
OWN_VARIABLES = {"JPY_PARENT_PID"}
#: The server's answer when a kernel's environment is not its own.
REFUSED = "-"
#: The running fork server of this build process, if any (:func:`start`, :func:`stop`).
server: ForkServer | None = None


def first_cell_imports(nb) -> set[str]:
    """The modules a notebook's first code cell imports (absolute imports only)."""
    code = next((c.source for c in nb.cells if c.cell_type == "code"), "")
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


class ForkServer:
    """The build's side of a fork server: ``fork(args, env, cwd)`` returns the new kernel's pid."""

    def __init__(self, modules: set[str]):
        self.replies, write_end = os.pipe()
        # The kernels' path, as ipykernel_launcher leaves it: not the folder it was started in.
        code = f"import sys; del sys.path[0]; from maskbook.site.kernelfork import serve; serve({write_end})"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            # os.environ, as kernels get it (the C library's environment may hold more: readline's LINES)
            stdin=subprocess.PIPE, pass_fds=[write_end], text=True, env=dict(os.environ))
        os.close(write_end)
        self.reader = os.fdopen(self.replies, encoding="utf-8")
        self.lock = threading.Lock()
        self.send({"modules": sorted(set(KERNEL_MODULES) | modules)})

    def send(self, message: dict) -> None:
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()

    def fork(self, args: list[str], env: dict, cwd: str) -> int | None:
        """The pid of a new kernel, or None (the kernel then starts as usual) when the kernel's
        environment is not the server's or the server has ended."""
        with self.lock:
            try:
                self.send({"args": args, "env": env, "cwd": cwd})
                reply = self.reader.readline().strip()
            except OSError:  # the server has ended: its pipe is closed
                return None
        return int(reply) if reply.isdigit() else None

    def close(self) -> None:
        try:
            self.process.stdin.close()  # the server's end
        except OSError:  # it has ended already
            pass
        self.process.wait()
        self.reader.close()


def start(modules: set[str]) -> None:
    """Start this build's fork server, importing ``modules`` (those it cannot import are left to the kernels)."""
    global server
    if hasattr(os, "fork") and server is None:
        server = ForkServer(modules)


def stop() -> None:
    global server
    if server is not None:
        server.close()
        server = None


def forkable(cmd: list[str]) -> bool:
    """Whether ``cmd`` starts the kernel a fork of this Python would be (``python -m ipykernel_launcher``)."""
    return cmd[:3] == [sys.executable, "-m", "ipykernel_launcher"]


class ForkedProcess:
    """What jupyter_client asks of a kernel's process, for a kernel that is the fork server's child
    (the server reaps it; its exit status is not known here, so it reads 0)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


# --- the fork server ------------------------------------------------------------------------------

def become_kernel(request: dict, replies: int) -> None:
    """In the forked child: become the kernel ``python -m ipykernel_launcher <args>`` would start
    (its own session, the kernel's environment and folder, stdin from /dev/null). Never returns."""
    status = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the kernel waits for its own subprocesses
        os.close(replies)
        os.setsid()
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["JPY_PARENT_PID"] = str(os.getppid())  # as ipykernel read it (serve)
        sys.argv = ["ipykernel_launcher", *request["args"]]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        status = 0
    except BaseException:  # noqa: BLE001 (the kernel's end, whatever it is, ends this process)
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


#: What ``get_ipython()`` answers while the server imports: a stand-in for a kernel's shell, which
#: is what pandas and plotly look for (class name, module, a ``kernel``) to choose, once, on import,
#: their display defaults (pandas' columns, plotly's renderer) as they do in a kernel.
KERNEL_SHELL = type("ZMQInteractiveShell", (), {"__module__": "ipykernel.zmqshell", "kernel": None})


def import_as_in_a_kernel(names: list[str]) -> None:
    """Import ``names`` (those that fail are left to the kernels' cells) as a kernel's cell would,
    with ``get_ipython()`` answering a kernel's shell, and only while they import."""
    import builtins
    import importlib

    import IPython

    original, shell, importing = IPython.get_ipython, KERNEL_SHELL(), [True]

    def get_ipython():  # kept by whatever imported it meanwhile: the real answer once imports are over
        return shell if importing[0] else original()

    builtins.get_ipython = IPython.get_ipython = get_ipython
    try:
        for name in names:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 (not a module, or a failing one: the kernel's cell will say)
                pass
    finally:
        importing[0] = False
        IPython.get_ipython = original
        del builtins.get_ipython


def serve(replies: int) -> None:
    """Import the modules of the first request, then fork a kernel for each later one, until stdin
    closes. Modules read some environment variables when imported (ipykernel its parent's pid):
    a kernel whose environment is not the server's is refused, and starts as usual."""
    # The kernels' configuration leaves out rfc3987_syntax (maskbook/site/jupyter/.../kernel_config.py).
    sys.modules.setdefault("rfc3987_syntax", None)
    os.environ["JPY_PARENT_PID"] = str(os.getpid())  # the kernels' parent
    own = {k: v for k, v in os.environ.items() if k not in OWN_VARIABLES}
    first = json.loads(sys.stdin.readline() or "{}")
    import_as_in_a_kernel(first.get("modules", []))
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the system reaps the kernels
    with os.fdopen(replies, "w", encoding="utf-8") as out:
        for line in sys.stdin:
            request = json.loads(line)
            if {k: v for k, v in request["env"].items() if k not in OWN_VARIABLES} != own:
                out.write(REFUSED + "\n")
                out.flush()
                continue
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                become_kernel(request, replies)
            out.write(f"{pid}\n")
            out.flush()
