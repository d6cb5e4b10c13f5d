"""The BackpropStepper's diagram: a 2-2-1 network with every number of one training step.

`BackpropView` is the drawing half of `BackpropStepper` (nnlab.widgets.backprop_stepper): it
builds the diagram once (neurons, weighted edges, biases, the loss box, the formula line) and,
on every update, sets their colours and texts from ``self.state``. It computes nothing.
"""

import matplotlib.colors as mcolors
import numpy as np
from matplotlib.patches import Circle

from .base import new_figure
from .style import CMAP, CURRENT, NEUTRAL, output_range, sign_color

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


class BackpropView:
    """Figure of the BackpropStepper (a mixin: it reads the stepper's state and artists)."""

    # ---------------------------------------------------------------- drawing
    def _build_figure(self):
        # 6.4 x 3.27 data units on 9 x 4.6 inches: one unit is as long across as up, so the
        # neurons are round.
        fig = self.figure = new_figure(9.0, 5.4)
        ax = self.ax = fig.add_axes([0.0, 0.15, 1.0, 0.85])
        ax.set_xlim(-0.8, 5.6)
        ax.set_ylim(-0.85, 2.42)
        ax.set_axis_off()
        self.edge_lines, self.edge_labels = {}, {}
        for name, (src, dst, _, _) in EDGES.items():
            (x0, y0), (x1, y1) = NODES[src], NODES[dst]
            self.edge_lines[name], = ax.plot([x0, x1], [y0, y1], "-", zorder=1,
                                             solid_capstyle="round")
            t, va = EDGE_LABELS[name]
            shift = {"bottom": 0.05, "top": -0.05, "center": 0.0}[va]
            self.edge_labels[name] = ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0) + shift, "",
                                             ha="center", va=va, fontsize=8, zorder=4,
                                             bbox={"fc": "white", "ec": "none", "alpha": 0.85,
                                                   "pad": 1.5})
        self.circles, self.value_texts = {}, {}
        for name, (x, y) in NODES.items():
            circle = Circle((x, y), RADIUS, fc=NEUTRAL, ec="0.4", lw=1.2, zorder=2)
            ax.add_patch(circle)
            self.circles[name] = circle
            label = {"out": "ŷ"}.get(name, name)
            ax.text(x, y, label, ha="center", va="center", fontsize=11, zorder=3)
            if name.startswith("x"):            # values to the left, right or below
                where = {"x": x - RADIUS - 0.1, "y": y, "ha": "right", "va": "center"}
            elif name.startswith("h"):                # above the outgoing edge of h1, below h2's
                where = {"x": x + RADIUS + 0.05, "y": y, "ha": "left",
                         "va": "bottom" if name == "h1" else "top"}
            else:
                where = {"x": x, "y": y - RADIUS - 0.06, "ha": "center", "va": "top"}
            self.value_texts[name] = ax.text(s="", fontsize=8, zorder=4, **where)
        self.bias_texts = {}
        for name, (node, _, _) in BIASES.items():
            x, y = NODES[node]
            below = name == "b2"                      # h2's bias goes under it, the others on top
            self.bias_texts[name] = ax.text(x, y - RADIUS - 0.06 if below else y + RADIUS + 0.06,
                                            "", ha="center", va="top" if below else "bottom",
                                            fontsize=8, zorder=4)
        ox, oy = NODES["out"]
        ax.plot([ox + RADIUS, ox + 0.75], [oy, oy], "-", color="0.6", lw=1, zorder=1)
        self.loss_text = ax.text(ox + 0.8, oy, "", ha="left", va="center", fontsize=9,
                                 bbox={"fc": "white", "ec": "0.6", "pad": 3})
        self.title = fig.text(0.01, 0.99, "", ha="left", va="top", fontsize=10)
        self.formula_text = fig.text(0.02, 0.03, "", ha="left", va="bottom", fontsize=9.5,
                                     family="DejaVu Sans")

    def _face(self, value, name):
        lo, hi = output_range(name)
        norm = mcolors.Normalize(vmin=lo, vmax=hi)
        return CMAP(norm(np.clip(value, lo, hi)))

    def draw(self):
        s = self.state
        shown_weights = s.get("new_weights", s["weights"])
        arrays = [np.array(shown_weights[k]) for k in ("W1", "b1", "W2", "b2")]
        old = [np.array(s["weights"][k]) for k in ("W1", "b1", "W2", "b2")]
        grads = [s.get("dW1"), s.get("db1"), s.get("dW2"), s.get("db2")]
        current = set(s["current"])
        for name, (_, _, which, index) in EDGES.items():
            value = arrays[which][index]
            line = self.edge_lines[name]
            line.set_color(sign_color(value))
            line.set_linewidth(min(0.6 + 2.5 * abs(value), 7.0))
            text = f"{name} = {decimals(old[which][index])}"
            grad = grads[which]
            if grad is not None:
                g = grad[index[0]] if which == 2 else grad[index[0]][index[1]]
                text += f"\n∂L/∂{name} = {decimals(g)}"
            if "new_weights" in s:
                text += f"\n→ {decimals(value)}"
            label = self.edge_labels[name]
            label.set_text(text)
            label.set_fontweight("bold" if name in current else "normal")
        for name, (_, which, index) in BIASES.items():
            text = f"{name} = {decimals(old[which][index])}"
            grad = grads[which]
            if grad is not None:
                g = grad if which == 3 else grad[index]
                text += f"\n∂L/∂{name} = {decimals(g)}"
            if "new_weights" in s:
                text += f"\n→ {decimals(arrays[which][index])}"
            self.bias_texts[name].set_text(text)
            self.bias_texts[name].set_fontweight("bold" if name in current else "normal")
        # nodes: coloured by their activation once computed, black ring on the current one
        x1, x2 = s["x"]
        values = {"x1": (x1, "sigmoid", f"x1 = {x1:g}"), "x2": (x2, "sigmoid", f"x2 = {x2:g}")}
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
        for name, circle in self.circles.items():
            if name in values:
                value, activation, text = values[name]
                circle.set_facecolor(self._face(value, activation))
                self.value_texts[name].set_text(text)
            else:
                circle.set_facecolor(NEUTRAL)
                self.value_texts[name].set_text("")
            is_current = name in current
            circle.set_edgecolor(CURRENT if is_current else "0.4")
            circle.set_linewidth(3.0 if is_current else 1.2)
        loss = f"L = {decimals(s['loss'])}" if "loss" in s else "L = ?"
        if "loss_after" in s:
            loss += f"\nafter: {decimals(s['loss_after'])}"
        self.loss_text.set_text(f"y = {s['target']:g}\n{loss}")
        self.loss_text.get_bbox_patch().set_linewidth(2.5 if "loss" in current else 1.0)
        self.loss_text.get_bbox_patch().set_edgecolor(CURRENT if "loss" in current else "0.6")
        self.title.set_text(f"round {s['round'] + 1}, step {s['step']}/{len(STEPS) - 1}: "
                            f"{step_part(s['step'])}")
        self.formula_text.set_text(s["formula"])
