"""The Playground: the TensorFlow Playground inside Jupyter, and a little beyond it.

Pick a dataset, choose which features of a point (x1, x2) the network sees, stack up to six
hidden layers of up to eight neurons, press play and watch the network learn:

    left    the network: one square per neuron showing what it computes over the plane, one
            line per weight (width ~ |w|, orange negative, blue positive)
    right   the output over the plane (the heatmap), the data points on top, and the training
            and test loss per epoch below

Beyond the original: four optimizers (SGD, momentum, RMSprop, Adam), cross-entropy or MSE, a
three-class problem with softmax, clicking on the heatmap adds a point, "reset to the same
initial weights" replays a run, and the network can be exported to / imported from a file.

Everything is computed by the nnlab core: the data (`nnlab.datasets`), the split
(`nnlab.model_selection`), the network and its training (`nnlab.MLP`), the optimizers, and the
file format (`MLP.save` / `nnlab.load_model`). This module only decides what to draw.
"""

import base64
import contextlib
import html
import numbers
import os
import tempfile
import warnings

import ipywidgets as ipw
import matplotlib.colors as mcolors
import numpy as np
from matplotlib.collections import LineCollection

from .. import datasets, optimizers
from ..io import load_model
from ..model_selection import train_test_split
from ..network import MLP
from . import style
from .base import Widget, new_figure

__all__ = ["Playground", "DATASETS"]

#: value -> (label in the dropdown, problem type, generator in nnlab.datasets)
DATASETS = {
    "circle": ("circle", "classification", datasets.circle),
    "xor": ("xor", "classification", datasets.xor),
    "gauss": ("gauss", "classification", datasets.gauss),
    "spiral": ("spiral", "classification", datasets.spiral),
    "three_class": ("three classes (softmax)", "classification", datasets.three_class),
    "plane": ("plane (regression)", "regression", datasets.plane),
    "gauss_regression": ("gauss (regression)", "regression", datasets.gauss_regression),
}
FEATURES = tuple(datasets.FEATURES)          # x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2)
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATIONS = ("none", "L1", "L2")
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
OPTIMIZERS = {
    "SGD": lambda lr: optimizers.SGD(lr),
    "momentum": lambda lr: optimizers.SGD(lr, momentum=0.9),
    "RMSprop": lambda lr: optimizers.RMSprop(lr),
    "Adam": lambda lr: optimizers.Adam(lr),
}
#: the loss a two-class problem may use; three classes always use categorical cross-entropy
#: (with softmax) and regression always uses MSE (with a linear output)
LOSSES = {"cross-entropy": "binary_crossentropy", "MSE": "mse"}
MAX_LAYERS, MAX_NEURONS = 6, 8

EXTENT = 6.0          # the plane shown is [-6, 6]^2
GRID = 60             # the heatmap is GRID x GRID cells
THUMB = 3             # a neuron's thumbnail keeps every THUMB-th cell: 20 x 20 pixels
THUMB_PX = GRID // THUMB
NODE = 0.36           # half the side of a neuron's square, as a fraction of the space per neuron
LEVELS = 9            # regression points are drawn in this many shades
LIGHTEN = 0.65        # the heatmap is paler than the points drawn on it

_CLASS_RGB = np.array([mcolors.to_rgb(c) for c in style.CLASS_CMAP.colors])
_NEGATIVE_RGBA = np.array(mcolors.to_rgba(style.NEGATIVE, 0.8))
_POSITIVE_RGBA = np.array(mcolors.to_rgba(style.POSITIVE, 0.8))
_TRAIN_LINE, _TEST_LINE = "#9e9e9e", "#000000"


def _choice(value, options, name):
    """`value` if it is one of `options`, else a ValueError naming `name` and the options."""
    if value not in options:
        valid = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {valid}, but got {value!r}")
    return value


def _int_in(value, low, high, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) \
            or not low <= value <= high:
        raise ValueError(f"{name} must be an integer from {low} to {high}, but got {value!r}")
    return int(value)


def _check_hidden(hidden):
    if isinstance(hidden, (str, bytes)) or not hasattr(hidden, "__len__"):
        raise TypeError(f"hidden must be a list of neuron counts such as (4, 2), "
                        f"but got {hidden!r}")
    if len(hidden) > MAX_LAYERS:
        raise ValueError(f"hidden may list at most {MAX_LAYERS} layers, but got {len(hidden)}")
    return [_int_in(n, 1, MAX_NEURONS, f"hidden[{i}]") for i, n in enumerate(hidden)]


def _check_features(names):
    if isinstance(names, str):
        names = (names,)
    names = list(names)
    if not names:
        raise ValueError("features must list at least one feature, but got none")
    for name in names:
        _choice(name, FEATURES, "each feature")
    # keep the Playground's order whatever order they were given in
    return [name for name in FEATURES if name in names]


#: a paler copy of style.CMAP_BYTES for the heatmap's background
_PALE_BYTES = style.to_bytes(style.lighten(style.CMAP(np.linspace(0.0, 1.0, 256)), LIGHTEN))


def _fade(amount, rgb):
    """8-bit RGBA colours from white (amount 0) to `rgb` (amount 1); amount has shape (n,)."""
    faded = 1.0 - np.clip(amount, 0.0, 1.0)[:, None] * (1.0 - np.asarray(rgb)[None, :3])
    return style.to_bytes(np.concatenate([faded, np.ones((len(faded), 1))], axis=1))


def _class_colours(probabilities, discretize=False):
    """Float RGBA colours of class probabilities (n, k): the likeliest class's colour, faded towards
    white as the network gets less sure (1/k: white, 1: full colour)."""
    k = probabilities.shape[1]
    best = probabilities.argmax(axis=1)
    if discretize:
        sure = np.ones(len(best))
    else:
        sure = (probabilities.max(axis=1) - 1.0 / k) / (1.0 - 1.0 / k)
    rgb = 1.0 - sure[:, None] * (1.0 - _CLASS_RGB[best])
    return np.concatenate([rgb, np.ones((len(rgb), 1))], axis=1)


class Playground(Widget):
    """The TensorFlow Playground inside Jupyter: train a small network on 2-D data and watch.

    Parameters
    ----------
    dataset : str, default 'circle'
        'circle', 'xor', 'gauss', 'spiral' (two classes), 'three_class' (three, with softmax),
        'plane' or 'gauss_regression' (regression).
    noise : int, default 0
        Noise in percent, 0 to 50.
    train_ratio : int, default 50
        Percentage of the points used for training, 10 to 90; the rest are test points.
    batch_size : int, default 10
        Points per gradient step, 1 to 30.
    features : sequence of str, default ('x1', 'x2')
        The inputs the network sees, from 'x1', 'x2', 'x1^2', 'x2^2', 'x1*x2', 'sin(x1)',
        'sin(x2)'.
    hidden : sequence of int, default (4, 2)
        Neurons per hidden layer: 0 to 6 layers of 1 to 8 neurons.
    activation : str, default 'tanh'
        Of the hidden layers: 'relu', 'tanh', 'sigmoid' or 'linear'.
    learning_rate : float, default 0.03
        One of 1e-5, 1e-4, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10.
    optimizer : str, default 'SGD'
        'SGD', 'momentum' (SGD with momentum 0.9), 'RMSprop' or 'Adam'.
    loss : str, default 'cross-entropy'
        For two classes, 'cross-entropy' or 'MSE'. Three classes always use categorical
        cross-entropy and regression always uses MSE.
    regularization : str, default 'none'
        'none', 'L1' or 'L2'.
    regularization_rate : float, default 0
        Strength of the L1 / L2 penalty, one of 0, 0.001, 0.003, ..., 3, 10.
    n_points : int, default 500
        Points generated (before the train/test split).
    seed : None or int
        Makes the data, the initial weights and the shuffling reproducible.
    export_path : str, default 'playground_model.npz'
        Where "export" writes the network (in the working folder unless the path says otherwise).

    Attributes
    ----------
    controls : dict of str -> ipywidget
        'dataset', 'noise', 'train_ratio', 'batch_size', 'regenerate', 'feature:<name>' (one
        toggle per feature), 'layers', 'neurons_1' ... 'neurons_6', 'activation',
        'learning_rate', 'optimizer', 'loss', 'regularization', 'regularization_rate', 'play'
        (an ipywidgets.Play timer: each new value trains one epoch), 'step', 'reset',
        'reset_same', 'show_test', 'discretize', 'click_label', 'export', 'import'
        (a FileUpload), 'status' (epoch and losses, HTML), 'message' (HTML).
    state : dict
        epoch, train_loss, test_loss, loss_history, test_loss_history (one entry per epoch,
        starting with epoch 0), train_accuracy / test_accuracy (classification), dataset,
        problem, n_classes, n_points, n_train, n_test, n_added, features, hidden, architecture
        (the model's layer sizes), activation, output_activation, loss, optimizer, learning_rate,
        regularization, regularization_rate, batch_size, n_links, message, ...
    model : nnlab.MLP
        The network being trained.
    X_train, y_train, X_test, y_test : ndarray
        The points (n, 2) and their labels (class numbers, or targets for regression); points
        added by clicking are at the end of the training set.
    figure : matplotlib.figure.Figure

    Notes
    -----
    Changing the dataset, noise, train ratio, features, layers, neurons or activation builds a
    new network (and new diagram artists); changing the learning rate, optimizer, loss or
    regularization keeps the weights and continues with a fresh optimizer. "reset" draws new
    random weights; "reset to the same initial weights" puts back the weights the network had
    when it was last built (or imported) and replays the same shuffling, so the same run happens
    again. Exported files are ordinary nnlab models: ``nnlab.load_model(path)`` opens them.

    Examples
    --------
    In a notebook (after ``%matplotlib widget``)::

        from nnlab.widgets import Playground
        Playground(dataset='xor', features=('x1', 'x2'), hidden=(4, 2))

    The same thing driven from code:

    >>> pg = Playground(dataset='xor', features=('x1*x2',), hidden=(2,), seed=0)
    >>> for _ in range(50):
    ...     pg.tick()
    >>> pg.state['epoch'], pg.state['test_loss'] < pg.state['test_loss_history'][0]
    (50, True)
    """

    def __init__(self, dataset="circle", noise=0, train_ratio=50, batch_size=10,
                 features=("x1", "x2"), hidden=(4, 2), activation="tanh", learning_rate=0.03,
                 optimizer="SGD", loss="cross-entropy", regularization="none",
                 regularization_rate=0.0, n_points=500, seed=None,
                 export_path="playground_model.npz"):
        super().__init__()
        _choice(dataset, DATASETS, "dataset")
        noise = _int_in(noise, 0, 50, "noise")
        train_ratio = _int_in(train_ratio, 10, 90, "train_ratio")
        batch_size = _int_in(batch_size, 1, 30, "batch_size")
        features = _check_features(features)
        hidden = _check_hidden(hidden)
        _choice(activation, ACTIVATIONS, "activation")
        _choice(learning_rate, LEARNING_RATES, "learning_rate")
        _choice(optimizer, OPTIMIZERS, "optimizer")
        _choice(loss, LOSSES, "loss")
        _choice(regularization, REGULARIZATIONS, "regularization")
        _choice(regularization_rate, REGULARIZATION_RATES, "regularization_rate")
        self.n_points = _int_in(n_points, 10, 100_000, "n_points")
        if seed is None:
            seed = int(np.random.SeedSequence().entropy % 2**32)
        self.seed = _int_in(seed, 0, 2**63, "seed")
        self.export_path = os.fspath(export_path)

        self._quiet_depth = 0
        self._data_draws = 0         # "regenerate" count: which data set to draw
        self._weight_draws = 0       # "reset" count: which initial weights to draw
        self._added_X = np.empty((0, 2))
        self._added_y = np.empty(0)
        self._binary_loss = loss     # what the user chose, kept while a dataset forces another
        self.model = None
        self._initial_weights = None

        self._make_controls(dataset, noise, train_ratio, batch_size, features, hidden,
                            activation, learning_rate, optimizer, loss, regularization,
                            regularization_rate)
        self._make_figure()
        self._connect_controls()
        self._apply_problem()
        self._make_data()
        self._build_model()

    # ================================================================ controls
    def _make_controls(self, dataset, noise, train_ratio, batch_size, features, hidden,
                       activation, learning_rate, optimizer, loss, regularization,
                       regularization_rate):
        c = self.controls
        wide = {"description_width": "initial"}
        c["dataset"] = ipw.Dropdown(
            options=[(label, key) for key, (label, _, _) in DATASETS.items()], value=dataset,
            description="data", style=wide, layout=ipw.Layout(width="260px"))
        c["noise"] = ipw.IntSlider(value=noise, min=0, max=50, step=5, description="noise %",
                                   style=wide, continuous_update=False)
        c["train_ratio"] = ipw.IntSlider(value=train_ratio, min=10, max=90, step=10,
                                         description="train %", style=wide,
                                         continuous_update=False)
        c["batch_size"] = ipw.IntSlider(value=batch_size, min=1, max=30, description="batch",
                                        style=wide, continuous_update=False)
        c["regenerate"] = ipw.Button(description="regenerate", tooltip="draw new data points")
        for name in FEATURES:
            c["feature:" + name] = ipw.ToggleButton(
                value=name in features, description=name, tooltip=f"feed {name} to the network",
                layout=ipw.Layout(width="68px"))
        c["layers"] = ipw.IntSlider(value=len(hidden), min=0, max=MAX_LAYERS,
                                    description="hidden layers", style=wide,
                                    continuous_update=False)
        for i in range(1, MAX_LAYERS + 1):
            n = hidden[i - 1] if i <= len(hidden) else 2
            c[f"neurons_{i}"] = ipw.IntSlider(value=n, min=1, max=MAX_NEURONS,
                                              description=f"layer {i}", style=wide,
                                              continuous_update=False)
        def dropdown(description, options, value, width):
            return ipw.Dropdown(options=options, value=value, description=description,
                                style=wide, layout=ipw.Layout(width=width))

        c["activation"] = dropdown("activation", ACTIVATIONS, activation, "160px")
        c["learning_rate"] = dropdown("learning rate", [(f"{r:g}", r) for r in LEARNING_RATES],
                                      learning_rate, "170px")
        c["optimizer"] = dropdown("optimizer", list(OPTIMIZERS), optimizer, "175px")
        c["loss"] = dropdown("loss", list(LOSSES), loss, "150px")
        c["regularization"] = dropdown("regularization", REGULARIZATIONS, regularization,
                                       "170px")
        c["regularization_rate"] = dropdown(
            "rate", [(f"{r:g}", r) for r in REGULARIZATION_RATES], regularization_rate, "110px")
        # The Play widget is a timer in the browser: every `interval` ms it sends value + 1.
        c["play"] = ipw.Play(value=0, min=0, max=10**9, step=1, interval=100,
                             description="play", show_repeat=False)
        c["step"] = ipw.Button(description="step", icon="step-forward",
                               tooltip="train one epoch", layout=ipw.Layout(width="auto"))
        c["reset"] = ipw.Button(description="reset", icon="refresh",
                                tooltip="new random initial weights",
                                layout=ipw.Layout(width="auto"))
        c["reset_same"] = ipw.Button(description="reset to same weights", icon="undo",
                                     tooltip="back to the initial weights of this network",
                                     layout=ipw.Layout(width="auto"))
        c["show_test"] = ipw.Checkbox(value=False, description="show test data", indent=False)
        c["discretize"] = ipw.Checkbox(value=False, description="discretize output",
                                       indent=False)
        c["click_label"] = ipw.ToggleButtons(options=[("orange", 0), ("blue", 1)], value=1,
                                             description="a click adds",
                                             style={"button_width": "70px", **wide})
        c["export"] = ipw.Button(description="export weights", icon="download",
                                 layout=ipw.Layout(width="auto"))
        c["import"] = ipw.FileUpload(accept=".npz", multiple=False,
                                     description="import weights")
        c["status"] = ipw.HTML(value="")      # epoch, losses and accuracies
        c["message"] = ipw.HTML(value="")

    def _connect_controls(self):
        c = self.controls
        for name in ("dataset", "noise", "train_ratio"):
            c[name].observe(self._on_data, names="value")
        for name in FEATURES:
            c["feature:" + name].observe(self._on_feature, names="value")
        c["layers"].observe(self._on_layers, names="value")
        for i in range(1, MAX_LAYERS + 1):
            c[f"neurons_{i}"].observe(lambda _, i=i: self._on_neurons(i), names="value")
        c["activation"].observe(self._on_activation, names="value")
        for name in ("learning_rate", "optimizer", "loss", "regularization",
                     "regularization_rate"):
            c[name].observe(self._on_training_settings, names="value")
        c["batch_size"].observe(self._on_view, names="value")
        c["show_test"].observe(self._on_view, names="value")
        c["discretize"].observe(self._on_view, names="value")
        c["play"].observe(self._on_play, names="value")
        c["step"].on_click(lambda _: self.tick())
        c["reset"].on_click(lambda _: self.reset())
        c["reset_same"].on_click(lambda _: self.reset_to_initial_weights())
        c["regenerate"].on_click(lambda _: self.regenerate())
        c["export"].on_click(lambda _: self._export_clicked())
        c["import"].observe(self._on_upload, names="value")
        self.figure.canvas.mpl_connect("button_press_event", self._on_click)

    @contextlib.contextmanager
    def _quiet(self):
        """Change several controls without each change rebuilding the network."""
        self._quiet_depth += 1
        try:
            yield
        finally:
            self._quiet_depth -= 1

    @property
    def _busy(self):
        return self._quiet_depth > 0

    # ---------------------------------------------------------------- what the controls say
    @property
    def dataset(self):
        return self.controls["dataset"].value

    @property
    def problem(self):
        return DATASETS[self.dataset][1]

    @property
    def n_classes(self):
        """2 or 3 for classification, None for regression."""
        if self.problem == "regression":
            return None
        return 3 if self.dataset == "three_class" else 2

    @property
    def features(self):
        """The selected features, e.g. ['x1', 'x2']; assign a list to select others."""
        return [name for name in FEATURES if self.controls["feature:" + name].value]

    @features.setter
    def features(self, names):
        names = _check_features(names)
        with self._quiet():
            for name in FEATURES:
                self.controls["feature:" + name].value = name in names
        self._build_model()

    @property
    def hidden(self):
        """Neurons per hidden layer, e.g. [4, 2]; assign a list to change the architecture."""
        n_layers = self.controls["layers"].value
        return [self.controls[f"neurons_{i}"].value for i in range(1, n_layers + 1)]

    @hidden.setter
    def hidden(self, sizes):
        sizes = _check_hidden(sizes)
        with self._quiet():
            self._set_hidden_controls(sizes)
        self._build_model()

    def _set_hidden_controls(self, sizes):
        self.controls["layers"].value = len(sizes)
        for i, n in enumerate(sizes, start=1):
            self.controls[f"neurons_{i}"].value = n

    def _loss_name(self):
        if self.problem == "regression":
            return "mse"
        if self.n_classes == 3:
            return "categorical_crossentropy"
        return LOSSES[self.controls["loss"].value]

    def _output_activation(self):
        if self.problem == "regression":
            return "linear"
        return "softmax" if self.n_classes == 3 else "sigmoid"

    def _n_outputs(self):
        return 3 if self.n_classes == 3 else 1

    def _penalties(self):
        """(l1, l2) from the regularization controls."""
        kind = self.controls["regularization"].value
        rate = self.controls["regularization_rate"].value
        return (rate if kind == "L1" else 0.0), (rate if kind == "L2" else 0.0)

    # ---------------------------------------------------------------- observers
    def _on_data(self, change):
        if self._busy:
            return
        if change["owner"] is self.controls["dataset"]:
            self._forget_added_points()
            self._apply_problem()
        self._make_data()
        self._build_model()

    def _on_feature(self, change):
        if self._busy:
            return
        if not self.features:                 # the network needs at least one input
            with self._quiet():
                change["owner"].value = True
            self._say("Keep at least one feature: the network needs an input.", error=True)
            return
        self._build_model()

    def _on_layers(self, change):
        if not self._busy:
            self._show_neuron_sliders()
            self._build_model()

    def _on_neurons(self, layer):
        # the slider of a layer that is not in use changes nothing
        if not self._busy and layer <= self.controls["layers"].value:
            self._build_model()

    def _on_activation(self, change):
        if not self._busy:
            self._build_model()

    def _on_training_settings(self, change):
        if self._busy:
            return
        if change["owner"] is self.controls["loss"] and self.n_classes == 2:
            self._binary_loss = change["new"]
        self.model.l1, self.model.l2 = self._penalties()
        self._compile()
        self.update()

    def _on_view(self, change):
        if self._busy:
            return
        self._fill_settings()
        self.draw()
        self.redraw()

    def _on_play(self, change):
        # the Play timer counts up while playing; "stop" sets it back to 0, which must not train
        if not self._busy and change["new"] > change["old"]:
            self.tick()

    def _on_click(self, event):
        if event.inaxes is not self._ax_map or event.xdata is None:
            return
        try:
            self.add_point(event.xdata, event.ydata, self.controls["click_label"].value)
        except ValueError as error:
            self._say(html.escape(str(error)), error=True)

    def _on_upload(self, change):
        if self._busy or not change["new"]:
            return
        upload = change["new"][-1]
        self.import_weights(bytes(upload["content"]), name=upload.get("name", "upload"))
        with self._quiet():                   # so that the same file can be chosen again
            self.controls["import"].value = ()

    def _export_clicked(self):
        try:
            self.export_weights()
        except OSError as error:
            self._say(f"Could not write {html.escape(self.export_path)}: "
                      f"{html.escape(str(error))}", error=True)

    def _say(self, text, error=False):
        """Show a message under the controls (HTML), and keep it in state['message']."""
        colour = style.WRONG if error else "#333333"
        self.controls["message"].value = text and f"<span style='color:{colour}'>{text}</span>"
        self.state["message"] = text

    # ================================================================ data and model
    def _apply_problem(self):
        """Adapt the loss dropdown and the click labels to the dataset's kind of problem."""
        loss, labels = self.controls["loss"], self.controls["click_label"]
        with self._quiet():
            if self.problem == "regression":
                loss.value, loss.disabled = "MSE", True
                labels.options = [("orange (-1)", -1.0), ("blue (+1)", 1.0)]
            elif self.n_classes == 3:
                loss.value, loss.disabled = "cross-entropy", True
                labels.options = [("orange", 0), ("blue", 1), ("green", 2)]
            else:
                loss.value, loss.disabled = self._binary_loss, False
                labels.options = [("orange", 0), ("blue", 1)]
            labels.value = labels.options[1][1]

    def _rng(self, purpose, count):
        """A Generator for one purpose (0 data, 1 weights, 2 shuffling) and one draw count."""
        return np.random.default_rng([self.seed, purpose, count])

    def _make_data(self):
        """Generate the points and split them (added points always join the training set)."""
        make = DATASETS[self.dataset][2]
        rng = self._rng(0, self._data_draws)
        X, y = make(n=self.n_points, noise=self.controls["noise"].value / 100, seed=rng)
        test_size = (100 - self.controls["train_ratio"].value) / 100
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
            X, y, test_size=test_size, seed=rng)
        self.X_train = np.concatenate([self.X_train, self._added_X])
        self.y_train = np.concatenate([self.y_train, self._added_y])

    def _forget_added_points(self):
        self._added_X = np.empty((0, 2))
        self._added_y = np.empty(0)

    def _build_model(self, weights=None):
        """A new network for the current controls (and new diagram artists), then epoch 0."""
        self._say("")
        names = self.features
        self._F_train = datasets.features(self.X_train, names)
        self._F_test = datasets.features(self.X_test, names)
        self._F_grid = datasets.features(self._grid, names)
        l1, l2 = self._penalties()
        sizes = [len(names), *self.hidden, self._n_outputs()]
        self.model = MLP(sizes, activation=self.controls["activation"].value,
                         output_activation=self._output_activation(), l1=l1, l2=l2,
                         seed=self._rng(1, self._weight_draws))
        if weights is not None:
            self.model.set_weights(weights)
        self._initial_weights = self.model.get_weights()
        self._show_neuron_sliders()
        self._build_diagram()
        self._restart()

    def _compile(self):
        make = OPTIMIZERS[self.controls["optimizer"].value]
        metrics = () if self.problem == "regression" else ("accuracy",)
        self.model.compile(loss=self._loss_name(),
                           optimizer=make(self.controls["learning_rate"].value),
                           metrics=metrics)

    def _restart(self):
        """Epoch 0: a fresh optimizer, empty loss history, the same shuffling as last time."""
        self._compile()
        self._shuffle_rng = self._rng(2, self._weight_draws)
        self.state["epoch"] = 0
        self.state["loss_history"] = []
        self.state["test_loss_history"] = []
        self.compute()
        self._record()
        self._draw_points()
        self.draw()
        self.redraw()

    # ================================================================ public actions
    def tick(self):
        """Train one epoch (every training point once, in batches), then redraw."""
        with warnings.catch_warnings():
            # divergence is reported in the widget's message instead
            warnings.simplefilter("ignore", RuntimeWarning)
            history = self.model.fit(self._F_train, self.y_train, epochs=1,
                                     batch_size=self.controls["batch_size"].value,
                                     seed=self._shuffle_rng)
        if history.diverged:
            self.controls["play"].playing = False
            rate = self.controls["learning_rate"].value
            self._say(f"Training diverged (the loss became NaN or infinite) in epoch "
                      f"{self.state['epoch'] + 1}, so it was undone. Try a learning rate "
                      f"smaller than {rate:g}.", error=True)
            return
        self.state["epoch"] += 1
        self.compute()
        self._record()
        self.draw()
        self.redraw()

    def reset(self):
        """Start again from new random initial weights."""
        self._weight_draws += 1
        self._build_model()

    def reset_to_initial_weights(self):
        """Put back the weights the network had when it was last built or imported, and start
        again from epoch 0 with the same shuffling: the same run happens again."""
        self.model.set_weights(self._initial_weights)
        self._restart()

    def regenerate(self):
        """Draw new data points (same dataset and settings) and start again."""
        self._data_draws += 1
        self._forget_added_points()
        self._make_data()
        self._build_model()

    def add_point(self, x1, x2, label):
        """Add a training point at (x1, x2).

        Parameters
        ----------
        x1, x2 : float
        label : int or float
            A class (0 orange, 1 blue, 2 green for three classes) or, for regression, the
            target value (e.g. -1 orange, +1 blue).
        """
        for name, value in (("x1", x1), ("x2", x2)):
            if not isinstance(value, numbers.Real) or not np.isfinite(value):
                raise ValueError(f"{name} must be a finite number, but got {value!r}")
        if self.n_classes is None:
            if isinstance(label, bool) or not isinstance(label, numbers.Real) \
                    or not np.isfinite(label):
                raise ValueError(f"label must be a finite target value for the regression "
                                 f"dataset {self.dataset!r}, but got {label!r}")
        elif isinstance(label, bool) or not isinstance(label, numbers.Real) \
                or label not in range(self.n_classes):
            raise ValueError(f"label must be a class from 0 to {self.n_classes - 1} for the "
                             f"dataset {self.dataset!r}, but got {label!r}")
        point = np.array([[float(x1), float(x2)]])
        self._added_X = np.concatenate([self._added_X, point])
        self._added_y = np.append(self._added_y, float(label))
        self.X_train = np.concatenate([self.X_train, point])
        self.y_train = np.append(self.y_train, float(label))
        self._F_train = datasets.features(self.X_train, self.features)
        self.compute()
        self._draw_points()
        self.draw()
        self.redraw()

    def export_weights(self, path=None):
        """Save the network with `MLP.save` (to `export_path` by default) and show a download
        link. Returns the path written."""
        path = self.model.save(self.export_path if path is None else path)
        with open(path, "rb") as f:
            payload = base64.b64encode(f.read()).decode("ascii")
        name = html.escape(os.path.basename(path))
        self._say(f"Saved the network to <code>{html.escape(path)}</code> "
                  f"(features {', '.join(self.features)}). "
                  f"<a download='{name}' href='data:application/octet-stream;base64,{payload}'>"
                  f"Download {name}</a>")
        return path

    def import_weights(self, source, name=None):
        """Load a network saved by `export_weights` (or `MLP.save`) and continue from it.

        The hidden layers and activation controls take the file's values; the features must
        already match its number of inputs and the dataset its output. Regularization and
        optimizer stay as the controls say. Epoch 0 starts from the loaded weights.

        Parameters
        ----------
        source : str, path or bytes
            A file name, or the file's contents (as the upload control gives them).
        name : str, optional
            The file's name, for messages.

        Returns
        -------
        bool
            True if it was loaded; otherwise the message says why, and nothing changed.
        """
        try:
            if name is None:
                name = ("the uploaded file" if isinstance(source, (bytes, bytearray, memoryview))
                        else os.fspath(source))
            model = self._read_model(source, name)
            self._adopt(model, name)
        except ValueError as error:
            self._say(html.escape(str(error)), error=True)
            return False
        return True

    def _read_model(self, source, name):
        if not isinstance(source, (bytes, bytearray, memoryview)):
            return load_model(source)
        handle, tmp = tempfile.mkstemp(suffix=".npz")
        try:
            with os.fdopen(handle, "wb") as f:
                f.write(bytes(source))
            try:
                return load_model(tmp)
            except ValueError as error:
                raise ValueError(str(error).replace(tmp, name)) from None
        finally:
            os.remove(tmp)

    def _adopt(self, model, name):
        """Take over an imported model's architecture and weights, if they fit this dataset."""
        features = self.features
        hidden = model.layer_sizes[1:-1]
        if model.n_inputs != len(features):
            raise ValueError(
                f"{name} holds a network with {model.n_inputs} input(s), but {len(features)} "
                f"feature(s) are selected ({', '.join(features)}): select the features it was "
                "exported with")
        if (model.n_outputs, model.output_activation.name) != \
                (self._n_outputs(), self._output_activation()):
            raise ValueError(
                f"{name} holds a network with {model.n_outputs} "
                f"{model.output_activation.name} output(s), but the dataset {self.dataset!r} "
                f"needs {self._n_outputs()} {self._output_activation()} output(s)")
        if len(hidden) > MAX_LAYERS or max(hidden, default=1) > MAX_NEURONS:
            raise ValueError(f"{name} holds hidden layers {hidden}, but the playground shows at "
                             f"most {MAX_LAYERS} layers of {MAX_NEURONS} neurons")
        if model.activation.name not in ACTIVATIONS:
            raise ValueError(f"{name} uses the activation {model.activation.name!r}, but the "
                             f"playground offers {', '.join(ACTIVATIONS)}")
        with self._quiet():
            self._set_hidden_controls(hidden)
            self.controls["activation"].value = model.activation.name
        self._build_model(weights=model.get_weights())
        self._say(f"Loaded {html.escape(name)}: hidden layers {hidden}, "
                  f"{model.activation.name}. Reset to same weights now returns to these.")

    # ================================================================ state
    def compute(self):
        """Losses on the training and test sets, and every neuron's output over the plane."""
        model = self.model
        train = model.evaluate(self._F_train, self.y_train)
        test = model.evaluate(self._F_test, self.y_test)
        # one forward pass over the grid; every layer keeps its output a (n_grid, n_neurons)
        model.forward(self._F_grid)
        self._grid_outputs = [layer.a for layer in model.layers]
        s = self.state
        s["train_loss"], s["test_loss"] = train["loss"], test["loss"]
        s["train_accuracy"] = train.get("accuracy")
        s["test_accuracy"] = test.get("accuracy")
        s["n_train"], s["n_test"] = len(self.y_train), len(self.y_test)
        s["n_added"] = len(self._added_y)
        s["architecture"] = list(model.layer_sizes)
        s["output_activation"] = model.output_activation.name
        s["l1"], s["l2"] = model.l1, model.l2
        self._fill_settings()

    def _fill_settings(self):
        c, s = self.controls, self.state
        s.update(dataset=self.dataset, problem=self.problem, n_classes=self.n_classes,
                 n_points=self.n_points, noise=c["noise"].value,
                 train_ratio=c["train_ratio"].value, batch_size=c["batch_size"].value,
                 features=self.features, hidden=self.hidden, activation=c["activation"].value,
                 loss=self._loss_name(), optimizer=c["optimizer"].value,
                 learning_rate=c["learning_rate"].value,
                 regularization=c["regularization"].value,
                 regularization_rate=c["regularization_rate"].value,
                 show_test=c["show_test"].value, discretize=c["discretize"].value,
                 n_links=self._n_links, seed=self.seed)
        s.setdefault("message", "")

    def _record(self):
        self.state["loss_history"].append(self.state["train_loss"])
        self.state["test_loss_history"].append(self.state["test_loss"])

    def output_image(self):
        """The heatmap as an 8-bit RGBA array (GRID, GRID, 4); row 0 is at x2 = -6."""
        out = self._grid_outputs[-1]
        discretize = self.controls["discretize"].value
        if self.n_classes == 3:
            rgba = style.to_bytes(style.lighten(_class_colours(out, discretize), LIGHTEN))
        else:
            if self.n_classes == 2:
                value = 2.0 * out[:, 0] - 1.0      # probability 0.5, the threshold, is white
            else:
                value = out[:, 0]                  # regression: targets in [-1, 1]
            if discretize:
                value = np.where(value >= 0.0, 1.0, -1.0)
            rgba = style.diverging_rgba(value, table=_PALE_BYTES)
        return rgba.reshape(GRID, GRID, 4)

    # ================================================================ figure
    # Drawing, not training, is what limits the speed of play, so the figure keeps few and
    # cheap artists: no tick labels (the numbers are in the `status` HTML above the figure),
    # 8-bit RGBA images (matplotlib's fastest path) and points as marker lines, one per colour
    # (Agg stamps a marker much faster than it draws a scatter plot's paths).
    def _make_figure(self):
        self.figure = fig = new_figure(10.0, 4.4)
        self._ax_net = fig.add_axes([0.0, 0.0, 0.6, 1.0])
        self._ax_net.set_axis_off()
        self._ax_map = ax = fig.add_axes([0.63, 0.22, 0.33, 0.75])
        xs = np.linspace(-EXTENT, EXTENT, GRID)
        g1, g2 = np.meshgrid(xs, xs)          # rows follow x2, columns follow x1
        self._grid = np.column_stack([g1.ravel(), g2.ravel()])
        self._image = ax.imshow(np.zeros((GRID, GRID, 4), np.uint8), origin="lower",
                                interpolation="nearest", zorder=0,
                                extent=(-EXTENT, EXTENT, -EXTENT, EXTENT))
        # one marker line per colour: filled for training points, hollow for test points
        self._train_marks = [ax.plot([], [], "o", ms=4.5, mec="white", mew=0.7, zorder=2)[0]
                             for _ in range(LEVELS)]
        self._test_marks = [ax.plot([], [], "o", ms=4.5, mfc="none", mew=1.2, zorder=3)[0]
                            for _ in range(LEVELS)]
        ax.set_xlim(-EXTENT, EXTENT)
        ax.set_ylim(-EXTENT, EXTENT)
        ax.set_xticks([])
        ax.set_yticks([])
        self._loss_ax = lx = fig.add_axes([0.63, 0.03, 0.33, 0.15])
        self._train_line, = lx.plot([], [], color=_TRAIN_LINE, lw=1.2)
        self._test_line, = lx.plot([], [], color=_TEST_LINE, lw=1.2)
        lx.set_xticks([])
        lx.set_yticks([])
        self._n_links = 0

    def _point_colours(self, y):
        """Group points by colour: a list of (mask, colour) covering every point of y."""
        if self.n_classes is not None:
            return [(y == k, style.CLASS_COLORS[k]) for k in range(self.n_classes)]
        # regression: targets rounded to LEVELS shades from orange (-1) to blue (+1)
        level = np.rint((np.clip(y, -1.0, 1.0) + 1.0) / 2.0 * (LEVELS - 1))
        return [(level == k, style.CMAP(k / (LEVELS - 1))) for k in range(LEVELS)]

    def _draw_points(self):
        """Put the training and test points on the heatmap (after the data changed)."""
        for marks, X, y in ((self._train_marks, self.X_train, self.y_train),
                            (self._test_marks, self.X_test, self.y_test)):
            groups = self._point_colours(y)
            for k, line in enumerate(marks):
                if k < len(groups):
                    mask, colour = groups[k]
                    line.set_data(X[mask, 0], X[mask, 1])
                    if marks is self._train_marks:
                        line.set_markerfacecolor(colour)
                    else:
                        line.set_markeredgecolor(colour)
                else:
                    line.set_data([], [])

    def _build_diagram(self):
        """Artists of the network diagram: a line per weight and a thumbnail image per neuron
        (the neuron's output over the plane)."""
        ax = self._ax_net
        ax.clear()
        ax.set_axis_off()
        sizes = self.model.layer_sizes
        n_columns = len(sizes)
        width = max(n_columns, 4)              # in data units: one unit per column
        height = max(max(sizes), 4) + 0.4      # one unit per neuron, plus a margin
        left = (width - n_columns) / 2         # centre the columns
        x_min = -1.0                           # room for the feature names
        # neurons are squares on screen: NODE of the smaller of a unit's width and height
        box = ax.get_position()
        fig_w, fig_h = self.figure.get_size_inches()
        unit_w, unit_h = box.width * fig_w / (width - x_min), box.height * fig_h / height
        half = NODE * min(unit_w, unit_h)      # in inches
        hx, hy = half / unit_w, half / unit_h  # in data units
        # column i holds sizes[i] nodes, centred vertically, top to bottom
        self._node_xy = [[(left + i + 0.5, (n - 1) / 2 - j) for j in range(n)]
                         for i, n in enumerate(sizes)]
        segments = []
        for column, right in zip(self._node_xy[:-1], self._node_xy[1:]):
            for (x0, y0) in column:            # the order of W.ravel(): W[i, j], i slowest
                for (x1, y1) in right:
                    segments.append([(x0 + hx, y0), (x1 - hx, y1)])
        self._n_links = len(segments)
        self._links = LineCollection(segments, zorder=1, capstyle="round")
        ax.add_collection(self._links)
        blank = np.zeros((THUMB_PX, THUMB_PX, 4), np.uint8)
        self._node_images = [
            [ax.imshow(blank, origin="lower", interpolation="nearest", aspect="auto", zorder=2,
                       extent=(x - hx, x + hx, y - hy, y + hy)) for (x, y) in column]
            for column in self._node_xy]
        # inputs show the feature itself, scaled to [-1, 1]; they never change
        values = self._F_grid / np.abs(self._F_grid).max(axis=0)
        self._paint_column(0, style.diverging_rgba(values))
        for (x, y), name in zip(self._node_xy[0], self.features):
            ax.text(x - hx - 0.05, y, name, ha="right", va="center", fontsize=8)
        ax.set_xlim(x_min, width)
        ax.set_ylim(-height / 2, height / 2)

    def _paint_column(self, i, rgba):
        """Show the 8-bit colours (GRID*GRID, n, 4) of column i's neurons in their thumbnails."""
        cells = rgba.reshape(GRID, GRID, -1, 4)[::THUMB, ::THUMB]
        for j, image in enumerate(self._node_images[i]):
            image.set_data(cells[:, :, j])

    def draw(self):
        s = self.state
        # heatmap and points
        self._image.set_data(self.output_image())
        for line in self._test_marks:
            line.set_visible(s["show_test"])
        # every neuron's thumbnail: its output over the plane
        layers = self.model.layers
        for i, (layer, outputs) in enumerate(zip(layers, self._grid_outputs), start=1):
            if layer.activation.name == "softmax":
                # class k's probability, from white (0) to the class's colour (1)
                colours = np.stack([_fade(outputs[:, k], _CLASS_RGB[k])
                                    for k in range(outputs.shape[1])], axis=1)
            else:
                colours = style.diverging_rgba(outputs, *style.output_range(layer.activation.name))
            self._paint_column(i, colours)
        # the links: colour = sign of the weight, width ~ |w|
        w = np.concatenate([layer.W.ravel() for layer in layers])
        self._links.set_color(np.where((w < 0)[:, None], _NEGATIVE_RGBA, _POSITIVE_RGBA))
        self._links.set_linewidth(0.4 + 1.6 * np.minimum(np.abs(w), 5.0))
        # loss chart (grey: training, black: test) and the numbers above the figure
        epochs = np.arange(len(s["loss_history"]))
        self._train_line.set_data(epochs, s["loss_history"])
        self._test_line.set_data(epochs, s["test_loss_history"])
        top = max(max(s["loss_history"]), max(s["test_loss_history"]))
        self._loss_ax.set_xlim(0, max(len(epochs) - 1, 10))
        self._loss_ax.set_ylim(0, 1.1 * top if np.isfinite(top) and top > 0 else 1.0)
        self.controls["status"].value = self._status_html()

    def _status_html(self):
        s = self.state
        text = (f"<b style='font-size:140%'>epoch {s['epoch']:,}</b> &nbsp; "
                f"test loss <b>{s['test_loss']:.3f}</b> &nbsp; "
                f"<span style='color:{_TRAIN_LINE}'>training loss</span> "
                f"<b>{s['train_loss']:.3f}</b>")
        if s["test_accuracy"] is not None:
            text += (f" &nbsp; accuracy: test <b>{s['test_accuracy']:.0%}</b>, "
                     f"training <b>{s['train_accuracy']:.0%}</b>")
        return text

    # ================================================================ display
    def _show_neuron_sliders(self):
        n_layers = self.controls["layers"].value
        for i in range(1, MAX_LAYERS + 1):
            self.controls[f"neurons_{i}"].layout.display = None if i <= n_layers else "none"

    def layout(self):
        c = self.controls
        run = ipw.HBox([c["play"], c["step"], c["reset"], c["reset_same"]])
        settings = ipw.HBox([c["optimizer"], c["learning_rate"], c["activation"], c["loss"],
                             c["regularization"], c["regularization_rate"]],
                            layout=ipw.Layout(flex_flow="row wrap"))
        data = ipw.VBox([c["dataset"], c["noise"], c["train_ratio"], c["batch_size"],
                         c["regenerate"], c["show_test"], c["discretize"], c["click_label"]])
        features = ipw.VBox([ipw.HTML("<b>features</b>")]
                            + [c["feature:" + name] for name in FEATURES])
        layers = ipw.VBox([c["layers"]] + [c[f"neurons_{i}"]
                                           for i in range(1, MAX_LAYERS + 1)])
        files = ipw.HBox([c["export"], c["import"]])
        return ipw.VBox([run, settings, ipw.HBox([data, features, layers]), c["status"],
                         self.figure_widget(), files, c["message"]])
