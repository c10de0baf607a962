"""Progress bars and Ctrl-C between the chunks of a run or a sweep.

Apart from the CLI, the only thing lifkit ever writes is a progress bar on stderr:

- ``progress=True``: always, from the first chunk;
- ``progress=None`` (the default): only when stderr is a terminal, and only once the run
  has lasted :data:`AUTO_DELAY` seconds, so short runs, notebooks' logs, pipes and CI
  logs stay clean;
- ``progress=False``: never;
- a callable: ``progress(done, total)`` after every chunk instead of a bar (``done`` and
  ``total`` in steps for :func:`lifkit.simulate`, in grid points for :func:`lifkit.sweep`).

While a run is going, the first Ctrl-C only asks it to stop: the chunk in progress
finishes and the run raises :class:`lifkit.Interrupted` carrying what was completed.
A second Ctrl-C interrupts at once, as usual (nothing is kept).
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TextIO

from ..errors import ParameterError

#: Seconds a run must last before ``progress=None`` draws a bar on a terminal.
AUTO_DELAY = 1.0
_WIDTH = 30


class ProgressBar:
    """A one-line bar ``label [####......]  40%  2.1 s, ~3.2 s left`` on ``stream``.

    >>> import io
    >>> stream = io.StringIO()
    >>> bar = ProgressBar(4, "run", stream=stream)
    >>> bar.update(2); bar.close()
    >>> stream.getvalue().split("%")[0]
    '\\rrun [###############...............]  50'
    """

    def __init__(self, total: int, label: str, *, delay: float = 0.0, stream: TextIO | None = None):
        self.total, self.label, self.delay = max(int(total), 1), label, delay
        self.stream = sys.stderr if stream is None else stream
        self.start = time.monotonic()
        self.drawn = False

    def update(self, done: int) -> None:
        """Show ``done`` of ``total`` (drawn only after ``delay`` seconds)."""
        elapsed = time.monotonic() - self.start
        if elapsed < self.delay:
            return
        fraction = min(max(done / self.total, 0.0), 1.0)
        filled = round(_WIDTH * fraction)
        left = f", ~{elapsed * (1 - fraction) / fraction:.1f} s left" if 0 < fraction < 1 else ""
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (_WIDTH - filled)}] "
            f"{100 * fraction:3.0f}%  {elapsed:.1f} s{left}   "
        )
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """End the bar's line (if it was drawn)."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


@contextmanager
def progress_reporter(progress: Any, total: int, label: str) -> Iterator[Callable[[int], None]]:
    """Yield ``report(done)`` for a job of ``total`` units, as ``progress`` asks (see above).

    >>> with progress_reporter(lambda done, total: print(f"{done}/{total}"), 3, "run") as report:
    ...     report(3)
    3/3
    >>> with progress_reporter(None, 3, "run") as report:  # not a terminal: silent
    ...     report(3)
    """
    check_progress(progress)
    if progress is None or isinstance(progress, bool):
        auto = progress is None and _is_terminal(sys.stderr)
        if not (progress or auto):
            yield _ignore
            return
        bar = ProgressBar(total, label, delay=AUTO_DELAY if progress is None else 0.0)
        try:
            yield bar.update
        finally:
            bar.close()
    else:
        yield lambda done: progress(done, total)


def check_progress(progress: Any) -> None:
    """Refuse a ``progress`` that is not True, False, None or a callable."""
    if not (progress is None or isinstance(progress, bool) or callable(progress)):
        raise ParameterError(
            "progress", progress, "give True, False, None (a bar on a terminal) or a callable"
        )


@dataclass
class StopRequest:
    """Set by the first Ctrl-C while :func:`stop_between_chunks` is active."""

    requested: bool = False


@contextmanager
def stop_between_chunks() -> Iterator[StopRequest]:
    """Turn the first Ctrl-C (SIGINT) into ``stop.requested = True``; the caller checks it
    between chunks. The previous handler comes back at once, so a second Ctrl-C
    interrupts as usual. It does nothing outside the main thread (where signals never
    arrive) or where SIGINT is ignored, as in a background job of a script or under
    nohup: a Ctrl-C meant for the foreground must not stop that run.

    >>> with stop_between_chunks() as stop:
    ...     stop.requested
    False
    """
    stop = StopRequest()
    # None: not the main thread, or a handler installed outside Python.
    previous = (
        signal.getsignal(signal.SIGINT)
        if threading.current_thread() is threading.main_thread()
        else None
    )
    if previous is None or previous == signal.SIG_IGN:
        yield stop
        return

    def request_stop(signum: int, frame: Any) -> None:
        stop.requested = True
        signal.signal(signal.SIGINT, previous)

    signal.signal(signal.SIGINT, request_stop)
    try:
        yield stop
    finally:
        if signal.getsignal(signal.SIGINT) is request_stop:
            signal.signal(signal.SIGINT, previous)


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def _ignore(done: int) -> None:
    pass
