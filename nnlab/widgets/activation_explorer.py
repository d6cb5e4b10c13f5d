"""ActivationExplorer: an activation function, its slope, and softmax on three scores.

Left: f(z) with the point (z, f(z)) and the tangent there, whose slope is the derivative
f'(z). Middle: f'(z) itself, the number backpropagation multiplies by. Right: softmax turning
three scores into three probabilities that add up to 1:

    softmax(z)_i = exp(z_i) / (exp(z_1) + exp(z_2) + exp(z_3))
"""

import ipywidgets as ipw
import numpy as np
from matplotlib.ticker import MaxNLocator

from nnlab import activations

from . import style
from .base import Widget, new_figure, number
from .blitting import Blitter
from .style import axes_label

__all__ = ["ActivationExplorer"]

ACTIVATIONS = ("step", "linear", "sigmoid", "tanh", "relu", "leaky_relu")
_Z_RANGE = (-5.0, 5.0)
_TANGENT_HALF_WIDTH = 1.5      # the tangent is drawn for z0 - 1.5 <= z <= z0 + 1.5

#: A sentence per activation about its slope, shown under the figure.
NOTES = {
    "step": "The slope is 0 everywhere (and undefined at 0): a step neuron gives gradient descent "
            "nothing to follow, which is why networks use smooth activations.",
    "linear": "The slope is always 1. Layers of linear neurons stack up to one linear function.",
    "sigmoid": "f'(z) = f(z)(1 - f(z)) is at most 0.25 (at z = 0) and almost 0 for large |z|: "
               "a saturated neuron learns slowly.",
    "tanh": "f'(z) = 1 - f(z)^2 is at most 1 (at z = 0); like sigmoid it saturates for large |z|, "
            "but its outputs are centred on 0.",
    "relu": "The slope is 1 for z > 0 and 0 for z < 0: cheap, and it does not saturate for "
            "positive z, but a neuron stuck at z < 0 stops learning.",
    "leaky_relu": "Like ReLU, but with a small slope (0.01) for z < 0, so it never stops learning.",
}


class ActivationExplorer(Widget):
    """Choose an activation, move z, and read f(z), f'(z) and the tangent; play with softmax.

    Controls
    --------
    ``activation`` (dropdown), ``z`` (slider), ``score0``, ``score1``, ``score2`` (softmax
    sliders), and the readouts ``readout`` and ``softmax_readout``.

    State
    -----
    ``activation``, ``z``, ``value`` (f(z)), ``derivative`` (f'(z)), ``tangent`` (the two end points
    of the tangent line), ``scores``, ``probabilities`` (softmax of the scores) and
    ``probability_sum``.

    Examples
    --------
    >>> explorer = ActivationExplorer()           # in a notebook, run %matplotlib widget first
    >>> explorer.controls['activation'].value = 'sigmoid'
    >>> explorer.controls['z'].value = 0.0
    >>> explorer.state['value'], explorer.state['derivative']
    (0.5, 0.25)
    >>> print(explorer.describe())  # doctest: +NORMALIZE_WHITESPACE
    sigmoid at z = 0.0: f(z) = 0.500 and its slope f'(z) = 0.250, so the tangent rises. Softmax
    turns the scores 2.0, 1.0, 0.1 into the probabilities 0.66, 0.24, 0.10 of classes 0, 1, 2
    (they add up to 1.00); class 0 is the most probable.
    >>> explorer                                   # displays the widget  # doctest: +SKIP
    """

    figure_label = "activation explorer figure: f(z), its slope, and softmax"

    def __init__(self):
        super().__init__()
        wide = {"description_width": "initial"}

        def score(i, value):
            return ipw.FloatSlider(value=value, min=-4.0, max=4.0, step=0.1,
                                   description=f"score of class {i}", readout_format=".1f",
                                   style=wide)

        self.controls = {
            "activation": ipw.Dropdown(options=ACTIVATIONS, value="sigmoid",
                                       description="activation f", style=wide),
            "z": ipw.FloatSlider(value=1.0, min=_Z_RANGE[0], max=_Z_RANGE[1], step=0.1,
                                 description="input z", readout_format=".1f", style=wide),
            "score0": score(0, 2.0),
            "score1": score(1, 1.0),
            "score2": score(2, 0.1),
            "readout": ipw.HTML(),
            "softmax_readout": ipw.HTML(),
        }
        self._z = np.linspace(*_Z_RANGE, 401)
        self._build_figure()
        self._connect(["activation", "z", "score0", "score1", "score2"])
        self.update()

    # ------------------------------------------------------------------ state
    def compute(self):
        c = self.controls
        act = activations.get(c["activation"].value)
        z0 = float(c["z"].value)
        value = float(act(z0))
        slope = float(act.derivative(z0))
        # the tangent at z0: y = f(z0) + f'(z0) (z - z0)
        tz = np.array([z0 - _TANGENT_HALF_WIDTH, z0 + _TANGENT_HALF_WIDTH])
        scores = [float(c[f"score{i}"].value) for i in (0, 1, 2)]
        probabilities = activations.softmax(np.array(scores))
        self.state = {
            "activation": act.name,
            "z": z0,
            "value": value,
            "derivative": slope,
            "tangent": (tz.tolist(), (value + slope * (tz - z0)).tolist()),
            "scores": scores,
            "probabilities": [float(p) for p in probabilities],
            "probability_sum": float(np.sum(probabilities)),
            "note": NOTES[act.name],
        }
        # arrays for drawing only (state holds plain values): f and f' along the z axis
        self._f_values = act(self._z)
        self._slope_values = act.derivative(self._z)

    def describe(self):
        s = self.state
        slope = s["derivative"]
        trend = "rises" if slope > 0 else "falls" if slope < 0 else "is flat"
        probabilities = s["probabilities"]
        best = max(range(3), key=probabilities.__getitem__)
        return (f"{s['activation']} at z = {number(s['z'], 1)}: f(z) = {number(s['value'], 3)} "
                f"and its slope f'(z) = {number(slope, 3)}, so the tangent {trend}. Softmax turns "
                f"the scores {', '.join(number(v, 1) for v in s['scores'])} into the "
                f"probabilities {', '.join(number(p) for p in probabilities)} of classes 0, 1, 2 "
                f"(they add up to {number(s['probability_sum'])}); class {best} is the most "
                "probable.")

    # ------------------------------------------------------------------ view
    def _build_figure(self):
        fig = new_figure(9.0, 3.3)
        self.figure = fig
        ax_f, ax_d, ax_s = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.2, 1.2, 1.0]})
        fig.subplots_adjust(left=0.06, right=0.98, bottom=0.16, top=0.88, wspace=0.32)
        self._ax_f, self._ax_d, self._ax_s = ax_f, ax_d, ax_s
        zeros = np.zeros_like(self._z)

        (self._curve,) = ax_f.plot(self._z, zeros, color="0.3")
        (self._tangent,) = ax_f.plot([], [], color=style.CURRENT, lw=1.5, ls="--")   # dashed
        (self._point,) = ax_f.plot([], [], "o", color=style.CURRENT, ms=7)
        # few, short texts and plain labels: text is what costs most to redraw
        self._title_f = axes_label(ax_f, 0.5, 1.05, "")
        axes_label(ax_f, 0.5, -0.13, "z")

        (self._slope_curve,) = ax_d.plot(self._z, zeros, color="0.3")
        (self._slope_point,) = ax_d.plot([], [], "o", color=style.CURRENT, ms=7)
        self._title_d = axes_label(ax_d, 0.5, 1.05, "")
        axes_label(ax_d, 0.5, -0.13, "z")
        for ax in (ax_f, ax_d):
            ax.set_xlim(_Z_RANGE)
            ax.set_xticks([-4, 0, 4])
            ax.yaxis.set_major_locator(MaxNLocator(4))
            ax.axhline(0.0, color="0.8", lw=0.8, zorder=0)
            ax.axvline(0.0, color="0.8", lw=0.8, zorder=0)

        # class 0 orange, class 1 blue, class 2 green, as everywhere in the course
        # ... and, not by colour alone, each bar hatched like no other
        self._bars = ax_s.bar([0, 1, 2], [0, 0, 0], color=style.CLASS_COLORS, width=0.6,
                              edgecolor=style.EDGE, hatch=["", "//", ".."])
        self._bar_labels = [ax_s.text(i, 0.0, "", ha="center", va="bottom", fontsize=9)
                            for i in (0, 1, 2)]
        ax_s.set_ylim(0.0, 1.12)
        ax_s.set_yticks([0, 0.5, 1])
        ax_s.set_xticks([0, 1, 2])
        ax_s.set_xticklabels(["class 0", "class 1", "class 2"])
        self._title_s = axes_label(ax_s, 0.5, 1.05, "")
        # What the controls move (and the frames over it) is redrawn over a saved picture of the
        # axes (see blitting.py); a new activation changes the y limits: everything is drawn.
        moving = [self._curve, self._tangent, self._point, self._title_f, self._slope_curve,
                  self._slope_point, self._title_d, *self._bars, *self._bar_labels,
                  self._title_s, *(spine for ax in (ax_f, ax_d, ax_s)
                                   for spine in ax.spines.values())]
        self._blitter = Blitter(fig, lambda: moving)

    def draw(self):
        s = self.state
        name = s["activation"]
        self._curve.set_ydata(self._f_values)
        self._tangent.set_data(*s["tangent"])
        self._point.set_data([s["z"]], [s["value"]])
        self._slope_curve.set_ydata(self._slope_values)
        self._slope_point.set_data([s["z"]], [s["derivative"]])
        limits = (_limits(self._f_values), _limits(self._slope_values))
        if limits != (self._ax_f.get_ylim(), self._ax_d.get_ylim()):
            self._ax_f.set_ylim(limits[0])
            self._ax_d.set_ylim(limits[1])
            self._blitter.invalidate()
        self._title_f.set_text(f"{name}: f(z) = {s['value']:.3f}")
        self._title_d.set_text(f"slope f'(z) = {s['derivative']:.3f}")

        for bar, label, p in zip(self._bars, self._bar_labels, s["probabilities"]):
            bar.set_height(p)
            label.set_y(p + 0.02)
            label.set_text(f"{p:.2f}")
        self._title_s.set_text(f"softmax, sum {s['probability_sum']:.2f}")

        self.controls["readout"].value = (
            f"<b>f(z) = {s['value']:.4f}</b>, <b>f'(z) = {s['derivative']:.4f}</b> "
            f"(the slope of the tangent). {s['note']}")
        probs = ", ".join(f"{p:.3f}" for p in s["probabilities"])
        scores = ", ".join(f"{v:.1f}" for v in s["scores"])
        self.controls["softmax_readout"].value = (
            f"softmax([{scores}]) = [{probs}]; the probabilities add up to "
            f"{s['probability_sum']:.3f}. The largest score gets the largest share.")

    def redraw(self):
        self._blitter.render()

    def layout(self):
        c = self.controls
        left = ipw.VBox([c["activation"], c["z"]])
        right = ipw.VBox([c["score0"], c["score1"], c["score2"]])
        return ipw.VBox([ipw.HBox([left, right]), self.figure_widget(), c["readout"],
                           c["softmax_readout"]])


def _limits(values, pad=0.1):
    """y limits showing all `values` and 0, with some room, at least 0.5 tall."""
    low, high = min(float(np.min(values)), 0.0), max(float(np.max(values)), 0.0)
    high = max(high, low + 0.5)
    room = pad * (high - low)
    return low - room, high + room
