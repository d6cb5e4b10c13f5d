"""Metrics: numbers people read to judge a model (the loss is what the optimizer reads).

    accuracy  fraction of samples whose predicted class is the true class
    mse       mean squared error, 1/(N k) sum (p - y)^2

`accuracy` gives the same number as scikit-learn's ``accuracy_score`` on class labels; it also
turns a model's raw outputs into labels first:

    y_pred (n,) or (n, 1) of whole numbers     class labels, compared exactly
    y_pred (n,) or (n, 1) of other numbers     probabilities of class 1: label = (p >= 0.5)
    y_pred (n, k), k > 1                       scores per class: label = argmax over k
    y_true (n,) or (n, 1)                      class labels
    y_true (n, k), k > 1                       one-hot rows: label = argmax over k
"""

import numpy as np

from .validation import as_float_array, check_same_length, lookup

__all__ = ["accuracy", "mse", "get", "METRICS"]


def _column(v):
    """(n, 1) -> (n,); other shapes unchanged."""
    return v[:, 0] if v.ndim == 2 and v.shape[1] == 1 else v


def _whole(v):
    return bool(np.all(v == np.round(v)))


def _mismatch(why):
    return ValueError(f"y_true and y_pred do not match: {why}")


def accuracy(y_true, y_pred):
    """Fraction of correct predictions, in [0, 1] (scikit-learn's ``accuracy_score``).

    Parameters
    ----------
    y_true : array (n,) or (n, 1) of class labels, or (n, k) one-hot rows
    y_pred : array (n,) or (n, 1) of class labels or of probabilities of class 1 (thresholded
        at 0.5), or (n, k) scores per class (the predicted class is the argmax)

    Raises
    ------
    ValueError
        Naming both arguments, when their lengths, numbers of columns or classes do not match.

    Examples
    --------
    >>> accuracy([0, 1, 2, 2], [0, 1, 2, 1])                  # labels, any number of classes
    0.75
    >>> accuracy([0, 1, 1], [0.2, 0.6, 0.4])                  # probabilities of class 1
    0.6666666666666666
    >>> accuracy([2, 0], [[0.1, 0.2, 0.7], [0.8, 0.1, 0.1]])  # argmax of (n, k) scores
    1.0
    """
    p = _column(as_float_array(y_pred, "y_pred"))
    t = _column(as_float_array(y_true, "y_true"))
    if p.ndim == 0 or p.ndim > 2 or t.ndim == 0 or t.ndim > 2:
        raise _mismatch(f"both must be 1-D or 2-D, but y_true has shape {t.shape} and y_pred "
                        f"has shape {p.shape}")
    check_same_length(t, p, "y_true", "y_pred")
    if len(t) == 0:
        raise ValueError("y_true and y_pred are empty: accuracy needs at least one sample")

    if t.ndim == 2:                          # one-hot rows
        n_classes = t.shape[1]
        if p.ndim == 2 and p.shape[1] != n_classes:
            raise _mismatch(f"y_true has {n_classes} columns (classes) but y_pred has "
                            f"{p.shape[1]}")
        actual = np.argmax(t, axis=1)
    else:
        if not _whole(t):
            raise ValueError("y_true must hold class labels (whole numbers) or one-hot rows, "
                             f"but it holds values such as {t[t != np.round(t)][0]:g}")
        actual = t
        n_classes = None

    if p.ndim == 2:                          # scores per class
        predicted = np.argmax(p, axis=1)
        bad = (actual < 0) | (actual >= p.shape[1])
        if bad.any():
            raise _mismatch(f"y_true holds the label {actual[bad][0]:g} but y_pred has scores "
                            f"for {p.shape[1]} classes (labels 0..{p.shape[1] - 1})")
    elif _whole(p):                          # class labels
        predicted = p
        if n_classes is not None and ((p < 0) | (p >= n_classes)).any():
            raise _mismatch(f"y_pred holds labels outside 0..{n_classes - 1}, the classes of "
                            f"the one-hot y_true")
    else:                                    # probabilities of class 1
        if n_classes is not None:
            raise _mismatch(f"y_true has {n_classes} columns (one-hot) but y_pred holds one "
                            "probability per sample")
        if not np.isin(actual, (0.0, 1.0)).all():
            raise _mismatch("y_pred holds one probability per sample (two classes) but y_true "
                            f"holds the labels {np.unique(actual)[:5].tolist()}")
        predicted = (p >= 0.5).astype(np.float64)
    return float(np.mean(predicted == actual))


def mse(y_true, y_pred):
    """Mean squared error over all elements.

    Examples
    --------
    >>> mse([1.0, 2.0], [1.0, 4.0])
    2.0
    """
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
