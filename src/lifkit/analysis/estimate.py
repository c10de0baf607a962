"""Estimating LIF parameters from a recorded voltage trace and the injected current.

The exercise "Estimating LIF neuron parameters" of Neuronal Dynamics asks for v_rest,
v_reset, v_th, R, tau_m and t_ref of a hidden neuron from plots. :func:`fit_lif` does it
automatically and exactly, using that between events the membrane obeys

    v(t_k + h) = v_inf + (v(t_k) - v_inf) exp(-h / tau_m),   v_inf = v_rest + R I_k,

with the current ``I_k`` held over each sampling interval (zero-order hold: steps with
edges on the sample grid, as :func:`probe_protocol` makes). The estimate has two stages:

1. **Trajectory fit.** Spikes show as large falls between consecutive samples (and,
   after a first fit, as falls far below the free prediction). The whole trace is then
   one smooth model: the exact solution from ``v_init`` up to the first spike and, after
   spike n, v held at v_reset until a release time ``r_n``, then the exact solution from
   (r_n, v_reset). Least squares over every sample gives v_rest, R, tau_m, v_reset,
   v_init and every r_n, with standard errors from the Jacobian. On a noiseless trace
   the residual vanishes and the values are exact to rounding. A release time falls
   between samples and is still exact: it is where the fitted exponential leaves
   v_reset (t_ref must exceed one sample interval, or no sample shows v_reset).
2. **Threshold and refractory period.** Spike n happened between its last pre-spike
   sample ``t_k`` and ``t_k + dt``, so v_th lies between the fitted trajectory's values
   at those times; intersecting these brackets over all spikes narrows v_th below the
   one-sample resolution. v_th and t_ref also meet in ``r_n = t_s,n(v_th) + t_ref``, where
   the crossing time ``t_s,n`` of the fitted trajectory depends on v_th with slope
   ``tau_m / (v_inf - v_th)``. Under one current all spikes share that slope and only the
   brackets inform v_th; spikes under different currents (the probe's staircase) pin
   v_th and t_ref exactly. The estimate is the mean of the product of the two: a normal
   likelihood from the release times (its width propagated from the fit's covariance)
   and the brackets, each blurred by the trajectory's standard error. Given the true
   spike times (``spike_times=``), v_th is read off the trajectory directly.

Limits: the current must be held between samples; the rise from v_reset to v_th must
take more than one sample interval (else a spike can hide between samples; the default
probe keeps it above 2.5 samples at dt = 0.1 ms for :func:`random_lif` neurons); without
spikes under two currents, v_th and t_ref are known to the brackets' width only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ParameterError
from ..models import LIF
from ..stimuli.base import Stimulus
from ..stimuli.waveforms import Step
from ..units import to_base

#: Length of :func:`probe_protocol` in ms.
PROBE_DURATION = 200.0
#: (start ms, stop ms, fraction of the amplitude) of each step of the probe.
PROBE_STEPS: tuple[tuple[float, float, float], ...] = (
    (10.0, 50.0, -0.2),
    (50.0, 80.0, 0.2),
    (80.0, 110.0, 0.4),
    (110.0, 140.0, 0.6),
    (140.0, 170.0, 0.8),
    (170.0, 200.0, 1.0),
)


def probe_protocol(amplitude: Any = 10.0) -> Stimulus:
    """A 200 ms current protocol that makes every LIF parameter identifiable.

    10 ms at rest (v_rest), 40 ms of a hyperpolarizing step (-0.2 A: an exponential
    relaxation that gives R and tau_m whatever the threshold), then a staircase of five
    30 ms steps at 0.2, 0.4, ..., 1.0 A. Steps above the rheobase fire; their reset
    plateaus give v_reset and the release times, and spikes under two or more different
    currents separate v_th from t_ref (see :mod:`lifkit.analysis.estimate`). Every edge is
    a multiple of 10 ms, so it lies on the grid of any usual dt. Run it for
    :data:`PROBE_DURATION` ms.

    amplitude: the top step A (nA, or a string like "10 nA"); choose it well above the
    largest rheobase you expect (the default 10 nA suits :func:`random_lif` neurons,
    whose rheobase is at most 7 nA).

    >>> probe = probe_protocol(10.0)
    >>> probe.evaluate([0.0, 20.0, 60.0, 199.9]).round(6).tolist()  # nA
    [0.0, -2.0, 2.0, 10.0]
    """
    top = float(np.asarray(to_base(amplitude, "current", "amplitude")))
    if not (np.isfinite(top) and top > 0):
        raise ParameterError("amplitude", amplitude, "must be a finite current > 0 nA")
    steps = [Step(f * top, start=start, stop=stop) for start, stop, f in PROBE_STEPS]
    return sum(steps[1:], steps[0])


@dataclass(frozen=True, eq=False)
class LIFFit:
    """The estimated LIF parameters with their standard uncertainties (1 σ).

    Potentials in mV, R in MΩ, times in ms. ``*_err`` are standard errors propagated
    from the least-squares fit; for v_th they include the spread the spike brackets
    allow, and v_th_bounds is v_th's central 99.8% interval (t_ref_bounds: t_ref at its
    ends). ``v_init`` is the fitted potential at the first sample; ``spike_times`` are
    the inferred threshold crossings (ms, in the time base of ``t``); ``residual_rms`` is
    the rms misfit of the trajectory (mV: the measurement noise). With no spikes in the
    trace v_reset, v_th and t_ref are NaN.

    >>> import lifkit as lk
    >>> run = lk.simulate(lk.LIF.preset("neurodynex"), probe_protocol(), duration=200)
    >>> fit = fit_lif(run.t, run.v[:, 0], run.I[:, 0])
    >>> fit.n_spikes, round(fit.v_th, 9), round(fit.t_ref, 9)
    (29, -50.0, 2.0)
    >>> round(fit.to_model().rheobase_current(), 9)  # nA
    2.0
    """

    v_rest: float
    v_rest_err: float
    R: float
    R_err: float
    tau_m: float
    tau_m_err: float
    v_reset: float
    v_reset_err: float
    v_th: float
    v_th_err: float
    t_ref: float
    t_ref_err: float
    v_init: float
    v_th_bounds: tuple[float, float]
    t_ref_bounds: tuple[float, float]
    spike_times: np.ndarray
    residual_rms: float

    @property
    def n_spikes(self) -> int:
        """Number of spikes found in the trace.

        >>> import lifkit as lk
        >>> run = lk.simulate(lk.LIF.preset("neurodynex"), probe_protocol(), duration=200)
        >>> fit = fit_lif(run.t, run.v[:, 0], run.I[:, 0])
        >>> fit.n_spikes, run.spike_times.size  # every spike of the run is found
        (29, 29)
        """
        return int(self.spike_times.size)

    def to_model(self) -> LIF:
        """The estimate as a :class:`lifkit.LIF` (v_init is the trace's first value).

        >>> import lifkit as lk
        >>> run = lk.simulate(lk.LIF.preset("neurodynex"), probe_protocol(), duration=200)
        >>> fit = fit_lif(run.t, run.v[:, 0], run.I[:, 0])
        >>> model = fit.to_model()
        >>> round(float(model.tau_m), 6), round(float(model.R), 6)  # ms, MΩ
        (8.0, 10.0)
        """
        if self.n_spikes == 0:
            raise ParameterError(
                "trace", "without spikes", "fixes no threshold; record a suprathreshold step"
            )
        return LIF(
            tau_m=self.tau_m,
            R=self.R,
            v_rest=self.v_rest,
            v_reset=self.v_reset,
            v_th=self.v_th,
            t_ref=max(self.t_ref, 0.0),
            v_init=self.v_init,
        )


def fit_lif(
    t: Any,
    v: Any,
    current: Any,
    *,
    dt: float | None = None,
    spike_times: Any = None,
    spike_drop: float | None = None,
) -> LIFFit:
    """Estimate v_rest, v_reset, v_th, R, tau_m and t_ref from a voltage trace.

    t: sample times (ms, evenly spaced); v: membrane potential (mV) at those times;
    current: injected current (nA) at each sample, held until the next one;
    dt: sample interval (ms), inferred from ``t`` when None; spike_times: the spike
    times (ms) if known, which makes v_th exact even under one current; spike_drop: the
    fall between two samples (mV) that marks a spike; None takes half the largest fall,
    at least 2 mV and 11 noise SDs (a second look then adds falls far below the fitted
    free prediction). Returns a :class:`LIFFit`; see the module
    docstring for the method. The trace should contain subthreshold relaxation (for R
    and tau_m) and spikes, ideally under two or more currents: :func:`probe_protocol`.

    >>> import lifkit as lk
    >>> from lifkit.analysis import random_lif
    >>> hidden = random_lif(3)
    >>> run = lk.simulate(hidden, probe_protocol(), duration=PROBE_DURATION, dt=0.1)
    >>> fit = fit_lif(run.t, run.v[:, 0], run.I[:, 0])
    >>> bool(abs(fit.tau_m - hidden.tau_m) < 1e-6 and abs(fit.v_th - hidden.v_th) < 1e-6)
    True
    >>> bool(abs(fit.t_ref - hidden.t_ref) < 1e-6)
    True
    """
    t, v, current, dt = _check_trace(t, v, current, dt)
    t0 = float(t[0])
    noise = _noise_scale(v)
    if spike_times is None:
        known = None
        pre = _detect_spikes(v, noise, spike_drop)
    else:
        known = np.sort(np.atleast_1d(np.asarray(spike_times, dtype=np.float64))) - t0
        pre = _pre_spike_samples(known, v.size, dt)
    trace = _Trace(v, current, dt, pre)
    p, cov, rss = trace.fit(trace.initial_guess(noise))
    for _ in range(3):  # spikes whose fall the first look missed
        hidden = np.array([]) if known is not None else trace.unexplained_falls(p, noise)
        if hidden.size == 0:
            break
        trace = _Trace(v, current, dt, np.union1d(trace.pre, hidden))
        p, cov, rss = trace.fit(trace.initial_guess(noise))
    se = np.sqrt(np.maximum(np.diag(cov), 0.0))
    tau = float(np.exp(p[2]))
    fitted = dict(
        v_rest=float(p[0]),
        v_rest_err=float(se[0]),
        R=float(p[1]),
        R_err=float(se[1]),
        tau_m=tau,
        tau_m_err=tau * float(se[2]),
        v_init=float(p[3]),
        residual_rms=float(np.sqrt(rss / v.size)),
    )
    if pre.size == 0:
        nan = float("nan")
        return LIFFit(
            **fitted,
            v_reset=nan,
            v_reset_err=nan,
            v_th=nan,
            v_th_err=nan,
            t_ref=nan,
            t_ref_err=nan,
            v_th_bounds=(nan, nan),
            t_ref_bounds=(nan, nan),
            spike_times=np.empty(0),
        )
    threshold = _threshold(trace, p, cov, known)
    # without a sample on a reset plateau (t_ref below dt), v_reset trades off against
    # the release times: the values stay consistent with the trace, their errors unknown
    unknown = 1.0 if trace.plateau_samples(p) else float("inf")
    return LIFFit(
        **fitted,
        v_reset=float(p[4]),
        v_reset_err=float(se[4]) * unknown,
        v_th=threshold["v_th"],
        v_th_err=threshold["v_th_err"] * unknown,
        t_ref=threshold["t_ref"],
        t_ref_err=threshold["t_ref_err"] * unknown,
        v_th_bounds=threshold["v_th_bounds"],
        t_ref_bounds=threshold["t_ref_bounds"],
        spike_times=threshold["spike_times"] + t0,
    )


class _Trace:
    """A trace cut at its spikes, the exact piecewise model of it, and its fit.

    Parameters p = [v_rest, R, ln tau_m, v_init, v_reset, r_1, ..., r_m] with r_n the
    release time (ms from the first sample) after spike n, for the spikes whose release
    the trace shows (without spikes: the first four only). Each r_n moves only the
    samples of its own segment, so the normal equations are solved by eliminating the
    release times (a Schur complement onto the five shared parameters): a fit costs
    O(samples), whatever the number of spikes.
    """

    def __init__(self, v: np.ndarray, current: np.ndarray, dt: float, pre: np.ndarray) -> None:
        self.v, self.current, self.dt, self.pre = v, current, dt, pre
        n = v.size
        self.k = np.arange(n)
        self.time = self.k * dt
        self.n_global = 5 if pre.size else 4
        # segment s covers samples [starts[s], ends[s]); segment 0 runs to the first spike
        self.starts = np.concatenate([[0], pre + 1])
        self.ends = np.concatenate([pre + 1, [n]])
        self.segment = np.repeat(np.arange(self.starts.size), self.ends - self.starts)
        self._set_released(np.zeros(pre.size, dtype=bool))

    def _set_released(self, released: np.ndarray) -> None:
        self.released = released
        chosen = np.flatnonzero(released)
        # release index of each segment (-1: segment 0 or release not in the trace)
        self.release_of = np.full(self.starts.size, -1)
        self.release_of[chosen + 1] = np.arange(chosen.size)
        self.lower = self.time[self.pre[chosen]]
        self.upper = self.time[self.ends[chosen + 1] - 1]

    def initial_guess(self, noise: float) -> np.ndarray:
        """Starting parameters: v_reset from the post-spike samples, v_rest, R and tau_m
        from a linear regression v[k+1] = c0 + c1 I[k] + d v[k] over free samples, and
        each release time back-extrapolated from the first sample that leaves v_reset."""
        v, dt, pre = self.v, self.dt, self.pre
        free = np.ones(v.size - 1, dtype=bool)
        departs = np.full(pre.size, -1)
        v_reset = float(np.median(v[pre + 1])) if pre.size else float("nan")
        margin = max(5.0 * noise, 1e-9 * (1.0 + abs(v_reset)))
        for n, k in enumerate(pre):
            end = self.ends[n + 1]
            above = np.flatnonzero(v[k + 2 : end] > v_reset + margin)
            departs[n] = k + 2 + above[0] if above.size else (end - 1 if n + 1 < pre.size else -1)
            free[k : (departs[n] if departs[n] > 0 else end)] = False
        self._set_released(departs > 0)
        rows = np.flatnonzero(free)
        design = np.column_stack([np.ones(rows.size), self.current[rows], v[rows]])
        (c0, c1, d), *_ = np.linalg.lstsq(design, v[rows + 1], rcond=None)
        if not 0.0 < d < 1.0 - 1e-12:
            d = np.exp(-dt / 10.0)
        tau, R, v_rest = -dt / np.log(d), c1 / (1.0 - d), c0 / (1.0 - d)
        if not (np.isfinite(R) and R > 0):
            R = 10.0
        releases = []
        for spike in np.flatnonzero(self.released):
            j = departs[spike]
            w = v_rest + R * self.current[j - 1]
            ratio = (w - v_reset) / (w - v[j]) if w > v[j] > v_reset else np.exp(dt / 2 / tau)
            releases.append(self.time[j] - tau * np.log(ratio))
        start = [v_rest, R, np.log(tau), v[0], v_reset][: self.n_global]
        return np.concatenate([start, np.clip(releases, self.lower, self.upper)])

    def unexplained_falls(self, p: np.ndarray, noise: float) -> np.ndarray:
        """Samples k, off the reset plateau, after which v falls far below the free
        prediction from v[k]: spikes whose fall was too small for the first look (when
        the rise from v_reset to v_th takes about one sample interval)."""
        if self.n_global < 5:
            return np.empty(0, dtype=np.int64)
        v, d = self.v, np.exp(-self.dt / np.exp(p[2]))
        w = p[0] + p[1] * self.current[:-1]
        shortfall = w + (v[:-1] - w) * d - v[1:]
        scale = 1.0 + np.abs(v[:-1])
        cut = max(8.0 * np.sqrt(2.0) * noise, 1e-6 * float(scale.max()))
        margin = max(5.0 * noise, 1e-9 * (1.0 + abs(p[4])))
        found = np.flatnonzero((shortfall > cut) & (v[:-1] > p[4] + margin))
        return np.setdiff1d(found, self.pre)

    def plateau_samples(self, p: np.ndarray) -> int:
        """How many samples lie on a reset plateau (v held at v_reset)."""
        seg = np.flatnonzero(self.release_of >= 0)
        r = p[self.n_global + self.release_of[seg]]
        j = np.clip(np.floor(r / self.dt).astype(np.int64) + 1, self.starts[seg], self.ends[seg])
        held = np.setdiff1d(np.arange(1, self.starts.size), seg)
        return int(np.sum(j - self.starts[seg]) + np.sum(self.ends[held] - self.starts[held]))

    def evaluate(self, p: np.ndarray, jacobian: bool = False) -> tuple[np.ndarray, Any]:
        """The exact membrane potential at every sample (mV) and, if asked, its
        derivatives: G (samples x shared parameters) and b, the derivative of each
        sample by its own segment's release time (0 where none)."""
        g = self.n_global
        v_rest, R, tau, v_init = p[0], p[1], float(np.exp(p[2])), p[3]
        v_reset = p[4] if g == 5 else 0.0
        dt, k, size = self.dt, self.k, self.v.size
        d = np.exp(-dt / tau)
        # the free solution from 0 at t = 0: F[k] = d F[k-1] + (1 - d) w[k-1], F = v_rest
        # F1 + R FI with F1 = 1 - d^k and FI the same filter applied to the current
        f1 = -np.expm1(-k * dt / tau)
        from scipy.signal import lfilter  # scipy only when fitting: it takes a second to load

        fi = lfilter([0.0, 1.0 - d], [1.0, -d], self.current)
        free = v_rest * f1 + R * fi
        n_seg = self.starts.size
        anchor = self.ends.copy()  # unreleased segments: v_reset to the end
        anchor[0] = 0
        value = np.zeros(n_seg)
        value[0] = v_init
        # derivatives of each segment's anchor value by v_rest, R, v_init, v_reset, r
        d_value = np.zeros((5, n_seg))
        d_value[2, 0] = 1.0
        seg = np.flatnonzero(self.release_of >= 0)
        if seg.size:
            r = p[g + self.release_of[seg]]
            j = np.clip(np.floor(r / dt).astype(np.int64) + 1, self.starts[seg], self.ends[seg])
            inside = j < self.ends[seg]
            jj = np.minimum(j, size - 1)
            current = self.current[jj - 1]
            left = v_rest + R * current
            q = np.where(inside, np.exp(-(self.time[jj] - r) / tau), 1.0)
            value[seg] = left + (v_reset - left) * q
            d_value[:, seg] = [1 - q, current * (1 - q), 0 * q, q, (v_reset - left) * q / tau]
            anchor[seg] = j
        a = anchor[self.segment]
        flat = k < a
        start = np.minimum(a, size - 1)
        decay = np.exp(-np.maximum(k - a, 0) * dt / tau)
        v = np.where(flat, v_reset, free + decay * (value[self.segment] - free[start]))
        if not jacobian:
            return v, None
        dv = d_value[:, self.segment]
        G = np.empty((size, g))
        G[:, 0] = np.where(flat, 0.0, f1 + decay * (dv[0] - f1[start]))
        G[:, 1] = np.where(flat, 0.0, fi + decay * (dv[1] - fi[start]))
        h = 1e-6 * max(1.0, abs(p[2]))
        up, down = p.copy(), p.copy()
        up[2] += h
        down[2] -= h
        G[:, 2] = (self.evaluate(up)[0] - self.evaluate(down)[0]) / (2 * h)
        G[:, 3] = np.where(flat, 0.0, decay * dv[2])
        if g == 5:
            G[:, 4] = np.where(flat, 1.0, decay * dv[3])
        b = np.where(flat, 0.0, decay * dv[4])
        return v, (G, b)

    def _normal(self, p: np.ndarray) -> tuple[np.ndarray, ...]:
        """Residual, and the blocks A = G'G, C = G'B, D = diag(B'B), G'r, B'r."""
        v, (G, b) = self.evaluate(p, jacobian=True)
        r = v - self.v
        m = p.size - self.n_global
        col = self.release_of[self.segment]
        mine = col >= 0
        C = np.array(
            [np.bincount(col[mine], G[mine, i] * b[mine], minlength=m) for i in range(G.shape[1])]
        ).reshape(G.shape[1], m)
        D = np.bincount(col[mine], b[mine] ** 2, minlength=m)
        return r, G.T @ G, C, D, G.T @ r, np.bincount(col[mine], b[mine] * r[mine], minlength=m)

    def fit(self, p: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        """Levenberg-Marquardt from p; returns (p, covariance, residual sum of squares)."""
        g = self.n_global
        r, A, C, D, gG, gB = self._normal(p)
        cost = float(r @ r)
        damping = 1e-3
        for _ in range(200):
            Dd = D * (1.0 + damping) + 1e-300
            S = A + damping * np.diag(np.diag(A)) - (C / Dd) @ C.T
            step_g = np.linalg.lstsq(S, -gG + C @ (gB / Dd), rcond=None)[0]
            step_b = (-gB - C.T @ step_g) / Dd
            trial = p + np.concatenate([step_g, step_b])
            trial[g:] = np.clip(trial[g:], self.lower, self.upper)
            r_new = self.evaluate(trial)[0] - self.v
            new_cost = float(r_new @ r_new)
            if new_cost <= cost:
                small = np.all(np.abs(trial - p) <= 1e-13 * (1.0 + np.abs(p)))
                converged = small or cost - new_cost <= 1e-13 * cost
                p, cost = trial, new_cost
                r, A, C, D, gG, gB = self._normal(p)
                damping = max(damping / 5.0, 1e-12)
                if converged:
                    break
            else:
                damping *= 8.0
                if damping > 1e12:
                    break
        dof = max(self.v.size - p.size, 1)
        return p, cost / dof * self._inverse(A, C, D), cost

    @staticmethod
    def _inverse(A: np.ndarray, C: np.ndarray, D: np.ndarray) -> np.ndarray:
        """(J'J)^-1 from its blocks [[A, C], [C', diag(D)]]."""
        d_inv = np.where(D > 0, 1.0 / np.where(D > 0, D, 1.0), 0.0)
        S_inv = np.linalg.pinv(A - (C * d_inv) @ C.T)
        cross = -S_inv @ (C * d_inv)
        inner = np.diag(d_inv) + (C * d_inv).T @ S_inv @ (C * d_inv)
        return np.block([[S_inv, cross], [cross.T, inner]])


def _threshold(
    trace: _Trace, p: np.ndarray, cov: np.ndarray, known: np.ndarray | None
) -> dict[str, Any]:
    """v_th and t_ref from the spike brackets and the release times (module docstring).

    Uncertainties follow the fitted parameters' covariance through the whole estimate
    (delta method), since the release times and the trajectory share v_rest, R and tau_m.
    """
    dt, pre = trace.dt, trace.pre
    model, (G, b) = trace.evaluate(p, jacobian=True)
    # derivative of the fitted trajectory at each last pre-spike sample by p
    rows = np.zeros((pre.size, p.size))
    rows[:, :5] = G[pre]
    owner = trace.release_of[trace.segment[pre]]
    rows[owner >= 0, 5 + owner[owner >= 0]] = b[pre][owner >= 0]
    pre_se = np.sqrt(np.maximum(np.sum((rows @ cov) * rows, axis=1), 0.0))
    base = _Spikes(p, model[pre], rows, trace.current[pre], trace.time[pre], trace.released)
    tau = float(base.tau[0, 0])
    drive, before = base.drive[0], base.before[0]
    rising = drive > before
    if known is not None:
        values = drive + (before - drive) * np.exp(-(known - trace.time[pre]) / tau)
        spread = np.std(values) / np.sqrt(values.size)
        refs = p[5:] - known[trace.released]
        return dict(
            v_th=float(np.mean(values)),
            v_th_err=float(np.hypot(spread, np.sqrt(np.mean(pre_se**2)))),
            t_ref=float(np.mean(refs)) if refs.size else float("nan"),
            t_ref_err=float(np.sqrt(np.mean(np.diag(cov)[5:]))) if refs.size else float("nan"),
            v_th_bounds=(float(values.min()), float(values.max())),
            t_ref_bounds=(float(refs.min()), float(refs.max())) if refs.size else (np.nan,) * 2,
            spike_times=known,
        )
    # spike n crossed v_th between the trajectory's values at t_k and t_k + dt
    low = before[rising]
    high = (drive + (before - drive) * np.exp(-dt / tau))[rising]
    released = np.flatnonzero(trace.released)
    h = 1e-6 * np.maximum(1.0, np.abs(p))
    n = p.size
    mu, sigma, grad = float("nan"), float("inf"), np.zeros(n)
    if released.size:
        # perturb each parameter in turn: estimate and gradient in one vectorised pass
        shifted = np.vstack([p, p + np.diag(h), p - np.diag(h)])
        spikes = _Spikes(shifted, before, rows, trace.current[pre], trace.time[pre], trace.released)
        mid = 0.5 * (np.max(low) + np.min(high))
        g = tau / (drive[released] - mid)
        if released.size >= 2 and np.std(g) > 1e-6 * np.mean(g):  # two or more currents
            theta = spikes.common_threshold(mid)
            grad = (theta[1 : n + 1] - theta[n + 1 :]) / (2 * h)
            mu, sigma = float(theta[0]), float(np.sqrt(max(grad @ cov @ grad, 1e-300)))
    v_th, v_th_err, interval = _threshold_posterior(low, high, pre_se[rising], mu, sigma)
    if released.size == 0:
        t_ref = t_ref_err = float("nan")
        t_ref_bounds = (t_ref, t_ref)
    else:
        refs = spikes.refractory(np.full(shifted.shape[0], v_th))
        slope = float(np.mean(tau / (drive[released] - v_th)))
        # v_th is a precision-weighted mix of the release-time estimate (weight
        # `shared`, which moves with the fitted parameters) and the brackets (the rest)
        shared = min((v_th_err / sigma) ** 2, 1.0)
        grad_ref = (refs[1 : n + 1] - refs[n + 1 :]) / (2 * h) - slope * shared * grad
        rest = (1.0 - shared) * v_th_err**2
        t_ref = float(refs[0])
        t_ref_err = float(np.sqrt(max(grad_ref @ cov @ grad_ref + slope**2 * rest, 0.0)))
        at = base.refractory(np.array(interval[::-1]))
        t_ref_bounds = (float(at[0]), float(at[1]))
    return dict(
        v_th=v_th,
        v_th_err=v_th_err,
        t_ref=t_ref,
        t_ref_err=t_ref_err,
        v_th_bounds=interval,
        t_ref_bounds=t_ref_bounds,
        spike_times=np.where(rising, base.crossing(v_th)[0], trace.time[pre] + 0.5 * dt),
    )


def _threshold_posterior(
    low: np.ndarray, high: np.ndarray, se: np.ndarray, mu: float, sigma: float
) -> tuple[float, float, tuple[float, float]]:
    """Mean, SD and central 99.8% interval of v_th (mV) given each spike's bracket
    [low_n, high_n], blurred by the trajectory's standard error se_n, and, when sigma is
    finite, the normal estimate N(mu, sigma²) from the release times."""
    scale = np.maximum(se, 1e-12 * (1.0 + np.abs(low)))
    left, right = sorted((float(np.max(low)), float(np.min(high))))
    a, b = left - 8.0 * scale.max(), right + 8.0 * scale.max()
    if np.isfinite(sigma) and min(b, mu + 10 * sigma) > max(a, mu - 10 * sigma):
        a, b = max(a, mu - 10 * sigma), min(b, mu + 10 * sigma)
    grid = np.linspace(a, b, 2001)
    x = (grid - low[:, None]) / scale[:, None]
    y = (grid - high[:, None]) / scale[:, None]
    # log P(low_n < v_th <= high_n) for each spike, computed in the far tails too
    from scipy.special import log_ndtr

    flip = y > 0
    upper = log_ndtr(np.where(flip, -y, x))
    lower = log_ndtr(np.where(flip, -x, y))
    log_like = np.sum(upper + np.log(np.maximum(-np.expm1(lower - upper), 1e-300)), axis=0)
    if np.isfinite(sigma):
        log_like = log_like - 0.5 * ((grid - mu) / sigma) ** 2
    weight = np.exp(log_like - log_like.max())
    weight /= weight.sum()
    mean = float(weight @ grid)
    sd = float(np.sqrt(weight @ (grid - mean) ** 2))
    cdf = np.cumsum(weight)
    interval = (float(grid[np.searchsorted(cdf, 0.001)]), float(grid[np.searchsorted(cdf, 0.999)]))
    return mean, sd, interval


class _Spikes:
    """The spike-time geometry for one or several parameter vectors (rows of ``q``).

    Spike n is crossed by the trajectory leaving its last pre-spike sample (time ``t_pre``,
    fitted value ``before``) towards v_inf = ``drive``; its release time is a parameter.
    """

    def __init__(
        self,
        q: np.ndarray,
        before: np.ndarray,
        rows: np.ndarray,
        current: np.ndarray,
        t_pre: np.ndarray,
        released: np.ndarray,
    ) -> None:
        q = np.atleast_2d(q)
        base = q[0]
        self.before = before + (q - base) @ rows.T  # linearised in the parameters
        self.drive = q[:, :1] + q[:, 1:2] * current
        self.tau = np.exp(q[:, 2:3])
        self.t_pre = t_pre
        self.mask = np.flatnonzero(released)
        self.release = q[:, 5:]

    def crossing(self, theta: np.ndarray | float) -> np.ndarray:
        """Time each trajectory reaches theta (ms), shape (rows of q, spikes)."""
        theta = np.reshape(theta, (-1, 1))
        gap = np.maximum(self.drive - theta, 1e-12)
        ratio = np.maximum((self.drive - self.before) / gap, 1e-300)
        return self.t_pre + self.tau * np.log(ratio)

    def refractory(self, theta: np.ndarray) -> np.ndarray:
        """The common t_ref (weighted mean of release - crossing) at each theta (ms)."""
        refs = self.release - self.crossing(theta)[:, self.mask]
        return refs.mean(axis=1)

    def common_threshold(self, start: float) -> np.ndarray:
        """The v_th at which every spike implies the same t_ref (Gauss-Newton)."""
        theta = np.full(self.drive.shape[0], start)
        drive = self.drive[:, self.mask]
        top = drive.min(axis=1) - 1e-9
        for _ in range(8):
            g = self.tau / (drive - theta[:, None])
            g = g - g.mean(axis=1, keepdims=True)
            refs = self.release - self.crossing(theta)[:, self.mask]
            refs = refs - refs.mean(axis=1, keepdims=True)
            theta = theta + np.sum(refs * g, axis=1) / np.sum(g**2, axis=1)
            theta = np.minimum(theta, top)
        return theta


def _check_trace(
    t: Any, v: Any, current: Any, dt: float | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    arrays = []
    for name, value in (("t", t), ("v", v), ("current", current)):
        array = np.asarray(value, dtype=np.float64)
        if array.ndim == 2 and array.shape[1] == 1:
            array = array[:, 0]
        if array.ndim != 1:
            raise ParameterError(name, f"<shape {array.shape}>", "must be a 1-d trace")
        if not np.all(np.isfinite(array)):
            raise ParameterError(name, "<NaN/inf>", "must be finite; drop unrecorded samples")
        arrays.append(array)
    t, v, current = arrays
    if not (t.size == v.size == current.size):
        raise ParameterError(
            "v", f"<{v.size} samples>", f"t, v and current need one value per sample ({t.size})"
        )
    if t.size < 10:
        raise ParameterError("t", f"<{t.size} samples>", "needs at least 10 samples")
    steps = np.diff(t)
    step = float(np.mean(steps)) if dt is None else float(to_base(dt, "time", "dt"))
    if not (step > 0 and np.allclose(steps, step, rtol=1e-6, atol=0.0)):
        raise ParameterError("t", "<uneven samples>", f"must be evenly spaced by dt = {step:g} ms")
    return t, v, current, step


def _noise_scale(v: np.ndarray) -> float:
    """Robust measurement-noise SD (mV) from second differences (spikes are outliers)."""
    second = np.diff(v, 2)
    mad = np.median(np.abs(second - np.median(second)))
    return float(1.4826 * mad / np.sqrt(6.0))


def _detect_spikes(v: np.ndarray, noise: float, spike_drop: float | None) -> np.ndarray:
    """Indices of the last sample before each spike: where v falls by more than the cut."""
    fall = v[:-1] - v[1:]
    if spike_drop is None:
        cut = max(2.0, 8.0 * np.sqrt(2.0) * noise, 0.5 * float(fall.max(initial=0.0)))
    else:
        cut = float(spike_drop)
    return np.flatnonzero(fall > cut)


def _pre_spike_samples(times: np.ndarray, n: int, dt: float) -> np.ndarray:
    """The last sample strictly before each given spike time."""
    pre = np.searchsorted(np.arange(n) * dt, times, side="left") - 1
    if np.any(pre < 0) or np.any(pre >= n - 1):
        raise ParameterError("spike_times", times.tolist(), "must lie inside the trace")
    return pre
