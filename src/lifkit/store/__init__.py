"""Runs streamed to disk as Zarr v2 stores: written by ``lk.simulate(..., out=path)``,
read lazily by :func:`open_recording` (or by zarr and xarray, when installed)."""

from .recording import Recording, open_recording

__all__ = ["Recording", "open_recording"]
