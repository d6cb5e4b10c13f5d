"""Honest estimates of how well a model does on data it has not seen.

    train_test_split     hold out part of the data for testing
    kfold                split indices into k folds; each fold is the test set once
    cross_validate       train a fresh model on each k-1 folds, score it on the remaining fold
"""

import numbers

import numpy as np

from ._validation import as_float_array, check_positive, check_rng, check_same_length

__all__ = ["train_test_split", "kfold", "cross_validate"]


def train_test_split(X, y, test_size=0.25, seed=None):
    """Shuffle and split into training and test sets.

    Parameters
    ----------
    X : array (n, ...), y : array (n, ...)
    test_size : float in (0, 1) (a fraction) or int (a number of samples)
    seed : None, int or numpy Generator

    Returns
    -------
    X_train, X_test, y_train, y_test
    """
    X, y = np.asarray(X), np.asarray(y)
    check_same_length(X, y)
    n = len(X)
    if isinstance(test_size, numbers.Integral) and not isinstance(test_size, bool):
        n_test = int(test_size)
    elif isinstance(test_size, numbers.Real) and 0 < test_size < 1:
        n_test = int(np.ceil(test_size * n))
    else:
        raise ValueError(f"test_size must be a fraction in (0, 1) or a number of samples, "
                         f"but got {test_size!r}")
    if not 0 < n_test < n:
        raise ValueError(f"test_size={test_size!r} leaves {n_test} of {n} samples for testing; "
                         "both sets must be non-empty")
    order = check_rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def kfold(n_samples, k=5, shuffle=True, seed=None):
    """Yield (train_idx, test_idx) for each of k folds.

    Every index is in exactly one test fold; fold sizes differ by at most one.
    """
    n_samples = check_positive(n_samples, "n_samples", integer=True)
    k = check_positive(k, "k", integer=True)
    if not 2 <= k <= n_samples:
        raise ValueError(f"k must be between 2 and n_samples={n_samples}, but got {k}")
    order = check_rng(seed).permutation(n_samples) if shuffle else np.arange(n_samples)
    for test in np.array_split(order, k):
        yield np.setdiff1d(order, test), np.sort(test)


def cross_validate(build_model, X, y, k=5, fit_kwargs=None, seed=None):
    """k-fold cross-validation.

    Parameters
    ----------
    build_model : callable
        Called with no arguments, returns a new compiled model (e.g. an MLP); called once per
        fold so that no fold sees weights trained on its test data.
    X : array (n, n_features), y : array (n,) or (n, k)
    k : int, number of folds
    fit_kwargs : dict, passed to ``model.fit`` (e.g. epochs, batch_size)
    seed : None, int or numpy Generator, for the fold assignment

    Returns
    -------
    dict with
        'scores' : {name: array of shape (k,)}, the test 'loss' and metrics of each fold
        'mean'   : {name: float}
        'std'    : {name: float}
    """
    if not callable(build_model):
        raise TypeError(f"build_model must be a function returning a new model, "
                        f"but got {build_model!r}")
    X = as_float_array(X, "X", ndim=2)
    y = np.asarray(y)
    check_same_length(X, y)
    fit_kwargs = dict(fit_kwargs or {})
    scores = {}
    for train, test in kfold(len(X), k, shuffle=True, seed=seed):
        model = build_model()
        model.fit(X[train], y[train], **fit_kwargs)
        for name, value in model.evaluate(X[test], y[test]).items():
            scores.setdefault(name, []).append(value)
    scores = {name: np.array(values) for name, values in scores.items()}
    return {
        "scores": scores,
        "mean": {name: float(v.mean()) for name, v in scores.items()},
        "std": {name: float(v.std()) for name, v in scores.items()},
    }
