"""Figures of lifkit results: functions that draw on given axes and return them."""

from .traces import plot_voltage_and_current

__all__ = ["plot_voltage_and_current"]
