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
from .base import Widget, new_figure, number
from .blitting import Blitter
from .style import axes_label

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
_Z_RANGE = (-7.0, 7.0)         # the z axis of the activation panel
_CURVE_LIMITS = {"step": (-0.1, 1.1), "sigmoid": (-0.1, 1.1), "tanh": (-1.15, 1.15),
                 "linear": (-3.0, 3.0), "relu": (-0.5, 3.0)}


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
    >>> explorer = NeuronExplorer(gate='OR')      # in a notebook, run %matplotlib widget first
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
        fig = new_figure(8.0, 3.6)
        self.figure = fig
        ax, ax_g = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.0, 1.15]})
        fig.subplots_adjust(left=0.06, right=0.98, bottom=0.12, top=0.86, wspace=0.2)
        self._ax, self._ax_g = ax, ax_g

        # left: the output a = g(z) over the input plane, the decision line and the four rows
        # The heatmap is drawn as ready-made RGBA bytes (see style.diverging_rgba).
        self._image = ax.imshow(np.zeros((_GRID, _GRID, 4), np.uint8), origin="lower",
                                extent=_LIMITS * 2, interpolation="nearest")
        (self._line,) = ax.plot([], [], color="black", lw=2)
        self._points = ax.scatter(INPUTS[:, 0], INPUTS[:, 1], s=160, zorder=3,
                                  facecolors="white", edgecolors="black", linewidths=1.5)
        ax.set_xlim(_LIMITS)
        ax.set_ylim(_LIMITS)
        # Text is what costs most to draw (each glyph, every time), so the figure keeps its
        # words few and short; the full story is in the table and status under the figure.
        # Labels and titles are plain texts at fixed places: matplotlib's axis labels and titles
        # re-measure the tick labels on every draw.
        ax.set_xticks([0, 1])
        ax.set_yticks([0, 1])
        axes_label(ax, 0.5, -0.12, "x1")
        axes_label(ax, -0.12, 0.5, "x2")
        axes_label(ax, 0.5, 1.04, "output a = g(z)")

        # right: the activation a = g(z), the threshold, and each row at its weighted sum
        (self._curve,) = ax_g.plot(self._z_curve, np.zeros_like(self._z_curve), color="0.3")
        self._threshold_line = ax_g.axhline(0.5, color="0.5", ls="--", lw=1)
        self._sum_line = ax_g.axvline(0.0, color="black", lw=1)
        self._row_points = ax_g.scatter(np.zeros(4), np.zeros(4), s=70, zorder=3,
                                        facecolors="white", edgecolors="black", linewidths=1.5)
        ax_g.set_xlim(_Z_RANGE)
        ax_g.set_xticks([-5, 0, 5])
        axes_label(ax_g, 0.5, -0.12, "weighted sum z")
        g_label = ax_g.text(0.02, 0.95, "a = g(z)", transform=ax_g.transAxes, ha="left", va="top",
                            fontsize=10)
        self._curve_title = axes_label(ax_g, 0.5, 1.04, "")
        self._status_text = fig.text(0.5, 0.95, "", ha="center", va="center", fontsize=11)
        # What the sliders move, and what lies over it, is redrawn over a saved picture of the
        # axes (see blitting.py).
        moving = [self._image, self._line, self._points, self._curve, self._threshold_line,
                  self._sum_line, self._row_points, self._curve_title, self._status_text,
                  g_label, *ax.spines.values(), *ax_g.spines.values()]
        self._blitter = Blitter(fig, lambda: moving)
        self._axes_for = None           # the activation whose y range the right axes show

    def draw(self):
        s = self.state
        self._image.set_data(style.diverging_rgba(self._heatmap,
                                                  *self._color_range(s["activation"])))
        xs, ys = boundary_line((s["w1"], s["w2"]), s["bias"], _LIMITS, _LIMITS,
                               level=s["sum_threshold"])
        self._line.set_data(xs, ys)

        if s["targets"] is None:
            faces = ["white"] * 4
            edges = [style.CURRENT] * 4
            paths = style.class_paths([0] * 4)
        else:
            faces = [style.CLASS_COLORS[t] for t in s["targets"]]
            edges = [style.CURRENT if ok else style.WRONG for ok in s["correct"]]
            paths = style.class_paths(s["targets"])        # circle: target 0, square: target 1
        widths = [1.5 if e == style.CURRENT else 3.5 for e in edges]
        for points in (self._points, self._row_points):
            points.set_paths(paths)
            points.set_facecolors(faces)
            points.set_edgecolors(edges)
            points.set_linewidths(widths)

        z = np.clip(s["weighted_sums"], *_Z_RANGE)
        self._row_points.set_offsets(np.column_stack([z, s["outputs"]]))
        self._curve.set_ydata(self._curve_values)
        self._threshold_line.set_ydata([s["threshold"], s["threshold"]])
        self._sum_line.set_xdata([s["sum_threshold"], s["sum_threshold"]])
        if s["activation"] != self._axes_for:      # new y range and tick: draw everything
            self._axes_for = s["activation"]
            self._ax_g.set_ylim(*_CURVE_LIMITS[s["activation"]])
            # one y tick, on the dashed threshold line: above it the neuron answers 1
            self._ax_g.set_yticks([s["threshold"]])
            self._blitter.invalidate()
        self._curve_title.set_text(f"g = {s['activation']}")

        if s["gate"] is None:
            self._status_text.set_text("")
        elif s["solved"]:
            self._status_text.set_text(f"solved: {s['gate']}")
        elif s["gate"] == "XOR":
            self._status_text.set_text(f"{s['n_correct']} of 4: XOR needs two layers")
        else:
            self._status_text.set_text(f"{s['n_correct']} of 4 right for {s['gate']}")
        self._status_text.set_color(style.POSITIVE if s["solved"] else style.TEXT)
        self.controls["table"].value = self._table_html()
        self.controls["status"].value = f"<b>{s['message']}</b>"

    def redraw(self):
        self._blitter.render()

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
