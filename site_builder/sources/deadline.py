"""Work done in a helper process under a deadline, for a thread that no signal can interrupt.

SIGALRM interrupts only the main thread, and the dev server builds in a thread of its own: there, a
Markdown render that Python-Markdown would take minutes over is sent to a helper process, which is
killed when the deadline passes (and started again for the next call).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
from collections.abc import Callable
from typing import Any

from site_builder.process import die_with_parent

STARTUP_SECONDS = 120  # a helper importing its libraries on a loaded machine; never counted in a deadline


class DeadlinePassed(Exception):
    """The helper did not answer within the deadline (it has been killed)."""


class HelperProcess:
    """One helper process calling ``make()(argument)`` for each argument sent, one at a time.

    *make* (picklable: a module-level function or a partial of one) is called once in the helper. The
    helper dies with this process: its pipe closes at exit, and a parent-death signal covers SIGKILL.
    """

    def __init__(self, make: Callable[[], Callable[[Any], Any]], name: str) -> None:
        self.make, self.name = make, name
        self._process: Any = None
        self._connection: Any = None
        self._lock = threading.Lock()  # one call at a time on the pipe

    def call(self, argument: Any, seconds: float) -> Any:
        """The helper's result for *argument*, or DeadlinePassed after *seconds*; its exceptions are
        raised here."""
        with self._lock:
            connection = self._start()
            connection.send(argument)
            if not connection.poll(seconds):
                self._stop()
                raise DeadlinePassed(f"no answer within {seconds:g} s")
            try:
                done, value = connection.recv()
            except (EOFError, OSError):
                self._stop()
                raise RuntimeError(f"the {self.name} helper process died") from None
        if not done:
            raise value
        return value

    def _start(self) -> Any:
        if self._process is None or not self._process.is_alive():
            self._stop()
            context = multiprocessing.get_context("forkserver")  # forking a threaded process can deadlock
            ours, theirs = context.Pipe()
            self._process = context.Process(
                target=_serve, args=(theirs, self.make), daemon=True, name=self.name
            )
            self._process.start()
            theirs.close()
            self._connection = ours
            if not ours.poll(STARTUP_SECONDS) or ours.recv() != "ready":  # its start is not the call's time
                self._stop()
                raise RuntimeError(f"the {self.name} helper process did not start")
        return self._connection

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join()
            self._connection.close()
        self._process = self._connection = None

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self._stop()


def _serve(connection: Any, make: Callable[[], Callable[[Any], Any]]) -> None:
    """The helper process: answer each argument received, until the pipe closes."""
    die_with_parent()
    function = make()
    connection.send("ready")
    while True:
        try:
            argument = connection.recv()
        except (EOFError, OSError):
            return
        try:
            connection.send((True, function(argument)))
        except Exception as error:  # noqa: BLE001 - handed to the caller, as if raised there
            connection.send((False, error))
