"""The pieces of a training loop that are not the network itself.

An *epoch* is one pass over the whole training set. It is cut into *batches*:

    batch_size = n       full-batch gradient descent: one exact step per epoch
    batch_size = 1       stochastic gradient descent: n noisy steps per epoch
    batch_size = k       mini-batch gradient descent: ceil(n / k) steps per epoch

Also here: `History` (what `MLP.fit` returns), callbacks and the text progress bar.
"""

import math
import sys

import numpy as np

from ._validation import check_positive, check_rng, check_same_length

__all__ = ["minibatches", "n_batches", "History", "ProgressBar", "check_callbacks",
           "notify_train_begin", "notify_epoch_end", "notify_batch_end", "notify_train_end",
           "EarlyStopping"]


def n_batches(n_samples, batch_size=None):
    """Number of batches (optimizer steps without accumulation) in one epoch."""
    if batch_size is None:
        return 1
    return math.ceil(n_samples / check_positive(batch_size, "batch_size", integer=True))


def minibatches(X, y, batch_size=None, shuffle=True, seed=None):
    """Yield (X_batch, y_batch) pairs that cover every sample exactly once.

    Parameters
    ----------
    X : array (n, ...), y : array (n, ...)
    batch_size : int or None
        None means one batch with everything; the last batch may be smaller than the others.
    shuffle : bool
        Visit the samples in a random order (drawn from `seed`).
    seed : None, int or numpy Generator

    Examples
    --------
    >>> X, y = np.arange(10).reshape(5, 2), np.arange(5)
    >>> [len(yb) for _, yb in minibatches(X, y, batch_size=2, shuffle=False)]
    [2, 2, 1]
    """
    check_same_length(X, y)
    n = len(X)
    size = n if batch_size is None else check_positive(batch_size, "batch_size", integer=True)
    if shuffle:
        order = check_rng(seed).permutation(n)
        X, y = X[order], y[order]
    for start in range(0, n, size):
        yield X[start:start + size], y[start:start + size]


class History:
    """What happened during `MLP.fit`.

    Attributes
    ----------
    history : dict of str -> list of float
        'loss', each metric, and 'val_loss' / 'val_<metric>' with validation data; one entry per
        epoch.
    epoch : list of int
        The epoch numbers, starting at 0.
    diverged : bool
        True if the loss became NaN or infinite and training stopped.
    stopped_mid_epoch : bool
        True if a batch callback stopped training before the last batch of an epoch; that
        epoch's entries are computed on the batches it trained on.
    discarded_batches : int
        With gradient accumulation, the batches of an unfinished group when a batch callback
        stopped training: their gradients were discarded, not applied (0 otherwise).
    """

    def __init__(self):
        self.history = {}
        self.epoch = []
        self.diverged = False
        self.stopped_mid_epoch = False
        self.discarded_batches = 0

    def record(self, epoch, logs):
        self.epoch.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)

    def __repr__(self):
        last = {k: round(v[-1], 4) for k, v in self.history.items() if v}
        return f"History(epochs={len(self.epoch)}, last={last}, diverged={self.diverged})"


def check_callbacks(callbacks):
    """Return callbacks as a list; each must be callable or have `on_epoch_end`."""
    if callbacks is None:
        return []
    if callable(callbacks) or hasattr(callbacks, "on_epoch_end"):
        callbacks = [callbacks]
    callbacks = list(callbacks)
    for cb in callbacks:
        if not (callable(cb) or hasattr(cb, "on_epoch_end") or hasattr(cb, "on_batch_end")):
            raise TypeError(
                "callbacks must hold functions callback(epoch, logs) or objects with "
                f"on_epoch_end(epoch, logs), but got {cb!r}"
            )
    return callbacks


def notify_train_begin(callbacks, model):
    """Give each callback that wants it the model (`set_model`), then call `on_train_begin`."""
    for cb in callbacks:
        if hasattr(cb, "set_model"):
            cb.set_model(model)
        if hasattr(cb, "on_train_begin"):
            cb.on_train_begin()


def notify_train_end(callbacks):
    for cb in callbacks:
        if hasattr(cb, "on_train_end"):
            cb.on_train_end()


def notify_epoch_end(callbacks, epoch, logs):
    """Call every callback; return True if one of them asks to stop (returns False)."""
    stop = False
    for cb in callbacks:
        if hasattr(cb, "on_epoch_end"):
            result = cb.on_epoch_end(epoch, logs)
        elif callable(cb) and not hasattr(cb, "on_batch_end"):
            result = cb(epoch, logs)
        else:
            result = None
        stop = stop or result is False
    return stop


def notify_batch_end(callbacks, step, logs):
    stop = False
    for cb in callbacks:
        result = cb.on_batch_end(step, logs)
        stop = stop or result is False
    return stop


class ProgressBar:
    """A one-line text progress bar that rewrites itself with a carriage return.

    It works in a terminal and in a Jupyter output cell, without extra packages.
    """

    def __init__(self, total, width=30, stream=None):
        self.total = max(int(total), 1)
        self.width = width
        self.stream = stream if stream is not None else sys.stdout

    def update(self, done, logs):
        filled = int(self.width * done / self.total)
        bar = "=" * filled + (">" if filled < self.width else "") + " " * (self.width - filled - 1)
        numbers = " - ".join(f"{k}: {v:.4f}" for k, v in logs.items())
        self.stream.write(f"\repoch {done}/{self.total} [{bar[:self.width]}] {numbers}")
        self.stream.flush()

    def close(self):
        self.stream.write("\n")
        self.stream.flush()


def all_finite(arrays):
    return all(np.isfinite(a).all() for a in arrays)


from .callbacks import EarlyStopping  # noqa: E402  (a callback; lives in its own module)
