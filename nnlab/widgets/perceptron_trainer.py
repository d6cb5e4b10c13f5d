"""PerceptronTrainer: watch the perceptron learning rule move the line, one sample at a time.

For each sample x with label y (0 or 1) the perceptron predicts y_hat = step(w . x + b), then

    w <- w + lr (y - y_hat) x
    b <- b + lr (y - y_hat)

so nothing changes when it is right, and the line w1 x1 + w2 x2 + b = 0 jumps towards the
sample when it is wrong. On data a straight line can separate (blobs, AND, OR) it reaches an
epoch without mistakes; on XOR it never does.

The figure (a browser-drawn `Canvas`, drawn by perceptron_figure.py from the state this module
computes): the data on a background shaded by the predicted class, the line, red rings round
the points the line gets wrong, a black ring round the sample just shown, and the mistakes per
epoch.
"""

import ipywidgets as ipw
import numpy as np

from nnlab import datasets
from nnlab.decision_line import boundary_line, visible_segment
from nnlab.perceptron import Perceptron
from nnlab.validation import check_rng

from . import style
from .base import Widget, number, serialized
from .perceptron_figure import PerceptronFigure

__all__ = ["PerceptronTrainer"]

DATASETS = ("blobs", "AND", "OR", "XOR")
#: Whether one straight line can separate the two classes of each dataset.
SEPARABLE = {"blobs": True, "AND": True, "OR": True, "XOR": False}
WHY_NOT_XOR = (
    "XOR never converges: no single straight line separates its two classes, so whatever line "
    "the perceptron tries, some sample is on the wrong side and the rule moves the line again, "
    "forever. It needs two layers."
)
_N_BLOBS = 60
_GRID = 60          # resolution per side of the shaded background


def _check_dataset(dataset):
    if isinstance(dataset, str):
        for name in DATASETS:
            if dataset.strip().lower() == name.lower():
                return name
    raise ValueError(f"dataset must be one of {', '.join(DATASETS)}, but got {dataset!r}")


class PerceptronTrainer(Widget):
    """Train a perceptron by hand: Step (one sample), Epoch (all samples), Reset, Play.

    Parameters
    ----------
    dataset : {'blobs', 'AND', 'OR', 'XOR'}, default 'blobs'
        'blobs' is two clusters of 60 points in all (class 0 around (10, 10), class 1 around
        (0, 0)), shuffled; the gates are their four truth-table rows.
    learning_rate : float, default 1.0
    seed : None, int or numpy Generator, default 0
        Seeds the blobs and the perceptron's small random initial weights.

    Controls
    --------
    ``dataset`` (dropdown), ``learning_rate`` (slider), ``step``, ``epoch``, ``reset`` (buttons),
    ``play`` (an ``ipywidgets.Play`` timer: each tick does one step), ``play_mode`` (a tick is
    one sample or one epoch) and the readout ``status``.

    State
    -----
    ``weights``, ``bias``, ``epoch`` (completed epochs), ``position`` (next sample in the epoch),
    ``current`` (index of the sample just shown, or None), ``current_mistake``, ``misclassified``
    (indices wrong with the current line), ``mistakes_per_epoch``, ``mistakes_this_epoch``,
    ``converged``, ``boundary`` (two points of the line), ``n_points``, ``class_counts``,
    ``xlim`` and ``ylim`` (the plot's box) and ``message``.

    Examples
    --------
    >>> trainer = PerceptronTrainer('AND')
    >>> for _ in range(10):
    ...     trainer.controls['epoch'].click()
    >>> trainer.state['converged'], trainer.state['misclassified']
    (True, [])
    >>> trainer                                    # displays the widget  # doctest: +SKIP
    """

    figure_label = "perceptron trainer figure: the data, the line, and mistakes per epoch"

    def __init__(self, dataset="blobs", learning_rate=1.0, seed=0):
        super().__init__()
        dataset = _check_dataset(dataset)
        self.perceptron = Perceptron(2, learning_rate=learning_rate, seed=seed)
        check_rng(seed)
        self.seed = seed
        rate = self.perceptron.learning_rate
        wide = {"description_width": "initial"}
        self.controls = {
            "dataset": ipw.Dropdown(options=DATASETS, value=dataset, description="data",
                                    style=wide),
            "learning_rate": ipw.FloatSlider(value=rate, min=min(0.05, rate),
                                             max=max(2.0, rate), step=0.05,
                                             description="learning rate", readout_format=".2f",
                                             style=wide),
            "step": ipw.Button(description="Step (one sample)",
                               tooltip="show the perceptron the next sample"),
            "epoch": ipw.Button(description="Epoch (all samples)",
                                tooltip="show it the rest of the samples of this epoch"),
            "reset": ipw.Button(description="Reset", tooltip="back to the initial weights"),
            "play": ipw.Play(value=0, min=0, max=100_000, step=1, interval=200,
                             show_repeat=False, description="Play",
                             tooltip="train on its own, one tick at a time"),
            "play_mode": ipw.ToggleButtons(options=[("one sample per tick", "sample"),
                                                    ("one epoch per tick", "epoch")],
                                           value="sample", description="Play does",
                                           style=wide),
            "status": ipw.HTML(),
        }
        c = self.controls
        c["step"].on_click(lambda _: self.step())
        c["epoch"].on_click(lambda _: self.run_epoch())
        c["reset"].on_click(lambda _: self.reset())
        c["play"].observe(self._on_tick, names="value")
        c["dataset"].observe(self._on_dataset, names="value")
        c["learning_rate"].observe(self._on_learning_rate, names="value")
        self.picture = PerceptronFigure(self.figure_label)     # draws the state
        self.canvas = self.picture.canvas
        self._load(dataset)

    # ---------------------------------------------------------------- actions
    @serialized          # a button's click may come on another thread
    def step(self):
        """Apply the learning rule to the next sample, then redraw."""
        if not self._converged:
            self._step()
        self.update()

    @serialized
    def run_epoch(self):
        """Finish the current epoch (a whole pass when at its start), then redraw."""
        if not self._converged:
            if self._position == 0:
                # a whole epoch at once: the core runs it and records the mistakes
                self.perceptron.partial_fit(self.X, self.y)
                self._current = None
            else:
                while self._position != 0:
                    self._step()
        self.update()

    @serialized
    def reset(self):
        """Back to the perceptron's initial weights and epoch 0."""
        self.perceptron.reset()
        self._position = 0
        self._current = None
        self._current_mistake = False
        self._stop_playing()
        self.update()

    def _step(self):
        i = self._position
        mistake = self.perceptron.learn_one(self.X[i], self.y[i])
        self._current, self._current_mistake = i, mistake
        self._position += 1
        if self._position == len(self.X):
            # end of an epoch done sample by sample: the perceptron records it
            self.perceptron.end_epoch()
            self._position = 0

    @property
    def _mistakes_per_epoch(self):
        return self.perceptron.errors_

    @property
    def _converged(self):
        return bool(self._mistakes_per_epoch) and self._mistakes_per_epoch[-1] == 0

    def _on_tick(self, change):
        if self.held:
            return
        if self._converged:
            self._stop_playing()
            return
        if self.controls["play_mode"].value == "epoch":
            self.run_epoch()
        else:
            self.step()
        if self._converged:
            self._stop_playing()

    def _stop_playing(self):
        play = self.controls["play"]
        with self.hold():
            play.playing = False
            play.value = 0

    def _on_dataset(self, change):
        self._load(change["new"])

    @serialized
    def _on_learning_rate(self, change):
        # the rule uses the new rate from the next sample on
        self.perceptron.set_learning_rate(float(change["new"]))
        self.update()

    @serialized
    def _load(self, name):
        with self.canvas.frame():            # the new box, points and line: one frame
            self._load_data(name)

    def _load_data(self, name):
        if name == "blobs":
            X, y = datasets.blobs(_N_BLOBS, seed=self.seed)
            order = check_rng(self.seed).permutation(len(X))
            X, y = X[order], y[order]
            low, high = X.min(axis=0) - 1.5, X.max(axis=0) + 1.5
            low[:], high[:] = low.min(), high.max()      # the same scale on both axes
        else:
            X, y = datasets.logic_gate(name)
            low, high = np.array([-0.5, -0.5]), np.array([1.5, 1.5])
        self.X, self.y = X, y
        self._xlim, self._ylim = (low[0], high[0]), (low[1], high[1])
        _, _, self._grid = datasets.grid(self._xlim, self._ylim, _GRID)

        self.picture.show_data(name, X, y, self._xlim, self._ylim, _GRID)
        self.reset()

    # ------------------------------------------------------------------ state
    def compute(self):
        p = self.perceptron
        predictions = p.predict(self.X)
        misclassified = [int(i) for i in np.flatnonzero(predictions != self.y)]
        dataset = self.controls["dataset"].value
        epochs = len(self._mistakes_per_epoch)
        xs, ys = boundary_line(p.weights, p.bias, self._xlim, self._ylim)

        if self._converged:
            message = (f"Converged after {epochs} epoch(s): an epoch without a single mistake, "
                       "so the line separates the two classes. Press Reset to start again.")
        elif epochs and not SEPARABLE[dataset]:
            message = (f"Epoch {epochs}: still {self._mistakes_per_epoch[-1]} mistake(s). "
                       + WHY_NOT_XOR)
        elif self._current is not None:
            i = self._current
            x1, x2 = self.X[i]
            target = int(self.y[i])
            if self._current_mistake:
                direction = "towards" if target == 1 else "away from"
                message = (f"Sample {i} at ({x1:.2f}, {x2:.2f}), class {target}: a mistake, so "
                           f"w += lr (y - y_hat) x and b += lr (y - y_hat) move the line so that "
                           f"the blue side comes {direction} it.")
            else:
                message = (f"Sample {i} at ({x1:.2f}, {x2:.2f}), class {target}: right, so "
                           "nothing changes.")
        elif epochs:
            message = f"Epoch {epochs}: {self._mistakes_per_epoch[-1]} mistake(s)."
        else:
            message = ("Press Step to show the perceptron one sample, Epoch for a whole pass, or "
                       "Play to let it train.")

        self.state = {
            "dataset": dataset,
            "learning_rate": float(p.learning_rate),
            "weights": [float(w) for w in p.weights],
            "bias": float(p.bias),
            "epoch": epochs,
            "position": self._position,
            "current": self._current,
            "current_mistake": self._current_mistake,
            "misclassified": misclassified,
            "mistakes_per_epoch": list(self._mistakes_per_epoch),
            "mistakes_this_epoch": self.perceptron.mistakes_this_epoch_,
            "converged": self._converged,
            "boundary": (list(map(float, xs)), list(map(float, ys))),
            "n_points": len(self.X),
            "class_counts": [int(np.sum(self.y == label)) for label in (0, 1)],
            "xlim": [float(v) for v in self._xlim], "ylim": [float(v) for v in self._ylim],
            "message": message,
        }
        # for drawing only (state holds plain values): the class predicted on every pixel
        self._region_values = p.predict(self._grid).reshape(_GRID, _GRID)

    def describe(self):
        s = self.state
        counts = s["class_counts"]
        text = (f"Data {s['dataset']}: {s['n_points']} points, {counts[0]} of "
                f"{style.class_name(0)} and {counts[1]} of {style.class_name(1)}. ")
        w1, w2 = s["weights"]
        weights = (f"w = ({number(w1, small=True)}, {number(w2, small=True)}) and "
                   f"b = {number(s['bias'], small=True)}")
        segment = visible_segment(*s["boundary"], s["xlim"], s["ylim"])
        if not s["boundary"][0]:
            text += (f"There is no line ({weights}): every point gets the class "
                     f"{int(s['bias'] >= 0)}. ")
        elif segment is None:
            text += f"The line w1 x1 + w2 x2 + b = 0 ({weights}) lies outside the plot. "
        else:
            (a, b), (c, d) = segment
            text += (f"The line w1 x1 + w2 x2 + b = 0 ({weights}) crosses the plot from "
                     f"({number(a)}, {number(b)}) to ({number(c)}, {number(d)}); the blue side "
                     "is class 1. ")
        wrong = len(s["misclassified"])
        text += (f"{wrong} point{'' if wrong == 1 else 's'} "
                 f"{'is' if wrong == 1 else 'are'} on the wrong side. ")
        done = s["mistakes_per_epoch"]
        text += (f"Epoch {s['epoch']} done, next sample {s['position'] + 1} of {s['n_points']}, "
                 f"learning rate {s['learning_rate']:g}. ")
        if done:
            text += "Mistakes per epoch: " + ", ".join(map(str, done[-10:])) + ". "
        return text + s["message"]

    # ------------------------------------------------------------------ view
    def draw(self):
        self.picture.draw(self.state, self._region_values)

    def finish(self):
        """The status under the buttons, set after the picture's frame is sent (the picture
        is what a student watches)."""
        s = self.state
        w1, w2 = s["weights"]
        self.controls["status"].value = (
            f"w = ({number(w1, small=True)}, {number(w2, small=True)}), "
            f"b = {number(s['bias'], small=True)}, learning rate "
            f"{s['learning_rate']:g}<br><b>{s['message']}</b>")

    def layout(self):
        c = self.controls
        def wrap():                                   # rows never wider than the lesson
            return ipw.Layout(flex_flow="row wrap")
        buttons = ipw.HBox([c["step"], c["epoch"], c["reset"], c["play"]], layout=wrap())
        settings = ipw.HBox([c["dataset"], c["learning_rate"], c["play_mode"]], layout=wrap())
        return ipw.VBox([settings, buttons, self.figure_widget(), c["status"]])
