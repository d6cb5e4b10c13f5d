"""DescentExplorer: watch gradient descent walk downhill on a loss surface you can see.

The model is the smallest one there is: a single sigmoid neuron with one input,
p = sigmoid(w x + b), i.e. ``MLP([1, 1], output_activation='sigmoid')``. It has two parameters,
so its loss L(w, b) is a surface over the (w, b) plane, drawn once as contours. On top of it:

* tab "batch size": the paths of full-batch gradient descent (one step per epoch), stochastic
  gradient descent (one step per sample) and mini-batch descent (one step per batch of B), all
  from the same start, and their loss after every step. A toggle adds gradient accumulation:
  batches of B with the gradients of M batches summed before one update walk exactly the path
  of batches of B * M (the shuffling being the same; a smaller last group included).
* tab "optimizers": SGD, SGD with momentum, RMSprop and Adam race on the same surface, with the
  same mini-batches, and their loss after every step.

Everything is computed by the core: `MLP.fit` trains (a callback records (w, b) after every
batch) and `nnlab.landscape` evaluates the loss on the grid and along the paths.
"""

from collections import OrderedDict

import ipywidgets as ipw
import numpy as np

from .. import datasets, optimizers
from ..callbacks import PathRecorder
from ..landscape import loss_along_stacked, loss_surface
from ..network import MLP
from ..validation import check_nonnegative, check_positive
from .base import Widget, number
from .descent_view import BATCH_PATHS, RACE_PATHS, DescentView

__all__ = ["DescentExplorer", "BATCH_PATHS", "RACE_PATHS"]

_KEPT_RUNS = 64            # training runs kept, the most recently used first

#: The old home of `nnlab.datasets.overlapping_1d`, kept working (so is PathRecorder's, which
#: now lives in `nnlab.callbacks`).
default_data = datasets.overlapping_1d


class DescentExplorer(DescentView, Widget):
    """Full-batch, stochastic and mini-batch gradient descent, and four optimizers, on a loss
    surface with two parameters.

    Parameters
    ----------
    X : array (n, 1) or (n,), optional
        One input feature; default: `nnlab.datasets.overlapping_1d()` (24 overlapping points).
    y : array (n,), optional
        0/1 targets for binary cross-entropy (any numbers for 'mse').
    loss : {'binary_crossentropy', 'mse'}
        The loss on the surface. Binary cross-entropy (the default) gives a convex bowl;
        mean squared error through a sigmoid has flat plateaus far from the minimum.
    learning_rate, batch_size, epochs, seed, momentum, accumulation_steps
        Initial values of the controls of the same names.
    start : (float, float)
        Where every path starts, (w0, b0). Clicking on a surface moves the start there.
    w_range, b_range : (float, float)
        The window of the surface. resolution : int, grid points per axis.

    Attributes
    ----------
    controls : 'learning_rate', 'batch_size', 'epochs', 'seed', 'w0', 'b0', 'accumulate',
        'accumulation_steps', 'momentum'
    state : dict
        'paths' and 'losses' (full_batch, sgd, minibatch), 'race_paths' and 'race_losses'
        (sgd, momentum, rmsprop, adam): (w, b) and the loss on the whole dataset after every
        update; 'accumulation' (None, or 'path' and 'large_path' and their 'max_distance');
        'minimum' (w, b, loss) on the grid; the control values.
    canvas : the "batch size" tab's `Canvas` (nnlab.widgets.canvas); `canvas_list` holds
        both tabs'. Panels "surface", "loss" and "legend"; their layers are in DescentView.

    Examples
    --------
    >>> explorer = DescentExplorer(learning_rate=0.5, batch_size=4, epochs=10)
    >>> len(explorer.state['paths']['sgd']), len(explorer.state['paths']['full_batch'])
    (240, 10)
    >>> explorer.controls['accumulate'].value = True
    >>> explorer.state['accumulation']['max_distance'] < 1e-12
    True
    """

    figure_label = "descent explorer figure: a loss surface with the paths of gradient descent"

    def __init__(self, X=None, y=None, loss="binary_crossentropy", learning_rate=0.5,
                 batch_size=4, epochs=20, seed=0, momentum=0.9, accumulation_steps=4,
                 start=(-3.0, 3.0), w_range=(-4.0, 6.0), b_range=(-5.0, 5.0), resolution=60):
        super().__init__()
        if (X is None) != (y is None):
            raise ValueError("give both X and y, or neither (for the default dataset)")
        if X is None:
            X, y = datasets.overlapping_1d()
        X = np.asarray(X, dtype=np.float64)
        if X.ndim == 1:
            X = X.reshape(-1, 1)
        if X.ndim != 2 or X.shape[1] != 1:
            raise ValueError(f"X must hold one feature, shape (n, 1) or (n,), but got shape "
                             f"{X.shape}: the surface has only the axes w and b")
        learning_rate = check_positive(learning_rate, "learning_rate")
        batch_size = check_positive(batch_size, "batch_size", integer=True)
        epochs = check_positive(epochs, "epochs", integer=True)
        accumulation_steps = check_positive(accumulation_steps, "accumulation_steps",
                                            integer=True)
        seed = check_nonnegative(seed, "seed", integer=True)
        resolution = check_positive(resolution, "resolution", integer=True)
        optimizers.SGD(learning_rate, momentum=momentum)      # checks momentum is in [0, 1)
        for value, (lo, hi), name in ((start[0], w_range, "w"), (start[1], b_range, "b")):
            if not min(lo, hi) <= value <= max(lo, hi):
                raise ValueError(f"start must lie inside the window: its {name} is {value}, "
                                 f"but {name}_range is {(lo, hi)}")
        self.model = MLP([1, 1], output_activation="sigmoid", seed=0)
        self.model.compile(loss=loss, optimizer="sgd", metrics=())
        self.model.evaluate(X, y)                       # checks X and y against the model
        self.X, self.y = X, np.asarray(y, dtype=np.float64)
        n = len(X)
        w_lo, w_hi = sorted(map(float, w_range))
        b_lo, b_hi = sorted(map(float, b_range))

        self.controls = {
            "learning_rate": ipw.FloatLogSlider(value=learning_rate, base=10, min=-3, max=1,
                                                step=0.05, description="learning rate"),
            "batch_size": ipw.IntSlider(value=min(batch_size, n), min=1, max=n,
                                        description="batch size"),
            "epochs": ipw.IntSlider(value=epochs, min=1, max=max(100, epochs),
                                  description="epochs"),
            "seed": ipw.IntSlider(value=seed, min=0, max=max(99, seed), description="seed"),
            "w0": ipw.FloatSlider(value=start[0], min=w_lo, max=w_hi, step=0.1,
                                  description="start w"),
            "b0": ipw.FloatSlider(value=start[1], min=b_lo, max=b_hi, step=0.1,
                                  description="start b"),
            "accumulate": ipw.ToggleButton(value=False, description="gradient accumulation",
                                           tooltip="batches of B, M of them summed per update,"
                                                   " on top of batches of B * M"),
            "accumulation_steps": ipw.IntSlider(value=accumulation_steps, min=2, max=8,
                                                description="M batches per update"),
            "momentum": ipw.FloatSlider(value=momentum, min=0.0, max=0.99, step=0.01,
                                        description="momentum"),
        }
        for control in self.controls.values():
            control.style.description_width = "initial"

        # The surface is drawn once: it depends only on the data and the loss.
        self.w_grid = np.linspace(w_lo, w_hi, resolution)
        self.b_grid = np.linspace(b_lo, b_hi, resolution)
        self.surface = loss_surface(self.model, X, y, self.w_grid, self.b_grid)
        i, j = np.unravel_index(np.argmin(self.surface), self.surface.shape)
        self._minimum = (float(self.w_grid[j]), float(self.b_grid[i]), float(self.surface[i, j]))

        self._build_views()                     # one canvas per tab; the landscape computed once
        self._runs = OrderedDict()              # training runs by their settings (see _run)
        self.tabs = None                        # made by layout()
        self._connect()
        self.update()

    # ---------------------------------------------------------------- state
    def _run(self, optimizer, batch_size, accumulation_steps=1):
        """One training run from the start: the (w, b) after each update and the loss on the
        whole dataset there, as ``(path, losses)``.

        A run depends only on its optimizer (name, learning rate, momentum), batch size,
        accumulation steps, epochs, seed and start, so runs are kept by those settings: moving
        the momentum slider retrains one run, the batch size six, and moving a slider back
        retrains nothing.
        """
        c = self.controls
        label, rate, settings = optimizer
        start = (float(c["w0"].value), float(c["b0"].value))
        key = (optimizer, batch_size, accumulation_steps, c["epochs"].value, c["seed"].value,
               start)
        if key in self._runs:
            self._runs.move_to_end(key)
            return self._runs[key]
        model = self.model
        model.set_weights([[[start[0]]], [start[1]]])
        model.compile(loss=model.loss, optimizer=optimizers.build(label, rate, **dict(settings)),
                      metrics=())
        recorder = PathRecorder(model)
        model.fit(self.X, self.y, epochs=c["epochs"].value, batch_size=batch_size,
                  accumulation_steps=accumulation_steps, callbacks=[recorder],
                  seed=c["seed"].value)
        run = self._runs[key] = (recorder.points, self._losses(recorder.points))
        if len(self._runs) > _KEPT_RUNS:
            self._runs.popitem(last=False)
        return run

    def _losses(self, points):
        path = np.asarray(points, dtype=np.float64).reshape(-1, 2)     # (w, b) per row
        return loss_along_stacked(self.model, self.X, self.y,
                                  [path[:, :1, None], path[:, 1:]]).tolist()

    def compute(self):
        c = self.controls
        lr, b = c["learning_rate"].value, c["batch_size"].value
        start = (float(c["w0"].value), float(c["b0"].value))
        sgd = ("SGD", lr, ())
        runs = {"full_batch": self._run(sgd, None), "sgd": self._run(sgd, 1),
                "minibatch": self._run(sgd, b)}
        accumulation = None
        if c["accumulate"].value:
            k = c["accumulation_steps"].value
            accumulated, _ = self._run(sgd, b, accumulation_steps=k)
            large, _ = self._run(sgd, b * k)
            distance = max(float(np.hypot(p[0] - q[0], p[1] - q[1]))
                           for p, q in zip(accumulated, large, strict=True))
            accumulation = {"batch_size": b, "accumulation_steps": k, "large_batch_size": b * k,
                            "path": accumulated, "large_path": large,
                            "max_distance": distance}
        self.state = {
            "start": start,
            "start_loss": self._losses([start])[0],
            "learning_rate": lr,
            "batch_size": b,
            "epochs": c["epochs"].value,
            "seed": c["seed"].value,
            "momentum": c["momentum"].value,
            "n_samples": len(self.X),
            "loss": self.model.loss.name,
            "minimum": self._minimum,
            "paths": {key: path for key, (path, _) in runs.items()},
            "losses": {key: losses for key, (_, losses) in runs.items()},
            "race_paths": None, "race_losses": None,          # see _race
            "accumulation": accumulation,
        }
        if self.tabs is None or self.tabs.selected_index == 1:
            self._race()

    def _race(self):
        """The optimizers tab's four runs, into the state. When that tab is hidden they are
        trained after the visible tab's picture is sent (`finish`): a slider's effect shows
        sooner, and the state is complete when `update()` returns."""
        c, s = self.controls, self.state
        lr, b = s["learning_rate"], s["batch_size"]
        # every optimizer of the core's menu, on batches of b (plain SGD is already walked);
        # a variant with momentum takes the momentum slider's value
        race = {}
        for label, (_, preset) in optimizers.MENU.items():
            settings = (("momentum", c["momentum"].value),) if "momentum" in preset else ()
            race[label.lower()] = self._run((label, lr, settings), b)
        s["race_paths"] = {key: path for key, (path, _) in race.items()}
        s["race_losses"] = {key: losses for key, (_, losses) in race.items()}

    def finish(self):
        if self.state["race_paths"] is None:
            with self.canvas_list[1].frame():
                self._race()
                self._draw_race_view(self.state)

    def describe(self):
        s = self.state
        w, b, low = s["minimum"]
        start = s["start"]
        text = (f"The loss surface of one sigmoid neuron over weight w and bias b has its lowest "
                f"grid point at w = {number(w)}, b = {number(b)} (loss {number(low, 3)}). Every "
                f"path starts at w = {number(start[0])}, b = {number(start[1])} (loss "
                f"{number(s['start_loss'], 3)}) and trains {s['epochs']} epochs at learning rate "
                f"{s['learning_rate']:.3g}. ")

        def ends(names, paths, losses):
            parts = []
            for key, label in names:
                path = paths[key]
                (w_end, b_end), loss = path[-1], losses[key][-1]
                parts.append(f"{label}, {len(path)} steps, ends at w = {number(w_end)}, "
                             f"b = {number(b_end)} with loss {number(loss, 3)}")
            return "; ".join(parts) + ". "

        batch = [("full_batch", "full batch"), ("sgd", "SGD with batch 1"),
                 ("minibatch", f"mini-batches of {s['batch_size']}")]
        race = [(key, f"SGD with momentum {s['momentum']:g}" if key == "momentum" else label)
                for key, (label, *_) in RACE_PATHS.items()]
        text += "Batch size tab: " + ends(batch, s["paths"], s["losses"])
        acc = s["accumulation"]
        if acc is not None:
            text += (f"Gradient accumulation: batches of {acc['batch_size']}, "
                     f"{acc['accumulation_steps']} summed per update, stay within "
                     f"{acc['max_distance']:.1e} of the path of batches of "
                     f"{acc['large_batch_size']}. ")
        text += (f"Optimizers tab, batches of {s['batch_size']}: "
                 + ends(race, s["race_paths"], s["race_losses"]))
        best = min(race, key=lambda item: s["race_losses"][item[0]][-1])[1]
        return text + f"Lowest final loss among the optimizers: {best}."

    # ---------------------------------------------------------------- events and layout
    def _on_pointer(self, event):
        """A press on a surface moves the start of every path there (a canvas pointer event:
        {"panel", "x", "y", "kind", "buttons"}, see Canvas.on_pointer)."""
        if event.get("panel") != "surface" or event.get("kind") != "down":
            return
        with self.hold():                       # one update for the two sliders
            for name, value in (("w0", event["x"]), ("b0", event["y"])):
                control = self.controls[name]
                control.value = float(np.clip(np.round(value, 1), control.min, control.max))
        self.update()

    def layout(self):
        c = self.controls
        box = ipw.Layout(flex_flow="row wrap")
        shared = ipw.HBox([c[name] for name in ("learning_rate", "batch_size", "epochs", "seed",
                                                "w0", "b0")], layout=box)
        batch_tab = ipw.VBox([ipw.HBox([c["accumulate"], c["accumulation_steps"]], layout=box),
                              self.canvas_list[0]])
        race_tab = ipw.VBox([ipw.HBox([c["momentum"]], layout=box), self.canvas_list[1]])
        tabs = ipw.Tab(children=[batch_tab, race_tab])
        tabs.set_title(0, "batch size")
        tabs.set_title(1, "optimizers")
        self.tabs = tabs
        return ipw.VBox([shared, tabs])
