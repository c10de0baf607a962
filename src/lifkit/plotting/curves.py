"""Response curves: f-I curves and Bode plots, simulation beside theory."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._style import MARKERS, REFERENCE, THEORY, finish, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def plot_fi_curve(
    curve: Any,
    ax: Axes | None = None,
    *,
    model: Any = None,
    analytic: bool = True,
    label: str = "simulation",
    color: str = "C0",
    theory_label: str = "theory",
    theory_ls: str = "-",
) -> Axes:
    """Firing rate (Hz) against current (nA): simulated points, analytic line, 1/t_ref ceiling.

    curve: a :class:`lifkit.analysis.FICurve` or a pair (currents in nA, rates in Hz).
    model: the LIF record for the overlay ``f = 1000 / (t_ref + tau_m ln((R I + v_rest -
    v_reset) / (R I + v_rest - v_th)))`` (default: the curve's model); drawn for LIF
    records only. The refractory ceiling 1000/t_ref Hz is a dashed line; when it lies far
    above the curve it is left off the axes and the legend says so. ``label``, ``color``:
    the points' legend entry and colour; ``theory_label``, ``theory_ls``: the analytic
    line's legend entry and line style (draw two curves on one axes, e.g. with and without
    a refractory period, by calling twice). Never calls ``show()``.

    >>> import lifkit as lk
    >>> from lifkit.analysis import fi_curve
    >>> from matplotlib.figure import Figure
    >>> curve = fi_curve(lk.LIF.preset("neurodynex"), [1.0, 2.5, 4.0], duration=50)
    >>> ax = plot_fi_curve(curve, Figure().subplots())
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('I (nA)', 'rate (Hz)')
    >>> ax = plot_fi_curve(curve, ax, label="t_ref = 2 ms", theory_label="eq. 6", theory_ls="--")
    >>> [line.get_linestyle() for line in ax.get_lines() if line.get_label() == "eq. 6"]
    ['--']
    """
    from ..models import LIF
    from ..theory import firing_rate

    if isinstance(curve, tuple):
        currents, rates = (np.asarray(x, dtype=float) for x in curve)
    else:
        currents, rates = curve.currents, curve.rates
        model = curve.model if model is None else model
    ax = new_axes() if ax is None else ax
    ax.plot(currents, rates, color=color, label=label, **MARKERS)
    top = float(np.nanmax(rates, initial=0.0))
    if analytic and isinstance(model, LIF):
        dense = _dense(currents, model.rheobase_current())
        theory = firing_rate(model, dense)
        ax.plot(dense, theory, label=theory_label, **{**THEORY, "ls": theory_ls})
        top = max(top, float(np.max(theory)))
    t_ref = float(np.ravel(getattr(model, "t_ref", 0.0))[0]) if model is not None else 0.0
    if t_ref > 0:
        ceiling = 1000.0 / t_ref
        off_scale = ceiling > 2.0 * max(top, 1.0)
        label_ceiling = f"1/t_ref = {ceiling:.4g} Hz" + " (above the axes)" * off_scale
        ax.axhline(ceiling, label=label_ceiling, **REFERENCE)
        if off_scale:
            ax.set_ylim(0.0, 1.08 * max(top, 1.0))
    ax.set_ylim(bottom=0.0)
    low, high = float(np.min(currents)), float(np.max(currents))
    pad = 0.02 * (high - low)  # keeps the end points whole
    ax.set_xlim(low - pad, high + pad)
    ax.set_xlabel("I (nA)")
    ax.set_ylabel("rate (Hz)")
    finish(ax, legend=True)
    return ax


def plot_frequency_response(
    response: Any = None,
    *,
    model: Any = None,
    frequencies: Any = None,
    axes: Any = None,
    color: str = "C0",
) -> tuple[Axes, Axes]:
    """Bode plot of the subthreshold membrane: gain (MΩ) above phase (degrees), log f (Hz).

    response: a :class:`lifkit.analysis.MeasuredResponse` (drawn as points) or None.
    model: a LIF record whose analytic low-pass ``gain = R / sqrt(1 + (ω tau_m)²)``,
    ``phase = -atan(ω tau_m)`` is drawn as a line over the measured range, or over
    ``frequencies`` (Hz). axes: a pair (gain axes, phase axes); None makes a figure.
    Returns (ax_gain, ax_phase); never calls ``show()``.

    >>> import lifkit as lk
    >>> from matplotlib.figure import Figure
    >>> ax_gain, ax_phase = plot_frequency_response(
    ...     model=lk.LIF.preset("neurodynex"), frequencies=[1.0, 1000.0],
    ...     axes=Figure().subplots(2, 1))
    >>> ax_gain.get_ylabel(), ax_phase.get_ylabel(), ax_phase.get_xlabel()
    ('gain (MΩ = mV/nA)', 'phase (degrees)', 'frequency (Hz)')
    >>> bool(ax_gain.get_ylim()[1] > 10.0)  # R = 10 MΩ at 0 Hz, with headroom
    True
    """
    from matplotlib.ticker import FuncFormatter, LogLocator

    from ..theory import subthreshold_response

    if response is None and (model is None or frequencies is None):
        from ..errors import ParameterError

        raise ParameterError(
            "response", None, "give a measured response, or model= and frequencies="
        )
    ax_gain, ax_phase = new_axes(2, sharex=True) if axes is None else axes
    if model is not None:
        span = response.frequencies if frequencies is None else np.asarray(frequencies, float)
        dense = np.geomspace(np.min(span), np.max(span), 200)
        theory = subthreshold_response(model, dense)
        ax_gain.plot(dense, theory.gain, label="theory", **THEORY)
        ax_phase.plot(dense, theory.phase, **THEORY)
        tau = float(np.ravel(model.tau_m)[0])
        corner = 1000.0 / (2.0 * np.pi * tau)
        if dense[0] <= corner <= dense[-1]:
            for ax in (ax_gain, ax_phase):
                ax.axvline(corner, **REFERENCE)
            ax_gain.plot([], [], label=f"corner 1/(2π tau_m) = {corner:.3g} Hz", **REFERENCE)
    if response is not None:
        ax_gain.plot(
            response.frequencies, response.gain, color=color, label="simulation", **MARKERS
        )
        ax_phase.plot(response.frequencies, response.phase, color=color, **MARKERS)
    ax_gain.set_xscale("log")
    gains = [np.asarray(line.get_ydata(), dtype=float) for line in ax_gain.get_lines()]
    top = max((float(np.nanmax(g)) for g in gains if g.size), default=1.0)
    ax_gain.set_ylim(0.0, 1.08 * top)  # headroom: points at the top stay whole
    ax_phase.set_ylim(-95.0, 5.0)
    ax_phase.set_yticks([-90, -60, -30, 0])
    ax_gain.set_ylabel("gain (MΩ = mV/nA)")
    ax_phase.set_ylabel("phase (degrees)")
    ax_phase.set_xlabel("frequency (Hz)")
    ax_phase.set_xscale("log")
    # plain numbers at 1, 2, 5 x 10^k: a sweep within one decade still gets ticks
    ax_phase.xaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    ax_phase.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))
    finish(ax_gain, legend=True)
    finish(ax_phase)
    return ax_gain, ax_phase


def _dense(currents: np.ndarray, rheobase: Any) -> np.ndarray:
    """A fine current grid over the curve's range, refined towards the rheobase, where the
    rate leaves zero with infinite slope (f ~ 1 / ln(1 / (I - I_rh)))."""
    low, high = float(np.min(currents)), float(np.max(currents))
    dense = np.linspace(low, high, 400)
    kink = float(np.ravel(rheobase)[0])
    if low < kink < high:
        near = kink + (high - kink) * np.geomspace(1e-12, 1e-2, 60)
        dense = np.concatenate([dense, [kink], near])
    return np.unique(dense)
