"""Closed-form results: the LIF solution, first spike, period, rate, rheobase, frequency response."""

from .lif import (
    FrequencyResponse,
    first_spike_time,
    firing_rate,
    membrane_potential,
    period,
    rheobase,
    subthreshold_response,
)

__all__ = [
    "FrequencyResponse",
    "first_spike_time",
    "firing_rate",
    "membrane_potential",
    "period",
    "rheobase",
    "subthreshold_response",
]
