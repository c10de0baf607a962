"""Neuron models: immutable, validated parameter records with named presets."""

from .lif import LIF

__all__ = ["LIF"]
