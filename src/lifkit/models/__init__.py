"""Neuron models: immutable, validated parameter records with named presets."""

from .adaptive import AdaptiveLIF
from .adex import AdEx
from .lif import LIF

__all__ = ["LIF", "AdEx", "AdaptiveLIF"]
