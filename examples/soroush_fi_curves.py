"""f-I curves of the Soroush report's three neurons: LIF, adaptive LIF and AdEx.

Each curve is ONE vectorised population run (lifkit.analysis.fi_curve): neuron i of a
population of copies of the model receives the constant current I_i for 1 s, and its rate
counts the spikes after a 200 ms onset transient (the adaptation settles with
tau_w = 100 ms). Adaptation lowers the curve; every curve stays below 1/t_ref = 500 Hz.

    python examples/soroush_fi_curves.py   # prints the table, writes soroush_fi_curves.png
"""

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import lifkit as lk
from lifkit.analysis import fi_curve

MODELS = {"LIF": lk.LIF, "adaptive LIF": lk.AdaptiveLIF, "AdEx": lk.AdEx}
CURRENTS = np.linspace(0.0, 1.0, 41)  # nA


def fi_curves(currents=CURRENTS, duration=1000.0, start=200.0):
    """{name: FICurve} of the three models under constant currents (nA), one run each."""
    return {
        name: fi_curve(cls.preset("soroush"), currents, duration=duration, start=start)
        for name, cls in MODELS.items()
    }


def main():
    curves = fi_curves()
    currents = curves["LIF"].currents
    print("I (nA)  " + "  ".join(f"{name:>12}" for name in curves) + "   (Hz)")
    for i in range(0, currents.size, 4):
        print(f"{currents[i]:6.3f}  " + "  ".join(f"{c.rates[i]:12.1f}" for c in curves.values()))
    figure = Figure(figsize=(6.0, 4.0), layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.subplots()
    for name, curve in curves.items():
        ax.plot(curve.currents, curve.rates, marker=".", label=name)
    ax.set_xlabel("I (nA)")
    ax.set_ylabel("rate (Hz)")
    ax.legend(frameon=False)
    figure.savefig("soroush_fi_curves.png", dpi=120)


if __name__ == "__main__":
    main()
