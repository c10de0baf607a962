"""The one exception of the command line itself (bad arguments, an unusable --out)."""


class CommandError(Exception):
    """Bad command-line input; ``main`` prints it as one ``lifkit: error:`` line, exit 2."""
