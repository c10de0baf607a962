"""Analysis: spike statistics, measurements by simulation (f-I, response, rheobase) and
parameter estimation from recorded traces."""

from .estimate import PROBE_DURATION, LIFFit, fit_lif, probe_protocol
from .fi import (
    FICurve,
    MeasuredResponse,
    fi_curve,
    measure_frequency_response,
    rheobase_by_bisection,
)
from .random_neurons import random_lif
from .spikes import (
    adaptation_index,
    counts_and_mean_isis,
    fano_factor,
    firing_rate,
    isi,
    isi_cv,
    isi_rate,
    spike_counts,
    spike_trains,
)

__all__ = [
    "PROBE_DURATION",
    "FICurve",
    "LIFFit",
    "MeasuredResponse",
    "adaptation_index",
    "counts_and_mean_isis",
    "fano_factor",
    "fi_curve",
    "firing_rate",
    "fit_lif",
    "isi",
    "isi_cv",
    "isi_rate",
    "measure_frequency_response",
    "probe_protocol",
    "random_lif",
    "rheobase_by_bisection",
    "spike_counts",
    "spike_trains",
]
