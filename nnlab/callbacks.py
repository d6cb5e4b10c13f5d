"""Callbacks: small objects that `MLP.fit` calls as training goes.

`fit(..., callbacks=[...])` accepts functions ``callback(epoch, logs)`` and objects with any of

    set_model(model)            before training: the model being trained
    on_train_begin()            before the first epoch
    on_batch_end(step, logs)    after every batch
    on_epoch_end(epoch, logs)   after every epoch; `logs` holds 'loss', the metrics and, with
                                validation data, 'val_loss' and 'val_<metric>'
    on_train_end()              after the last epoch (also after a stop or a divergence)

A callback stops training by returning False or by setting ``model.stop_training = True``.

Here are the callbacks nnlab has, and what the training loop uses to call them:

    History          what `fit` returns: the logs of every epoch
    EarlyStopping    stop when a monitored number (by default the validation loss) has not
                     improved for `patience` epochs, and go back to the weights of its best epoch
    PathRecorder     write down the weights after every update: the path of training
    ProgressBar      the text progress bar of ``fit(..., verbose=1)``
"""

import math
import sys

from .validation import check_nonnegative, check_positive

__all__ = ["History", "EarlyStopping", "PathRecorder", "ProgressBar", "check_callbacks",
           "notify_train_begin", "notify_epoch_end", "notify_batch_end", "notify_train_end"]


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


class PathRecorder:
    """A training callback that writes down the weights after every update: the path of
    training.

    Pass it in ``model.fit(..., callbacks=[recorder])``. `points` gets one tuple per update:
    every weight and bias of the model, in the order of ``model.get_weights()`` flattened, so
    for a model with one weight and one bias (``MLP([1, 1])``) each point is (w, b).

    Examples
    --------
    >>> import numpy as np
    >>> from nnlab import MLP
    >>> model = MLP([1, 1], seed=0).compile('mse', 'sgd')
    >>> recorder = PathRecorder(model)
    >>> _ = model.fit(np.array([[0.0], [1.0]]), np.array([0.0, 1.0]), epochs=3,
    ...               callbacks=[recorder])
    >>> len(recorder.points), len(recorder.points[0])
    (3, 2)
    """

    wants_batch_loss = False  # it reads only "updated": fit need not compute each batch's loss

    def __init__(self, model):
        self.params = model.params()
        self.points = []

    def on_batch_end(self, step, logs):
        if logs["updated"]:       # with gradient accumulation, not every batch moves the weights
            self.points.append(tuple(float(v) for p in self.params for v in p.flat))




class EarlyStopping:
    """Stop training once the validation loss stops improving; keep the best weights.

    After every epoch the callback reads ``logs[monitor]``. An epoch *improves* on the best so far
    if the value is lower by more than `min_delta` (higher, for a monitor whose name ends in
    'accuracy'). After `patience` epochs in a row without improvement it sets
    ``model.stop_training = True``. With `restore_best_weights`, the model ends training (stopped
    or not) with the weights it had at the end of its best epoch.

    Parameters
    ----------
    monitor : str
        A key of the epoch logs: 'val_loss' (default), 'loss', 'val_accuracy', ...
    patience : int
        Epochs without improvement to wait before stopping (>= 1).
    min_delta : float
        The smallest change that counts as an improvement (>= 0).
    restore_best_weights : bool
        Put back the weights of the best epoch when training ends.

    Attributes
    ----------
    best : float
        The best value of `monitor` seen (inf before training).
    best_epoch : int or None
        The epoch (counted from 0, like ``History.epoch``) where it was seen.
    stopped_epoch : int or None
        The epoch after which training was stopped, None if it ran to the end.
    wait : int
        Epochs since the last improvement.

    Examples
    --------
    >>> import numpy as np
    >>> from nnlab import MLP
    >>> model = MLP([1, 1]).compile(loss="mse")
    >>> stopper = EarlyStopping(monitor="loss", patience=2)
    >>> stopper.set_model(model)
    >>> stopper.on_train_begin()
    >>> for epoch, loss in enumerate([1.0, 0.5, 0.6, 0.55]):
    ...     _ = stopper.on_epoch_end(epoch, {"loss": loss})
    >>> stopper.best, stopper.best_epoch, stopper.stopped_epoch, model.stop_training
    (0.5, 1, 3, True)
    """

    def __init__(self, monitor="val_loss", patience=5, min_delta=0.0,
                 restore_best_weights=True):
        if not isinstance(monitor, str) or not monitor:
            raise ValueError(f"monitor must be the name of a logged number such as 'val_loss', "
                             f"but got {monitor!r}")
        self.monitor = monitor
        self.patience = check_positive(patience, "patience", integer=True)
        self.min_delta = check_nonnegative(min_delta, "min_delta")
        self.restore_best_weights = bool(restore_best_weights)
        self.higher_is_better = monitor.endswith("accuracy")
        self.model = None
        self.on_train_begin()

    def set_model(self, model):
        self.model = model

    def on_train_begin(self):
        self.best = -math.inf if self.higher_is_better else math.inf
        self.best_epoch = None
        self.best_weights = None
        self.stopped_epoch = None
        self.wait = 0

    def _improves(self, value):
        if self.higher_is_better:
            return value > self.best + self.min_delta
        return value < self.best - self.min_delta

    def on_epoch_end(self, epoch, logs):
        if self.monitor not in logs:
            hint = (" (pass validation_data=(X_val, y_val) to fit)"
                    if self.monitor.startswith("val_") else "")
            raise ValueError(f"EarlyStopping monitors {self.monitor!r}, but the epoch logs hold "
                             f"only {sorted(logs)}{hint}")
        value = float(logs[self.monitor])
        if self._improves(value):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights and self.model is not None:
                self.best_weights = [w.copy() for w in self.model.get_weights()]
            return None
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            if self.model is not None:
                self.model.stop_training = True
            return False
        return None

    def on_train_end(self):
        if self.restore_best_weights and self.best_weights is not None:
            self.model.set_weights(self.best_weights)

    def __repr__(self):
        return (f"EarlyStopping(monitor={self.monitor!r}, patience={self.patience}, "
                f"min_delta={self.min_delta}, restore_best_weights={self.restore_best_weights})")
