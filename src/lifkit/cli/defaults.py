"""``lifkit defaults``: the parameter presets of a model, with units and meaning."""

from __future__ import annotations

from ..experiment import MODEL_TYPES
from ..models._params import ParameterRecord
from .errors import CommandError


def format_defaults(model: str, preset: str | None = None) -> str:
    """The presets of ``model`` (case-insensitive type name), or only ``preset``, as tables.

    >>> print(format_defaults("lif", "neurodynex"))  # doctest: +NORMALIZE_WHITESPACE
    LIF preset 'neurodynex'   (lifkit.LIF.preset('neurodynex'); in a file: preset = "neurodynex")
    tau_m               8 ms   membrane time constant
    R                  10 MΩ   membrane resistance (1/g_L)
    v_rest            -70 mV   resting potential (E_L)
    v_reset           -65 mV   reset potential after a spike
    v_th              -50 mV   firing threshold
    t_ref               2 ms   absolute refractory period (v held at v_reset)
    v_init            -70 mV   membrane potential at t = 0
    """
    cls = _model_type(model)
    names = list(cls.PRESETS) if preset is None else [preset]
    blocks = []
    for name in names:
        parameters = cls.preset(name)
        title = (
            f"{cls.__name__} preset {name!r}   (lifkit.{cls.__name__}.preset({name!r}); "
            f'in a file: preset = "{name}")'
        )
        blocks.append(f"{title}\n{parameters.describe()}")
    return "\n\n".join(blocks)


def _model_type(name: str) -> type[ParameterRecord]:
    by_lower = {key.lower(): cls for key, cls in MODEL_TYPES.items()}
    if name.lower() not in by_lower:
        raise CommandError(f"unknown model {name!r}; choose one of {', '.join(MODEL_TYPES)}")
    return by_lower[name.lower()]
