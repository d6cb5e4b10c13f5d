"""ActivationExplorer: an activation function, its slope, and softmax on three scores.

Left: f(z) with the point (z, f(z)) and the tangent there, whose slope is the derivative
f'(z). Middle: f'(z) itself, the number backpropagation multiplies by. Right: softmax turning
three scores into three probabilities that add up to 1:

    softmax(z)_i = exp(z_i) / (exp(z_1) + exp(z_2) + exp(z_3))
"""

import ipywidgets as ipw
import numpy as np

from nnlab import activations

from . import style
from .base import Widget, number
from .canvas import Canvas

__all__ = ["ActivationExplorer"]

ACTIVATIONS = ("step", "linear", "sigmoid", "tanh", "relu", "leaky_relu")
_Z_RANGE = (-5.0, 5.0)
_TANGENT_HALF_WIDTH = 1.5      # the tangent is drawn for z0 - 1.5 <= z <= z0 + 1.5
_WIDTH, _HEIGHT = 840, 290     # the picture, in CSS pixels
_CURVE = "#4d4d4d"             # the curves: dark grey
_FAINT = "#cccccc"             # the axes z = 0 and f = 0

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
    >>> explorer = ActivationExplorer()
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
        """The picture, drawn in the browser (canvas.py): f with its tangent, f', softmax."""
        self.canvas = Canvas(width=_WIDTH, height=_HEIGHT, label=self.figure_label)
        box = {"top": 30, "height": 220, "xlim": _Z_RANGE, "xticks": (-4, 0, 4), "xlabel": "z"}
        self._f = self.canvas.panel("f", left=45, width=230, **box)
        self._d = self.canvas.panel("slope", left=335, width=230, **box)
        self._s = self.canvas.panel("softmax", left=625, top=30, width=195, height=220,
                                    xlim=(-0.5, 2.5), ylim=(0.0, 1.12), xticks=(0, 1, 2),
                                    yticks=(0, 0.5, 1), xlabel="class")

    def draw(self):
        s = self.state
        name = s["activation"]
        for panel, values, y, title in (
                (self._f, self._f_values, s["value"], f"{name}: f(z) = {s['value']:.3f}"),
                (self._d, self._slope_values, s["derivative"],
                 f"slope f'(z) = {s['derivative']:.3f}")):
            low, high = _limits(values)
            panel.set(ylim=(low, high), yticks=None, title=title)
            # the axes z = 0 and f = 0, faint, under everything
            panel.segments("zero", [_Z_RANGE[0], 0.0], [0.0, low], [_Z_RANGE[1], 0.0],
                           [0.0, high], color=_FAINT, width=0.8)
            panel.line("curve", self._z, values, color=_CURVE, width=1.5)
            if panel is self._f:
                panel.line("tangent", *s["tangent"], color=style.CURRENT, width=1.5,
                           dash="dashed")
            panel.points("point", [s["z"]], [y], fill=style.CURRENT, size=8, edge=None)

        # class 0 orange, class 1 blue, class 2 green, as everywhere in the course; not by
        # colour alone: each bar stands over its class number and carries its class's shape
        p = np.asarray(s["probabilities"])
        classes = np.arange(3.0)
        self._s.set(title=f"softmax, sum {s['probability_sum']:.2f}")
        self._s.rects("bars", classes - 0.3, np.zeros(3), classes + 0.3, p,
                      fill=style.CLASS_COLORS, edge=style.EDGE)
        self._s.points("shapes", classes, np.full(3, 0.07), classes=[0, 1, 2], size=9)
        self._s.texts("values", classes, p + 0.02, [f"{v:.2f}" for v in p], size=11,
                      baseline="bottom")

    def finish(self):
        """The readouts under the picture, sent after it (the picture is what a slider is
        watched for)."""
        s = self.state
        self.controls["readout"].value = (
            f"<b>f(z) = {s['value']:.4f}</b>, <b>f'(z) = {s['derivative']:.4f}</b> "
            f"(the slope of the tangent). {s['note']}")
        probs = ", ".join(f"{p:.3f}" for p in s["probabilities"])
        scores = ", ".join(f"{v:.1f}" for v in s["scores"])
        self.controls["softmax_readout"].value = (
            f"softmax([{scores}]) = [{probs}]; the probabilities add up to "
            f"{s['probability_sum']:.3f}. The largest score gets the largest share.")

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
