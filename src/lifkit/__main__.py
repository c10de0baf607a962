"""``python -m lifkit``: the ``lifkit`` command."""

from lifkit.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
