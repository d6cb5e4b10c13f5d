"""BackpropStepper: one training step of a 2-2-1 network, one neuron at a time.

The network has two inputs x1, x2, two hidden neurons h1, h2 and one sigmoid output y_hat:

    z_h1 = w11 x1 + w21 x2 + b1        a_h1 = f(z_h1)          (h2 likewise, with w12, w22, b2)
    z_out = w_out1 a_h1 + w_out2 a_h2 + b_out  y_hat = sigmoid(z_out)
    L = loss(y, y_hat)

'next' walks the forward pass (h1, h2, output, loss), then the backward pass, where each
delta = dL/dz is passed back along the weights (the chain rule):

    delta_out = dL/dz_out              (= y_hat - y for sigmoid with cross-entropy)
    dL/dw_out1 = delta_out a_h1,  dL/dw_out2 = delta_out a_h2,  dL/db_out = delta_out
    delta_h1 = delta_out w_out1 f'(z_h1),  delta_h2 = delta_out w_out2 f'(z_h2)
    dL/dw_ij = delta_hj x_i,  dL/db_j = delta_hj

and finally one gradient-descent update, w <- w - learning_rate * dL/dw, for all nine numbers.
Every number shown comes from the core: `MLP.loss_and_gradients` (which keeps z, a and delta
on each `Dense` layer) and `optimizers.SGD`.
"""

import ipywidgets as ipw
import numpy as np

from .. import datasets, optimizers
from ..network import MLP
from ..validation import check_nonnegative, check_positive
from .backprop_view import CURRENT_ITEMS, STEPS, BackpropView, decimals, step_part
from .base import Widget

__all__ = ["BackpropStepper", "STEPS", "DEFAULT_WEIGHTS"]

#: Hand-picked starting weights [W1 (2, 2), b1 (2,), W2 (2, 1), b2 (1,)]: both signs, sizes
#: that keep the neurons away from saturation, and biases that are not zero.
DEFAULT_WEIGHTS = [np.array([[0.6, -0.4], [0.9, 0.3]]), np.array([-0.2, 0.1]),
                   np.array([[1.2], [-0.8]]), np.array([0.3])]


def _n(value):
    """A number for a formula: 3 decimals, in brackets when negative."""
    text = decimals(value)
    return f"({text})" if value < 0 else text


class BackpropStepper(BackpropView, Widget):
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
        'loss', 'delta_out', 'dW2' [dL/dw_out1, dL/dw_out2], 'db2', 'delta_h1', 'delta_h2',
        'dW1' [[dL/dw11, dL/dw12], [dL/dw21, dL/dw22]], 'db1', and at the update
        'new_weights' and 'loss_after'.
    canvas : Canvas
        The network diagram (see `BackpropView`).

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
                value=sample, description="sample", layout=ipw.Layout(width="250px")),
            "activation": ipw.Dropdown(options=["sigmoid", "tanh", "relu"], value=activation,
                                       description="hidden f", layout=ipw.Layout(width="170px")),
            "loss": ipw.Dropdown(options=[("cross-entropy", "binary_crossentropy"),
                                          ("squared error", "mse")],
                                 value=loss, description="loss", layout=ipw.Layout(width="190px")),
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
        w_out1, w_out2 = (row[0] for row in w["W2"])
        b_out = w["b2"][0]
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
            return (f"z_out = w_out1·a_h1 + w_out2·a_h2 + b_out = {_n(w_out1)}·{_n(s['a_h1'])} + "
                    f"{_n(w_out2)}·{_n(s['a_h2'])} + {_n(b_out)} = {_n(s['z_out'])}\n"
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
            return (f"∂L/∂w_out1 = δ_out·a_h1 = {_n(d)}·{_n(s['a_h1'])} = {_n(g1)}     "
                    f"∂L/∂w_out2 = δ_out·a_h2 = {_n(d)}·{_n(s['a_h2'])} = {_n(g2)}\n"
                    f"∂L/∂b_out = δ_out = {_n(s['db2'])}")
        if phase in ("delta_h1", "delta_h2"):
            j = 1 if phase == "delta_h1" else 2
            w_out = w_out1 if j == 1 else w_out2
            return (f"δ_h{j} = δ_out · w_out{j} · {f}'(z_h{j}) = {_n(d)}·{_n(w_out)}·"
                    f"{_n(self._slopes[j - 1])} = {_n(s[phase])}\n"
                    f"(the error of the output, sent back along w_out{j}, scaled by h{j}'s slope)")
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
        new_w_out1 = s["new_weights"]["W2"][0][0]
        return (f"w ← w − η·∂L/∂w for all nine parameters (η = {lr:g}), "
                f"e.g. w_out1 = {_n(w_out1)} − {lr:g}·{_n(s['dW2'][0])} = {_n(new_w_out1)}\n"
                f"loss on this example: {s['loss']:.3f} → {s['loss_after']:.3f}.  "
                "'next' starts a new round with the new weights.")

    def describe(self):
        s = self.state
        x1, x2 = s["x"]
        text = (f"Round {s['round'] + 1}, step {s['step']} of {len(STEPS) - 1}, "
                f"{step_part(s['step'])}. Network 2-2-1 with hidden activation {s['activation']} "
                f"and a sigmoid output, example x = ({x1:g}, {x2:g}), target y = "
                f"{s['target']:g}. ")
        known = [f"{name} = {decimals(s[key])}" for key, name in
                 (("a_h1", "a_h1"), ("a_h2", "a_h2"), ("a_out", "ŷ"), ("loss", "loss L"),
                  ("delta_out", "δ_out"), ("delta_h1", "δ_h1"), ("delta_h2", "δ_h2"))
                 if key in s]
        if known:
            text += "Known so far: " + ", ".join(known) + ". "
        # the formula of this step, as shown under the diagram, on one line
        return text + "This step: " + "; ".join(" ".join(line.split())
                                                for line in s["formula"].splitlines())

    def layout(self):
        c = self.controls
        box = ipw.Layout(flex_flow="row wrap")
        buttons = ipw.HBox([c["back"], c["next"], c["reset"]], layout=box)
        settings = ipw.HBox([c["sample"], c["activation"], c["loss"], c["learning_rate"],
                             c["seed"]], layout=box)
        return ipw.VBox([settings, buttons, self.figure_widget()])
