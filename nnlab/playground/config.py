"""The playground's settings: what each may be, its default, and checks with clear errors.

A configuration is a plain dict (it is what a share code holds). Settings fall in four groups,
and a change in each group redoes a different amount of work:

    data        dataset, noise, train_ratio, n_points        new points, new network
    network     features, hidden, activation                 new network (same points)
    training    batch_size, learning_rate, optimizer, loss,  same weights, fresh optimizer
                regularization, regularization_rate
    stopping    max_epochs, patience, min_delta, monitor     nothing is rebuilt
"""

import numbers

import numpy as np

from .. import datasets, optimizers

__all__ = ["DATASETS", "FEATURES", "ACTIVATIONS", "LEARNING_RATES", "OPTIMIZERS", "LOSSES",
           "REGULARIZATIONS", "REGULARIZATION_RATES", "MONITORS", "MAX_LAYERS", "MAX_NEURONS",
           "DEFAULTS", "GROUPS", "check_config", "Settings"]

#: value -> (label, problem, generator in nnlab.datasets); 'csv' is data loaded by load_csv.
#: Every generated set of `nnlab.datasets.GENERATED` is offered; LABELS names some.
LABELS = {"three_class": "three classes (softmax)", "plane": "plane (regression)",
          "gauss_regression": "gauss (regression)"}
DATASETS = {name: (LABELS.get(name, name), problem, make)
            for name, (problem, make) in datasets.GENERATED.items()}
FEATURES = tuple(datasets.FEATURES)          # x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2)
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
#: label -> (name in nnlab.optimizers.OPTIMIZERS, settings besides the learning rate): the
#: core's menu, so a new optimizer appears here (and in share codes and scripts) by itself
OPTIMIZERS = optimizers.MENU
#: the loss a two-class problem may use; three classes always use categorical cross-entropy
#: (with softmax) and regression always uses MSE (with a linear output)
LOSSES = {"cross-entropy": "binary_crossentropy", "MSE": "mse"}
REGULARIZATIONS = ("none", "L1", "L2")
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
MONITORS = ("test_loss", "loss")
MAX_LAYERS, MAX_NEURONS = 6, 8

DEFAULTS = {
    "dataset": "circle", "noise": 0, "train_ratio": 50, "n_points": 500,
    "features": ["x1", "x2"], "hidden": [4, 2], "activation": "tanh",
    "batch_size": 10, "learning_rate": 0.03, "optimizer": "SGD", "loss": "cross-entropy",
    "regularization": "none", "regularization_rate": 0.0,
    "max_epochs": None, "patience": None, "min_delta": 0.0, "monitor": "test_loss",
    "seed": None,
}
GROUPS = {
    "data": ("dataset", "noise", "train_ratio", "n_points", "seed"),
    "network": ("features", "hidden", "activation"),
    "training": ("batch_size", "learning_rate", "optimizer", "loss", "regularization",
                 "regularization_rate"),
    "stopping": ("max_epochs", "patience", "min_delta", "monitor"),
}


def _choice(value, options, name):
    if value not in options:
        valid = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {valid}, but got {value!r}")
    # the option itself (so 0.03 and np.float64(0.03) both give the float 0.03)
    return next(o for o in options if o == value)


def _int_in(value, low, high, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) \
            or not low <= value <= high:
        raise ValueError(f"{name} must be an integer from {low} to {high}, but got {value!r}")
    return int(value)


def _optional_int(value, low, name):
    return None if value is None else _int_in(value, low, 10**9, name)


def _hidden(hidden):
    if isinstance(hidden, (str, bytes)) or not hasattr(hidden, "__len__"):
        raise TypeError(f"hidden must be a list of neuron counts such as (4, 2), "
                        f"but got {hidden!r}")
    if len(hidden) > MAX_LAYERS:
        raise ValueError(f"hidden may list at most {MAX_LAYERS} layers, but got {len(hidden)}")
    return [_int_in(n, 1, MAX_NEURONS, f"hidden[{i}]") for i, n in enumerate(hidden)]


def _features(names):
    if isinstance(names, str):
        names = (names,)
    names = list(names)
    if not names:
        raise ValueError("features must list at least one feature, but got none")
    for name in names:
        _choice(name, FEATURES, "each feature")
    return [name for name in FEATURES if name in names]     # the playground's order


def _min_delta(value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) \
            or not np.isfinite(value) or value < 0:
        raise ValueError(f"min_delta must be a finite number >= 0, but got {value!r}")
    return float(value)


_CHECKS = {
    "dataset": lambda v: _choice(v, (*DATASETS, "csv"), "dataset"),
    "noise": lambda v: _int_in(v, 0, 50, "noise"),
    "train_ratio": lambda v: _int_in(v, 10, 90, "train_ratio"),
    "n_points": lambda v: _int_in(v, 10, 100_000, "n_points"),
    "features": _features,
    "hidden": _hidden,
    "activation": lambda v: _choice(v, ACTIVATIONS, "activation"),
    "batch_size": lambda v: _int_in(v, 1, 30, "batch_size"),
    "learning_rate": lambda v: _choice(v, LEARNING_RATES, "learning_rate"),
    "optimizer": lambda v: _choice(v, OPTIMIZERS, "optimizer"),
    "loss": lambda v: _choice(v, LOSSES, "loss"),
    "regularization": lambda v: _choice(v, REGULARIZATIONS, "regularization"),
    "regularization_rate": lambda v: _choice(v, REGULARIZATION_RATES, "regularization_rate"),
    "max_epochs": lambda v: _optional_int(v, 1, "max_epochs"),
    "patience": lambda v: _optional_int(v, 1, "patience"),
    "min_delta": _min_delta,
    "monitor": lambda v: _choice(v, MONITORS, "monitor"),
    "seed": lambda v: None if v is None else _int_in(v, 0, 2**63, "seed"),
}


def check_config(changes, base=None):
    """`base` (default: DEFAULTS) updated with `changes`, every value checked.

    Raises
    ------
    TypeError
        For a setting that does not exist (naming it and listing those that do).
    ValueError
        For a value a setting cannot take, naming the setting and the values it can.

    Examples
    --------
    >>> check_config({'hidden': (8, 8), 'features': ['x2', 'x1']})['features']
    ['x1', 'x2']
    """
    unknown = sorted(set(changes) - set(DEFAULTS))
    if unknown:
        raise TypeError(f"unknown playground setting(s) {', '.join(map(repr, unknown))}; "
                        f"the settings are {', '.join(DEFAULTS)}")
    config = dict(DEFAULTS if base is None else base)
    for name, value in changes.items():
        config[name] = _CHECKS[name](value)
    return config


class Settings:
    """What a session's settings (`self.config`, and `self.own_data` after a CSV) imply: the
    kind of problem, the output layer, the loss, the penalties and the optimizer."""

    @property
    def problem(self):
        """'classification' or 'regression'."""
        if self.config["dataset"] == "csv":
            return "regression" if self.own_data[2] == "regression" else "classification"
        return DATASETS[self.config["dataset"]][1]

    @property
    def n_classes(self):
        """2 or 3 for classification, None for regression."""
        if self.problem == "regression":
            return None
        three = self.config["dataset"] == "three_class" or (
            self.config["dataset"] == "csv" and self.own_data[2] == "three")
        return 3 if three else 2

    @property
    def features(self):
        return list(self.config["features"])

    @property
    def hidden(self):
        return list(self.config["hidden"])

    @property
    def loss_name(self):
        """The nnlab loss trained on: the `loss` setting applies to two classes only."""
        if self.problem == "regression":
            return "mse"
        return "categorical_crossentropy" if self.n_classes == 3 else \
            LOSSES[self.config["loss"]]

    @property
    def output_activation(self):
        if self.problem == "regression":
            return "linear"
        return "softmax" if self.n_classes == 3 else "sigmoid"

    @property
    def penalties(self):
        """(l1, l2) from the regularization settings."""
        kind, rate = self.config["regularization"], self.config["regularization_rate"]
        return (rate if kind == "L1" else 0.0), (rate if kind == "L2" else 0.0)

    def make_optimizer(self):
        return optimizers.build(self.config["optimizer"], self.config["learning_rate"])
