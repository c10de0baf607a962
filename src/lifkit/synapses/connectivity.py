"""Who connects to whom, and with which weights drawn from what."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ParameterError
from ..units import dimension_of, to_base


class Random:
    """Random connectivity: each (source, target) pair independently with probability
    ``p``, or exactly ``indegree`` distinct sources per target. ``autapses`` False forbids
    a neuron to connect to itself (only meaningful for a recurrent projection).

    >>> Random(p=0.02)
    Random(p=0.02)
    >>> Random(p=1.5)
    Traceback (most recent call last):
    ...
    lifkit.errors.ParameterError: p = 1.5: must be a probability in [0, 1]
    """

    def __init__(
        self, p: float | None = None, *, indegree: int | None = None, autapses: bool = True
    ) -> None:
        if (p is None) == (indegree is None):
            raise ParameterError("p", p, "give exactly one of p and indegree")
        if p is not None:
            if (
                isinstance(p, bool)
                or not isinstance(p, (int, float, np.number))
                or not (0.0 <= float(p) <= 1.0)
            ):
                raise ParameterError("p", p, "must be a probability in [0, 1]")
            p = float(p)
        if indegree is not None and (
            isinstance(indegree, bool)
            or not isinstance(indegree, (int, np.integer))
            or indegree < 0
        ):
            raise ParameterError("indegree", indegree, "must be a whole number >= 0")
        self.p = p
        self.indegree = None if indegree is None else int(indegree)
        self.autapses = bool(autapses)

    def pairs(
        self, n_sources: int, n_targets: int, rng: np.random.Generator, same: Any = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(source, target) index pairs, sorted by source then target.

        ``same[j, i]``-style exclusion: ``same`` is None or a pair of arrays (source
        neuron of each source, neuron of each target) used to drop autapses.

        >>> rng = np.random.default_rng(1)
        >>> src, tgt = Random(indegree=2).pairs(10, 4, rng)
        >>> np.bincount(tgt).tolist()  # two distinct sources for each of the 4 targets
        [2, 2, 2, 2]
        >>> everyone = np.arange(3)
        >>> Random(p=1.0, autapses=False).pairs(3, 3, rng, (everyone, everyone))[0].tolist()
        [0, 0, 1, 1, 2, 2]
        """
        if self.p is not None:
            src, tgt = _bernoulli_pairs(n_sources, n_targets, self.p, rng)
        else:
            src, tgt = self._fixed_indegree(n_sources, n_targets, rng, same)
        if not self.autapses and same is not None:
            keep = same[0][src] != same[1][tgt]
            src, tgt = src[keep], tgt[keep]
        return src, tgt

    def _fixed_indegree(
        self, n_sources: int, n_targets: int, rng: np.random.Generator, same: Any
    ) -> tuple[np.ndarray, np.ndarray]:
        k = int(self.indegree or 0)
        excluded = not self.autapses and same is not None
        available = n_sources - (1 if excluded else 0)
        if k > available:
            raise ParameterError(
                "indegree", k, f"exceeds the {available} available sources of each target"
            )
        sources = np.empty((n_targets, k), dtype=np.int64)
        for i in range(n_targets):
            if excluded:
                pool = np.flatnonzero(same[0] != same[1][i])
                sources[i] = rng.choice(pool, size=k, replace=False)
            else:
                sources[i] = rng.choice(n_sources, size=k, replace=False)
        src = sources.ravel()
        tgt = np.repeat(np.arange(n_targets), k)
        order = np.lexsort((tgt, src))
        return src[order], tgt[order]

    def __repr__(self) -> str:
        what = f"p={self.p:g}" if self.p is not None else f"indegree={self.indegree}"
        return f"Random({what}{'' if self.autapses else ', autapses=False'})"


class OneToOne:
    """Source j connects to target j only (sources and targets must be as many).

    >>> OneToOne()
    OneToOne()
    """

    def pairs(
        self, n_sources: int, n_targets: int, rng: np.random.Generator, same: Any = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(source, target) pairs j -> j.

        >>> [pair.tolist() for pair in OneToOne().pairs(3, 3, np.random.default_rng())]
        [[0, 1, 2], [0, 1, 2]]
        """
        if n_sources != n_targets:
            raise ParameterError(
                "connectivity",
                "OneToOne()",
                f"needs as many sources ({n_sources}) as targets ({n_targets})",
            )
        index = np.arange(n_sources)
        return index, index.copy()

    def __repr__(self) -> str:
        return "OneToOne()"


def _bernoulli_pairs(
    n_sources: int, n_targets: int, p: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Every pair kept with probability p: geometric gaps through the flattened pairs."""
    total = n_sources * n_targets
    if p == 0.0 or total == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty.copy()
    if p == 1.0:
        flat = np.arange(total)
    else:
        expected = total * p
        chunks, position = [], -1
        while position < total:
            gaps = rng.geometric(p, size=int(expected + 5 * np.sqrt(expected) + 16))
            steps = position + np.cumsum(gaps)
            chunks.append(steps)
            position = int(steps[-1])
        flat = np.concatenate(chunks)
        flat = flat[flat < total]
    return flat // n_targets, flat % n_targets


class Normal:
    """Weights drawn independently from a normal distribution of ``mean`` and ``std``
    (with units, e.g. ``Normal("1.62 mV", "0.5 mV")``; plain numbers are in the
    synapse's weight unit).

    >>> Normal("1.62 mV", "0.5 mV")
    Normal(mean='1.62 mV', std='0.5 mV')
    """

    def __init__(self, mean: Any, std: Any) -> None:
        dims = {dimension_of(mean), dimension_of(std)} - {None}
        if len(dims) > 1:
            raise ParameterError("std", std, f"must have the dimension of mean ({mean!r})")
        self.mean, self.std = mean, std
        self.dimension = dims.pop() if dims else None
        for name, value in (("mean", mean), ("std", std)):
            if self.dimension is not None:
                number = to_base(value, self.dimension, name)
            else:
                number = to_base(value, "voltage", name)  # plain number: no conversion
            if np.ndim(number) != 0 or not np.isfinite(number):
                raise ParameterError(name, value, "must be a single finite number")
        if float(to_base(std, self.dimension or "voltage", "std")) < 0:
            raise ParameterError("std", std, "must be >= 0")

    def draw(self, size: int, dimension: str, rng: np.random.Generator) -> np.ndarray:
        """``size`` weights in the base unit of ``dimension``.

        >>> weights = Normal("1 mV", "0.2 mV").draw(100_000, "voltage", np.random.default_rng(0))
        >>> round(float(weights.mean()), 2), round(float(weights.std()), 2)
        (1.0, 0.2)
        """
        mean = float(to_base(self.mean, dimension, "mean"))
        std = float(to_base(self.std, dimension, "std"))
        return rng.normal(mean, std, size=size)

    def __repr__(self) -> str:
        return f"Normal(mean={self.mean!r}, std={self.std!r})"


Connectivity = Random | OneToOne
