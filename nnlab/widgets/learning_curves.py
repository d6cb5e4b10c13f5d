"""LearningCurves: the training and validation loss of a run, drawn while it trains.

Left, the data (filled: training points, hollow: validation points) under the network's output;
right, the two loss curves, one point per epoch, with the epoch of the lowest validation loss
marked and, when early stopping ends the run, the epoch where it stopped. The run itself is a
`nnlab.learning_curves.TrainingRun`: the core trains and records, the widget only draws.

Changing a setting trains the new run to the end at once; **train live** replays it from epoch 0
a few epochs per tick, so the curves grow while you watch.
"""

import ipywidgets as ipw
import numpy as np

from .. import datasets
from ..learning_curves import TrainingRun
from . import style
from .base import Widget, serialized
from .canvas import Canvas

L2_RATES = (0.0, 0.001, 0.003, 0.01, 0.03)
GRID = 48                       # the output map is GRID x GRID cells
EPOCHS_PER_TICK = 5
TRAIN_COLOR, VAL_COLOR = "#8c8c8c", "#000000"    # grey and black: apart in greyscale too
CLEAR = "rgba(0, 0, 0, 0)"      # the fill of a hollow point
#: The output map's colour range: outputs 0 and 1 get a half-strength orange and blue, so that
#: the hollow validation points (drawn in the full class colours) stay visible on it; 0.5 is
#: white as ever.
MAP_RANGE = (-0.4, 1.4)
#: The loss panel's legend: (label, colour, dash) of each line.
LEGEND = (("training loss", TRAIN_COLOR, "solid"), ("validation loss", VAL_COLOR, "solid"),
          ("lowest validation loss", style.POSITIVE, "dotted"),
          ("early stop", style.WRONG, "dashed"))


class LearningCurves(Widget):
    """Learning curves of a small network on noisy 2-D data, live.

    Parameters
    ----------
    dataset : str
        A two-class set of `nnlab.datasets` ('xor', 'circle', 'gauss', 'spiral').
    noise : float
        Its noise (0 to 0.5): label noise is what a network can learn by heart.
    n_train : int
        Training points (20 to 300); the validation set is a fixed 200 other points.
    hidden : int
        Neurons in each of the two hidden layers.
    l2 : float
        L2 penalty rate, one of L2_RATES.
    early_stopping : bool
    patience : int
    max_epochs : int
    seed : int

    Examples
    --------
    >>> curves = LearningCurves(n_train=40, hidden=16, max_epochs=40)
    >>> curves.state["epochs"], curves.state["best_epoch"] is not None
    (40, True)
    """

    figure_label = "learning curves figure: the data and the training and validation loss per epoch"

    def __init__(self, dataset="xor", noise=0.3, n_train=40, hidden=24, l2=0.0,
                 early_stopping=False, patience=20, max_epochs=200, seed=0):
        super().__init__()
        if l2 not in L2_RATES:
            raise ValueError(f"l2 must be one of {L2_RATES}, but got {l2!r}")
        self.dataset, self.noise, self.seed = dataset, noise, seed
        X, y = getattr(datasets, datasets_name(dataset))(n=500, noise=noise, seed=seed)
        self.X_pool, self.y_pool = X[:300], y[:300]          # training points come from here
        self.X_val, self.y_val = X[300:], y[300:]             # a fixed validation set
        wide = {"description_width": "initial"}
        self.controls = {
            "hidden": ipw.IntSlider(value=hidden, min=1, max=32, description="hidden neurons",
                                    style=wide, continuous_update=False),
            "n_train": ipw.IntSlider(value=n_train, min=20, max=300, step=10,
                                     description="training points", style=wide,
                                     continuous_update=False),
            "l2": ipw.SelectionSlider(options=list(L2_RATES), value=l2, description="L2 rate",
                                      style=wide, continuous_update=False),
            "max_epochs": ipw.IntSlider(value=max_epochs, min=20, max=300, step=10,
                                        description="max epochs", style=wide,
                                        continuous_update=False),
            "early_stopping": ipw.Checkbox(value=early_stopping, description="early stopping",
                                           indent=False),
            "patience": ipw.IntSlider(value=patience, min=1, max=50, description="patience",
                                      style=wide, continuous_update=False),
            "play": ipw.Play(value=0, min=0, max=10**9, step=1, interval=100,
                             description="train live", show_repeat=False,
                             tooltip="train this run again from epoch 0, live"),
            "readout": ipw.HTML(),
        }
        self._build_figure()
        self._connect(["hidden", "n_train", "l2", "max_epochs", "early_stopping", "patience"])
        self.controls["play"].observe(self._on_playing, names="playing")
        self.controls["play"].observe(self._on_tick, names="value")
        self.update()

    # ---------------------------------------------------------------- the core's run
    def new_run(self):
        """A fresh TrainingRun with the current settings (nothing trained yet)."""
        c = self.controls
        n = c["n_train"].value
        patience = c["patience"].value if c["early_stopping"].value else None
        return TrainingRun(self.X_pool[:n], self.y_pool[:n], self.X_val, self.y_val,
                           hidden=(c["hidden"].value,) * 2, l2=c["l2"].value,
                           learning_rate=0.01, batch_size=10,
                           max_epochs=c["max_epochs"].value, patience=patience, seed=self.seed)

    def compute(self):
        """A setting changed: train the new run to the end."""
        self.run = self.new_run()
        self.run.run()
        self._fill_state()

    @serialized          # the Play timer's ticks may come on another thread
    def tick(self, epochs=EPOCHS_PER_TICK):
        """Train a few more epochs of the current run and redraw (what `train live` does)."""
        self.run.advance(epochs)
        self._show()
        return self.run.finished

    @serialized
    def restart(self):
        """Start the current settings' run again from epoch 0 (nothing trained)."""
        self.run = self.new_run()
        self._show()

    def _show(self):
        with self.lock:
            with self.canvas.frame():                   # the new picture in one message
                self._fill_state()
                self.draw()
            self.finish()
            self.text_twin.text = self.describe()

    def _fill_state(self):
        run = self.run
        n_train = len(run.y_train)
        self.state = {
            "epochs": run.epochs_done,
            "train_loss": list(run.train_loss),
            "val_loss": list(run.val_loss),
            "best_epoch": run.best_epoch,
            "best_val_loss": None if run.best_epoch is None else run.val_loss[run.best_epoch],
            "stopped_epoch": run.stopped_epoch,
            "finished": run.finished,
            "n_train": n_train,
            "n_val": len(self.y_val),
            "hidden": self.controls["hidden"].value,
            "l2": self.controls["l2"].value,
            "early_stopping": self.controls["early_stopping"].value,
            "n_params": run.model.count_params(),
        }
        _, _, plane = datasets.grid((-6.0, 6.0), (-6.0, 6.0), GRID)
        self.state["output"] = run.model.predict(plane).reshape(GRID, GRID)

    # ---------------------------------------------------------------- playing
    def _on_playing(self, change):
        if change["new"]:
            self.restart()

    def _on_tick(self, change):
        if not self.controls["play"].playing or change["new"] == 0:
            return
        if self.tick():
            self.controls["play"].playing = False

    # ---------------------------------------------------------------- drawing
    def _build_figure(self):
        """The data under the output map (left), the two loss curves (right) and their legend
        above them, on one browser-drawn Canvas."""
        self.canvas = Canvas(width=810, height=335, label=self.figure_label)
        with self.canvas.frame():                       # built in one message
            self._data = self.canvas.panel("data", left=8, top=40, width=250, height=250,
                                           xlim=(-6, 6), ylim=(-6, 6), xticks=[], yticks=[],
                                           title="filled: training, hollow: validation")
            self._legend = self.canvas.panel("legend", left=345, top=2, width=455, height=44,
                                             frame=False, xticks=[], yticks=[])
            self._loss = self.canvas.panel("loss", left=345, top=52, width=455, height=240,
                                           xlabel="epoch", ylabel="loss (binary cross-entropy)")
            # what does not change: the legend and the validation points
            for (x, y), (label, color, dash) in zip(
                    ((0.0, 0.75), (0.5, 0.75), (0.0, 0.25), (0.5, 0.25)), LEGEND):
                key = label.replace(" ", "_")
                self._legend.line(key, [x, x + 0.07], [y, y], color=color, width=1.5, dash=dash)
                self._legend.text(f"{key}_text", x + 0.085, y, label, align="left", size=12)
            # the cells of the output map are centred on the grid's points (the grid spans -6..6)
            half = 6.0 / (GRID - 1)
            self._extent = (-6.0 - half, 6.0 + half, -6.0 - half, 6.0 + half)
            self._data.image("output", np.full((GRID, GRID), 0.5), *MAP_RANGE,
                             extent=self._extent, smooth=True)
            for label in (0, 1):
                X = self.X_val[self.y_val == label]
                self._data.points(f"validation_{label}", X[:, 0], X[:, 1], fill=CLEAR,
                                  edge=style.CLASS_COLORS[label], shape=class_marker(label),
                                  size=6, width=1.2)

    def draw(self):
        s = self.state
        self._data.image("output", s["output"], *MAP_RANGE, extent=self._extent, smooth=True)
        n = s["n_train"]
        for label in (0, 1):
            X = self.X_pool[:n][self.y_pool[:n] == label].reshape(-1, 2)
            self._data.points(f"training_{label}", X[:, 0], X[:, 1],
                              fill=style.CLASS_COLORS[label], shape=class_marker(label),
                              size=7, edge="#000000", width=0.6)

        top = max([0.8] + [v for v in s["train_loss"] + s["val_loss"] if np.isfinite(v)])
        high = min(top * 1.05, 3.0)
        self._loss.set(xlim=(0, max(self.controls["max_epochs"].value, 1)), ylim=(0, high),
                       xticks=None, yticks=None)
        epochs = np.arange(s["epochs"])
        loss = self._loss
        loss.line("training_loss", epochs, s["train_loss"], color=TRAIN_COLOR, width=1.5)
        loss.line("validation_loss", epochs, s["val_loss"], color=VAL_COLOR, width=1.5)
        best, stop = s["best_epoch"], s["stopped_epoch"]
        at_best = [] if best is None else [best, best]
        loss.line("lowest_validation_loss", at_best, [0, high][:len(at_best)],
                  color=style.POSITIVE, width=1.5, dash="dotted")
        at_stop = [] if stop is None else [stop, stop]
        loss.line("early_stop", at_stop, [0, high][:len(at_stop)], color=style.WRONG,
                  width=1.2, dash="dashed")
        loss.points("best", [] if best is None else [best],
                    [] if best is None else [s["best_val_loss"]], fill=style.POSITIVE,
                    size=7, edge=None)

    def finish(self):
        """The readout, set after the picture's frame is sent (the picture is what a student
        watches)."""
        self.controls["readout"].value = f"<p>{self.status()}</p>"

    def status(self):
        """A one-line status above the figure (the full description is in the text twin)."""
        s = self.state
        parts = [f"epoch {s['epochs']} of {self.controls['max_epochs'].value}"]
        if s["best_epoch"] is not None:
            parts.append(f"lowest validation loss {s['best_val_loss']:.3f} at epoch "
                         f"{s['best_epoch']}")
        if s["stopped_epoch"] is not None:
            parts.append(f"early stop after epoch {s['stopped_epoch']}")
        return " · ".join(parts)

    def describe(self):
        """What the figure shows now, in words (for the readout and for screen readers)."""
        s = self.state
        setting = (f"{s['hidden']} neurons in each of two hidden layers ({s['n_params']} "
                   f"parameters), {s['n_train']} training points, L2 rate {s['l2']:g}")
        if s["epochs"] == 0:
            return f"Learning curves, {setting}: not trained yet."
        text = (f"Learning curves, {setting}. After {s['epochs']} epochs the training loss is "
                f"{s['train_loss'][-1]:.3f} and the validation loss "
                f"{s['val_loss'][-1]:.3f}; the lowest validation loss, "
                f"{s['best_val_loss']:.3f}, was at epoch {s['best_epoch']}.")
        if s["stopped_epoch"] is not None:
            text += (f" Early stopping ended the run at epoch {s['stopped_epoch']} and kept the "
                     f"weights of epoch {s['best_epoch']}.")
        elif s["val_loss"][-1] > 1.2 * s["best_val_loss"] + 0.02:
            text += " The validation loss has risen well above its lowest point: overfitting."
        return text

    def layout(self):
        c = self.controls
        rows = [ipw.HBox([c["hidden"], c["n_train"], c["l2"]],
                         layout=ipw.Layout(flex_flow="row wrap")),
                ipw.HBox([c["max_epochs"], c["early_stopping"], c["patience"], c["play"]],
                         layout=ipw.Layout(flex_flow="row wrap")),
                self.figure_widget(), c["readout"]]
        return ipw.VBox(rows)


def class_marker(label):
    """The marker shape of a class (classes differ by shape as well as colour)."""
    return style.CLASS_MARKERS[label]


def datasets_name(name):
    if name not in ("xor", "circle", "gauss", "spiral"):
        raise ValueError(f"dataset must be 'xor', 'circle', 'gauss' or 'spiral', "
                         f"but got {name!r}")
    return name
