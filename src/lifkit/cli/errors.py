"""The one exception of the command line itself (bad arguments, an unusable --out)."""


class CommandError(Exception):
    """Bad command-line input; ``main`` prints it as one ``lifkit: error:`` line, exit 2.

    >>> from lifkit.cli.defaults import format_defaults
    >>> format_defaults("hh")
    Traceback (most recent call last):
    ...
    lifkit.cli.errors.CommandError: unknown model 'hh'; choose one of LIF, AdaptiveLIF, AdEx
    """
