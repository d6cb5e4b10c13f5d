"""Loss functions: one number that says how wrong the predictions are.

Training lowers the loss, so every loss also gives its gradient dL/dy_pred, the direction in
which each prediction should move to make the loss grow fastest (we step the other way).

With N samples, k outputs, targets y and predictions p:

    MSE   L = 1/(N k) sum (p - y)^2                               dL/dp = 2 (p - y) / (N k)
    BCE   L = -1/(N k) sum [y log p + (1 - y) log(1 - p)]         dL/dp = (p - y) / (p (1 - p) N k)
    CCE   L = -1/N sum_n sum_c y_nc log p_nc                      dL/dp = -y / (p N)

Probabilities are clipped to [1e-7, 1 - 1e-7] inside the logs so that a confident wrong answer
costs a lot (about 16) instead of infinity.
"""

import numpy as np

from .validation import as_float_array, check_same_length, lookup

__all__ = ["Loss", "get", "LOSSES", "mse", "binary_crossentropy", "categorical_crossentropy",
           "EPSILON", "CLASSIFICATION"]

EPSILON = 1e-7

#: Losses for classification: `MLP.compile` reports accuracy with them by default.
CLASSIFICATION = ("binary_crossentropy", "categorical_crossentropy")


def targets_like(y_true, n_outputs, loss_name, name="y"):
    """Return targets as a float (n, n_outputs) array checked for the given loss.

    `y_true` may be (n,) or (n, n_outputs); for categorical cross-entropy a 1-D `y_true` holds
    integer class labels 0..n_outputs-1, which are one-hot encoded, and the rows of a 2-D one
    must sum to 1.
    """
    y = as_float_array(y_true, name)
    if y.ndim == 0 or y.ndim > 2:
        raise ValueError(f"{name} must be 1-D or 2-D, but got shape {y.shape}")
    if loss_name == "categorical_crossentropy" and y.ndim == 1:
        labels = y
        if np.any(labels != np.round(labels)):
            raise ValueError(f"{name} must hold integer class labels 0..{n_outputs - 1} "
                             "(or one-hot rows), but it holds non-integers")
        bad = (labels < 0) | (labels >= n_outputs)
        if bad.any():
            raise ValueError(
                f"{name} holds class label(s) {np.unique(labels[bad])[:5].astype(int).tolist()} "
                f"outside the model's range 0..{n_outputs - 1}"
            )
        return np.eye(n_outputs)[labels.astype(int)]
    if y.ndim == 1:
        y = y.reshape(-1, 1)
    if y.shape[1] != n_outputs:
        raise ValueError(
            f"{name} has {y.shape[1]} column(s) but the model has {n_outputs} output(s)"
        )
    if loss_name in ("binary_crossentropy", "categorical_crossentropy"):
        if y.min() < 0 or y.max() > 1:
            raise ValueError(
                f"{name} must lie in [0, 1] for {loss_name}, but its values range from "
                f"{y.min():g} to {y.max():g}"
            )
    if loss_name == "categorical_crossentropy":
        check_cce_rows(y, name)
    return y


def check_cce_rows(y, name="y"):
    """Categorical cross-entropy compares two distributions over the classes: each row of the
    targets y (n, k) must sum to 1 (one-hot rows, or smoothed labels such as 0.9 / 0.05 / 0.05).
    Other rows would make the loss, and the softmax shortcut a - y, silently wrong."""
    sums = y.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1.0) > 1e-6)
    if bad.size:
        raise ValueError(
            f"{name} must hold integer class labels, one-hot rows or rows of probabilities that "
            f"sum to 1 for categorical_crossentropy, but row {bad[0]} sums to {sums[bad[0]]:g}"
            + (f" ({bad.size} rows do not sum to 1)" if bad.size > 1 else "")
        )


# Each formula is written once. It takes targets y (n, k) and outputs p (n, k), or a stack of
# outputs p (P, n, k) for P weight settings at once (the loss landscape), and averages over the
# last two axes: one number per stack.

def _mse(y, p):
    return np.mean((p - y) ** 2, axis=(-2, -1))


def _mse_gradient(y, p):
    return 2.0 * (p - y) / p.size


def _bce(y, p):
    p = np.clip(p, EPSILON, 1.0 - EPSILON)
    return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p), axis=(-2, -1))


def _bce_gradient(y, p):
    p = np.clip(p, EPSILON, 1.0 - EPSILON)
    return (p - y) / (p * (1.0 - p)) / p.size


def _cce(y, p):
    p = np.clip(p, EPSILON, 1.0 - EPSILON)
    return -np.sum(y * np.log(p), axis=(-2, -1)) / p.shape[-2]


def _cce_gradient(y, p):
    p = np.clip(p, EPSILON, 1.0 - EPSILON)
    return -y / p / len(p)


class Loss:
    """A loss function with its gradient.

    `loss(y_true, y_pred)` returns a float; `loss.gradient(y_true, y_pred)` returns dL/dy_pred with
    the shape of y_pred. y_pred is (n,) or (n, k); y_true is (n,), (n, k), or for categorical
    cross-entropy integer labels (n,).

    Parameters
    ----------
    name : str
    formula : callable (y, p) -> loss
        On checked (n, k) arrays; with `stacks`, also on p of shape (P, n, k), giving (P,).
    gradient : callable (y, p) -> dL/dp, the shape of p (n, k)
    stacks : bool
        Whether `formula` handles stacks of outputs (`values` loops over them otherwise).
    """

    def __init__(self, name, formula, gradient, stacks=False):
        self.name = name
        self.formula = formula
        self.gradient_formula = gradient
        self.stacks = stacks

    def value(self, y, p):
        """The loss for targets y and outputs p, both checked (n, k) float arrays.

        Training code calls it on data it checked once (`MLP.check_data`); `loss(y_true,
        y_pred)` checks and then calls it.
        """
        return float(self.formula(y, p))

    def values(self, y, p):
        """The loss of each stack of outputs: y (n, k) and p (P, n, k) -> (P,) losses, the
        same numbers as ``value(y, p[i])`` for every i, computed at once."""
        if not self.stacks:                     # a formula written for one (n, k) only
            return np.array([self.value(y, q) for q in p], dtype=np.float64)
        return np.asarray(self.formula(y, p), dtype=np.float64)

    def _prepare(self, y_true, y_pred):
        p = as_float_array(y_pred, "y_pred")
        one_d = p.ndim == 1
        if one_d:
            p = p.reshape(-1, 1)
        if p.ndim != 2:
            raise ValueError(f"y_pred must be 1-D or 2-D, but got shape {p.shape}")
        y_arr = np.asarray(y_true)
        if y_arr.ndim >= 1:
            check_same_length(y_arr, p, "y_true", "y_pred")
        y = targets_like(y_true, p.shape[1], self.name, "y_true")
        return y, p, one_d

    def output_delta(self, y, z, a, activation):
        """delta^L = dL/dz^L for an output layer with weighted sums z, outputs a = f(z) and
        activation f, against targets y, all (n, k) (BP1 of backpropagation).

        In general dL/da * f'(z) (the whole Jacobian for softmax). Two pairs simplify to
        (a - y) divided by the number of terms in the mean:

            sigmoid + binary cross-entropy         (a - y) / (n k)
            softmax + categorical cross-entropy    (a - y) / n     if every row of y sums to 1
        """
        pair = (activation.name, self.name)
        if pair == ("sigmoid", "binary_crossentropy") and self is binary_crossentropy:
            return (a - y) / y.size
        if pair == ("softmax", "categorical_crossentropy") and self is categorical_crossentropy:
            check_cce_rows(y, "y")
            return (a - y) / len(y)
        return activation.backward(z, a, self.gradient_formula(y, a))

    def __call__(self, y_true, y_pred):
        y, p, _ = self._prepare(y_true, y_pred)
        return self.value(y, p)

    def gradient(self, y_true, y_pred):
        """dL/dy_pred, the same shape as y_pred."""
        y, p, one_d = self._prepare(y_true, y_pred)
        g = self.gradient_formula(y, p)
        return g[:, 0] if one_d else g

    def __repr__(self):
        return f"Loss({self.name!r})"


#: The losses by name: `get`, `MLP.compile`, configs and the playground find them here.
LOSSES = {
    "mse": Loss("mse", _mse, _mse_gradient, stacks=True),
    "binary_crossentropy": Loss("binary_crossentropy", _bce, _bce_gradient, stacks=True),
    "categorical_crossentropy": Loss("categorical_crossentropy", _cce, _cce_gradient,
                                     stacks=True),
}
mse = LOSSES["mse"]
binary_crossentropy = LOSSES["binary_crossentropy"]
categorical_crossentropy = LOSSES["categorical_crossentropy"]


def get(name):
    """Return the `Loss` called `name` (case-insensitive), or `name` if it already is one."""
    if isinstance(name, Loss):
        return name
    return lookup(LOSSES, name, "loss")
