"""What :func:`lifkit.sweep` returns: the grid's axes and every point's spikes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ParameterError


@dataclass(frozen=True, eq=False)
class SweepResult:
    """The outcome of a sweep. Times in ms, rates in Hz, v in mV, I and w in nA.

    Attributes:
        axes: the values of each grid axis (base units; ``units`` names them), in order.
        units: the unit of each axis ("" for numbers handed to a stimulus function).
        spike_points, spike_times: every spike as (grid point, time), sorted by time then
            point; a grid point is the flat C-order index into ``shape``.
        done: per grid point, whether it ran (all True unless Ctrl-C stopped the sweep).
        t, v, I, w, recorded: traces as in :class:`lifkit.Result`, columns for the grid
            points in ``recorded`` (None when not recorded).
        duration, dt, seed: the run's description; every point ran for ``duration`` ms.

    >>> import lifkit as lk
    >>> result = lk.sweep(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
    ...                   {"amplitude": [10, 20, 40]}, duration=50)
    >>> result.rates.tolist(), result.units
    ([0.0, 60.0, 200.0], {'amplitude': 'mV'})
    >>> result.points()["spike_count"].tolist(), result.complete
    ([0, 3, 10], True)
    """

    axes: Mapping[str, np.ndarray]
    units: Mapping[str, str]
    spike_points: np.ndarray
    spike_times: np.ndarray
    done: np.ndarray
    t: np.ndarray
    v: np.ndarray | None
    I: np.ndarray | None  # noqa: E741 - the field's symbol for current
    w: np.ndarray | None
    recorded: np.ndarray
    duration: float
    dt: float
    seed: int

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of values of each axis.

        >>> import lifkit as lk
        >>> result = lk.sweep(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
        ...                   {"tau_m": [5, 10], "amplitude": [20, 40]}, duration=50)
        >>> result.shape  # tau_m, amplitude
        (2, 2)
        """
        return tuple(values.size for values in self.axes.values())

    @property
    def n_points(self) -> int:
        """Number of grid points.

        >>> import lifkit as lk
        >>> result = lk.sweep(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
        ...                   {"tau_m": [5, 10], "amplitude": [20, 40]}, duration=50)
        >>> result.n_points
        4
        """
        return int(np.prod(self.shape))

    @property
    def complete(self) -> bool:
        """Whether every grid point ran.

        >>> import lifkit as lk
        >>> result = lk.sweep(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
        ...                   {"tau_m": [5, 10], "amplitude": [20, 40]}, duration=50)
        >>> result.complete  # False only after Ctrl-C (lifkit.Interrupted)
        True
        """
        return bool(self.done.all())

    @property
    def counts(self) -> np.ndarray:
        """Spike count of each grid point, shape ``shape``; -1 where the point did not run.

        >>> import lifkit as lk
        >>> result = lk.sweep(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
        ...                   {"tau_m": [5, 10], "amplitude": [20, 40]}, duration=50)
        >>> result.counts  # rows tau_m = 5, 10 ms; columns 20, 40 mV
        array([[ 7, 21],
               [ 3, 10]])
        """
        counts = np.bincount(self.spike_points, minlength=self.n_points).reshape(self.shape)
        return np.where(self.done, counts, -1)

    @property
    def rates(self) -> np.ndarray:
        """Mean firing rate (Hz) of each grid point, shape ``shape``; NaN where not run.

        >>> import lifkit as lk
        >>> result = lk.sweep(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
        ...                   {"tau_m": [5, 10], "amplitude": [20, 40]}, duration=50)
        >>> result.rates  # Hz; 3 spikes in 50 ms at tau_m = 10 ms, 20 mV
        array([[140., 420.],
               [ 60., 200.]])
        """
        return np.where(self.done, self.counts / (self.duration * 1e-3), np.nan)

    def point(self, *index: int) -> int:
        """The flat grid point of an axis index (one int per axis), or of a flat index.

        >>> import lifkit as lk
        >>> result = lk.sweep(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
        ...                   {"tau_m": [5, 10], "amplitude": [20, 40]}, duration=50)
        >>> result.point(1, 0), result.point(3)  # (tau_m = 10 ms, 20 mV); flat 3 itself
        (2, 3)
        """
        if len(index) == 1 and len(self.shape) != 1:
            flat = index[0]
        else:
            if len(index) != len(self.shape):
                raise ParameterError("index", index, f"give one index per axis {list(self.axes)}")
            try:
                flat = int(np.ravel_multi_index(index, self.shape))
            except ValueError:
                raise ParameterError("index", index, f"must lie within {self.shape}") from None
        if not 0 <= flat < self.n_points:
            raise ParameterError("index", index, f"must lie in [0, {self.n_points})")
        return int(flat)

    def coordinates(self, *index: int) -> dict[str, float]:
        """The axis values of a grid point (axis indices or a flat index).

        >>> import lifkit as lk
        >>> result = lk.sweep(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
        ...                   {"tau_m": [5, 10], "amplitude": [20, 40]}, duration=50)
        >>> result.coordinates(1, 0)  # ms, mV
        {'tau_m': 10.0, 'amplitude': 20.0}
        """
        position = np.unravel_index(self.point(*index), self.shape)
        return {k: float(v[i]) for (k, v), i in zip(self.axes.items(), position, strict=True)}

    def spike_train(self, *index: int) -> np.ndarray:
        """Spike times (ms) of one grid point (axis indices or a flat index), ascending.

        >>> import lifkit as lk
        >>> result = lk.sweep(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
        ...                   {"tau_m": [5, 10], "amplitude": [20, 40]}, duration=50)
        >>> result.spike_train(1, 0).round(4)  # tau_m = 10 ms, 20 mV: 10 ln 4 ms apart
        array([13.8629, 27.7259, 41.5888])
        """
        return self.spike_times[self.spike_points == self.point(*index)]

    def trace(self, variable: str, *index: int) -> np.ndarray:
        """The recorded trace of ``variable`` ("v", "I" or "w") of one grid point.

        >>> import lifkit as lk
        >>> result = lk.sweep(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
        ...                   {"amplitude": [20, 40]}, duration=1, record=lk.Record(neurons=[1]))
        >>> result.trace("v", 1)[:3].round(3).tolist()  # mV: 40 (1 - exp(-t / 10 ms))
        [0.0, 0.398, 0.792]
        """
        data = {"v": self.v, "I": self.I, "w": self.w}.get(variable)
        if data is None:
            raise ParameterError("variable", variable, "was not recorded; pass record=")
        columns = np.flatnonzero(self.recorded == self.point(*index))
        if columns.size == 0:
            raise ParameterError("index", index, "was not recorded; pass record=")
        return data[:, columns[0]]

    def points(self) -> dict[str, np.ndarray]:
        """One entry per grid point in flat order: each axis's value, ``spike_count``,
        ``rate_Hz`` and ``done``.

        >>> import lifkit as lk
        >>> result = lk.sweep(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
        ...                   {"tau_m": [5, 10], "amplitude": [20, 40]}, duration=50)
        >>> table = result.points()
        >>> table["tau_m"].tolist(), table["amplitude"].tolist(), table["spike_count"].tolist()
        ([5.0, 5.0, 10.0, 10.0], [20.0, 40.0, 20.0, 40.0], [7, 21, 3, 10])
        """
        table = {
            name: values[index]
            for (name, values), index in zip(
                self.axes.items(), np.indices(self.shape).reshape(len(self.shape), -1), strict=True
            )
        }
        table["spike_count"] = self.counts.ravel()
        table["rate_Hz"] = self.rates.ravel()
        table["done"] = self.done.ravel()
        return table

    def to_pandas(self) -> Any:
        """:meth:`points` as a pandas DataFrame, one row per grid point (needs pandas).

        >>> import lifkit as lk
        >>> result = lk.sweep(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
        ...                   {"tau_m": [5, 10], "amplitude": [20, 40]}, duration=50)
        >>> frame = result.to_pandas()
        >>> frame.columns.tolist(), frame.rate_Hz.tolist()
        (['tau_m', 'amplitude', 'spike_count', 'rate_Hz', 'done'], [140.0, 420.0, 60.0, 200.0])
        """
        try:
            import pandas as pd
        except ImportError as err:  # pragma: no cover - depends on the environment
            raise ImportError("to_pandas needs pandas: pip install 'lifkit[pandas]'") from err
        return pd.DataFrame(self.points())

    def to_xarray(self) -> Any:
        """An xarray Dataset with the grid axes as coordinates (units in ``attrs``) and
        ``spike_count`` and ``rate_Hz`` as variables (needs xarray).

        >>> import lifkit as lk
        >>> result = lk.sweep(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
        ...                   {"tau_m": [5, 10], "amplitude": [20, 40]}, duration=50)
        >>> dataset = result.to_xarray()
        >>> dataset.rate_Hz.sel(tau_m=10.0, amplitude=40.0).item(), dataset.tau_m.units
        (200.0, 'ms')
        """
        try:
            import xarray as xr
        except ImportError as err:  # pragma: no cover - depends on the environment
            raise ImportError("to_xarray needs xarray: pip install xarray") from err
        dims = list(self.axes)
        coords = {k: (k, v, {"units": self.units[k]}) for k, v in self.axes.items()}
        return xr.Dataset(
            {
                "spike_count": (dims, self.counts),
                "rate_Hz": (dims, self.rates, {"units": "Hz"}),
            },
            coords=coords,
            attrs={"duration_ms": self.duration, "dt_ms": self.dt, "seed": self.seed},
        )
