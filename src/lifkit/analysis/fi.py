"""Measurements by simulation: f-I curves, subthreshold frequency response, rheobase.

Each measurement is a few vectorised population runs of :func:`lifkit.simulate` (one neuron
per current or per frequency), so it works for any model record ``simulate`` accepts; the
closed forms of :mod:`lifkit.theory` are the independent truth to hold them against.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np

from ..engine.record import Record
from ..engine.simulate import simulate
from ..errors import ParameterError
from ..stimuli import Constant, Sinusoid, Step
from ..stimuli.base import Stimulus, per_neuron
from ..units import current_from, to_base
from .spikes import counts_and_mean_isis


@dataclass(frozen=True, eq=False)
class FICurve:
    """A simulated f-I curve: ``rates[i]`` is the response to the constant ``currents[i]``.

    Attributes:
        currents: injected currents, nA.
        rates: spike count in [start, duration) over its length, Hz.
        isi_rates: 1000 / mean interspike interval in that window, Hz (NaN below 2 spikes);
            for a regular train this is the exact frequency, free of the window's edges.
        start, duration: the counting window, ms.
        model: the simulated parameter record.

    >>> import lifkit as lk
    >>> curve = fi_curve(lk.LIF.preset("orhan"), [10.0, 20.0, 40.0], duration=100)
    >>> curve.rates  # whole spikes in 100 ms, Hz
    array([  0.,  70., 210.])
    >>> curve.isi_rates.round(3)  # = lk.theory.firing_rate: 1000 / (10 ln(I / (I - 15)))
    array([    nan,  72.135, 212.764])
    """

    currents: np.ndarray
    rates: np.ndarray
    isi_rates: np.ndarray
    start: float
    duration: float
    model: Any

    def plot(self, ax: Any = None, *, analytic: bool = True) -> Any:
        """Draw the curve; see :func:`lifkit.plotting.plot_fi_curve`.

        >>> import lifkit as lk
        >>> from matplotlib.figure import Figure
        >>> curve = fi_curve(lk.LIF.preset("orhan"), [10.0, 20.0, 40.0], duration=100)
        >>> ax = curve.plot(Figure().subplots())
        >>> ax.get_xlabel(), [line.get_label() for line in ax.get_lines()]
        ('I (nA)', ['simulation', 'theory'])
        """
        from ..plotting import plot_fi_curve  # matplotlib only when plotting

        return plot_fi_curve(self, ax=ax, analytic=analytic)


def fi_curve(
    model: Any,
    currents: Any,
    *,
    duration: Any,
    dt: Any = 0.1,
    start: Any = 0.0,
    seed: int = 0,
    threads: int | None = None,
) -> FICurve:
    """Firing rate (Hz) against constant current (nA) from ONE population run.

    Neuron i of a population of ``len(currents)`` copies of ``model`` receives the constant
    current ``currents[i]`` from t = 0; its rate is counted in [start, duration) (ms) as
    ``nu = 1000 n / (duration - start)``, and ``isi_rates`` gives ``1000 / mean(ISI)``.
    Set ``start`` past the onset transient for an adapting model.

    currents: nA (numbers or an array; ``"20 mV"``-style drives are divided by R).

    >>> import lifkit as lk
    >>> curve = fi_curve(lk.LIF.preset("neurodynex"), [1.0, 3.0], duration=100)
    >>> curve.isi_rates.round(3)  # no spike below the 2 nA rheobase
    array([    nan, 107.177])
    """
    _single(model)
    values = _currents(model, currents)
    total = float(to_base(duration, "time", "duration"))
    begin = float(to_base(start, "time", "start"))
    if not 0.0 <= begin < total:
        raise ParameterError("start", start, f"must lie in [0, {total:g}) ms")
    result = simulate(
        model,
        Constant(values),
        duration=total,
        dt=dt,
        record=Record(neurons=()),
        seed=seed,
        threads=threads,
    )
    rates, isi_rates = _rates(result, begin, total)
    return FICurve(
        currents=values,
        rates=rates,
        isi_rates=isi_rates,
        start=begin,
        duration=total,
        model=model,
    )


def _rates(result: Any, start: float, stop: float) -> tuple[np.ndarray, np.ndarray]:
    """Each neuron's spike count rate in [start, stop) and its ``1000 / mean(ISI)``, Hz."""
    keep = result.spike_times >= start
    chunk = (result.spike_neurons[keep], result.spike_times[keep])
    counts, mean_isis = counts_and_mean_isis([chunk], result.n_neurons)
    return 1000.0 * counts / (stop - start), 1000.0 / mean_isis


@dataclass(frozen=True, eq=False)
class MeasuredResponse:
    """Subthreshold response measured from simulated sinusoids.

    Attributes:
        frequencies: Hz.
        gain: voltage amplitude per current amplitude, MΩ (mV/nA).
        phase: phase of v relative to I, degrees (negative: the voltage lags).
        amplitude: the current amplitude injected, nA.

    >>> import lifkit as lk
    >>> model = lk.LIF.preset("neurodynex", v_th=100.0)  # no spikes
    >>> response = measure_frequency_response(model, [250.0], 0.1, periods=2, settle=40.0)
    >>> response.frequencies, response.gain.round(2), response.amplitude  # Hz, MΩ, nA
    (array([250.]), array([0.79]), 0.1)
    """

    frequencies: np.ndarray
    gain: np.ndarray
    phase: np.ndarray
    amplitude: float

    def plot(self, axes: Any = None, *, model: Any = None) -> Any:
        """Bode plot; see :func:`lifkit.plotting.plot_frequency_response`.

        >>> import lifkit as lk
        >>> from matplotlib.figure import Figure
        >>> model = lk.LIF.preset("neurodynex", v_th=100.0)
        >>> response = measure_frequency_response(model, [250.0], 0.1, periods=2, settle=40.0)
        >>> ax_gain, ax_phase = response.plot(Figure().subplots(2, 1), model=model)
        >>> ax_gain.get_ylabel(), ax_phase.get_xlabel()
        ('gain (MΩ = mV/nA)', 'frequency (Hz)')
        """
        from ..plotting import plot_frequency_response

        return plot_frequency_response(self, model=model, axes=axes)


def measure_frequency_response(
    model: Any,
    frequencies: Any,
    amplitude: Any,
    *,
    periods: int = 4,
    settle: Any = None,
    dt: Any = 0.1,
    threads: int | None = None,
) -> MeasuredResponse:
    """Gain (MΩ) and phase (degrees) of the membrane fitted to simulated sinusoidal input.

    Neuron j of one population run receives ``amplitude sin(2π f_j t)`` (f in Hz, t in s);
    after ``settle`` ms (default 20 tau_m, so the transient has decayed by e^-20) the
    recorded v over whole periods (at least ``periods`` of the lowest frequency) is fitted
    by least squares to ``c + a sin(ωt) + b cos(ωt)``; then ``gain = sqrt(a² + b²) /
    amplitude`` and ``phase = atan2(b, a)``. Compare with
    :func:`lifkit.theory.subthreshold_response`. The neurons must not spike (raise v_th or
    lower the amplitude); within each step the drive is linear between grid values,
    which lowers the measured gain by ``sinc²(ω dt / 2)`` (0.2% at 250 Hz with dt = 0.1 ms).

    amplitude: nA (or a drive in mV, divided by R).

    >>> import lifkit as lk
    >>> model = lk.LIF.preset("neurodynex", v_th=100.0)
    >>> response = measure_frequency_response(model, [250.0], 0.1, periods=2, settle=40.0)
    >>> response.gain.round(3), response.phase.round(1)  # theory: 0.7933 MΩ, -85.45°
    (array([0.792]), array([-85.4]))
    """
    _single(model)
    freqs = per_neuron(frequencies, "frequencies", dimension="frequency")
    if np.any(freqs <= 0):
        raise ParameterError("frequencies", frequencies, "must be > 0 Hz")
    amp = float(np.ravel(current_from(amplitude, np.ravel(model.R)[0], "amplitude"))[0])
    if not amp > 0:
        raise ParameterError("amplitude", amplitude, "must be a positive current")
    if isinstance(periods, bool) or not isinstance(periods, int) or periods < 1:
        raise ParameterError("periods", periods, "must be a whole number >= 1")
    tau = float(np.max(getattr(model, "tau_m", 10.0)))
    begin = 20.0 * tau if settle is None else float(to_base(settle, "time", "settle"))
    step = float(to_base(dt, "time", "dt"))
    n_steps = int(np.ceil((begin + periods * 1000.0 / freqs.min()) / step))
    n = freqs.size
    stimulus: Stimulus = Sinusoid(amp * np.eye(n)[0], frequency=freqs[0])
    for j in range(1, n):
        stimulus = stimulus + Sinusoid(amp * np.eye(n)[j], frequency=freqs[j])
    result = simulate(
        model,
        stimulus,
        duration=n_steps * step,
        dt=step,
        record=Record(neurons="all", variables=("v",)),
        seed=0,
        threads=threads,
    )
    if result.spike_times.size:
        raise ParameterError(
            "amplitude", amplitude, "made the neuron spike; lower it or raise v_th"
        )
    voltage = cast(np.ndarray, result.v)  # recorded: Record(variables=("v",))
    gain, phase = np.empty(n), np.empty(n)
    for j, f in enumerate(freqs):
        omega = 2e-3 * np.pi * f  # rad/ms
        whole = np.floor((result.t[-1] - begin) * f / 1000.0) * 1000.0 / f
        keep = result.t >= result.t[-1] - whole - 1e-9
        t, v = result.t[keep], voltage[keep, j]
        basis = np.column_stack([np.ones_like(t), np.sin(omega * t), np.cos(omega * t)])
        (_, a, b), *_ = np.linalg.lstsq(basis, v, rcond=None)
        gain[j] = np.hypot(a, b) / amp
        phase[j] = np.degrees(np.arctan2(b, a))
    return MeasuredResponse(freqs, gain, phase, amp)


def rheobase_by_bisection(
    model: Any,
    *,
    tol: float = 1e-6,
    duration: Any = 500.0,
    dt: Any = 0.1,
    start: Any = 0.0,
    bracket: tuple[float, float] | None = None,
    n_parallel: int = 32,
    threads: int | None = None,
) -> float:
    """The smallest step current (nA) that makes ``model`` spike within ``duration`` ms.

    Spike/no-spike bisection on simulations, ``n_parallel`` currents per population run
    (each run shrinks the bracket ``n_parallel + 1``-fold), until the bracket is narrower
    than ``tol`` nA; returns its upper end, a current that spiked. The step starts at
    ``start`` ms. ``bracket`` (nA) defaults to one run over 1e-4 ... 1e4 nA. For a LIF the
    answer exceeds :func:`lifkit.theory.rheobase` only by what a finite duration needs,
    ``(v_th - v_rest) e^{-T/tau_m} / (R (1 - e^{-T/tau_m}))`` with T = duration - start
    (from v_init = v_rest).

    >>> import lifkit as lk
    >>> round(rheobase_by_bisection(lk.LIF.preset("neurodynex"), tol=1e-4), 3)  # theory 2 nA
    2.0
    """
    _single(model)
    if isinstance(n_parallel, bool) or not isinstance(n_parallel, int) or n_parallel < 1:
        raise ParameterError("n_parallel", n_parallel, "must be a whole number >= 1")
    if not tol > 0:
        raise ParameterError("tol", tol, "must be a positive current in nA")

    def spikes(currents: np.ndarray) -> np.ndarray:
        result = simulate(
            model,
            Step(currents, start=start),
            duration=duration,
            dt=dt,
            record=Record(neurons=()),
            seed=0,
            threads=threads,
        )
        return result.counts > 0

    if bracket is None:
        trial = np.logspace(-4, 4, 33)
        fired = spikes(trial)
        if not fired.any():
            raise ParameterError("bracket", None, "no current up to 1e4 nA spiked; give one")
        first = int(np.argmax(fired))
        low, high = (0.0 if first == 0 else trial[first - 1]), trial[first]
    else:
        low, high = (float(b) for b in bracket)
        if not 0 <= low < high:
            raise ParameterError("bracket", bracket, "must be (low, high) with 0 <= low < high")
        fired = spikes(np.array([low, high]))
        if fired[0] or not fired[1]:
            raise ParameterError("bracket", bracket, "low must stay silent and high must spike")
    while high - low > tol:
        trial = low + (high - low) * np.arange(1, n_parallel + 1) / (n_parallel + 1)
        fired = spikes(trial)
        if fired.any():
            high = float(trial[fired].min())
        silent = trial[~fired & (trial < high)]
        if silent.size:
            low = float(silent.max())
    return float(high)


def _single(model: Any) -> None:
    if getattr(model, "n_neurons", 1) != 1:
        raise ParameterError(
            "model",
            f"<{model.n_neurons} neurons>",
            "must describe one neuron; the measurement makes its own population",
        )


def _currents(model: Any, currents: Any) -> np.ndarray:
    if isinstance(currents, str):
        raise ParameterError("currents", currents, "give an array of currents, e.g. [0.5, 1.0]")
    raw = np.atleast_1d(np.asarray(currents))
    if raw.dtype.kind in "US":
        values = np.array([current_from(c, np.ravel(model.R)[0], "currents") for c in raw])
    else:
        values = per_neuron(currents, "currents")
    return np.ascontiguousarray(values, dtype=np.float64)
