"""TOML experiment files: the API's vocabulary, turned into the same API calls.

A file has a ``[model]`` table (``type``, an optional ``preset``, then constructor keywords
that override it), a ``[stimulus]`` table or an array of ``[[stimulus]]`` tables that are
summed (``type`` names a class of :mod:`lifkit.stimuli`, the other keys are its constructor
keywords), a ``[run]`` table (``duration``, ``dt``, ``seed``, ``threads``, ``chunk_steps``,
``jit``: keywords of :func:`lifkit.simulate`) and an optional ``[record]`` table
(``neurons``, ``variables``, ``stride``: the fields of :class:`lifkit.Record`). Synaptic
input is an array of ``[[projection]]`` tables whose keys are those of
:class:`lifkit.Projection`; ``source``, ``synapse``, ``connectivity``, ``targets`` and
a distribution of ``weights`` are inline tables with a ``type`` (e.g.
``source = { type = "PoissonGroup", n = 25, rate = "40 Hz" }``); with projections the
``[stimulus]`` may be left out. Top-level
``name`` and ``description`` strings are optional. Values are numbers in base units (ms,
mV, nA, MΩ, nF, µS, Hz) or strings with units such as ``"0.1 ms"``; a TOML array gives one
value per neuron. Every mistake raises :class:`~lifkit.errors.ExperimentError` naming the
file, line, table and key, with the fix.
"""

from __future__ import annotations

import difflib
import inspect
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

from .engine.record import Record
from .engine.simulate import simulate
from .errors import ExperimentError, ParameterError
from .models import LIF, AdaptiveLIF, AdEx
from .models._params import ParameterRecord
from .results import Result
from .stimuli import Constant, GaussianSteps, Ramp, Sinusoid, Step, Stimulus, TimedArray, WhiteNoise
from .store import Recording
from .synapses import (
    AlphaSynapse,
    BiexponentialSynapse,
    DeltaSynapse,
    ExponentialSynapse,
    Neurons,
    Normal,
    OneToOne,
    PoissonGroup,
    Projection,
    Random,
    SpikeTimes,
)

#: Model ``type`` names and the classes they build.
MODEL_TYPES: dict[str, type[ParameterRecord]] = {
    "LIF": LIF,
    "AdaptiveLIF": AdaptiveLIF,
    "AdEx": AdEx,
}
#: Stimulus ``type`` names and the classes they build.
STIMULUS_TYPES: dict[str, type[Stimulus]] = {
    cls.__name__: cls
    for cls in (Constant, GaussianSteps, Ramp, Sinusoid, Step, TimedArray, WhiteNoise)
}
#: Keys of ``[run]``: the keyword arguments of :func:`lifkit.simulate` a file may set.
RUN_KEYS = ("duration", "dt", "seed", "threads", "chunk_steps", "jit")
_TOP_LEVEL = ("name", "description", "model", "stimulus", "projection", "run", "record")
#: The types the inline tables of a ``[[projection]]`` may name, by key.
PROJECTION_PARTS: dict[str, dict[str, type]] = {
    "source": {c.__name__: c for c in (PoissonGroup, SpikeTimes, Neurons)},
    "synapse": {
        c.__name__: c
        for c in (DeltaSynapse, ExponentialSynapse, AlphaSynapse, BiexponentialSynapse)
    },
    "weights": {"Normal": Normal},
    "connectivity": {c.__name__: c for c in (Random, OneToOne)},
    "targets": {"Neurons": Neurons},
}
_HEADER = re.compile(r"""^\s*\[\[?\s*["']?(?P<name>[\w-]+)["']?\s*\]\]?\s*(#.*)?$""")
_AT_LINE = re.compile(r"^(?P<problem>.*) \(at line (?P<line>\d+), column (?P<column>\d+)\)$")


@dataclass(frozen=True)
class ExperimentSource:
    """Where an experiment came from: its path, text and parsed TOML document.

    >>> text = "[run]\\nduration = 10\\ndt = -0.1\\n"
    >>> source = ExperimentSource("x.toml", text, tomllib.loads(text))
    >>> source.document["run"]["dt"]  # ms
    -0.1
    """

    path: str
    text: str
    document: Mapping[str, Any]

    def error(
        self,
        problem: str,
        table: str | None = None,
        index: int | None = None,
        key: str | None = None,
    ) -> ExperimentError:
        """``ExperimentError("path:line: [table] problem")``; the line when it can be found.

        >>> text = "[run]\\nduration = 10\\ndt = -0.1\\n"
        >>> ExperimentSource("x.toml", text, tomllib.loads(text)).error("must be > 0 ms",
        ...                                                             "run", key="dt")
        ExperimentError('x.toml:3: [run] must be > 0 ms')
        """
        line = self._line_of(table, index or 0, key)
        place = self.path if line is None else f"{self.path}:{line}"
        if table is None:
            return ExperimentError(f"{place}: {problem}")
        scope = f"[{table}]" if index is None else f"[[{table}]] #{index + 1}"
        return ExperimentError(f"{place}: {scope} {problem}")

    def locate(self, err: ParameterError) -> ExperimentError:
        """A run-time :class:`ParameterError` as an error at the table and key it came from.

        >>> text = "[run]\\nduration = 10\\ndt = -0.1\\n"
        >>> source = ExperimentSource("x.toml", text, tomllib.loads(text))
        >>> source.locate(ParameterError("dt", -0.1, "must be > 0 ms"))
        ExperimentError('x.toml:3: [run] dt = -0.1: must be > 0 ms')
        """
        for table, index, options in self._tables():
            if err.name in options or err.name == table:
                key = err.name if err.name in options else None
                return self.error(str(err), table, index, key)
        return self.error(str(err))

    def _tables(self) -> list[tuple[str, int | None, Mapping[str, Any]]]:
        found: list[tuple[str, int | None, Mapping[str, Any]]] = []
        for table in ("run", "record", "stimulus", "projection", "model"):
            value = self.document.get(table, {})
            if isinstance(value, list):
                found += [(table, i, entry) for i, entry in enumerate(value)]
            else:
                found.append((table, None, value))
        return found

    def _line_of(self, table: str | None, index: int, key: str | None) -> int | None:
        """The line of ``key`` in the ``index``-th ``[table]``, or of that table's header.

        With ``table`` None, ``key`` is a top-level key or the name of a table.
        tomllib gives no positions, so this scans the text for headers and ``key =``.
        """
        current, seen = None, -1
        key_line = re.compile(rf"""^\s*["']?{re.escape(key or "")}["']?\s*=""")
        for number, line in enumerate(self.text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header and header["name"] in self.document:
                current = header["name"]
                seen += current == table
                if (table is None and current == key) or (
                    current == table and seen == index and key is None
                ):
                    return number
            elif key and current == table and seen == (-1 if table is None else index):
                if key_line.match(line):
                    return number
        return None


@dataclass(frozen=True)
class _Table:
    """One table of a file (``name`` None: the top level) and how to blame its keys."""

    source: ExperimentSource
    name: str | None
    index: int | None
    options: Mapping[str, Any]

    def error(self, problem: str, key: str | None = None) -> ExperimentError:
        return self.source.error(problem, self.name, self.index, key)

    def check_keys(self, valid: tuple[str, ...], required: tuple[str, ...] = ()) -> None:
        for key, value in self.options.items():
            if key not in valid:
                close = difflib.get_close_matches(key, valid, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                is_table = self.name is None and isinstance(value, (dict, list))
                listed = "valid keys" if self.name else "valid top-level keys and tables"
                what = "table" if is_table else "key"
                raise self.error(
                    f"unknown {what} {key!r}{hint}; {listed}: {', '.join(sorted(valid))}", key
                )
        for key in required:
            if key not in self.options:
                raise self.error(f"missing key {key!r}; required: {', '.join(required)}")

    def type_of(self, types: Mapping[str, Any]) -> Any:
        name, choices = self.options.get("type"), ", ".join(sorted(types))
        if name is None:
            raise self.error(f"missing key 'type'; choose one of {choices}")
        if not isinstance(name, str) or name not in types:
            raise self.error(
                f"type = {name!r}: unknown {self.name} type; choose one of {choices}", "type"
            )
        return types[name]

    def construct(self, factory: Callable[..., Any]) -> Any:
        arguments = {k: v for k, v in self.options.items() if k != "type"}
        try:
            return factory(**arguments)
        except ParameterError as err:
            raise self.error(str(err), err.name if err.name in arguments else None) from None
        except TypeError as err:
            raise self.error(f"a value has the wrong TOML type ({err})") from None

    def text(self, key: str, default: str) -> str:
        value = self.options.get(key, default)
        if not isinstance(value, str):
            raise self.error(f"{key} = {value!r}: must be a string in quotes", key)
        return value


@dataclass(frozen=True, eq=False)
class Experiment:
    """A model, a stimulus, run options and a recording request, ready to :meth:`run`.

    ``run_options`` are keyword arguments of :func:`lifkit.simulate` (duration, dt, ...).

    >>> import lifkit as lk
    >>> experiment = Experiment(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
    ...                         {"duration": "30 ms", "dt": 0.1})
    >>> experiment.run().spike_times.round(6).tolist()  # 10 ln 4 ms apart
    [13.862944, 27.725887]
    """

    model: ParameterRecord
    stimulus: Stimulus | None
    run_options: Mapping[str, Any]
    record: Record = field(default_factory=Record)
    name: str = "experiment"
    description: str = ""
    source: ExperimentSource | None = field(default=None, repr=False)
    projections: tuple[Projection, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "run_options", MappingProxyType(dict(self.run_options)))

    def run(self, *, progress: Any = None) -> Result:
        """Simulate; a bad run option raises :class:`ExperimentError` at its key in the file.

        >>> experiment = parse_experiment('''
        ... [model]
        ... type = "LIF"
        ... preset = "orhan"
        ... [stimulus]
        ... type = "Constant"
        ... amplitude = "20 mV"
        ... [run]
        ... duration = "30 ms"
        ... dt = -0.1
        ... ''', source="bad.toml")
        >>> experiment.run()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        lifkit.errors.ExperimentError: bad.toml:10: [run] dt = -0.1: must be a finite time step...
        """
        return cast(Result, self._simulate(progress=progress))

    def stream(self, out: str | Path, *, progress: Any = None) -> Recording:
        """Simulate, streaming the recording to the folder ``out`` as the run goes (see
        :func:`lifkit.simulate`); bad run options raise as in :meth:`run`.

        >>> import tempfile
        >>> experiment = load_experiment("examples/orhan_fig1_constant.toml")
        >>> experiment.stream(tempfile.mkdtemp() + "/run.zarr").counts.tolist()
        [7]
        """
        return cast(Recording, self._simulate(progress=progress, out=out))

    def _simulate(self, **options: Any) -> Result | Recording:
        try:
            return simulate(
                self.model,
                self.stimulus,
                record=self.record,
                projections=self.projections,
                **options,
                **self.run_options,
            )
        except ParameterError as err:
            if self.source is None:
                raise
            raise self.source.locate(err) from None


def load_experiment(path: str | Path) -> Experiment:
    """Read the TOML experiment file at ``path``; the name defaults to the file's stem.

    >>> experiment = load_experiment("examples/orhan_fig1_constant.toml")
    >>> experiment.name, float(experiment.model.v_th), experiment.run_options["duration"]
    ('orhan_fig1_constant', 15.0, '100 ms')
    >>> load_experiment("examples/no_such_file.toml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lifkit.errors.ExperimentError: examples/no_such_file.toml: cannot read the file (No such ...
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise ExperimentError(
            f"{path}: cannot read the file ({err.strerror}); check the path"
        ) from None
    except UnicodeDecodeError:
        raise ExperimentError(f"{path}: is not UTF-8 text; save the TOML file as UTF-8") from None
    return parse_experiment(text, source=str(path))


def parse_experiment(text: str, *, source: str = "<string>") -> Experiment:
    """Build an :class:`Experiment` from TOML ``text``; ``source`` names it in errors.

    >>> experiment = parse_experiment('''
    ... [model]
    ... type = "LIF"
    ... preset = "orhan"
    ... t_ref = "5 ms"
    ... [stimulus]
    ... type = "Constant"
    ... amplitude = [16.0, 20.0, 30.0]   # drives in nA; an array gives one neuron each
    ... [run]
    ... duration = "100 ms"
    ... ''', source="fI.toml")
    >>> experiment.stimulus.n_neurons, float(experiment.model.t_ref)
    (3, 5.0)
    >>> parse_experiment('[model]\\ntype = "LIF"\\ntau = 10', source="bad.toml")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lifkit.errors.ExperimentError: bad.toml:3: [model] unknown key 'tau' (did you mean 'tau_m'?)...
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise _syntax_error(source, err) from None
    origin = ExperimentSource(source, text, document)
    top = _Table(origin, None, None, document)
    top.check_keys(_TOP_LEVEL)
    model = _build_model(_table(top, "model"))
    projections = _build_projections(top)
    stimulus = _build_stimulus(top) if "stimulus" in document or not projections else None
    run = _table(top, "run")
    run.check_keys(RUN_KEYS, required=("duration",))
    return Experiment(
        model=model,
        stimulus=stimulus,
        run_options=run.options,
        record=_build_record(top),
        name=top.text("name", Path(source).stem),
        description=top.text("description", ""),
        source=origin,
        projections=projections,
    )


def _syntax_error(source: str, err: tomllib.TOMLDecodeError) -> ExperimentError:
    """``"path:line:column: TOML syntax error: ..."`` from tomllib's "... (at line L, column C)"."""
    found = _AT_LINE.match(str(err))
    if found is None:
        return ExperimentError(f"{source}: TOML syntax error: {err}; fix the syntax there")
    return ExperimentError(
        f"{source}:{found['line']}:{found['column']}: TOML syntax error: "
        f"{found['problem'].lower()}; fix the syntax there"
    )


def _table(top: _Table, name: str) -> _Table:
    value = top.options.get(name)
    if value is None:
        raise top.error(f"missing table [{name}]; add it (see 'lifkit run --help')")
    if not isinstance(value, dict):
        raise top.error(f"{name} must be a table [{name}], not a {type(value).__name__}", name)
    return _Table(top.source, name, None, value)


def _build_model(table: _Table) -> ParameterRecord:
    cls = table.type_of(MODEL_TYPES)
    keywords = tuple(inspect.signature(cls).parameters)
    required = () if "preset" in table.options else _required(cls)
    table.check_keys(("type", "preset", *keywords), required)
    return table.construct(_with_preset(cls))


def _with_preset(cls: type[ParameterRecord]) -> Callable[..., ParameterRecord]:
    """``cls(**values)``, or ``cls.preset(preset, **values)`` when a preset is named."""

    def build(preset: Any = None, **values: Any) -> ParameterRecord:
        return cls(**values) if preset is None else cls.preset(preset, **values)

    return build


def _build_record(top: _Table) -> Record:
    if "record" not in top.options:
        return Record()
    table = _table(top, "record")
    table.check_keys(tuple(inspect.signature(Record).parameters))
    return table.construct(Record)


def _build_stimulus(top: _Table) -> Stimulus:
    value = top.options.get("stimulus")
    if value is None:
        raise top.error('missing table [stimulus]; add one with a type such as "Constant"')
    if isinstance(value, dict):
        return _build_one_stimulus(_Table(top.source, "stimulus", None, value))
    if not (isinstance(value, list) and value and all(isinstance(v, dict) for v in value)):
        raise top.error(
            "stimulus must be a table [stimulus] or a non-empty array of [[stimulus]] tables",
            "stimulus",
        )
    tables = [_Table(top.source, "stimulus", i, entry) for i, entry in enumerate(value)]
    total = _build_one_stimulus(tables[0])
    for table in tables[1:]:
        part = _build_one_stimulus(table)
        try:
            total = total + part
        except ParameterError as err:
            raise table.error(str(err)) from None
    return total


def _build_projections(top: _Table) -> tuple[Projection, ...]:
    value = top.options.get("projection")
    if value is None:
        return ()
    if not (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
        raise top.error("projection must be an array of [[projection]] tables", "projection")
    projections = []
    for index, entry in enumerate(value):
        table = _Table(top.source, "projection", index, entry)
        table.check_keys(
            tuple(inspect.signature(Projection).parameters), ("source", "synapse", "weights")
        )
        arguments = {
            key: _build_part(table, key, item)
            if key in PROJECTION_PARTS and isinstance(item, dict)
            else item
            for key, item in entry.items()
        }
        try:
            projections.append(Projection(**arguments))
        except ParameterError as err:
            raise table.error(str(err), err.name if err.name in entry else None) from None
    return tuple(projections)


def _build_part(table: _Table, key: str, item: dict[str, Any]) -> Any:
    """The object an inline table ``key = { type = "...", ... }`` of a projection names."""
    types = PROJECTION_PARTS[key]
    name, choices = item.get("type"), ", ".join(sorted(types))
    if not isinstance(name, str) or name not in types:
        raise table.error(f"{key}.type = {name!r}: choose one of {choices}", key)
    cls = types[name]
    keywords = tuple(inspect.signature(cls).parameters)
    for option in item:
        if option != "type" and option not in keywords:
            raise table.error(
                f"{key}: unknown key {option!r} of {name}; valid: {', '.join(keywords)}", key
            )
    missing = [k for k in _required(cls) if k not in item]
    if missing:
        raise table.error(f"{key}: {name} needs {', '.join(missing)}", key)
    try:
        return cls(**{k: v for k, v in item.items() if k != "type"})
    except ParameterError as err:
        raise table.error(f"{key}: {err}", key) from None
    except TypeError as err:
        raise table.error(f"{key}: a value has the wrong TOML type ({err})", key) from None


def _build_one_stimulus(table: _Table) -> Stimulus:
    cls = table.type_of(STIMULUS_TYPES)
    table.check_keys(("type", *inspect.signature(cls).parameters), _required(cls))
    return table.construct(cls)


def _required(cls: type) -> tuple[str, ...]:
    parameters = inspect.signature(cls).parameters.items()
    return tuple(name for name, p in parameters if p.default is inspect.Parameter.empty)
