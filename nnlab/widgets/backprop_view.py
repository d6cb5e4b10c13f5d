"""The BackpropStepper's diagram: a 2-2-1 network with every number of one training step.

`BackpropView` is the drawing half of `BackpropStepper` (nnlab.widgets.backprop_stepper): on
every update it sets the layers of its browser-drawn `Canvas` (neurons, weighted edges, biases,
the loss box, the formula lines) from ``self.state``. It computes nothing.
"""

import numpy as np

from .canvas import Canvas
from .style import CURRENT, NEUTRAL, diverging_rgba, output_range, sign_color

__all__ = ["BackpropView", "STEPS", "NODES", "EDGES", "BIASES", "CURRENT_ITEMS"]

#: The steps of one round, in order: the forward pass, the backward pass, the update.
STEPS = ["start", "h1", "h2", "out", "loss", "delta_out", "grad_out", "delta_h1", "delta_h2",
         "grad_hidden", "update"]

# Where things sit on the diagram (x, y).
NODES = {"x1": (0.0, 1.6), "x2": (0.0, 0.0), "h1": (2.0, 1.6), "h2": (2.0, 0.0),
         "out": (4.0, 0.8)}
# Edge name -> (source, target, which array, index in it). W1[i, j]: input i -> hidden j.
EDGES = {"w11": ("x1", "h1", 0, (0, 0)), "w12": ("x1", "h2", 0, (0, 1)),
         "w21": ("x2", "h1", 0, (1, 0)), "w22": ("x2", "h2", 0, (1, 1)),
         "w_out1": ("h1", "out", 2, (0, 0)), "w_out2": ("h2", "out", 2, (1, 0))}
# Where an edge's label sits: the fraction of the way along it, and above/on/below it.
EDGE_LABELS = {"w11": (0.45, "bottom"), "w22": (0.45, "top"), "w12": (0.65, "center"),
               "w21": (0.65, "center"), "w_out1": (0.4, "center"), "w_out2": (0.4, "center")}
# Bias name -> (node, which array, index).
BIASES = {"b1": ("h1", 1, 0), "b2": ("h2", 1, 1), "b_out": ("out", 3, 0)}
# What each step points at (black ring or bold label).
CURRENT_ITEMS = {"start": ["x1", "x2"], "h1": ["h1"], "h2": ["h2"], "out": ["out"],
                 "loss": ["loss"], "delta_out": ["out"], "grad_out": ["w_out1", "w_out2", "b_out"],
                 "delta_h1": ["h1"], "delta_h2": ["h2"],
                 "grad_hidden": ["w11", "w12", "w21", "w22", "b1", "b2"],
                 "update": [*EDGES, *BIASES]}
RADIUS = 0.32


def decimals(value):
    """A number on the diagram: 3 decimals, and never "-0.000"."""
    return f"{value + 0.0:.3f}"


def step_part(step):
    """Which part of one training step the step number belongs to."""
    return "forward pass" if step <= 4 else "backward pass" if step <= 9 else "update"


#: The diagram's data coordinates (one unit as long across as up, so the neurons are round)
#: and its size in CSS pixels.
XLIM, YLIM = (-0.8, 5.6), (-0.85, 2.42)
WIDTH = 780
UNIT = WIDTH / (XLIM[1] - XLIM[0])              # CSS pixels per data unit
HEIGHT = round(UNIT * (YLIM[1] - YLIM[0]))
TITLE_HEIGHT, FORMULA_HEIGHT = 24, 50
LINE = 13.5 / UNIT                              # a line of 11 px text, in data units
RING = "#666666"                                # the outline of a neuron that is not current
LABEL_BACKGROUND = "rgba(255, 255, 255, 0.85)"


def edge_width(weight):
    """The width in CSS pixels of an edge of weight `weight`: thicker for a larger |w|.

    >>> edge_width(0.0), edge_width(1.0), edge_width(-10.0)
    (1.0, 4.5, 9.0)
    """
    return min(1.0 + 3.5 * abs(float(weight)), 9.0)


def face_color(value, activation):
    """The fill of a neuron whose output is `value`: orange below the middle of the
    activation's range, white at it, blue above (style.CMAP)."""
    low, high = output_range(activation)
    r, g, b, _ = diverging_rgba(np.array([float(value)]), low, high)[0]
    return f"#{r:02x}{g:02x}{b:02x}"


def text_lines(x, y, text, va="center"):
    """The lines of `text` as (xs, ys, strings), stacked from (x, y) up ('bottom': the block
    sits on y), down ('top': it hangs from y) or centred on y."""
    lines = text.split("\n") if text else []
    n = len(lines)
    first = {"bottom": y + (n - 0.5) * LINE, "top": y - 0.5 * LINE,
             "center": y + (n - 1) / 2 * LINE}[va]
    return [x] * n, [first - i * LINE for i in range(n)], lines


class _Texts:
    """Strings collected for one texts layer."""

    def __init__(self):
        self.xs, self.ys, self.strings = [], [], []

    def add(self, x, y, text, va="center"):
        xs, ys, lines = text_lines(x, y, text, va)
        self.xs += xs
        self.ys += ys
        self.strings += lines


class BackpropView:
    """Figure of the BackpropStepper (a mixin: it reads the stepper's state and draws it on
    `self.canvas`).

    Panels: "title" (round and step), "net" (the diagram, in the data coordinates of `NODES`)
    and "formula" (the current step's formula, one text per line). Layers of "net": "edges"
    (segments in the order of `EDGES`: colour by the sign of the weight, width `edge_width`),
    "nodes" (points in the order of `NODES`: fill by the activation, a black ring on the current
    one), "names", the values beside the nodes ("input_values", "hidden_values",
    "output_values"), the weights', biases' and gradients' labels ("labels", and
    "labels_current" in bold), the loss box ("loss_box", "loss_text").
    """

    def _build_figure(self):
        self.canvas = Canvas(width=WIDTH, height=TITLE_HEIGHT + HEIGHT + FORMULA_HEIGHT,
                             label=self.figure_label)
        plain = {"xlim": (0, 1), "ylim": (0, 1), "frame": False, "xticks": [], "yticks": []}
        self.canvas.panel("title", left=0, top=0, width=WIDTH, height=TITLE_HEIGHT, **plain)
        self.canvas.panel("net", left=0, top=TITLE_HEIGHT, width=WIDTH, height=HEIGHT,
                          xlim=XLIM, ylim=YLIM, frame=False, xticks=[], yticks=[])
        self.canvas.panel("formula", left=0, top=TITLE_HEIGHT + HEIGHT, width=WIDTH,
                          height=FORMULA_HEIGHT, **plain)

    def draw(self):
        s = self.state
        net = self.canvas.panels["net"]
        shown_weights = s.get("new_weights", s["weights"])
        arrays = [np.array(shown_weights[k]) for k in ("W1", "b1", "W2", "b2")]
        old = [np.array(s["weights"][k]) for k in ("W1", "b1", "W2", "b2")]
        grads = [s.get("dW1"), s.get("db1"), s.get("dW2"), s.get("db2")]
        current = set(s["current"])
        labels, labels_current = _Texts(), _Texts()
        ends, colors, widths = [], [], []
        for name, (src, dst, which, index) in EDGES.items():
            value = arrays[which][index]
            ends.append((*NODES[src], *NODES[dst]))
            colors.append(sign_color(value))
            widths.append(edge_width(value))
            text = f"{name} = {decimals(old[which][index])}"
            grad = grads[which]
            if grad is not None:
                g = grad[index[0]] if which == 2 else grad[index[0]][index[1]]
                text += f"\n∂L/∂{name} = {decimals(g)}"
            if "new_weights" in s:
                text += f"\n→ {decimals(value)}"
            (x0, y0), (x1, y1) = NODES[src], NODES[dst]
            t, va = EDGE_LABELS[name]
            (labels_current if name in current else labels).add(
                x0 + t * (x1 - x0), y0 + t * (y1 - y0), text, va)
        x0, y0, x1, y1 = np.array(ends).T
        ox, oy = NODES["out"]
        net.segments("loss_link", [ox + RADIUS], [oy], [ox + 0.75], [oy], color=RING, width=1)
        net.segments("edges", x0, y0, x1, y1, color=colors, width=widths)
        for name, (node, which, index) in BIASES.items():
            text = f"{name} = {decimals(old[which][index])}"
            grad = grads[which]
            if grad is not None:
                g = grad if which == 3 else grad[index]
                text += f"\n∂L/∂{name} = {decimals(g)}"
            if "new_weights" in s:
                text += f"\n→ {decimals(arrays[which][index])}"
            x, y = NODES[node]
            below = name == "b2"                      # h2's bias goes under it, the others on top
            (labels_current if name in current else labels).add(
                x, y - RADIUS - 0.06 if below else y + RADIUS + 0.06, text,
                "top" if below else "bottom")
        # nodes: coloured by their activation once computed, black ring on the current one
        x1_, x2_ = s["x"]
        values = {"x1": (x1_, "sigmoid", f"x1 = {x1_:g}"), "x2": (x2_, "sigmoid", f"x2 = {x2_:g}")}
        for j in (1, 2):
            if f"a_h{j}" in s:
                text = f"z = {decimals(s[f'z_h{j}'])}\na = {decimals(s[f'a_h{j}'])}"
                if f"delta_h{j}" in s:
                    text += f"\nδ = {decimals(s[f'delta_h{j}'])}"
                values[f"h{j}"] = (s[f"a_h{j}"], s["activation"], text)
        if "a_out" in s:
            text = f"z = {decimals(s['z_out'])}\nŷ = {decimals(s['a_out'])}"
            if "delta_out" in s:
                text += f"\nδ = {decimals(s['delta_out'])}"
            values["out"] = (s["a_out"], "sigmoid", text)
        sides = {"input": _Texts(), "hidden": _Texts(), "output": _Texts()}
        fills, rings = [], []
        for name, (x, y) in NODES.items():
            value = values.get(name)
            fills.append(NEUTRAL if value is None else face_color(value[0], value[1]))
            rings.append(CURRENT if name in current else "")
            text = "" if value is None else value[2]
            if name.startswith("x"):                  # values to the left, right or below
                sides["input"].add(x - RADIUS - 0.1, y, text)
            elif name.startswith("h"):                # above the outgoing edge of h1, below h2's
                sides["hidden"].add(x + RADIUS + 0.05, y, text,
                                    "bottom" if name == "h1" else "top")
            else:
                sides["output"].add(x, y - RADIUS - 0.06, text, "top")
        xs, ys = np.array(list(NODES.values())).T
        net.points("nodes", xs, ys, fill=fills, shape="o", size=2 * RADIUS * UNIT, edge=RING,
                   ring=rings, width=1.5)
        net.texts("names", xs, ys, [{"out": "ŷ"}.get(n, n) for n in NODES], size=15)
        for side, align in (("input", "right"), ("hidden", "left"), ("output", "center")):
            t = sides[side]
            net.texts(f"{side}_values", t.xs, t.ys, t.strings, size=11, align=align)
        net.texts("labels", labels.xs, labels.ys, labels.strings, size=11,
                  background=LABEL_BACKGROUND)
        net.texts("labels_current", labels_current.xs, labels_current.ys,
                  labels_current.strings, size=11, weight="bold", background=LABEL_BACKGROUND)
        loss = f"L = {decimals(s['loss'])}" if "loss" in s else "L = ?"
        if "loss_after" in s:
            loss += f"\nafter: {decimals(s['loss_after'])}"
        box = _Texts()
        box.add(ox + 0.86, oy, f"y = {s['target']:g}\n{loss}")
        top, bottom = max(box.ys) + 0.6 * LINE, min(box.ys) - 0.6 * LINE
        is_current = "loss" in current
        net.rects("loss_box", [ox + 0.78], [bottom], [ox + 0.78 + 0.74], [top], fill="#ffffff",
                  edge=CURRENT if is_current else RING, width=2.5 if is_current else 1.0)
        net.texts("loss_text", box.xs, box.ys, box.strings, size=12, align="left")
        self.canvas.panels["title"].text(
            "title", 0.01, 0.5, f"round {s['round'] + 1}, step {s['step']}/{len(STEPS) - 1}: "
            f"{step_part(s['step'])}", size=13, align="left")
        lines = s["formula"].splitlines()
        self.canvas.panels["formula"].texts(
            "formula", [0.015] * len(lines), [0.72 - 0.44 * i for i in range(len(lines))],
            lines, size=12.5, align="left")
