"""Writing a store: arrays that grow along their first axis, committed as a whole.

Data goes to the chunk files as it arrives; :meth:`StoreWriter.commit` then syncs it and
replaces the metadata (each array's shape, the run's attributes) file by file, the
consolidated ``.zmetadata`` last. A process killed at any moment thus leaves a store whose
metadata describes only data that was written before it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from ..errors import ParameterError
from . import zarr_v2

#: Marks a store as lifkit's in its ``.zattrs`` (overwrite=True replaces only such stores).
MARK = "lifkit_recording"


class GrowingArray:
    """An array of shape (length, *row) stored in chunks of ``chunk_rows`` rows, in
    ``folder``, that grows by :meth:`append`. Chunk files are created at full size.
    (Example: see :class:`StoreWriter`.)
    """

    def __init__(
        self, folder: Path, dtype: Any, row: tuple[int, ...], chunk_rows: int, attrs: dict
    ) -> None:
        self.folder, self.row, self.chunk_rows, self.attrs = folder, row, chunk_rows, attrs
        self.dtype = np.dtype(dtype)
        self.length = 0
        self._row_bytes = self.dtype.itemsize * int(np.prod(row, dtype=np.int64))
        self._file: BinaryIO | None = None
        self._file_chunk = -1

    def append(self, rows: np.ndarray) -> None:
        """Write ``rows`` (shape (k, *row)) after the current end."""
        data = np.ascontiguousarray(rows, dtype=self.dtype.newbyteorder("<"))
        done = 0
        while done < len(data) and self._row_bytes:
            chunk, offset = divmod(self.length + done, self.chunk_rows)
            take = min(len(data) - done, self.chunk_rows - offset)
            file = self._open(chunk)
            file.seek(offset * self._row_bytes)
            file.write(data[done : done + take].data.cast("B"))
            done += take
        self.length += len(data)

    def sync(self) -> None:
        """Push the written data to disk (before a commit describes it)."""
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())

    def close(self) -> None:
        """Sync and close the open chunk file."""
        if self._file is not None:
            self.sync()
            self._file.close()
            self._file = None

    def documents(self, name: str) -> dict[str, dict]:
        """The array's metadata documents, keyed by their path in the store."""
        chunks = (self.chunk_rows, *(max(n, 1) for n in self.row))
        shape = (self.length, *self.row)
        return {
            f"{name}/.zarray": zarr_v2.array_metadata(shape, chunks, self.dtype),
            f"{name}/.zattrs": self.attrs,
        }

    def _open(self, chunk: int) -> BinaryIO:
        if chunk == self._file_chunk and self._file is not None:
            return self._file
        self.close()
        path = self.folder / zarr_v2.chunk_name(chunk, 1 + len(self.row))
        file = open(path, "w+b")
        file.truncate(self.chunk_rows * self._row_bytes)
        self._file, self._file_chunk = file, chunk
        return file


class StoreWriter:
    """A new store at ``path``, created whole (built beside it, then renamed into place).

    ``arrays`` maps each array's name to its GrowingArray arguments (dtype, row,
    chunk_rows, attrs); ``attrs`` are the store's first attributes. An existing
    ``path`` is refused unless ``overwrite`` (and then only if it is a lifkit store).

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "store"
    >>> store = StoreWriter(path, False, {"x": (np.int32, (), 2, {})}, {"complete": False})
    >>> store.arrays["x"].append(np.arange(3))  # chunk files "0" (2 values) and "1"
    >>> store.commit(complete=True); store.close()
    >>> zarr_v2.read_metadata(path)["x/.zarray"]["shape"]
    [3]
    >>> sorted(p.name for p in (path / "x").iterdir())
    ['.zarray', '.zattrs', '0', '1']
    """

    def __init__(self, path: Any, overwrite: bool, arrays: dict[str, tuple], attrs: dict) -> None:
        self.path = check_destination(path, overwrite)
        self.arrays = {name: GrowingArray(self.path / name, *spec) for name, spec in arrays.items()}
        self.attrs = {MARK: 1, **attrs}
        building = self.path.with_name(f".{self.path.name}.building-{os.getpid()}")
        try:
            shutil.rmtree(building, ignore_errors=True)  # left by a killed run with our pid
            building.mkdir()
            for name in arrays:
                (building / name).mkdir()
            self._write_metadata(building)
            if self.path.exists():
                shutil.rmtree(self.path)
            os.rename(building, self.path)
        except OSError as err:
            shutil.rmtree(building, ignore_errors=True)
            reason = err.strerror or str(err)
            raise ParameterError("out", str(path), f"cannot be written: {reason}") from err

    def commit(self, **attrs: Any) -> None:
        """Sync every array, then make the metadata describe them and ``attrs``."""
        for array in self.arrays.values():
            array.sync()
        self.attrs.update(attrs)
        self._write_metadata(self.path)

    def close(self) -> None:
        """Close the files (the store stays as last committed)."""
        for array in self.arrays.values():
            array.close()

    def remove(self) -> None:
        """Close and delete the store."""
        self.close()
        shutil.rmtree(self.path, ignore_errors=True)

    def _write_metadata(self, root: Path) -> None:
        documents: dict[str, dict] = {".zgroup": {"zarr_format": 2}, ".zattrs": self.attrs}
        for name, array in self.arrays.items():
            documents.update(array.documents(name))
        for key, document in documents.items():
            zarr_v2.write_json(root / key, document)
        zarr_v2.write_json(root / zarr_v2.METADATA, zarr_v2.consolidated(documents))


def check_destination(path: Any, overwrite: Any) -> Path:
    """``path`` as a Path if a store may be created there, else a ParameterError.

    >>> check_destination("/no/such/run.zarr", False)
    Traceback (most recent call last):
    lifkit.errors.ParameterError: out = '/no/such/run.zarr': its folder /no/such does not exist
    """
    if not isinstance(overwrite, bool):
        raise ParameterError("overwrite", overwrite, "must be True or False")
    try:
        destination = Path(os.fspath(path)).expanduser().absolute()
    except TypeError as err:
        raise ParameterError("out", path, "must be a path (str or os.PathLike)") from err
    if not destination.parent.is_dir():
        raise ParameterError("out", str(path), f"its folder {destination.parent} does not exist")
    if destination.exists():
        if not overwrite:
            raise ParameterError(
                "out", str(path), "already exists; pass overwrite=True to replace it"
            )
        if not is_store(destination):
            raise ParameterError(
                "out", str(path), "exists and is not a lifkit recording; it is never replaced"
            )
    return destination


def is_store(path: Path) -> bool:
    """Whether ``path`` is a folder holding a lifkit store.

    >>> is_store(Path("/"))
    False
    """
    try:
        return MARK in zarr_v2.read_metadata(path)[".zattrs"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
