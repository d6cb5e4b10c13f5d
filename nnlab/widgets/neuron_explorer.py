"""NeuronExplorer: move a neuron's weights and bias, and watch what it computes.

One neuron with two inputs, in the glossary's symbols:

    z = w1 x1 + w2 x2 + b        the weighted sum
    a = g(z)                     the output, through the activation g (step, linear, sigmoid,
                                 tanh, relu)

The left panel colours the input plane by the output a = g(z); the black line is where the
output crosses the yes/no threshold, i.e. where z equals the sum threshold z* (see
`nnlab.activations.SUM_THRESHOLD`).
The right panel shows g itself with the four truth-table rows placed at their weighted sums.
Pick a target gate and the widget marks every row right or wrong.
"""

import ipywidgets as ipw
import numpy as np

from nnlab import datasets
from nnlab.activations import OUTPUT_THRESHOLD, SUM_THRESHOLD
from nnlab.decision_line import boundary_line
from nnlab.gates import INPUTS
from nnlab.neuron import Neuron

from . import style
from .base import Widget, number
from .canvas import Canvas

__all__ = ["NeuronExplorer", "OUTPUT_THRESHOLD", "SUM_THRESHOLD"]

ACTIVATIONS = ("step", "linear", "sigmoid", "tanh", "relu")
GATE_NAMES = ("none", "AND", "OR", "NAND", "NOR", "XOR")


WHY_NOT_XOR = (
    "XOR cannot be solved by one neuron: its 1-rows (0,1) and (1,0) sit on one diagonal and its "
    "0-rows (0,0) and (1,1) on the other, and no single straight line separates them. "
    "It needs two layers, e.g. XOR = AND(OR, NAND)."
)

_LIMITS = (-0.5, 1.5)          # the input plane shown: x1 and x2 in [-0.5, 1.5]
_GRID = 101                    # heatmap resolution per side
_HALF_CELL = (_LIMITS[1] - _LIMITS[0]) / (_GRID - 1) / 2
#: the heat map's cells are centred on the grid's points, where the output was computed
_EXTENT = (_LIMITS[0] - _HALF_CELL, _LIMITS[1] + _HALF_CELL) * 2
_Z_RANGE = (-7.0, 7.0)         # the z axis of the activation panel
_CURVE_LIMITS = {"step": (-0.1, 1.1), "sigmoid": (-0.1, 1.1), "tanh": (-1.15, 1.15),
                 "linear": (-3.0, 3.0), "relu": (-0.5, 3.0)}
_WIDTH, _HEIGHT = 740, 335     # the picture, in CSS pixels
_CURVE = "#4d4d4d"             # the activation's curve: dark grey
_GREY = "#808080"              # the dashed threshold line


def _check_gate(gate):
    if gate is None:
        return None
    if not isinstance(gate, str):
        raise TypeError(f"gate must be None or one of {', '.join(GATE_NAMES)}, but got {gate!r}")
    for name in GATE_NAMES:
        if gate.strip().lower() == name.lower():
            return None if name == "none" else name
    raise ValueError(f"gate must be None or one of {', '.join(GATE_NAMES)}, but got {gate!r}")


class NeuronExplorer(Widget):
    """One neuron with two inputs, three sliders and a target logic gate.

    Parameters
    ----------
    gate : None or str, default None
        The target gate to start with: 'AND', 'OR', 'NAND', 'NOR', 'XOR' (any case) or None.

    Controls
    --------
    ``w1``, ``w2``, ``bias`` (sliders), ``activation`` (dropdown), ``gate`` (dropdown), and the
    readouts ``table`` (weighted sum and output per row) and ``status``.

    State
    -----
    ``weighted_sums`` and ``outputs`` (4 floats, one per row (0,0), (0,1), (1,0), (1,1)),
    ``answers`` (the output read as 0/1), ``threshold`` and ``sum_threshold``, ``targets``,
    ``correct`` (None without a gate), ``n_correct``, ``solved`` and ``message``.

    Notes
    -----
    The output counts as a "1" when it is >= 0.5 for step, sigmoid, relu and linear, and when it is
    >= 0 for tanh (whose outputs lie between -1 and 1). "solved" means all four rows give the
    target's answer. XOR is never solved: no single straight line separates its classes.

    Examples
    --------
    >>> explorer = NeuronExplorer(gate='OR')
    >>> explorer.controls['w1'].value = 1.0
    >>> explorer.controls['w2'].value = 1.0
    >>> explorer.controls['bias'].value = -1.0
    >>> explorer.state['solved']
    True
    >>> print(explorer.describe())  # doctest: +NORMALIZE_WHITESPACE
    Activation step: the neuron answers 1 where z = w1 x1 + w2 x2 + b >= 0, with w1 = 1.0, w2 = 1.0,
    b = -1.0. The decision line crosses the x1 axis at 1.00 and the x2 axis at 1.00. Rows 01, 10,
    11 answer 1; row 00 answers 0. Target OR: 4 of 4 rows right; the OR gate is solved.
    >>> explorer                                   # displays the widget  # doctest: +SKIP
    """

    figure_label = "neuron explorer figure: the input plane and the activation"

    def __init__(self, gate=None):
        super().__init__()
        gate = _check_gate(gate)
        wide = {"description_width": "initial"}

        def slider(description, value, tooltip):
            return ipw.FloatSlider(value=value, min=-3.0, max=3.0, step=0.1,
                                   description=description, tooltip=tooltip,
                                   readout_format=".1f", style=wide)

        self.controls = {
            "w1": slider("weight w1", 0.5, "how strongly input x1 counts"),
            "w2": slider("weight w2", -0.5, "how strongly input x2 counts"),
            "bias": slider("bias b", 0.0, "added to the weighted sum: shifts the line"),
            "activation": ipw.Dropdown(options=ACTIVATIONS, value="step",
                                       description="activation g", style=wide),
            "gate": ipw.Dropdown(options=GATE_NAMES, value=gate or "none",
                                 description="target gate", style=wide),
            "table": ipw.HTML(),
            "status": ipw.HTML(),
        }
        # every pixel centre of the heatmap as one input row, shape (_GRID * _GRID, 2)
        _, _, self._grid = datasets.grid(_LIMITS, _LIMITS, _GRID)
        self._z_curve = np.linspace(*_Z_RANGE, 401)
        self._build_figure()
        self._connect(["w1", "w2", "bias", "activation", "gate"])
        self.update()

    # ------------------------------------------------------------------ state
    def compute(self):
        c = self.controls
        name = c["activation"].value
        neuron = Neuron([c["w1"].value, c["w2"].value], bias=c["bias"].value, activation=name)
        z = neuron.weighted_sum(INPUTS)
        out = neuron(INPUTS)
        threshold = OUTPUT_THRESHOLD[name]
        answers = [int(v >= threshold) for v in out]
        gate = _check_gate(c["gate"].value)

        state = {
            "w1": float(c["w1"].value), "w2": float(c["w2"].value), "bias": float(c["bias"].value),
            "activation": name, "gate": gate,
            "inputs": INPUTS.tolist(),
            "weighted_sums": [float(v) for v in z],
            "outputs": [float(v) for v in out],
            "threshold": threshold, "sum_threshold": SUM_THRESHOLD[name],
            "answers": answers,
            "targets": None, "correct": None, "n_correct": None, "solved": False,
        }
        if gate is None:
            state["message"] = "Pick a target gate to check the neuron's answers against it."
        else:
            _, y = datasets.logic_gate(gate)
            targets = [int(t) for t in y]
            correct = [a == t for a, t in zip(answers, targets)]
            n_correct = sum(correct)
            solved = n_correct == 4
            if solved:
                message = f"Solved: this neuron computes {gate}."
            else:
                message = f"{n_correct} of 4 rows right for {gate}."
            if gate == "XOR":
                message += " " + WHY_NOT_XOR
            state.update(targets=targets, correct=correct, n_correct=n_correct, solved=solved,
                         message=message)
        self.state = state
        # arrays for drawing only (state holds plain values): the output on every pixel, and g
        self._heatmap = neuron(self._grid).reshape(_GRID, _GRID)
        self._curve_values = neuron.activation(self._z_curve)

    def describe(self):
        s = self.state
        w1, w2, b, z_star = s["w1"], s["w2"], s["bias"], s["sum_threshold"]
        text = (f"Activation {s['activation']}: the neuron answers 1 where z = w1 x1 + w2 x2 + b "
                f">= {z_star:g}, with w1 = {number(w1, 1)}, w2 = {number(w2, 1)}, "
                f"b = {number(b, 1)}. ")
        if w1 == 0 and w2 == 0:
            text += (f"There is no decision line: z = b everywhere, so every input gets the same "
                     f"answer, {int(b >= z_star)}. ")
        elif w2 == 0:
            text += f"The decision line is the vertical line x1 = {number((z_star - b) / w1)}. "
        elif w1 == 0:
            text += f"The decision line is the horizontal line x2 = {number((z_star - b) / w2)}. "
        else:
            text += (f"The decision line crosses the x1 axis at {number((z_star - b) / w1)} and "
                     f"the x2 axis at {number((z_star - b) / w2)}. ")
        rows = ["".join(f"{v:g}" for v in x) for x in s["inputs"]]
        parts = []
        for answer in (1, 0):
            chosen = [r for r, a in zip(rows, s["answers"]) if a == answer]
            if len(chosen) == 1:
                parts.append(f"row {chosen[0]} answers {answer}")
            elif chosen:
                parts.append(f"rows {', '.join(chosen)} answer {answer}")
        text += "; ".join(parts).capitalize() + ". "
        if s["gate"] is not None:
            text += f"Target {s['gate']}: {s['n_correct']} of 4 rows right"
            wrong = [r for r, ok in zip(rows, s["correct"]) if not ok]
            if s["solved"]:
                text += f"; the {s['gate']} gate is solved."
            else:
                text += f" (wrong: {', '.join(wrong)})."
                if s["gate"] == "XOR":
                    text += " No single line solves XOR."
        return text

    # ------------------------------------------------------------------ view
    def _build_figure(self):
        """The picture, drawn in the browser (canvas.py): the input plane on the left, the
        activation on the right, and one line of status above them."""
        self.canvas = Canvas(width=_WIDTH, height=_HEIGHT, label=self.figure_label)
        # one short line over both panels: "solved: OR", "3 of 4 right for AND", ...
        self._status_panel = self.canvas.panel("status", left=0, top=0, width=_WIDTH, height=22,
                                               frame=False, xticks=[], yticks=[])
        # left: the output a = g(z) over the input plane, the decision line and the four rows
        self._map = self.canvas.panel("map", left=55, top=42, width=250, height=250,
                                      xlim=_LIMITS, ylim=_LIMITS, xticks=(0, 1), yticks=(0, 1),
                                      xlabel="x1", ylabel="x2", title="output a = g(z)")
        # right: the activation a = g(z), the threshold, and each row at its weighted sum
        self._plot = self.canvas.panel("activation", left=350, top=42, width=370, height=250,
                                       xlim=_Z_RANGE, ylim=_CURVE_LIMITS["step"],
                                       xticks=(-5, 0, 5), yticks=(0.5,),
                                       xlabel="weighted sum z", title="g = step")

    def draw(self):
        s = self.state
        name = s["activation"]
        self._map.image("output", self._heatmap, *self._color_range(name), extent=_EXTENT)
        xs, ys = boundary_line((s["w1"], s["w2"]), s["bias"], _LIMITS, _LIMITS,
                               level=s["sum_threshold"])
        self._map.line("boundary", xs, ys, color=style.CURRENT, width=2)    # the black line

        if s["targets"] is None:                 # white circles: no target to compare with
            look = {"fill": "#ffffff", "shape": "o", "ring": None}
        else:                                    # target 0: orange circle, 1: blue square
            look = {"classes": s["targets"],
                    "ring": ["" if ok else style.WRONG for ok in s["correct"]]}
        inputs = np.asarray(s["inputs"])
        self._map.points("rows", inputs[:, 0], inputs[:, 1], size=13, edge=style.CURRENT,
                         width=1.5, **look)

        # one y tick, on the dashed threshold line: above it the neuron answers 1
        self._plot.set(ylim=_CURVE_LIMITS[name], yticks=[s["threshold"]], title=f"g = {name}")
        self._plot.line("threshold", _Z_RANGE, [s["threshold"]] * 2, color=_GREY, width=1,
                        dash="dashed")
        self._plot.line("sum_threshold", [s["sum_threshold"]] * 2, _CURVE_LIMITS[name],
                        color=style.CURRENT, width=1)
        self._plot.line("curve", self._z_curve, self._curve_values, color=_CURVE, width=1.5)
        z = np.clip(s["weighted_sums"], *_Z_RANGE)
        self._plot.points("rows", z, s["outputs"], size=9, edge=style.CURRENT, width=1.5,
                          **look)
        self._plot.text("g", _Z_RANGE[0] + 0.25, _CURVE_LIMITS[name][1], "a = g(z)",
                        align="left", baseline="top", size=12)

        if s["gate"] is None:
            status = ""
        elif s["solved"]:
            status = f"solved: {s['gate']}"
        elif s["gate"] == "XOR":
            status = f"{s['n_correct']} of 4: XOR needs two layers"
        else:
            status = f"{s['n_correct']} of 4 right for {s['gate']}"
        self._status_panel.text("status", 0.5, 0.5, status, size=14,
                                color=style.POSITIVE if s["solved"] else style.TEXT)

    def finish(self):
        """The readouts under the picture, sent after it (the picture is what a slider is
        watched for)."""
        self.controls["table"].value = self._table_html()
        self.controls["status"].value = f"<b>{self.state['message']}</b>"

    @staticmethod
    def _color_range(name):
        # centred on the threshold, so orange means "answer 0" and blue "answer 1"
        if name == "linear":
            return -0.5, 1.5
        if name == "relu":
            return 0.0, 1.0
        return style.output_range(name)

    def _table_html(self):
        s = self.state
        header = "<tr><th>x1</th><th>x2</th><th>z = w1 x1 + w2 x2 + b</th><th>a = g(z)</th>" \
                 "<th>answer</th>"
        if s["targets"] is not None:
            header += f"<th>{s['gate']}</th><th>check</th>"
        rows = []
        for i, (x1, x2) in enumerate(s["inputs"]):
            cells = [f"{x1:g}", f"{x2:g}", f"{s['weighted_sums'][i]:+.2f}",
                     f"{s['outputs'][i]:.3f}", str(s["answers"][i])]
            if s["targets"] is not None:
                ok = s["correct"][i]
                mark = "right" if ok else "wrong"
                color = style.RIGHT if ok else style.WRONG
                cells += [str(s["targets"][i]), f"<span style='color:{color}'>{mark}</span>"]
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        return ("<table style='text-align:center; border-spacing:10px 2px'>"
                + header + "</tr>" + "".join(rows) + "</table>")

    def layout(self):
        c = self.controls
        sliders = ipw.VBox([c["w1"], c["w2"], c["bias"]])
        choices = ipw.VBox([c["activation"], c["gate"]])
        return ipw.VBox([ipw.HBox([sliders, choices]), self.figure_widget(),
                           ipw.HBox([c["table"]]), c["status"]])
