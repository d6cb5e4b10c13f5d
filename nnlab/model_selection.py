"""Honest estimates of how well a model does on data it has not seen.

    train_test_split     hold out part of the data for testing
    kfold                split indices into k folds; each fold is the test set once
    cross_validate       train a fresh model on each k-1 folds, score it on the remaining fold
"""

import numbers

import numpy as np

from .validation import as_float_array, check_positive, check_rng, check_same_length

__all__ = ["train_test_split", "kfold", "cross_validate"]


def _class_codes(stratify, n_samples):
    """Class labels (or one-hot rows) -> (codes 0..k-1 of shape (n,), number of classes k),
    numbered in order of first appearance."""
    labels = np.asarray(stratify)
    if labels.ndim == 2:
        labels = labels[:, 0] if labels.shape[1] == 1 else labels.argmax(axis=1)
    if labels.ndim != 1 or len(labels) != n_samples:
        raise ValueError(f"stratify must hold one class label per sample ({n_samples}), "
                         f"but got an array of shape {np.shape(stratify)}")
    _, first, codes = np.unique(labels, return_index=True, return_inverse=True)
    by_appearance = np.argsort(np.argsort(first))  # class 0 is the first label met, as sklearn
    return by_appearance[codes.ravel()], len(first)


def _test_counts(counts, n_test):
    """Split n_test among the classes in proportion to `counts`, rounding by largest remainder
    (ties go to the rarer class, so a class of 2 in 20 keeps its place in a test set of 5)."""
    share, remainder = np.divmod(n_test * counts, counts.sum())
    missing = n_test - share.sum()
    order = np.lexsort((counts, -remainder))       # largest remainder first, then rarest
    share[order[:missing]] += 1
    return share


def train_test_split(X, y, test_size=0.25, seed=None, stratify=None):
    """Shuffle and split into training and test sets.

    Parameters
    ----------
    X : array (n, ...), y : array (n, ...)
    test_size : float in (0, 1) (a fraction) or int (a number of samples)
    seed : None, int or numpy Generator
    stratify : None or array of n class labels (or one-hot rows), usually `y`
        Keep the class proportions: each class gives the test set its share of the test samples,
        rounded to whole samples (largest remainders first).

    Returns
    -------
    X_train, X_test, y_train, y_test

    Examples
    --------
    >>> X, y = np.arange(40).reshape(20, 2), np.array([0] * 18 + [1] * 2)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, seed=0, stratify=y)
    >>> len(y_test), int(y_test.sum())              # 5 test samples, one of the two positives
    (5, 1)
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
    rng = check_rng(seed)
    if stratify is None:
        order = rng.permutation(n)
        test, train = order[:n_test], order[n_test:]
    else:
        codes, n_classes = _class_codes(stratify, n)
        shares = _test_counts(np.bincount(codes, minlength=n_classes), n_test)
        test, train = [], []
        for c, share in enumerate(shares):
            members = rng.permutation(np.flatnonzero(codes == c))
            test.append(members[:share])
            train.append(members[share:])
        test, train = rng.permutation(np.concatenate(test)), rng.permutation(np.concatenate(train))
    return X[train], X[test], y[train], y[test]


def kfold(n_samples, k=5, shuffle=True, seed=None, stratify=None):
    """Yield (train_idx, test_idx) for each of k folds.

    Every index is in exactly one test fold; fold sizes differ by at most one.

    Parameters
    ----------
    n_samples : int
    k : int, the number of folds (2 <= k <= n_samples)
    shuffle : bool
        Assign samples to folds at random (else in order).
    seed : None, int or numpy Generator
    stratify : None or array of n_samples class labels (or one-hot rows)
        Keep the class proportions in every fold, as scikit-learn's StratifiedKFold does: the
        samples, sorted by class, are dealt to the folds in turn like cards, so each class is
        spread as evenly as possible (its counts per fold differ by at most one).

    Examples
    --------
    >>> y = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> [y[test].tolist() for _, test in kfold(8, k=4, shuffle=False, stratify=y)]
    [[0, 1], [0, 1], [0, 1], [0, 1]]
    """
    n_samples = check_positive(n_samples, "n_samples", integer=True)
    k = check_positive(k, "k", integer=True)
    if not 2 <= k <= n_samples:
        raise ValueError(f"k must be between 2 and n_samples={n_samples}, but got {k}")
    rng = check_rng(seed)
    if stratify is None:
        order = rng.permutation(n_samples) if shuffle else np.arange(n_samples)
        folds = np.empty(n_samples, dtype=int)
        for i, test in enumerate(np.array_split(order, k)):
            folds[test] = i
    else:
        codes, n_classes = _class_codes(stratify, n_samples)
        dealt = np.sort(codes)                   # deal the sorted labels to folds 0, 1, .., k-1
        per_fold = np.array([np.bincount(dealt[i::k], minlength=n_classes) for i in range(k)])
        folds = np.empty(n_samples, dtype=int)
        for c in range(n_classes):
            fold_of_member = np.repeat(np.arange(k), per_fold[:, c])
            if shuffle:
                rng.shuffle(fold_of_member)
            folds[codes == c] = fold_of_member
    everything = np.arange(n_samples)
    for i in range(k):
        yield everything[folds != i], everything[folds == i]


def cross_validate(build_model, X, y, k=5, fit_kwargs=None, seed=None, stratify=None):
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
    stratify : None or array of n class labels (or one-hot rows)
        Keep each class's share in every fold, as ``kfold(..., stratify=...)`` does; pass
        ``stratify=y`` for a classifier.

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
    for train, test in kfold(len(X), k, shuffle=True, seed=seed, stratify=stratify):
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
