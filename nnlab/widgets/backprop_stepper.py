"""BackpropStepper: one training step of a 2-2-1 network, one neuron at a time.

The network has two inputs x1, x2, two hidden neurons h1, h2 and one sigmoid output y_hat:

    z_h1 = w11 x1 + w21 x2 + b1        a_h1 = f(z_h1)          (h2 likewise, with w12, w22, b2)
    z_out = v1 a_h1 + v2 a_h2 + c      y_hat = sigmoid(z_out)
    L = loss(y, y_hat)

'next' walks the forward pass (h1, h2, output, loss), then the backward pass, where each
delta = dL/dz is passed back along the weights (the chain rule):

    delta_out = dL/dz_out              (= y_hat - y for sigmoid with cross-entropy)
    dL/dv1 = delta_out a_h1,  dL/dv2 = delta_out a_h2,  dL/dc = delta_out
    delta_h1 = delta_out v1 f'(z_h1),  delta_h2 = delta_out v2 f'(z_h2)
    dL/dw_ij = delta_hj x_i,  dL/db_j = delta_hj

and finally one gradient-descent update, w <- w - learning_rate * dL/dw, for all nine numbers.
Every number shown comes from the core: `MLP.loss_and_gradients` (which keeps z, a and delta
on each `Dense` layer) and `optimizers.SGD`.
"""

import ipywidgets as ipw
import matplotlib.colors as mcolors
import numpy as np
from matplotlib.patches import Circle

from .. import datasets, optimizers
from .._validation import check_nonnegative, check_positive
from ..network import MLP
from .base import Widget, new_figure
from .style import CMAP, CURRENT, NEUTRAL, output_range, sign_color

__all__ = ["BackpropStepper", "STEPS", "DEFAULT_WEIGHTS"]

#: The steps of one round, in order: the forward pass, the backward pass, the update.
STEPS = ["start", "h1", "h2", "out", "loss", "delta_out", "grad_out", "delta_h1", "delta_h2",
         "grad_hidden", "update"]

#: Hand-picked starting weights [W1 (2, 2), b1 (2,), W2 (2, 1), b2 (1,)]: both signs, sizes
#: that keep the neurons away from saturation, and biases that are not zero.
DEFAULT_WEIGHTS = [np.array([[0.6, -0.4], [0.9, 0.3]]), np.array([-0.2, 0.1]),
                   np.array([[1.2], [-0.8]]), np.array([0.3])]

# Where things sit on the diagram (x, y).
NODES = {"x1": (0.0, 1.6), "x2": (0.0, 0.0), "h1": (2.0, 1.6), "h2": (2.0, 0.0),
         "out": (4.0, 0.8)}
# Edge name -> (source, target, which array, index in it). W1[i, j]: input i -> hidden j.
EDGES = {"w11": ("x1", "h1", 0, (0, 0)), "w12": ("x1", "h2", 0, (0, 1)),
         "w21": ("x2", "h1", 0, (1, 0)), "w22": ("x2", "h2", 0, (1, 1)),
         "v1": ("h1", "out", 2, (0, 0)), "v2": ("h2", "out", 2, (1, 0))}
# Where an edge's label sits: the fraction of the way along it, and above/on/below it.
EDGE_LABELS = {"w11": (0.45, "bottom"), "w22": (0.45, "top"), "w12": (0.65, "center"),
               "w21": (0.65, "center"), "v1": (0.4, "center"), "v2": (0.4, "center")}
# Bias name -> (node, which array, index).
BIASES = {"b1": ("h1", 1, 0), "b2": ("h2", 1, 1), "c": ("out", 3, 0)}
# What each step points at (black ring or bold label).
CURRENT_ITEMS = {"start": ["x1", "x2"], "h1": ["h1"], "h2": ["h2"], "out": ["out"],
                 "loss": ["loss"], "delta_out": ["out"], "grad_out": ["v1", "v2", "c"],
                 "delta_h1": ["h1"], "delta_h2": ["h2"],
                 "grad_hidden": ["w11", "w12", "w21", "w22", "b1", "b2"],
                 "update": [*EDGES, *BIASES]}
RADIUS = 0.32


def _f(value):
    """A number on the diagram: 3 decimals, and never "-0.000"."""
    return f"{value + 0.0:.3f}"


def _n(value):
    """A number for a formula: 3 decimals, in brackets when negative."""
    text = _f(value)
    return f"({text})" if value < 0 else text


def _part(step):
    """Which part of one training step the step number belongs to."""
    return "forward pass" if step <= 4 else "backward pass" if step <= 9 else "update"


class BackpropStepper(Widget):
    """Step through the forward pass, the backward pass and one update of a 2-2-1 network.

    Parameters
    ----------
    sample : int
        Which row of the XOR truth table is the training example (0..3).
    activation : {'sigmoid', 'tanh', 'relu'}
        The hidden neurons' activation f; the output is always a sigmoid.
    loss : {'binary_crossentropy', 'mse'}
    learning_rate : float
    weights : list [W1 (2, 2), b1 (2,), W2 (2, 1), b2 (1,)], optional
        The starting weights (seed 0); default `DEFAULT_WEIGHTS`.
    seed : int
        0 uses the starting weights above; 1..99 draws the initial weights of
        ``MLP([2, 2, 1], seed=seed)`` instead.

    Attributes
    ----------
    controls : 'next', 'back', 'reset' (buttons), 'sample', 'activation', 'loss',
        'learning_rate', 'seed'
    state : dict
        'step' (0..10) and 'phase' (a name from `STEPS`), 'round' (updates applied so far),
        'x', 'target', 'weights' of this round, 'formula' (the text shown), 'current'; and each
        number once it has been revealed: 'z_h1', 'a_h1', 'z_h2', 'a_h2', 'z_out', 'a_out',
        'loss', 'delta_out', 'dW2' [dL/dv1, dL/dv2], 'db2', 'delta_h1', 'delta_h2',
        'dW1' [[dL/dw11, dL/dw12], [dL/dw21, dL/dw22]], 'db1', and at the update
        'new_weights' and 'loss_after'.
    figure : the network diagram.

    Examples
    --------
    >>> stepper = BackpropStepper(sample=1)             # x = (0, 1), target 1
    >>> for _ in range(5):
    ...     stepper.controls['next'].click()
    >>> stepper.state['phase']
    'delta_out'
    >>> round(stepper.state['delta_out'], 6) == round(stepper.state['a_out'] - 1, 6)
    True
    >>> stepper.describe().startswith("Round 1, step 5 of 10, backward pass")
    True
    """

    figure_label = "backprop stepper figure: a 2-2-1 network with its numbers"

    def __init__(self, sample=1, activation="sigmoid", loss="binary_crossentropy",
                 learning_rate=0.5, weights=None, seed=0):
        super().__init__()
        self.X, self.y = datasets.logic_gate("xor")
        choices = {"sample": (sample, [0, 1, 2, 3]),
                   "activation": (activation, ["sigmoid", "tanh", "relu"]),
                   "loss": (loss, ["binary_crossentropy", "mse"])}
        for name, (value, valid) in choices.items():
            if value not in valid:
                raise ValueError(f"{name} must be one of {valid}, but got {value!r}")
        learning_rate = check_positive(learning_rate, "learning_rate")
        seed = check_nonnegative(seed, "seed", integer=True)
        if seed > 99:
            raise ValueError(f"seed must be between 0 and 99, but got {seed}")
        self.controls = {
            "back": ipw.Button(description="back", icon="step-backward",
                               tooltip="undo the last step"),
            "next": ipw.Button(description="next", icon="step-forward", button_style="primary",
                               tooltip="the next neuron, gradient or the update"),
            "reset": ipw.Button(description="reset", icon="undo",
                                tooltip="back to the first step and the starting weights"),
            "sample": ipw.Dropdown(
                options=[(f"x = ({a:g}, {b:g}), y = {t:g}", i)
                         for i, ((a, b), t) in enumerate(zip(self.X, self.y, strict=True))],
                value=sample, description="sample"),
            "activation": ipw.Dropdown(options=["sigmoid", "tanh", "relu"], value=activation,
                                       description="hidden f"),
            "loss": ipw.Dropdown(options=[("cross-entropy", "binary_crossentropy"),
                                          ("squared error", "mse")],
                                 value=loss, description="loss"),
            "learning_rate": ipw.FloatSlider(value=learning_rate, min=0.05, max=2.0, step=0.05,
                                             description="learning rate"),
            "seed": ipw.IntSlider(value=seed, min=0, max=99, description="weights seed",
                                  tooltip="0: the starting weights; 1-99: random weights"),
        }
        for control in self.controls.values():
            if hasattr(control, "style") and hasattr(control.style, "description_width"):
                control.style.description_width = "initial"
        self._given = DEFAULT_WEIGHTS if weights is None else weights
        self.controls["next"].on_click(self.next)
        self.controls["back"].on_click(self.back)
        self.controls["reset"].on_click(self.reset)
        self._build_model()
        self._build_figure()
        self._connect(["sample", "loss", "learning_rate"])
        self.controls["seed"].observe(self._restart, names="value")
        self.controls["activation"].observe(self._restart, names="value")
        self.update()

    # ---------------------------------------------------------------- the network and steps
    def _build_model(self):
        """A fresh network for the current activation and seed; back to the first step."""
        c = self.controls
        seed = c["seed"].value
        self.model = MLP([2, 2, 1], activation=c["activation"].value,
                         output_activation="sigmoid", seed=seed if seed else 0)
        if seed == 0:
            self.model.set_weights(self._given)
        self._history = [self.model.get_weights()]     # the weights at the start of each round
        self.step = 0

    def _restart(self, change=None):
        self._build_model()
        self.update()

    def next(self, button=None):
        """Show the next step; after the update, start a new round with the new weights."""
        if self.step < len(STEPS) - 1:
            self.step += 1
        else:
            self._history.append(self._new_weights)
            self.step = 0
        self.update()

    def back(self, button=None):
        """Undo the last step (across rounds too); at the very beginning, stay there."""
        if self.step > 0:
            self.step -= 1
        elif len(self._history) > 1:
            self._history.pop()
            self.step = len(STEPS) - 1
        self.update()

    def reset(self, button=None):
        """Back to the first step of the first round."""
        del self._history[1:]
        self.step = 0
        self.update()

    # ---------------------------------------------------------------- state
    def compute(self):
        c = self.controls
        model, step = self.model, self.step
        phase = STEPS[step]
        weights = self._history[-1]
        model.compile(loss=c["loss"].value, optimizer=optimizers.SGD(c["learning_rate"].value),
                      metrics=())
        model.set_weights(weights)
        i = c["sample"].value
        x, target = self.X[i:i + 1], self.y[i:i + 1]
        loss, grads = model.loss_and_gradients(x, target)   # keeps z, a, delta on each layer
        hidden, out = model.layers
        numbers = [
            ("h1", {"z_h1": hidden.z[0, 0], "a_h1": hidden.a[0, 0]}),
            ("h2", {"z_h2": hidden.z[0, 1], "a_h2": hidden.a[0, 1]}),
            ("out", {"z_out": out.z[0, 0], "a_out": out.a[0, 0]}),
            ("loss", {"loss": loss}),
            ("delta_out", {"delta_out": out.delta[0, 0]}),
            ("grad_out", {"dW2": grads[2][:, 0].tolist(), "db2": grads[3][0]}),
            ("delta_h1", {"delta_h1": hidden.delta[0, 0]}),
            ("delta_h2", {"delta_h2": hidden.delta[0, 1]}),
            ("grad_hidden", {"dW1": grads[0].tolist(), "db1": grads[1].tolist()}),
        ]
        state = {
            "step": step, "phase": phase, "n_steps": len(STEPS),
            "round": len(self._history) - 1,
            "sample": i, "x": x[0].tolist(), "target": float(target[0]),
            "activation": hidden.activation.name, "loss_name": model.loss.name,
            "learning_rate": float(c["learning_rate"].value),
            "weights": {name: w.tolist() for name, w in zip(("W1", "b1", "W2", "b2"), weights,
                                                            strict=True)},
            "current": CURRENT_ITEMS[phase],
        }
        for name, values in numbers:
            if STEPS.index(name) <= step:
                state.update({k: (float(v) if np.isscalar(v) else v) for k, v in values.items()})
        # what the formulas need besides: the slopes f'(z) and dL/dy_hat, from the core
        self._slopes = hidden.activation.derivative(hidden.z[0]).tolist()
        self._out_slope = float(out.activation.derivative(out.z[0, 0]))
        self._dL_da = float(model.loss.gradient(target, out.a[:, 0])[0])
        if phase == "update":
            model.optimizer.step(model.params(), grads)      # w <- w - learning_rate * dL/dw
            new = model.get_weights()
            state["new_weights"] = {name: w.tolist() for name, w in
                                    zip(("W1", "b1", "W2", "b2"), new, strict=True)}
            self._new_weights = new
            state["loss_after"] = model.evaluate(x, target)["loss"]
        state["formula"] = self._formula(state)
        self.state = state

    def _formula(self, s):
        """The formula of the current step, with the numbers put in."""
        w = s["weights"]
        (w11, w12), (w21, w22) = w["W1"]
        b1, b2 = w["b1"]
        v1, v2 = (row[0] for row in w["W2"])
        c = w["b2"][0]
        x1, x2 = s["x"]
        y = s["target"]
        f = s["activation"]
        phase = s["phase"]
        if phase == "start":
            return (f"Training example x = ({x1:g}, {x2:g}) with target y = {y:g}.\n"
                    "Press 'next' to run the forward pass, one neuron at a time.")
        if phase in ("h1", "h2"):
            j = 1 if phase == "h1" else 2
            wa, wb, b = (w11, w21, b1) if j == 1 else (w12, w22, b2)
            z, a = s[f"z_h{j}"], s[f"a_h{j}"]
            return (f"z_h{j} = w1{j}·x1 + w2{j}·x2 + b{j} = {_n(wa)}·{x1:g} + {_n(wb)}·{x2:g} "
                    f"+ {_n(b)} = {_n(z)}\n"
                    f"a_h{j} = {f}(z_h{j}) = {_n(a)}")
        if phase == "out":
            return (f"z_out = v1·a_h1 + v2·a_h2 + c = {_n(v1)}·{_n(s['a_h1'])} + "
                    f"{_n(v2)}·{_n(s['a_h2'])} + {_n(c)} = {_n(s['z_out'])}\n"
                    f"ŷ = sigmoid(z_out) = {_n(s['a_out'])}")
        a = s.get("a_out")
        if phase == "loss":
            if s["loss_name"] == "mse":
                return f"L = (ŷ − y)² = ({_n(a)} − {y:g})² = {_n(s['loss'])}"
            return (f"L = −[y·ln ŷ + (1 − y)·ln(1 − ŷ)] = −[{y:g}·ln {_n(a)} + "
                    f"{1 - y:g}·ln {_n(1 - a)}] = {_n(s['loss'])}")
        if phase == "delta_out":
            if s["loss_name"] == "mse":
                return (f"δ_out = ∂L/∂z_out = ∂L/∂ŷ · sigmoid'(z_out) = 2(ŷ − y) · ŷ(1 − ŷ) = "
                        f"{_n(self._dL_da)}·{_n(self._out_slope)} = {_n(s['delta_out'])}")
            return (f"δ_out = ∂L/∂z_out = ŷ − y = {_n(a)} − {y:g} = {_n(s['delta_out'])}\n"
                    "(sigmoid with cross-entropy: the sigmoid's slope cancels out)")
        d = s.get("delta_out")
        if phase == "grad_out":
            g1, g2 = s["dW2"]
            return (f"∂L/∂v1 = δ_out·a_h1 = {_n(d)}·{_n(s['a_h1'])} = {_n(g1)}     "
                    f"∂L/∂v2 = δ_out·a_h2 = {_n(d)}·{_n(s['a_h2'])} = {_n(g2)}\n"
                    f"∂L/∂c = δ_out = {_n(s['db2'])}")
        if phase in ("delta_h1", "delta_h2"):
            j = 1 if phase == "delta_h1" else 2
            v = v1 if j == 1 else v2
            return (f"δ_h{j} = δ_out · v{j} · {f}'(z_h{j}) = {_n(d)}·{_n(v)}·"
                    f"{_n(self._slopes[j - 1])} = {_n(s[phase])}\n"
                    f"(the error of the output, sent back along v{j}, scaled by h{j}'s slope)")
        if phase == "grad_hidden":
            (g11, g12), (g21, g22) = s["dW1"]
            gb1, gb2 = s["db1"]
            d1, d2 = s["delta_h1"], s["delta_h2"]
            return (f"∂L/∂w11 = δ_h1·x1 = {_n(d1)}·{x1:g} = {_n(g11)}    "
                    f"∂L/∂w21 = δ_h1·x2 = {_n(d1)}·{x2:g} = {_n(g21)}    "
                    f"∂L/∂b1 = δ_h1 = {_n(gb1)}\n"
                    f"∂L/∂w12 = δ_h2·x1 = {_n(d2)}·{x1:g} = {_n(g12)}    "
                    f"∂L/∂w22 = δ_h2·x2 = {_n(d2)}·{x2:g} = {_n(g22)}    "
                    f"∂L/∂b2 = δ_h2 = {_n(gb2)}")
        # update
        lr = s["learning_rate"]
        new_v1 = s["new_weights"]["W2"][0][0]
        return (f"w ← w − η·∂L/∂w for all nine parameters (η = {lr:g}), e.g. v1 = {_n(v1)} − "
                f"{lr:g}·{_n(s['dW2'][0])} = {_n(new_v1)}\n"
                f"loss on this example: {s['loss']:.3f} → {s['loss_after']:.3f}.  "
                "'next' starts a new round with the new weights.")

    def describe(self):
        s = self.state
        x1, x2 = s["x"]
        text = (f"Round {s['round'] + 1}, step {s['step']} of {len(STEPS) - 1}, "
                f"{_part(s['step'])}. Network 2-2-1 with hidden activation {s['activation']} "
                f"and a sigmoid output, example x = ({x1:g}, {x2:g}), target y = "
                f"{s['target']:g}. ")
        known = [f"{name} = {_f(s[key])}" for key, name in
                 (("a_h1", "a_h1"), ("a_h2", "a_h2"), ("a_out", "ŷ"), ("loss", "loss L"),
                  ("delta_out", "δ_out"), ("delta_h1", "δ_h1"), ("delta_h2", "δ_h2"))
                 if key in s]
        if known:
            text += "Known so far: " + ", ".join(known) + ". "
        # the formula of this step, as shown under the diagram, on one line
        return text + "This step: " + "; ".join(" ".join(line.split())
                                                for line in s["formula"].splitlines())

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
            text = f"{name} = {_f(old[which][index])}"
            grad = grads[which]
            if grad is not None:
                g = grad[index[0]] if which == 2 else grad[index[0]][index[1]]
                text += f"\n∂L/∂{name} = {_f(g)}"
            if "new_weights" in s:
                text += f"\n→ {_f(value)}"
            label = self.edge_labels[name]
            label.set_text(text)
            label.set_fontweight("bold" if name in current else "normal")
        for name, (_, which, index) in BIASES.items():
            text = f"{name} = {_f(old[which][index])}"
            grad = grads[which]
            if grad is not None:
                g = grad if which == 3 else grad[index]
                text += f"\n∂L/∂{name} = {_f(g)}"
            if "new_weights" in s:
                text += f"\n→ {_f(arrays[which][index])}"
            self.bias_texts[name].set_text(text)
            self.bias_texts[name].set_fontweight("bold" if name in current else "normal")
        # nodes: coloured by their activation once computed, black ring on the current one
        x1, x2 = s["x"]
        values = {"x1": (x1, "sigmoid", f"x1 = {x1:g}"), "x2": (x2, "sigmoid", f"x2 = {x2:g}")}
        for j in (1, 2):
            if f"a_h{j}" in s:
                text = f"z = {_f(s[f'z_h{j}'])}\na = {_f(s[f'a_h{j}'])}"
                if f"delta_h{j}" in s:
                    text += f"\nδ = {_f(s[f'delta_h{j}'])}"
                values[f"h{j}"] = (s[f"a_h{j}"], s["activation"], text)
        if "a_out" in s:
            text = f"z = {_f(s['z_out'])}\nŷ = {_f(s['a_out'])}"
            if "delta_out" in s:
                text += f"\nδ = {_f(s['delta_out'])}"
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
        loss = f"L = {_f(s['loss'])}" if "loss" in s else "L = ?"
        if "loss_after" in s:
            loss += f"\nafter: {_f(s['loss_after'])}"
        self.loss_text.set_text(f"y = {s['target']:g}\n{loss}")
        self.loss_text.get_bbox_patch().set_linewidth(2.5 if "loss" in current else 1.0)
        self.loss_text.get_bbox_patch().set_edgecolor(CURRENT if "loss" in current else "0.6")
        self.title.set_text(f"round {s['round'] + 1}, step {s['step']}/{len(STEPS) - 1}: "
                            f"{_part(s['step'])}")
        self.formula_text.set_text(s["formula"])

    def layout(self):
        c = self.controls
        box = ipw.Layout(flex_flow="row wrap")
        buttons = ipw.HBox([c["back"], c["next"], c["reset"]], layout=box)
        settings = ipw.HBox([c["sample"], c["activation"], c["loss"], c["learning_rate"],
                             c["seed"]], layout=box)
        return ipw.VBox([settings, buttons, self.figure_widget()])
