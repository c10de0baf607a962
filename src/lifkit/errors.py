"""The exception types lifkit raises for bad input.

Every message names the offending parameter, the value received and the fix.
Both types derive from :class:`ValueError`, so generic handlers keep working.
:class:`Interrupted` is no error: it is the Ctrl-C of a run, carrying what was completed.
"""

from __future__ import annotations

from typing import Any


class LifkitError(ValueError):
    """Base class for every user-facing lifkit error.

    >>> issubclass(ParameterError, LifkitError), issubclass(LifkitError, ValueError)
    (True, True)
    """


class ParameterError(LifkitError):
    """A parameter has a bad value, shape or dimension.

    >>> err = ParameterError("tau_m", -1.0, "must be > 0 ms; pass a positive time constant")
    >>> str(err)
    'tau_m = -1.0: must be > 0 ms; pass a positive time constant'
    """

    def __init__(self, name: str, value: object, problem: str) -> None:
        self.name = name
        self.value = value
        super().__init__(f"{name} = {_short(value)}: {problem}")


class ExperimentError(LifkitError):
    """An experiment file is malformed; the message names the file and key.

    >>> raise ExperimentError("fig1.toml:3: [model] unknown key 'tau' (did you mean 'tau_m'?)")
    Traceback (most recent call last):
    ...
    lifkit.errors.ExperimentError: fig1.toml:3: [model] unknown key 'tau' (did you mean 'tau_m'?)
    """


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped a run or a sweep between two chunks.

    ``result`` holds what was completed: a :class:`~lifkit.Result` of the first
    ``result.duration`` ms, or a :class:`~lifkit.SweepResult` of the finished grid points,
    with ``result.complete`` False. As a :class:`KeyboardInterrupt`, left uncaught it ends
    a script like any Ctrl-C; catch it to keep the partial result.

    >>> try:
    ...     raise Interrupted("stopped after 40 of 100 ms", result=None)
    ... except Interrupted as stop:
    ...     print(stop, stop.result)
    stopped after 40 of 100 ms None
    """

    def __init__(self, message: str, result: Any) -> None:
        super().__init__(message)
        self.result: Any = result
