"""LayerHealth: two deep networks training side by side, and the health of each hidden layer.

Each side is a `nnlab.health.HealthRun`: the same data (the circle), the same depth, the same
random draws and batches; only the hidden activation and the initialiser differ. Per hidden
layer (layer 1 at the top, next to the input) the figure shows, over the last batch:

- the histogram of the activations, with the share of saturated units (sigmoid, tanh) or of
  dead ReLUs;
- the histogram of the gradients dL/dW on a log scale (log10 |dL/dW|);
- the update ratio ||dW|| / ||W|| of the last update, as a bar on a log scale, with the
  rule of thumb 1e-3 marked.

'play' trains one epoch per tick of a timer in the browser (an ipywidgets Play, as in the
Playground), so the kernel is free between ticks; 'one epoch' trains one. Every number comes
from the core (`nnlab.health`); the widget binds controls and draws.
"""

import ipywidgets as ipw
import numpy as np

from ..health import ACTIVATION_RANGE, GRADIENT_RANGE, HealthRun
from ..layers import INITIALIZERS
from . import style
from .base import Widget, serialized
from .canvas import Canvas

__all__ = ["LayerHealth"]

SIDES = ("left", "right")
RATIO_RANGE = (-7.0, 0.0)            # log10 of the update ratio
BINS = 20
WIDTH = 16                           # units per hidden layer
LEARNING_RATES = (0.001, 0.01, 0.1, 0.5, 1.0)
DEFAULT_RATE = {"sgd": 0.5, "adam": 0.01}
INITIALIZER_NAMES = {"glorot": "Glorot", "he": "He"}


def _percent(share):
    return f"{100 * share:.0f}%"


class LayerHealth(Widget):
    """Train two deep networks side by side and watch each hidden layer's health.

    Parameters
    ----------
    left, right : (activation, initializer), default ('sigmoid', 'glorot') and ('relu', 'he')
        Each side's hidden activation ('sigmoid', 'tanh', 'relu') and initialiser (a name of
        `nnlab.layers.INITIALIZERS`).
    layers : int, default 5
        Hidden layers (2..6), of 16 units each.
    optimizer : {'sgd', 'adam'}, default 'sgd'
    learning_rate : float, default: 0.5 for SGD, 0.01 for Adam (one of 0.001, 0.01, 0.1, 0.5, 1)
    max_epochs : int, default 200
        Play pauses there.

    Attributes
    ----------
    runs : [HealthRun, HealthRun]
        The left and the right network.
    controls : 'activation_left', 'initializer_left', 'activation_right',
        'initializer_right', 'layers', 'optimizer', 'learning_rate' (settings: changing one
        starts both runs again), 'run' (play / pause), 'play' (its timer), 'step' (one epoch),
        'reset'
    state : dict
        'epoch', 'layers', 'optimizer', 'learning_rate', 'playing', and 'runs': for each side
        {'side', 'activation', 'initializer', 'loss', 'accuracy', 'diverged', 'layers'
        (`nnlab.health.layer_statistics`: per hidden layer 'activations' and 'gradients'
        histograms, 'gradient_norm', 'saturated', 'dead', 'update_ratio')}.
    canvas : Canvas

    Examples
    --------
    >>> health = LayerHealth(layers=3)
    >>> health.tick(2)
    >>> health.state['epoch'], [len(r['layers']) for r in health.state['runs']]
    (2, [3, 3])
    """

    figure_label = ("layer health figure: per hidden layer, histograms of activations and "
                    "gradients and the update ratio, for two networks side by side")

    def __init__(self, left=("sigmoid", "glorot"), right=("relu", "he"), layers=5,
                 optimizer="sgd", learning_rate=None, max_epochs=200):
        super().__init__()
        for side, (activation, initializer) in zip(SIDES, (left, right), strict=True):
            if activation not in ACTIVATION_RANGE:
                raise ValueError(f"{side}'s activation must be one of "
                                 f"{list(ACTIVATION_RANGE)}, but got {activation!r}")
            if initializer not in INITIALIZERS:
                raise ValueError(f"{side}'s initializer must be one of {list(INITIALIZERS)}, "
                                 f"but got {initializer!r}")
        if layers not in range(2, 7):
            raise ValueError(f"layers must be between 2 and 6, but got {layers!r}")
        if optimizer not in DEFAULT_RATE:
            raise ValueError(f"optimizer must be 'sgd' or 'adam', but got {optimizer!r}")
        learning_rate = DEFAULT_RATE[optimizer] if learning_rate is None else learning_rate
        if learning_rate not in LEARNING_RATES:
            raise ValueError(f"learning_rate must be one of {list(LEARNING_RATES)}, but got "
                             f"{learning_rate!r}")
        self.max_epochs = int(max_epochs)
        self.controls = self._make_controls(left, right, layers, optimizer, learning_rate)
        self.canvas = Canvas(width=860, height=400, label=self.figure_label)
        self._connect_controls()
        self._restart()

    def _make_controls(self, left, right, layers, optimizer, learning_rate):
        c = {}
        for side, (activation, initializer) in zip(SIDES, (left, right), strict=True):
            c[f"activation_{side}"] = ipw.Dropdown(options=list(ACTIVATION_RANGE),
                                                   value=activation,
                                                   description=f"{side}: hidden f")
            c[f"initializer_{side}"] = ipw.Dropdown(
                options=[(INITIALIZER_NAMES.get(n, n), n) for n in INITIALIZERS],
                value=initializer, description=f"{side}: initialiser")
        c["layers"] = ipw.IntSlider(value=layers, min=2, max=6,
                                    description=f"hidden layers ({WIDTH} units each)",
                                    layout=ipw.Layout(width="400px"))
        c["optimizer"] = ipw.Dropdown(options=[("SGD", "sgd"), ("Adam", "adam")],
                                      value=optimizer, description="optimizer")
        c["learning_rate"] = ipw.Dropdown(options=[(f"{r:g}", r) for r in LEARNING_RATES],
                                          value=learning_rate, description="learning rate")
        c["run"] = ipw.ToggleButton(value=False, description="play", icon="play",
                                    tooltip="play: train one epoch per tick (press again to "
                                            "pause)")
        c["play"] = ipw.Play(value=0, min=0, max=10**9, step=1, interval=150,
                             description="play / pause training", show_repeat=False)
        c["play"].layout.display = "none"          # driven by the labelled 'play' toggle
        c["step"] = ipw.Button(description="one epoch", icon="step-forward",
                               tooltip="train both networks for one more epoch")
        c["reset"] = ipw.Button(description="reset", icon="undo",
                                tooltip="start both networks again from their initial weights")
        return c

    def _connect_controls(self):
        c = self.controls
        for name in ("activation_left", "initializer_left", "activation_right",
                     "initializer_right", "layers", "learning_rate"):
            c[name].observe(lambda _: self._restart(), names="value")
        c["optimizer"].observe(self._on_optimizer, names="value")
        c["run"].observe(self._on_run, names="value")
        c["play"].observe(self._on_play, names="value")
        c["step"].on_click(lambda _: self.tick())
        c["reset"].on_click(lambda _: self._restart())

    # ---------------------------------------------------------------- actions
    @serialized
    def _restart(self):
        """New runs from the settings (epoch 0), play paused."""
        if self.held:
            return
        c = self.controls
        hidden = (WIDTH,) * c["layers"].value
        self.runs = [HealthRun(c[f"activation_{side}"].value, c[f"initializer_{side}"].value,
                               hidden=hidden, optimizer=c["optimizer"].value,
                               learning_rate=c["learning_rate"].value) for side in SIDES]
        self.pause()
        self.update()

    def _on_optimizer(self, change):
        with self.hold():                          # each optimizer's usual rate
            self.controls["learning_rate"].value = DEFAULT_RATE[change["new"]]
        self._restart()

    def _on_run(self, change):
        run = self.controls["run"]
        run.description, run.icon = ("pause", "pause") if change["new"] else ("play", "play")
        self.controls["play"].playing = change["new"]

    def _on_play(self, change):
        # the timer counts up while playing; "stop" sets it back to 0, which must not train
        if change["new"] > change["old"]:
            self.tick()

    def pause(self):
        """Stop playing (the runs keep their weights)."""
        self.controls["run"].value = False
        self.controls["play"].playing = False

    @serialized
    def tick(self, epochs=1):
        """Train both networks `epochs` more epochs, then draw once; play pauses at
        `max_epochs` or when both runs have diverged."""
        epochs = min(epochs, self.max_epochs - self.runs[0].epoch)
        if epochs > 0:
            for run in self.runs:
                run.tick(epochs)
        if self.runs[0].epoch >= self.max_epochs or all(r.diverged for r in self.runs):
            self.pause()
        self.update()

    # ---------------------------------------------------------------- state
    def compute(self):
        c = self.controls
        runs = []
        for side, run in zip(SIDES, self.runs, strict=True):
            runs.append({"side": side, "activation": run.activation,
                         "initializer": run.initializer, **run.statistics(BINS)})
        self.state = {"epoch": max(r.epoch for r in self.runs), "layers": c["layers"].value,
                      "optimizer": c["optimizer"].value,
                      "learning_rate": c["learning_rate"].value,
                      "playing": bool(c["run"].value), "max_epochs": self.max_epochs,
                      "runs": runs}

    def describe(self):
        s = self.state
        text = (f"Epoch {s['epoch']}: two networks with {s['layers']} hidden layers of {WIDTH} "
                f"units learn the circle data with "
                f"{'SGD' if s['optimizer'] == 'sgd' else 'Adam'}, learning rate "
                f"{s['learning_rate']:g}. Layers are listed from the input (layer 1) to the "
                f"last hidden layer.")
        for run in s["runs"]:
            text += f" {run['side'].capitalize()}: {run['activation']} with " \
                    f"{INITIALIZER_NAMES.get(run['initializer'], run['initializer'])} " \
                    "initialisation"
            if run["diverged"]:
                text += ": training diverged (the loss became infinite or NaN)."
                continue
            if run["loss"] is not None:
                text += f", loss {run['loss']:.3f}, accuracy {_percent(run['accuracy'])}"
            layers = run["layers"]
            text += ". Gradient size per layer: " + ", ".join(
                f"{layer['gradient_norm']:.0e}" for layer in layers)
            if layers[0]["update_ratio"] is not None:
                text += "; update ratio: " + ", ".join(
                    f"{layer['update_ratio']:.0e}" for layer in layers)
            if layers[0]["saturated"] is not None:
                text += "; saturated units: " + ", ".join(
                    _percent(layer["saturated"]) for layer in layers)
            if layers[0]["dead"] is not None:
                text += "; dead units: " + ", ".join(_percent(layer["dead"]) for layer in layers)
            text += "."
        return text

    # ---------------------------------------------------------------- drawing
    def draw(self):
        s = self.state
        n = s["layers"]
        height = 50 * n
        for k, run in enumerate(s["runs"]):
            self._draw_side(run, left=10 + 430 * k, top=58, height=height, n=n,
                            epoch=s["epoch"])

    def _draw_side(self, run, left, top, height, n, epoch):
        canvas, side = self.canvas, run["side"]
        low, high = ACTIVATION_RANGE[run["activation"]]
        rows = (0.0, float(n))
        head = canvas.panel(f"head_{side}", left=left, top=0, width=410, height=34,
                            xlim=(0, 1), ylim=(0, 1), xticks=[], yticks=[], frame=False)
        labels = canvas.panel(f"labels_{side}", left=left, top=top, width=30, height=height,
                              ylim=rows, xticks=[], yticks=[], frame=False)
        acts = canvas.panel(f"activations_{side}", left=left + 34, top=top, width=106,
                            height=height, xlim=(low, high), ylim=rows, yticks=[],
                            title="activations", xticks=None)
        grads = canvas.panel(f"gradients_{side}", left=left + 162, top=top, width=106,
                             height=height, xlim=GRADIENT_RANGE, ylim=rows, yticks=[],
                             xticks=(-8, -6, -4, -2, 0), title="|dL/dW|", xlabel="log10")
        ratio = canvas.panel(f"ratio_{side}", left=left + 290, top=top, width=114,
                             height=height, xlim=RATIO_RANGE, ylim=rows, yticks=[],
                             xticks=(-6, -3, 0), title="update ratio", xlabel="log10")
        name = INITIALIZER_NAMES.get(run["initializer"], run["initializer"])
        title = f"{side}: {run['activation']}, {name} init · epoch {epoch}"
        if run["loss"] is not None:
            title += f" · loss {run['loss']:.3f}"
        head.text("title", 0.5, 0.4, title, size=13, weight="bold")
        labels.texts("layers", [0.5] * n, [n - i - 0.5 for i in range(n)],
                     [f"layer {i + 1}" for i in range(n)], size=11, angle=90)
        layers = run["layers"]
        if not layers:                               # diverged: nothing to draw but the news
            for panel in (acts, grads, ratio):
                for layer in ("bars", "rows", "shares", "rule"):
                    panel.remove(layer)
            acts.text("shares", (low + high) / 2, n / 2, "diverged", size=12,
                      color=style.WRONG, weight="bold")
            return
        for panel, key, (a, b) in ((acts, "activations", (low, high)),
                                   (grads, "gradients", GRADIENT_RANGE)):
            edges = np.linspace(a, b, BINS + 1)
            x0, x1, y0, y1 = [], [], [], []
            for i, stats in enumerate(layers):
                shares = np.asarray(stats[key])
                base = n - i - 1 + 0.08
                tallest = shares.max() or 1.0
                x0 += edges[:-1].tolist()
                x1 += edges[1:].tolist()
                y0 += [base] * BINS
                y1 += (base + 0.8 * shares / tallest).tolist()
            panel.rects("bars", x0, y0, x1, y1, fill=style.POSITIVE)
            panel.segments("rows", [a] * (n - 1), list(range(1, n)), [b] * (n - 1),
                           list(range(1, n)), color=style.NEUTRAL, width=1.0)
        notes, ys = [], []
        for i, stats in enumerate(layers):
            if stats["saturated"] is not None:
                notes.append(f"sat {_percent(stats['saturated'])}")
            elif stats["dead"] is not None:
                notes.append(f"dead {_percent(stats['dead'])}")
            else:
                notes.append("")
            ys.append(n - i - 0.12)
        acts.texts("shares", [high] * n, ys, notes, size=10, align="right", baseline="top",
                   background="#ffffff")
        ratios = [stats["update_ratio"] for stats in layers]
        if ratios[0] is None:
            ratio.remove("bars")
            ratio.text("shares", -3.5, n / 2, "no update yet", size=11, color=style.TEXT_MUTED,
                       background="#ffffff")
        else:
            logs = [np.clip(np.log10(r), *RATIO_RANGE) if r > 0 else RATIO_RANGE[0]
                    for r in ratios]
            ratio.rects("bars", [RATIO_RANGE[0]] * n, [n - i - 0.75 for i in range(n)], logs,
                        [n - i - 0.25 for i in range(n)], fill=style.POSITIVE)
            ratio.remove("shares")
        ratio.line("rule", [-3, -3], [0, n], color=style.TEXT_MUTED, dash="dashed")

    def layout(self):
        c = self.controls
        row = ipw.Layout(flex_flow="row wrap")
        sides = ipw.HBox([c["activation_left"], c["initializer_left"], c["activation_right"],
                          c["initializer_right"]], layout=row)
        settings = ipw.HBox([c["layers"], c["optimizer"], c["learning_rate"]], layout=row)
        buttons = ipw.HBox([c["run"], c["play"], c["step"], c["reset"]], layout=row)
        return ipw.VBox([sides, settings, buttons, self.canvas])
