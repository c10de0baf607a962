"""Sweeps: a grid of parameter or stimulus values as vectorised population runs.

:func:`sweep` turns a grid into one population (one neuron per grid point) run in a few
chunks here, or split into chunks run by Dask distributed with ``workers=`` (a loopback
``LocalCluster``) or ``scheduler=`` (an existing cluster; needs ``pip install
'lifkit[dask]'``). For the same seed the results are bit-identical however it is split.
"""

from .grid import Grid
from .result import SweepResult
from .runner import sweep

__all__ = ["Grid", "SweepResult", "sweep"]
