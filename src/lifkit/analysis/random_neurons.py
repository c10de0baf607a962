"""Random LIF neurons with hidden parameters, for the "estimate the parameters" exercise.

neurodynex3's ``LIF.get_random_param_set`` draws integer values (v_rest in -75..-60 mV,
v_reset within ±10 mV of it, v_th in -40..+5 mV, R 2..15 MΩ, tau 2..30 ms, t_ref 1..7 ms)
and hides them behind obfuscation factors. :func:`random_lif` draws continuous values from
similar, physiologically tighter ranges, so that nothing lies on the time grid by accident,
and returns an ordinary :class:`lifkit.LIF` record: keep it out of sight to practise.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ParameterError
from ..models import LIF

#: Ranges of :func:`random_lif` (uniform draws; base units mV, MΩ, ms).
RANGES: dict[str, tuple[float, float]] = {
    "v_rest": (-75.0, -60.0),
    "v_th": (-55.0, -40.0),
    "R": (5.0, 20.0),
    "tau_m": (5.0, 30.0),
    "t_ref": (1.0, 5.0),
}
#: v_reset is drawn in [v_rest - 10, min(v_rest + 5, v_th - 10)] mV: at most 5 mV above
#: rest (as neurodynex3 allows) and at least 10 mV below threshold, so a spike is a clear
#: drop in the trace.
RESET_BELOW_REST, RESET_ABOVE_REST, RESET_BELOW_THRESHOLD = 10.0, 5.0, 10.0


def random_lif(seed: int, n: int | None = None) -> LIF:
    """A LIF neuron (or ``n`` of them) with random parameters drawn from :data:`RANGES`.

    seed: a non-negative integer (same seed, same neurons); n: None for one neuron with
    scalar parameters, or the number of neurons (per-neuron arrays). The neuron starts
    at rest (``v_init = v_rest``). Ranges: v_rest -75..-60 mV, v_th -55..-40 mV, v_reset
    10 mV below rest up to 5 mV above it but at least 10 mV below v_th, R 5..20 MΩ,
    tau_m 5..30 ms, t_ref 1..5 ms.

    >>> neuron = random_lif(7)
    >>> bool(-75 <= neuron.v_rest <= -60 and neuron.v_reset <= neuron.v_th - 10)
    True
    >>> random_lif(7, n=50).n_neurons
    50
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError("seed", seed, "must be a non-negative integer")
    if n is not None and (isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1):
        raise ParameterError("n", n, "must be None (one neuron) or a whole number >= 1")
    rng = np.random.default_rng(seed)
    size = None if n is None else int(n)

    def draw(name: str) -> Any:
        low, high = RANGES[name]
        return rng.uniform(low, high, size)

    v_rest, v_th = draw("v_rest"), draw("v_th")
    R, tau_m, t_ref = draw("R"), draw("tau_m"), draw("t_ref")
    low = v_rest - RESET_BELOW_REST
    high = np.minimum(v_rest + RESET_ABOVE_REST, v_th - RESET_BELOW_THRESHOLD)
    v_reset = low + (high - low) * rng.uniform(0.0, 1.0, size)
    return LIF(tau_m=tau_m, R=R, v_rest=v_rest, v_reset=v_reset, v_th=v_th, t_ref=t_ref)
