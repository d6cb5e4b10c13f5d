"""Training: epochs of mini-batches, each one a forward pass, a backward pass and an optimizer
step. `MLP.fit` calls `fit` here.

An *epoch* is one pass over the whole training set. It is cut into *batches*:

    batch_size = n       full-batch gradient descent: one exact step per epoch
    batch_size = 1       stochastic gradient descent: n noisy steps per epoch
    batch_size = k       mini-batch gradient descent: ceil(n / k) steps per epoch

The loop:

    for each epoch:
        for each batch (X_b, Y_b):             shuffled, the last one may be smaller
            forward, backward -> g_b           g_b: the gradient of the batch's mean loss
            optimizer.step(g_b)                or, with accumulation_steps = k, see below
        record the epoch's loss and metrics; callbacks may stop training

Gradient accumulation (k > 1) adds up the gradients of k consecutive batches, each weighted by
its number of samples n_b, and steps once with their mean over the samples seen:

    g = sum_b n_b g_b / sum_b n_b

which is exactly the gradient of one batch holding all those samples, so batches of b with
k steps give the updates of batches of k * b, the last smaller group included.

`History`, `EarlyStopping` and the other callbacks live in `nnlab.callbacks` (they are
importable from here too).
"""

import math
import warnings

import numpy as np

from .callbacks import (
    EarlyStopping,
    History,
    ProgressBar,
    check_callbacks,
    notify_batch_end,
    notify_epoch_end,
    notify_train_begin,
    notify_train_end,
)
from .validation import check_nonnegative, check_positive, check_rng, check_same_length

__all__ = ["fit", "minibatches", "n_batches", "Accumulator", "History", "EarlyStopping"]


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


class Accumulator:
    """Sums sample-weighted gradients until `steps` batches are in.

    Examples
    --------
    >>> acc = Accumulator(steps=2)
    >>> acc.add([np.array([1.0])], n_samples=3)      # a batch of 3 with mean gradient 1
    False
    >>> acc.add([np.array([5.0])], n_samples=1)      # a batch of 1 with gradient 5: complete
    True
    >>> acc.pop()                                    # (3 * 1 + 1 * 5) / 4
    [array([2.])]
    """

    def __init__(self, steps):
        self.steps = steps
        self.clear()

    def add(self, grads, n_samples):
        """Add a batch's mean gradients; True once `steps` batches are in."""
        if self.steps == 1:            # one batch per update: the mean is that batch's mean
            self.sums, self.batches, self.samples = grads, 1, None
            return True
        weighted = [n_samples * g for g in grads]
        self.sums = weighted if self.sums is None else [s + w for s, w in zip(self.sums, weighted)]
        self.batches += 1
        self.samples += n_samples
        return self.batches == self.steps

    def pop(self):
        """The mean gradient over the samples added, and start again from nothing."""
        mean = self.sums if self.samples is None else [s / self.samples for s in self.sums]
        self.clear()
        return mean

    def clear(self):
        self.sums, self.batches, self.samples = None, 0, 0


def fit(model, X, y, epochs=1, batch_size=None, shuffle=True, validation_data=None,
        accumulation_steps=1, callbacks=(), verbose=0, seed=None):
    """Train `model` (compiled); see `MLP.fit` for the parameters. Returns a History."""
    X, Y = model.check_data(X, y)
    epochs = check_nonnegative(epochs, "epochs", integer=True)
    if batch_size is not None:
        batch_size = check_positive(batch_size, "batch_size", integer=True)
    accumulation_steps = check_positive(accumulation_steps, "accumulation_steps", integer=True)
    callbacks = check_callbacks(callbacks)
    validation = None
    if validation_data is not None:
        if len(validation_data) != 2:
            raise ValueError("validation_data must be a pair (X_val, y_val)")
        validation = model.check_data(*validation_data, names=("X_val", "y_val"))
    rng = model.rng if seed is None else check_rng(seed)
    _check_metrics(model, X, Y)

    history = model.history = History()
    model.stop_training = False
    loop = _Loop(model, callbacks, Accumulator(accumulation_steps), history)
    bar = ProgressBar(epochs) if verbose else None
    notify_train_begin(callbacks, model)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for epoch in range(epochs):
            logs = loop.epoch(epoch, list(minibatches(X, Y, batch_size, shuffle, rng)),
                              validation)
            if logs is None:                                  # diverged
                break
            if bar:
                bar.update(epoch + 1, logs)
            if notify_epoch_end(callbacks, epoch, logs) or model.stop_training:
                break
    notify_train_end(callbacks)
    if bar:
        bar.close()
    return history


def _check_metrics(model, X, Y):
    """Score the untrained outputs once, so that a metric that cannot read these targets (e.g.
    accuracy on soft 0.3 / 0.7 targets) fails before training, not after the first epoch."""
    out = model.propagate(X, keep=False)
    for name, metric in model.metrics:
        try:
            metric(Y, out)
        except ValueError as error:
            raise ValueError(f"the metric {name!r} cannot score these targets, so training did "
                             f"not start ({error}); compile with other metrics, e.g. "
                             "metrics=()") from None


class _Loop:
    """One epoch at a time, with the state that lives across epochs (the step counter)."""

    def __init__(self, model, callbacks, accumulator, history):
        self.model, self.accumulator, self.history = model, accumulator, history
        self.batch_callbacks = [cb for cb in callbacks if hasattr(cb, "on_batch_end")]
        # A batch callback that never reads logs["loss"] may say so (wants_batch_loss = False),
        # which spares one loss evaluation per batch (the DescentExplorer's path recorder).
        self.batch_loss = any(getattr(cb, "wants_batch_loss", True) for cb in self.batch_callbacks)
        self.params = model.params()
        self.step = 0

    def epoch(self, epoch, batches, validation):
        """Train on `batches`; record and return the epoch's logs (None if it diverged)."""
        model, acc, params = self.model, self.accumulator, self.params
        before = [p.copy() for p in params]
        seen, outputs = [], []
        for i, (Xb, Yb) in enumerate(batches):
            out = model.propagate(Xb)
            grads = model.backpropagate(Yb)
            seen.append(Yb)
            outputs.append(out)
            updated = acc.add(grads, len(Yb)) or i == len(batches) - 1
            if updated:
                model.optimizer.step(params, acc.pop())
            if self.batch_callbacks:
                logs = {"size": len(Yb), "updated": updated}
                if self.batch_loss:
                    logs["loss"] = model.loss.value(Yb, out)
                if notify_batch_end(self.batch_callbacks, self.step, logs):
                    model.stop_training = True
            self.step += 1
            if model.stop_training:
                self._stopped_after(i + 1, len(batches))
                break
        seen, outputs = np.concatenate(seen), np.concatenate(outputs)
        loss = model.objective(seen, outputs)
        # check before the metrics, which refuse NaN predictions
        if not (np.isfinite(loss) and _all_finite(params) and _all_finite([outputs])):
            for p, saved in zip(params, before):
                p[...] = saved
            self.history.diverged = True
            warnings.warn(
                f"training diverged in epoch {epoch}: the loss became {loss}. "
                "The weights from the start of that epoch were kept. Try a smaller "
                f"learning rate (it is {model.optimizer.learning_rate:g}).",
                RuntimeWarning, stacklevel=4)
            return None
        logs = model.scores(seen, outputs, loss)
        if validation is not None:
            X_val, Y_val = validation
            val = model.scores(Y_val, model.propagate(X_val, keep=False))
            logs.update({"val_" + k: v for k, v in val.items()})
        self.history.record(epoch, logs)
        return logs

    def _stopped_after(self, done, total):
        """A batch callback stopped training after `done` of `total` batches of an epoch.

        The gradients of an unfinished accumulation group are discarded, never applied: the
        weights stay those of the last update, as the batch logs said ('updated' False).
        """
        self.history.stopped_mid_epoch = done < total
        self.history.discarded_batches = self.accumulator.batches
        self.accumulator.clear()


def _all_finite(arrays):
    return all(np.isfinite(a).all() for a in arrays)
