"""High-precision spike times of the adaptive LIF and AdEx, independent of lifkit.

scipy's DOP853 with event location (rtol = atol = 1e-12) integrates

    C_m dV/dt = -g_L (V - E_L) [+ g_L Delta_T exp((V - v_T)/Delta_T)] - w + I(t)
    tau_w dw/dt = a (V - E_L) - w

in ms, mV, nA, µS, nF. The AdEx upswing reaches v_peak a hair before V blows up
(1e-23 ms before it for Delta_T = 1 mV, v_peak = 0 mV), which no integrator resolves in
V; past v_T it is integrated in z = exp(-(V - v_T)/Delta_T), where the spike is the
regular crossing z = exp(-(v_peak - v_T)/Delta_T). At a spike V -> v_reset, w -> w + b;
for t_ref V is held at v_reset and w relaxes in closed form. The current's edges are
integration boundaries. Run ``python tests/reference/adaptive_reference.py`` to write
``adaptive_reference.json`` (about 20 s).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

from scipy.integrate import solve_ivp

TOL = dict(method="DOP853", rtol=1e-12, atol=1e-12)
OUT = Path(__file__).with_name("adaptive_reference.json")

#: Parameters in ms, mV, nA, µS, nF. "exp" False: the adaptive LIF (spike at v_th).
MODELS: dict[str, dict] = {
    "alif_soroush": dict(
        exp=False,
        C_m=0.1,
        g_L=0.01,
        E_L=-75.0,
        v_reset=-75.0,
        v_th=-55.0,
        t_ref=2.0,
        a=0.006,
        b=0.01,
        tau_w=100.0,
        v_init=-65.0,
        w_init=0.0,
    ),
    "adex_soroush": dict(
        exp=True,
        C_m=0.1,
        g_L=0.01,
        E_L=-75.0,
        v_reset=-75.0,
        v_T=-55.0,
        Delta_T=1.0,
        v_peak=0.0,
        t_ref=2.0,
        a=0.006,
        b=0.01,
        tau_w=100.0,
        v_init=-65.0,
        w_init=0.0,
    ),
    "adex_brette_gerstner_2005": dict(
        exp=True,
        C_m=0.281,
        g_L=0.030,
        E_L=-70.6,
        v_reset=-70.6,
        v_T=-50.4,
        Delta_T=2.0,
        v_peak=-40.4,
        t_ref=0.0,
        a=0.004,
        b=0.0805,
        tau_w=144.0,
        v_init=-70.6,
        w_init=0.0,
    ),
}
#: The Soroush report's stimuli over 400 ms, as functions of the model's step amplitude
#: (its "level", nA: 300 pA as in the report, 800 pA for Brette & Gerstner, whose rheobase
#: is higher): (I(t) in nA, edges in ms). The ramp is the report's 10 t pA for both.
STIMULI: dict[str, Callable[[float], tuple[Callable[[float], float], tuple[float, ...]]]] = {
    "constant": lambda level: (lambda t: level, ()),
    "step": lambda level: (lambda t: level if 100.0 <= t < 300.0 else 0.0, (100.0, 300.0)),
    "ramp": lambda level: (lambda t: 0.01 * t if t < 400.0 else 0.0, ()),
}
LEVELS = {"alif_soroush": 0.3, "adex_soroush": 0.3, "adex_brette_gerstner_2005": 0.8}
DURATION = 400.0
#: Neurons of the benchmark population (Brette & Gerstner 2005, 1 s, I = 0..1 nA over
#: 100000 neurons): every 5000th, I = i / 99999 nA.
BENCHMARK_NEURONS = [*range(0, 100_000, 5000), 99_999]
BENCHMARK_DURATION = 1000.0


def spike_times(p: dict, current: Callable[[float], float], edges, duration: float) -> list:
    """Every spike time (ms) of model ``p`` under ``current`` over [0, duration]."""
    spikes: list[float] = []
    t, v, w = 0.0, p["v_init"], p["w_init"]
    bounds = sorted({e for e in edges if 0.0 < e < duration} | {duration})
    while t < duration:
        stop = next(e for e in bounds if e > t)
        t, v, w, spiked = _advance(p, current, t, stop, v, w)
        if spiked:
            spikes.append(t)
            w += p["b"]
            end = min(t + p["t_ref"], duration)
            w_inf = p["a"] * (p["v_reset"] - p["E_L"])
            w = w_inf + (w - w_inf) * math.exp(-(end - t) / p["tau_w"])
            t, v = end, p["v_reset"]
    return spikes


def _advance(p, current, t, stop, v, w):
    """Integrate from t towards stop; returns (t, v, w, spiked) at stop or at a spike.

    Below v_T (or for the adaptive LIF) in V up to the threshold event; from v_T on in z
    until the cut or z = 1 (back at v_T, where V takes over again).
    """
    in_z = p["exp"] and v > p["v_T"]
    while t < stop:
        if in_z:
            t, v, w, spiked = _upswing(p, current, t, stop, v, w)
            if spiked:
                return t, v, w, True
            in_z = False
            continue
        cut = p["v_T"] if p["exp"] else p["v_th"]
        event = _event(lambda s, y, cut=cut: y[0] - cut, +1)
        sol = solve_ivp(
            lambda s, y: _rhs_v(p, current, s, y), (t, stop), [v, w], events=event, **TOL
        )
        if sol.status == 1:
            t, (v, w) = sol.t_events[0][0], sol.y_events[0][0]
            if not p["exp"]:
                return t, v, w, True
            v, in_z = p["v_T"], True
        else:
            t, v, w = stop, sol.y[0, -1], sol.y[1, -1]
            in_z = p["exp"] and v > p["v_T"]
    return t, v, w, False


def _upswing(p, current, t, stop, v, w):
    """Integrate in z from v >= v_T to the cut (spiked True), back to v_T, or to stop."""
    delta, v_T = p["Delta_T"], p["v_T"]
    z_peak = math.exp(-(p["v_peak"] - v_T) / delta)
    cut = _event(lambda s, y: y[0] - z_peak, -1)
    back = _event(lambda s, y: y[0] - 1.0, +1)
    z0 = math.exp(-(v - v_T) / delta)
    sol = solve_ivp(
        lambda s, y: _rhs_z(p, current, s, y), (t, stop), [z0, w], events=(cut, back), **TOL
    )
    if sol.status == 1 and sol.t_events[0].size:
        return sol.t_events[0][0], p["v_peak"], sol.y_events[0][0][1], True
    if sol.status == 1:
        return sol.t_events[1][0], v_T, sol.y_events[1][0][1], False
    z, w = sol.y[0, -1], sol.y[1, -1]
    return stop, v_T - delta * math.log(z), w, False


def _rhs_v(p, current, t, y):
    v, w = y
    leak = -p["g_L"] * (v - p["E_L"])
    if p["exp"]:
        leak += p["g_L"] * p["Delta_T"] * math.exp(min((v - p["v_T"]) / p["Delta_T"], 50.0))
    return [(leak - w + current(t)) / p["C_m"], (p["a"] * (v - p["E_L"]) - w) / p["tau_w"]]


def _rhs_z(p, current, t, y):
    z, w = y
    delta = p["Delta_T"]
    v = p["v_T"] - delta * math.log(max(z, 1e-300))
    dv_rest = (-p["g_L"] * (v - p["E_L"]) - w + current(t)) / p["C_m"]  # without exp term
    dz = -z / delta * dv_rest - p["g_L"] / p["C_m"]  # d/dt of the exp term's inverse
    return [dz, (p["a"] * (v - p["E_L"]) - w) / p["tau_w"]]


def _event(function, direction):
    function.terminal = True
    function.direction = direction
    return function


def main() -> None:
    data: dict = {
        "tolerance": TOL,
        "duration_ms": DURATION,
        "models": MODELS,
        "levels_nA": LEVELS,
        "spikes": {},
    }
    for model, p in MODELS.items():
        for name, stimulus in STIMULI.items():
            current, edges = stimulus(LEVELS[model])
            data["spikes"][f"{model}/{name}"] = spike_times(p, current, edges, DURATION)
            print(model, name, len(data["spikes"][f"{model}/{name}"]))
    p = MODELS["adex_brette_gerstner_2005"]
    currents = [i / 99_999 for i in BENCHMARK_NEURONS]
    data["benchmark"] = {
        "duration_ms": BENCHMARK_DURATION,
        "neurons": BENCHMARK_NEURONS,
        "current_nA": currents,
        "spikes": [spike_times(p, lambda t, c=c: c, (), BENCHMARK_DURATION) for c in currents],
    }
    OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print("wrote", OUT, "benchmark spikes:", sum(map(len, data["benchmark"]["spikes"])))


if __name__ == "__main__":
    main()
