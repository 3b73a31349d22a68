"""Two upstream races that print a harmless traceback into the build's log, each dropped precisely.

Everything else those loggers say, errors included, still reaches the log (and the zero-warnings
test). Both races happen while something shuts down, when the message lost had no reader.

1. ipykernel's shutdown race, in the kernels that execute the chapters.

``maskbook/jupyter/kernels/python3/`` is a Jupyter kernel spec: the ordinary ipykernel command,
plus ``--config`` naming its ``kernel_config.py``. ``maskbook.site.sphinxext`` puts ``maskbook/jupyter``
first on ``JUPYTER_PATH`` for the build only, so the chapters' "python3" kernels read that file:
log level ERROR (no "Kernel is running over TCP without encryption" at each start), and
:func:`quiet_shutdown_race`.

The race (ipykernel 7.4.0): the client's shutdown request is handled on the control thread,
which asks the main thread to stop and then, still finishing that request, flushes stdout and
publishes an "idle" status through ``IOPubThread.schedule``. That checks that the IOPub thread is
alive, then sends on the calling thread's event pipe; in between, the main thread may stop the
IOPub thread and close every event pipe. The send then raises ``ZMQError(ENOTSOCK)`` ("Socket
operation on non-socket"), and pyzmq logs "Uncaught exception in ZMQStream callback" with the
traceback on the kernel's stderr, which is the build's. Nothing is lost: the kernel was exiting
and the message had no reader. Upstream fixed the same check-then-send race for the IOPub socket
itself (https://github.com/ipython/ipykernel/pull/1518, in 7.4.0) but not for the event pipe.

2. choreographer's browser goodbye, in the Sphinx process (kaleido draws the charts' SVGs).
When kaleido's Chromium closes at the end of the build it writes ``{bye}``; choreographer 1.4.0
recognises it only when it arrives alone in one read of the pipe. Read together with another
message, it is parsed as JSON and logged as "JSONError decoding message. Ignoring" with a
traceback (no upstream issue found).
"""
from __future__ import annotations

import logging

import zmq

#: What pyzmq logs (on tornado's "tornado.general" logger) when a ZMQStream callback raises.
CALLBACK_ERROR = "Uncaught exception in ZMQStream callback"


def is_shutdown_race(record: logging.LogRecord) -> bool:
    """True for exactly the race's record: the callback error, raised by a send on a closed socket."""
    exc = record.exc_info[1] if record.exc_info else None
    return (record.getMessage() == CALLBACK_ERROR and isinstance(exc, zmq.ZMQError)
            and exc.errno == zmq.ENOTSOCK)


def quiet_shutdown_race() -> None:
    """Drop the race's record from the kernel's log; every other record, errors included, stays."""
    logging.getLogger("tornado.general").addFilter(lambda record: not is_shutdown_race(record))


#: What choreographer logs when a message from the browser is not JSON.
BROWSER_JSON_ERROR = "JSONError decoding message. Ignoring"


def is_browser_goodbye(record: logging.LogRecord) -> bool:
    """True for exactly the goodbye's record: the JSON error on a message that is Chromium's ``{bye}``."""
    exc = record.exc_info[1] if record.exc_info else None
    document = getattr(getattr(exc, "__cause__", None), "doc", "")
    return record.getMessage() == BROWSER_JSON_ERROR and isinstance(document, str) and document.startswith("{bye}")


def quiet_browser_goodbye() -> None:
    """Drop the goodbye's record from choreographer's log; every other record stays.

    The logger is choreographer's own (a logistro logger, with its ``debug2``): it must be created
    by choreographer's import, not by ``logging.getLogger`` before it.
    """
    from maskbook.site import compat  # here, not at the top: the chapters' kernels import this module

    compat.browser_pipe_logger().addFilter(lambda record: not is_browser_goodbye(record))
