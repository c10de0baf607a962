"""Spikes of noise-free LIF neurons under constant drive, computed without steps.

With a constant drive u = R I (mV, relative to v_rest) and no noise, x = v - v_rest
relaxes as x(t) = u + (x_0 - u) e^{-t/tau}. A neuron with u > theta = v_th - v_rest
therefore fires first at

    t_1 = tau ln((u - x_0) / (u - theta))

and then, restarting from x_reset at the end of each refractory period, every

    P = t_ref + tau ln((u - x_reset) / (u - theta))  ms:   t_n = t_1 + (n - 1) P.

These are the times the step kernel finds inside its steps, but they cost nothing per
step, so :func:`with_closed_form` hands such neurons here unless their traces are
recorded. Each time is computed from its index n alone (one product and one sum), so a
chunk's spikes do not depend on how the run is cut into chunks.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import numpy as np

from ._kernels.lif import LIFParams

if TYPE_CHECKING:
    from .plan import Plan


@dataclass(frozen=True)
class ClosedFormSpikes:
    """The spike trains t_n = first + (n - 1) period of the neurons ``neurons``.

    Attributes:
        neurons: int64 indices in the run's population.
        first: time of the first spike, ms (inf: the neuron never fires).
        period: interval between spikes, ms (> 0).

    >>> trains = ClosedFormSpikes.of(np.array([0, 1]), x_init=np.zeros(2),
    ...     drive=np.array([20.0, 10.0]), theta=np.full(2, 15.0), x_reset=np.zeros(2),
    ...     tau=np.full(2, 10.0), t_ref=np.full(2, 2.0))
    >>> neurons, times = trains.spikes(0.0, 40.0)
    >>> neurons.tolist(), times.round(3).tolist()  # t_1 = 10 ln 4, P = 2 + 10 ln 4
    ([0, 0], [13.863, 29.726])
    """

    neurons: np.ndarray
    first: np.ndarray
    period: np.ndarray

    @classmethod
    def of(
        cls,
        neurons: np.ndarray,
        *,
        x_init: np.ndarray,
        drive: np.ndarray,
        theta: np.ndarray,
        x_reset: np.ndarray,
        tau: np.ndarray,
        t_ref: np.ndarray,
    ) -> ClosedFormSpikes:
        """The trains of ``neurons`` from their parameters (mV relative to v_rest, ms)."""
        fires = drive > theta

        def log_ratio(x: np.ndarray) -> np.ndarray:  # ln((u - x) / (u - theta)), firing ones
            ratio = np.divide(drive - x, drive - theta, out=np.ones_like(drive), where=fires)
            return np.log(ratio)

        first = np.where(fires, tau * log_ratio(x_init), np.inf)
        period = np.where(fires, t_ref + tau * log_ratio(x_reset), np.inf)
        return cls(neurons, first, period)

    def spikes(self, start: float, stop: float) -> tuple[np.ndarray, np.ndarray]:
        """(neurons, times) of the spikes in [start, stop) ms, grouped by neuron.

        >>> trains = ClosedFormSpikes(np.array([4]), np.array([1.0]), np.array([2.0]))
        >>> trains.spikes(3.0, 7.0)[1].tolist(), trains.spikes(7.0, 9.0)[1].tolist()
        ([3.0, 5.0], [7.0])
        """
        before_start = self.count_before(start)
        counts = self.count_before(stop) - before_start
        owner = np.repeat(np.arange(self.neurons.size), counts)
        rank = np.arange(owner.size) - np.repeat(np.cumsum(counts) - counts, counts)
        index = before_start[owner] + rank
        return self.neurons[owner], self.first[owner] + index * self.period[owner]

    def count_before(self, t: float) -> np.ndarray:
        """How many spikes each neuron fires before t ms (times computed as in spikes).

        >>> ClosedFormSpikes(np.array([0]), np.array([1.0]), np.array([2.0])).count_before(5.0)
        array([2])
        """
        fires = self.first < t
        first = np.where(fires, self.first, 0.0)
        period = np.where(fires, self.period, 1.0)
        # An estimate that rounding may put one off, then corrected with the times
        # themselves: first + n * period is monotone in n.
        count = np.where(fires, np.ceil((t - first) / period), 0.0).astype(np.int64)
        count += fires & (first + count * period < t)
        count -= (count > 0) & (first + (count - 1) * period >= t)
        return count


def with_closed_form(plan: Plan, recorded: np.ndarray) -> Plan:
    """``plan`` with its noise-free LIF neurons under constant drive, except the
    ``recorded`` ones, solved by :class:`ClosedFormSpikes` (the kernel skips them).

    Other plans come back unchanged.

    >>> import lifkit as lk
    >>> from lifkit.engine.plan import make_plan
    >>> from lifkit.stimuli.base import TimeGrid
    >>> plan = make_plan(lk.LIF.preset("orhan"), lk.Constant([10.0, 20.0, 30.0]),
    ...                  TimeGrid(0.1, 100), 3)
    >>> solved = with_closed_form(plan, recorded=np.array([0]))
    >>> solved.closed_form.neurons.tolist(), solved.updates_per_step
    ([1, 2], 1)
    """
    drive = plan.drive
    constant = drive.gain.shape[0] == 0 and drive.sampled.shape[0] == 0
    if plan.kernel != "lif" or not constant:
        return plan
    p = cast(LIFParams, plan.params)
    solved = p.sigma == 0.0
    solved[recorded] = False
    if not solved.any():
        return plan
    neurons = np.flatnonzero(solved)
    trains = ClosedFormSpikes.of(
        neurons,
        x_init=plan.state[0][neurons],
        drive=drive.offset[neurons],
        theta=(p.v_th - p.v_rest)[neurons],
        x_reset=(p.v_reset - p.v_rest)[neurons],
        tau=p.tau[neurons],
        t_ref=p.t_ref[neurons],
    )
    return dataclasses.replace(
        plan,
        params=p._replace(closed_form=solved),
        closed_form=trains,
        updates_per_step=plan.n_neurons - neurons.size,
    )
