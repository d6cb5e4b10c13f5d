"""GraphExplorer: the computation graph of a 2-2-1 network, one node at a time.

Every operation of the forward pass is a node (x1·w11, z_h1 = x1·w11 + x2·w21 + b1, a_h1 =
f(z_h1), ..., the loss L), as in micrograd. 'forward step' computes the next node's value;
once the loss is known, 'backward step' gives the next node its gradient dL/d(node), from the
output back to the inputs: the chain rule, written out with the numbers under the graph. Move
an input or the target, or type any weight, and every number shown follows. The numbers
are the core's: `nnlab.graph.NetworkGraph` reads them from `MLP.loss_and_gradients`.
"""

import html

import ipywidgets as ipw

from ..graph import BACKWARD_STEPS, FORWARD_STEPS, NODES, PARAMETERS, NetworkGraph
from . import style
from .base import Widget
from .canvas import Canvas

__all__ = ["GraphExplorer", "DEFAULT_WEIGHTS", "POSITIONS"]

#: Hand-picked weights (as the BackpropStepper's): both signs, neurons far from saturation.
DEFAULT_WEIGHTS = {"w11": 0.6, "w21": 0.9, "w12": -0.4, "w22": 0.3, "b1": -0.2, "b2": 0.1,
                   "w_out1": 1.2, "w_out2": -0.8, "b_out": 0.3}
#: Where each node sits: (column, height) in the graph panel's data coordinates. Leaves and
#: the nodes computed from them are in neighbouring columns, so no edge passes under a box.
POSITIONS = {
    "w11": (0, 11.6), "w21": (0, 10.0), "x1": (0, 7.6), "x2": (0, 4.4), "w12": (0, 2.0),
    "w22": (0, 0.4),
    "x1*w11": (1, 11.0), "x2*w21": (1, 9.2), "b1": (1, 7.4), "b2": (1, 4.6),
    "x1*w12": (1, 2.8), "x2*w22": (1, 1.0),
    "z_h1": (2, 9.2), "z_h2": (2, 2.8),
    "w_out1": (3, 11.6), "a_h1": (3, 9.2), "a_h2": (3, 2.8), "w_out2": (3, 0.4),
    "a_h1*w_out1": (4, 8.6), "b_out": (4, 6.0), "a_h2*w_out2": (4, 3.4),
    "z_out": (5, 6.0), "y_hat": (6, 6.0), "y": (6, 3.6), "L": (7, 6.0),
}
#: The sliders' ranges; the weights' boxes take -5..5.
RANGES = {"x1": (-2.0, 2.0), "x2": (-2.0, 2.0), "y": (0.0, 1.0)}
HALF_WIDTH, HALF_HEIGHT = 0.43, 0.62      # a node's box, in data units
KINDS = {name: kind for name, kind, _ in NODES}
PARENTS = {name: parents for name, _, parents in NODES}


def shown(name):
    """A node's name as the lesson writes it: x1·w11, ŷ."""
    return "ŷ" if name == "y_hat" else name.replace("*", "·")


def wrapped(name):
    """A node's name after ∂: in brackets when it is a product, ∂L/∂(x1·w11)."""
    return f"({shown(name)})" if "*" in name else shown(name)


def _n(value):
    """A number as `_fmt` writes it, in brackets when negative (for formulas)."""
    text = _fmt(value)
    return f"({text})" if text.startswith("-") else text


def _fmt(value):
    """A number with 3 decimals for the graph and the text twin, never -0.000; below 0.0005
    (but not 0) and from 1000 on, in powers of ten, so that a tiny slope never reads 0 and a
    saturated output's huge dL/dŷ fits in its box.

    >>> _fmt(0.0), _fmt(0.59868), _fmt(-0.0000056), _fmt(-2.5e6)
    ('0.000', '0.599', '-5.6e-06', '-2.5e+06')
    """
    if value != 0 and not 0.0005 <= abs(value) < 1000:
        return f"{value:.2g}"
    return f"{round(value, 3) + 0.0:.3f}"


def tint(color, amount=0.3):
    """`color` mixed with white (amount 1 keeps it), as a CSS hex colour: the fill of a node
    whose value is known, pale orange when negative and pale blue when positive.

    >>> tint("#0072b2"), tint("#0072b2", 1.0)
    ('#b2d5e8', '#0072b2')
    """
    rgb = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - amount * (255 - c)):02x}" for c in rgb)


class GraphExplorer(Widget):
    """Step through the computation graph of a 2-2-1 network on one example.

    Parameters
    ----------
    x : (float, float), default (1.0, 0.0)
        The example's inputs x1, x2.
    target : float, default 1.0
        Its target y (0..1).
    activation : {'sigmoid', 'tanh', 'relu'}, default 'sigmoid'
        The hidden neurons' f (the output is a sigmoid).
    loss : {'binary_crossentropy', 'mse'}
    weights : dict, optional
        Values for some of 'w11', 'w21', 'w12', 'w22', 'b1', 'b2', 'w_out1', 'w_out2',
        'b_out'; the others from `DEFAULT_WEIGHTS`.

    Attributes
    ----------
    controls : 'forward', 'backward', 'reset' (buttons); 'x1', 'x2', 'y' (sliders) and the
        nine parameters (number boxes); 'activation', 'loss' (dropdowns); 'formula' (the text of
        the current step, HTML)
    state : dict
        'forward_steps' (0..13) and 'backward_steps' (0..24) taken, 'phase' ('start',
        'forward', 'backward' or 'done'), 'current' (the node of the last step, or None),
        'values' and 'grads' ({node: number} of the nodes known so far: leaves' values always,
        gradients only after the backward pass reached them), 'loss' (once computed),
        'formula' (the step's arithmetic), 'message' (why a button did nothing, or '').
    graph : nnlab.graph.NetworkGraph
        Every number, for the current inputs and weights.
    canvas : Canvas

    Examples
    --------
    >>> explorer = GraphExplorer()
    >>> for _ in range(4):
    ...     explorer.forward_step()
    >>> explorer.state['current'], round(explorer.state['values']['a_h1'], 3)
    ('a_h1', 0.599)
    >>> explorer.backward_step()
    >>> explorer.state['message']
    'The backward pass needs every value first: finish the forward pass (9 steps to go).'
    """

    figure_label = "computation graph of a 2-2-1 network, with every node's value and gradient"

    def __init__(self, x=(1.0, 0.0), target=1.0, activation="sigmoid",
                 loss="binary_crossentropy", weights=None):
        super().__init__()
        for name, value, valid in (("activation", activation, ("sigmoid", "tanh", "relu")),
                                   ("loss", loss, ("binary_crossentropy", "mse"))):
            if value not in valid:
                raise ValueError(f"{name} must be one of {list(valid)}, but got {value!r}")
        numbers = dict(DEFAULT_WEIGHTS)
        unknown = set(weights or {}) - set(PARAMETERS)
        if unknown:
            raise ValueError(f"weights has unknown name(s) {sorted(unknown)}; the parameters "
                             f"are {list(PARAMETERS)}")
        numbers.update(weights or {})
        if len(x) != 2:
            raise ValueError(f"x must be two numbers (x1, x2), but got {x!r}")
        numbers.update(x1=x[0], x2=x[1], y=target)
        for name, value in numbers.items():      # the controls' ranges: nothing is clipped
            low, high = RANGES.get(name, (-5.0, 5.0))
            if not low <= value <= high:
                raise ValueError(f"{name} must lie in [{low:g}, {high:g}], but got {value!r}")
        self.forward_steps = self.backward_steps = 0
        self.message = ""
        self.controls = self._make_controls(numbers, activation, loss)
        self.canvas = Canvas(width=840, height=470, label=self.figure_label)
        self.panel = self.canvas.panel("graph", left=10, top=8, width=820, height=454,
                                       xlim=(-0.5, 7.5), ylim=(-0.35, 12.35), xticks=[],
                                       yticks=[], frame=False)
        c = self.controls
        c["forward"].on_click(lambda _: self.forward_step())
        c["backward"].on_click(lambda _: self.backward_step())
        c["reset"].on_click(lambda _: self.reset())
        self._connect([*PARAMETERS, "x1", "x2", "y", "activation", "loss"])
        self.update()

    def _make_controls(self, numbers, activation, loss):
        def box(name, description, low=-5.0, high=5.0):
            return ipw.BoundedFloatText(value=numbers[name], min=low, max=high, step=0.1,
                                        description=description,
                                        layout=ipw.Layout(width="150px"))

        def slider(name, description, low, high):
            return ipw.FloatSlider(value=numbers[name], min=low, max=high, step=0.1,
                                   description=description)

        controls = {
            "forward": ipw.Button(description="forward step", icon="step-forward",
                                  button_style="primary",
                                  tooltip="compute the value of the next node"),
            "backward": ipw.Button(description="backward step", icon="step-backward",
                                   tooltip="give the next node, from the loss back, its gradient"),
            "reset": ipw.Button(description="reset", icon="undo",
                                tooltip="back to the start of the forward pass (the numbers "
                                        "you typed stay)"),
            "x1": slider("x1", "input x1", *RANGES["x1"]),
            "x2": slider("x2", "input x2", *RANGES["x2"]),
            "y": slider("y", "target y", *RANGES["y"]),
        }
        for name in PARAMETERS:
            controls[name] = box(name, f"weight {name}" if name.startswith("w")
                                 else f"bias {name}")
        controls["activation"] = ipw.Dropdown(options=["sigmoid", "tanh", "relu"],
                                              value=activation, description="hidden f")
        controls["loss"] = ipw.Dropdown(options=[("cross-entropy", "binary_crossentropy"),
                                                 ("squared error", "mse")],
                                        value=loss, description="loss")
        controls["formula"] = ipw.HTML(layout=ipw.Layout(min_height="3.2em"))
        return controls

    # ---------------------------------------------------------------- actions
    def forward_step(self):
        """Compute the next node of the forward pass (or say why not, in state['message'])."""
        with self.lock:
            if self.backward_steps:
                self.message = ("The forward pass is done and the backward pass has begun: "
                                "press reset to start again.")
            elif self.forward_steps == len(FORWARD_STEPS):
                self.message = "Every value is known: press backward step."
            else:
                self.forward_steps += 1
                self.message = ""
            self.update()

    def backward_step(self):
        """Give the next node, from the loss back, its gradient (or say why not)."""
        with self.lock:
            left = len(FORWARD_STEPS) - self.forward_steps
            if left:
                self.message = ("The backward pass needs every value first: finish the "
                                f"forward pass ({left} step{'s' if left > 1 else ''} to go).")
            elif self.backward_steps == len(BACKWARD_STEPS):
                self.message = "Every node has its gradient: press reset to start again."
            else:
                self.backward_steps += 1
                self.message = ""
            self.update()

    def reset(self):
        """Back to the start: only the leaves (inputs, target, weights) are known."""
        with self.lock:
            self.forward_steps = self.backward_steps = 0
            self.message = ""
            self.update()

    # ---------------------------------------------------------------- state
    def compute(self):
        c = self.controls
        weights = [[[c["w11"].value, c["w12"].value], [c["w21"].value, c["w22"].value]],
                   [c["b1"].value, c["b2"].value], [[c["w_out1"].value], [c["w_out2"].value]],
                   [c["b_out"].value]]
        self.graph = g = NetworkGraph(weights, (c["x1"].value, c["x2"].value), c["y"].value,
                                      activation=c["activation"].value, loss=c["loss"].value)
        computed = set(FORWARD_STEPS[:self.forward_steps])
        graded = BACKWARD_STEPS[:self.backward_steps]
        values = {n: node.value for n, node in g.nodes.items()
                  if node.is_leaf or n in computed}
        if self.backward_steps:
            current, phase = graded[-1], ("done" if len(graded) == len(BACKWARD_STEPS)
                                          else "backward")
        elif self.forward_steps:
            current, phase = FORWARD_STEPS[self.forward_steps - 1], "forward"
        else:
            current, phase = None, "start"
        self.state = {
            "forward_steps": self.forward_steps, "backward_steps": self.backward_steps,
            "n_forward": len(FORWARD_STEPS), "n_backward": len(BACKWARD_STEPS),
            "phase": phase, "current": current, "values": values,
            "grads": {n: g[n].grad for n in graded},
            "loss": g.loss if "L" in values else None,
            "activation": c["activation"].value, "loss_name": c["loss"].value,
            "x": [c["x1"].value, c["x2"].value], "target": c["y"].value,
            "message": self.message,
        }
        self.state["formula"] = self._formula(current, phase)

    def _formula(self, current, phase):
        """The arithmetic of the last step, with the numbers put in."""
        g, s = self.graph, self.state
        if current is None:
            return ("Only the leaves are known: the inputs, the target and the nine parameters. "
                    "Press forward step to compute the first node.")
        node = g[current]
        if phase == "forward":
            parents = [g[p] for p in node.parents]
            if node.kind == "product":
                u, v = parents
                return f"{shown(current)} = {_n(u.value)} · {_n(v.value)} = {_n(node.value)}"
            if node.kind == "sum":
                return (f"{shown(current)} = " + " + ".join(shown(p.name) for p in parents)
                        + " = " + " + ".join(_n(p.value) for p in parents)
                        + f" = {_n(node.value)}")
            if node.kind == "activation":
                f = "sigmoid" if current == "y_hat" else s["activation"]
                z = parents[0]
                return (f"{shown(current)} = {f}({z.name}) = {f}({_n(z.value)}) = "
                        f"{_n(node.value)}")
            p, y = g["y_hat"].value, g["y"].value
            if s["loss_name"] == "mse":
                return f"L = (ŷ − y)² = ({_n(p)} − {_n(y)})² = {_n(node.value)}"
            return (f"L = −[y·ln ŷ + (1 − y)·ln(1 − ŷ)] = −[{_n(y)}·ln {_n(p)} + "
                    f"{_n(1 - y)}·ln {_n(1 - p)}] = {_n(node.value)}")
        if current == "L":
            return "∂L/∂L = 1: the backward pass starts at the loss."
        terms = g.chain(current)
        names = " + ".join(f"∂L/∂{wrapped(child)} · {self._local_name(child, current)}"
                           for child, _ in terms)
        numbers = " + ".join(f"{_n(g[child].grad)} · {_n(local)}" for child, local in terms)
        text = f"∂L/∂{wrapped(current)} = {names} = {numbers} = {_n(node.grad)}"
        if phase == "done":
            text += ". Every node has its gradient."
        return text

    def _local_name(self, child, parent):
        """The local derivative d(child)/d(parent), in words of the lesson."""
        kind = KINDS[child]
        if kind == "product":
            (other,) = [p for p in PARENTS[child] if p != parent] or [parent]
            return shown(other)
        if kind == "sum":
            return "1"
        if kind == "activation":
            return f"{'sigmoid' if child == 'y_hat' else self.state['activation']}'({parent})"
        return "∂L/∂ŷ"

    def describe(self):
        s = self.state
        x1, x2 = s["x"]
        text = (f"Computation graph of a 2-2-1 network, hidden f {s['activation']}, sigmoid "
                f"output, {'squared error' if s['loss_name'] == 'mse' else 'cross-entropy'} "
                f"loss, on x = ({x1:g}, {x2:g}) with target y = {s['target']:g}. "
                f"Forward pass: {s['forward_steps']} of {s['n_forward']} nodes computed. "
                f"Backward pass: {s['backward_steps']} of {s['n_backward']} gradients known. ")
        if s["loss"] is not None:
            text += f"Loss L = {s['loss']:.3f}. "
        if s["message"]:
            text += s["message"] + " "
        if s["current"] is not None:
            text += "Last step: " + s["formula"]
        else:
            text += s["formula"]
        if s["phase"] == "done":
            text += (" Parameter gradients: " + ", ".join(
                f"{name} {_fmt(s['grads'][name])}" for name in PARAMETERS) + ".")
        return text

    # ---------------------------------------------------------------- drawing
    def draw(self):
        s, p = self.state, self.panel
        current, backward = s["current"], s["phase"] in ("backward", "done")
        x0, y0, x1, y1, colors, widths = [], [], [], [], [], []
        for child, _, parents in NODES:
            for parent in parents:
                (px, py), (cx, cy) = POSITIONS[parent], POSITIONS[child]
                x0.append(px + HALF_WIDTH)
                y0.append(py)
                x1.append(cx - HALF_WIDTH)
                y1.append(cy)
                # the links the last step used: into the node computed, out of the node graded
                used = (parent == current and backward) or (child == current and not backward)
                colors.append(style.CURRENT if used else style.TEXT_MUTED)
                widths.append(3.0 if used else 1.0)
        p.segments("edges", x0, y0, x1, y1, color=colors, width=widths)
        names = [name for name, _, _ in NODES]
        xs = [POSITIONS[n][0] for n in names]
        ys = [POSITIONS[n][1] for n in names]
        fills = [tint(style.sign_color(s["values"][n])) if n in s["values"] else "#ffffff"
                 for n in names]
        p.rects("boxes", [x - HALF_WIDTH for x in xs], [y - HALF_HEIGHT for y in ys],
                [x + HALF_WIDTH for x in xs], [y + HALF_HEIGHT for y in ys], fill=fills,
                edge=style.TEXT_MUTED)
        if current is None:
            p.remove("current")
        else:
            cx, cy = POSITIONS[current]
            p.rects("current", cx - HALF_WIDTH - 0.04, cy - HALF_HEIGHT - 0.1,
                    cx + HALF_WIDTH + 0.04, cy + HALF_HEIGHT + 0.1, fill="",
                    edge=style.CURRENT, width=3.0)
        p.texts("names", xs, [y + 0.32 for y in ys], [shown(n) for n in names], size=11,
                weight="bold")
        p.texts("values", xs, ys, [_fmt(s["values"][n]) if n in s["values"] else "?"
                                   for n in names], size=12)
        p.texts("grads", xs, [y - 0.33 for y in ys],
                [f"grad {_fmt(s['grads'][n])}" if n in s["grads"] else
                 ("" if KINDS[n] == "target" else "grad ?") for n in names],
                size=11, color=style.TEXT_MUTED)
        formula = html.escape(s["formula"])
        message = (f"<div style='color:{style.WRONG}'>{html.escape(s['message'])}</div>"
                   if s["message"] else "")
        self.controls["formula"].value = f"{message}<div><b>{formula}</b></div>"

    def layout(self):
        c = self.controls
        row = ipw.Layout(flex_flow="row wrap")
        example = ipw.HBox([c["x1"], c["x2"], c["y"], c["activation"], c["loss"]], layout=row)
        hidden = ipw.HBox([c[n] for n in ("w11", "w21", "b1", "w12", "w22", "b2")], layout=row)
        output = ipw.HBox([c[n] for n in ("w_out1", "w_out2", "b_out")], layout=row)
        buttons = ipw.HBox([c["forward"], c["backward"], c["reset"]], layout=row)
        return ipw.VBox([example, hidden, output, buttons, self.canvas, c["formula"]])
