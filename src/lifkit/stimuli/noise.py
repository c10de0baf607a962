"""Random currents: Gaussian white noise and a per-interval sampled Gaussian current."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ParameterError
from ..units import to_base
from .base import Stimulus, Term, TimeGrid, _short, amplitude, as_current
from .waveforms import Constant


class WhiteNoise(Stimulus):
    """Gaussian white noise with dt-independent membrane statistics.

    In the convention of Brunel (2000), the membrane obeys
    ``tau_m dv/dt = -(v - v_rest) + R*mean + sigma_v sqrt(tau_m) xi(t)`` with xi unit
    white noise, so a free membrane fluctuates with standard deviation sigma_v/sqrt(2).
    ``sigma`` given as a voltage is sigma_v itself; given as a current (nA) it is
    sigma_v / R. The run integrates this Ornstein-Uhlenbeck process exactly and draws
    its numbers from a counter-based generator keyed by (seed, neuron, step).

    >>> noise = WhiteNoise("4 mV", mean="0.2 nA")
    >>> noise.evaluate([0.0, 1.0]).tolist()  # only the mean has a pointwise value
    [0.2, 0.2]
    """

    def __init__(self, sigma: Any, *, mean: Any = 0.0) -> None:
        self.sigma, self.drive = amplitude(sigma, "sigma")
        if np.any(self.sigma < 0):
            raise ParameterError("sigma", sigma, "must be >= 0")
        self.mean = Constant(mean)
        self.n_neurons = max(self.sigma.size, self.mean.n_neurons)

    def lower(self, grid: TimeGrid) -> list[Term]:
        """A "noise" term whose gain is sigma, then the mean's constant term.

        >>> [t.kind for t in WhiteNoise("4 mV", mean=0.2).lower(TimeGrid(dt=0.1, n_steps=4))]
        ['noise', 'constant']
        """
        return [Term("noise", self.sigma, self.drive), *self.mean.lower(grid)]

    def _evaluate_current(self, t: np.ndarray, R: Any) -> np.ndarray:
        return self.mean._evaluate_current(t, R)

    def __repr__(self) -> str:
        return f"WhiteNoise({_short(self.sigma)}, mean={_short(self.mean.amplitude)})"


class GaussianSteps(Stimulus):
    """A current drawn afresh from N(mean, std²) every ``interval`` ms and held in between.

    This is the Orhan note's Figure 2 input (a TimedArray of Gaussian values, one per
    0.1 ms step), not white noise: its effect on the membrane depends on ``interval``.
    ``interval=None`` draws once per simulation step. Values come from
    ``numpy.random.default_rng(seed)``, so the same seed gives the same current.

    >>> steps = GaussianSteps("15 mV", "5 mV", interval=0.1, seed=1)
    >>> steps.sample(3).round(3).tolist()
    [16.728, 19.108, 16.652]
    """

    def __init__(self, mean: Any, std: Any, *, interval: Any = None, seed: int = 0) -> None:
        mean_value, self.drive = amplitude(mean, "mean")
        std_value, std_drive = amplitude(std, "std")
        if mean_value.size != 1 or std_value.size != 1:
            raise ParameterError("mean", mean, "must be a scalar; the current is shared")
        if std_drive != self.drive:
            raise ParameterError("std", std, "must have the same dimension as mean")
        if std_value[0] < 0:
            raise ParameterError("std", std, "must be >= 0")
        self.mean, self.std = float(mean_value[0]), float(std_value[0])
        self.interval = None if interval is None else _positive_time(interval, "interval")
        self.seed = _seed(seed)

    def sample(self, n_samples: int) -> np.ndarray:
        """The first ``n_samples`` held values, in the unit of ``mean`` (nA or mV).

        >>> GaussianSteps(1.0, 0.0).sample(2)  # std 0: every value is the mean (nA)
        array([1., 1.])
        """
        rng = np.random.default_rng(self.seed)
        return self.mean + self.std * rng.standard_normal(n_samples)

    def lower(self, grid: TimeGrid) -> list[Term]:
        """A "wave" term holding each sample for ``interval`` ms of ``grid``.

        >>> steps = GaussianSteps("15 mV", "5 mV", interval=0.2, seed=1)
        >>> (term,) = steps.lower(TimeGrid(dt=0.1, n_steps=4))
        >>> term.start.round(3).tolist()  # sample(2), each held for two steps
        [16.728, 16.728, 19.108, 19.108]
        """
        per_sample = 1 if self.interval is None else steps_per_sample(self.interval, grid)
        n_samples = -(-grid.n_steps // per_sample)
        values = np.repeat(self.sample(n_samples), per_sample)[: grid.n_steps]
        return [Term("wave", np.ones(1), self.drive, values, values)]

    def _evaluate_current(self, t: np.ndarray, R: Any) -> np.ndarray:
        if self.interval is None:
            raise ParameterError(
                "interval", None, "is the run's dt; give an interval to evaluate outside a run"
            )
        index = np.floor(t / self.interval + 1e-9).astype(np.int64)
        values = self.sample(int(index.max()) + 1)[index]
        return as_current(values, self.drive, R, "mean")[:, None]

    def __repr__(self) -> str:
        interval = "dt" if self.interval is None else f"{self.interval:g}"
        return f"GaussianSteps({self.mean:g}, {self.std:g}, interval={interval}, seed={self.seed})"


def steps_per_sample(interval: float, grid: TimeGrid) -> int:
    """How many steps of ``grid`` one sample of ``interval`` ms spans (must be whole).

    >>> steps_per_sample(0.5, TimeGrid(dt=0.1, n_steps=10))
    5
    """
    ratio = interval / grid.dt
    whole = round(ratio)
    if whole < 1 or abs(ratio - whole) > 1e-9 * ratio:
        raise ParameterError(
            "interval", interval, f"must be a whole multiple of dt = {grid.dt:g} ms"
        )
    return whole


def _positive_time(value: Any, name: str) -> float:
    number = float(to_base(value, "time", name))
    if not (np.isfinite(number) and number > 0):
        raise ParameterError(name, value, "must be a finite time > 0 ms")
    return number


def _seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError("seed", seed, "must be a non-negative integer")
    return int(seed)
