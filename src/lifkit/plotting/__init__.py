"""Figures of lifkit results: functions that draw on given axes and return them."""

from .curves import plot_fi_curve, plot_frequency_response
from .grid import plot_model_stimulus_grid
from .histograms import plot_isi_histogram
from .raster import plot_raster
from .synaptic import plot_synaptic_input
from .traces import plot_voltage_and_current

__all__ = [
    "plot_fi_curve",
    "plot_frequency_response",
    "plot_isi_histogram",
    "plot_model_stimulus_grid",
    "plot_raster",
    "plot_synaptic_input",
    "plot_voltage_and_current",
]
