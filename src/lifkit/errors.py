"""The exception types lifkit raises for bad input.

Every message names the offending parameter, the value received and the fix.
Both types derive from :class:`ValueError`, so generic handlers keep working.
"""

from __future__ import annotations


class LifkitError(ValueError):
    """Base class for every user-facing lifkit error."""


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
    """An experiment file is malformed; the message names the file and key."""


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
