"""Closed forms: LIF solution, first spike time, period, rate, rheobase, frequency response."""

from .lif import (
    FrequencyResponse,
    firing_rate,
    first_spike_time,
    membrane_potential,
    period,
    rheobase,
    subthreshold_response,
)

__all__ = [
    "FrequencyResponse",
    "firing_rate",
    "first_spike_time",
    "membrane_potential",
    "period",
    "rheobase",
    "subthreshold_response",
]
