"""The kernels that execute the chapters in the build: quiet, and without a shutdown-race traceback.

``maskbook/jupyter/kernels/python3/`` is a Jupyter kernel spec: the ordinary ipykernel command,
plus ``--config`` naming its ``kernel_config.py``. ``maskbook.sphinxext`` puts ``maskbook/jupyter``
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
