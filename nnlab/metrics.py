"""Metrics: numbers people read to judge a model (the loss is what the optimizer reads).

    accuracy  fraction of samples whose predicted class is the true class
    mse       mean squared error, 1/(N k) sum (p - y)^2
"""

import numpy as np

from ._validation import as_float_array, check_same_length, lookup

__all__ = ["accuracy", "mse", "get", "METRICS"]


def _as_classes(values, name):
    """Class labels (n,) from probabilities, 0/1 values, integer labels or one-hot rows."""
    v = as_float_array(values, name)
    if v.ndim == 2 and v.shape[1] > 1:
        return np.argmax(v, axis=1)          # one-hot rows or class probabilities
    v = v.reshape(len(v), -1)[:, 0] if v.ndim == 2 else v
    return v


def accuracy(y_true, y_pred):
    """Fraction of correct predictions, in [0, 1].

    Binary: y_pred (n,) or (n, 1) holds probabilities (or 0/1 values), thresholded at 0.5.
    Multi-class: y_pred (n, k) holds scores, the class is the argmax; y_true holds integer labels
    (n,) or one-hot rows (n, k).
    """
    p = as_float_array(y_pred, "y_pred")
    t = as_float_array(y_true, "y_true")
    check_same_length(t, p, "y_true", "y_pred")
    multi_class = p.ndim == 2 and p.shape[1] > 1
    if multi_class:
        predicted = np.argmax(p, axis=1)
        actual = _as_classes(t, "y_true")
    else:
        predicted = (_as_classes(p, "y_pred") >= 0.5).astype(np.float64)
        actual = _as_classes(t, "y_true")
    return float(np.mean(predicted == actual))


def mse(y_true, y_pred):
    """Mean squared error over all elements."""
    p = as_float_array(y_pred, "y_pred")
    t = as_float_array(y_true, "y_true")
    check_same_length(t, p, "y_true", "y_pred")
    if t.shape != p.shape:
        t = t.reshape(p.shape) if t.size == p.size else t
    if t.shape != p.shape:
        raise ValueError(f"y_true has shape {t.shape} but y_pred has shape {p.shape}")
    return float(np.mean((p - t) ** 2))


METRICS = {"accuracy": accuracy, "mse": mse}


def get(name):
    """Return the metric function called `name`, or `name` itself if it is callable."""
    if callable(name):
        return name
    return lookup(METRICS, name, "metric")
