"""Closed forms: LIF solution, first spike time, period, rate, rheobase, frequency response,
and the stationary rate and ISI CV under white noise (Siegert / Brunel 2000)."""

from .lif import (
    FrequencyResponse,
    firing_rate,
    first_spike_time,
    membrane_potential,
    period,
    rheobase,
    subthreshold_response,
)
from .noise import siegert_cv, siegert_rate

__all__ = [
    "FrequencyResponse",
    "firing_rate",
    "first_spike_time",
    "membrane_potential",
    "period",
    "rheobase",
    "siegert_cv",
    "siegert_rate",
    "subthreshold_response",
]
