"""The Zarr v2 directory format of streamed recordings, written and read without zarr.

A store is a directory holding ``.zgroup`` and ``.zattrs`` (the run's attributes) and,
per array, a folder with ``.zarray`` (shape, chunk shape, dtype; no compressor, C order),
``.zattrs`` (``_ARRAY_DIMENSIONS`` names the axes for xarray; ``units``) and one file per
chunk, its raw little-endian bytes, named by its chunk indices joined with "." ("3",
"3.0"). Every chunk file has the full chunk size; bytes past the array's shape are
undefined, as the format allows. ``.zmetadata`` repeats all of the above in one file
(zarr's "consolidated metadata"): lifkit replaces it atomically, last, at every commit,
so it is the commit record readers trust.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

METADATA = ".zmetadata"


def array_metadata(shape: tuple[int, ...], chunks: tuple[int, ...], dtype: Any) -> dict:
    """The ``.zarray`` document of an uncompressed C-order array.

    >>> array_metadata((5,), (4,), np.int32)["dtype"]
    '<i4'
    """
    return {
        "zarr_format": 2,
        "shape": list(shape),
        "chunks": list(chunks),
        "dtype": np.dtype(dtype).newbyteorder("<").str,
        "compressor": None,
        "fill_value": None,
        "filters": None,
        "order": "C",
        "dimension_separator": ".",
    }


def chunk_name(index: int, ndim: int) -> str:
    """File name of chunk ``index`` along axis 0 of an array chunked along that axis only.

    >>> chunk_name(3, 1), chunk_name(3, 2)
    ('3', '3.0')
    """
    return ".".join([str(index)] + ["0"] * (ndim - 1))


def write_json(path: Path, document: dict) -> None:
    """Replace ``path`` by ``document`` atomically: a reader, or a kill, sees the old file
    or the new one, never a torn one (written to a temporary file, synced, renamed).

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> write_json(root / METADATA, consolidated({".zattrs": {"complete": True}}))
    >>> read_metadata(root)
    {'.zattrs': {'complete': True}}
    """
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as file:
        json.dump(document, file, allow_nan=False)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def read_metadata(root: Path) -> dict[str, Any]:
    """The consolidated metadata of the store at ``root``: {".zattrs": ..., "v/.zarray": ...}
    (example: :func:`write_json`)."""
    with open(root / METADATA, encoding="utf-8") as file:
        return json.load(file)["metadata"]


def consolidated(documents: dict[str, dict]) -> dict:
    """The ``.zmetadata`` document holding every metadata document of a store
    (example: :func:`write_json`)."""
    return {"zarr_consolidated_format": 1, "metadata": documents}
