"""Callbacks: small objects that `MLP.fit` calls as training goes.

`fit(..., callbacks=[...])` accepts functions ``callback(epoch, logs)`` and objects with any of

    set_model(model)            before training: the model being trained
    on_train_begin()            before the first epoch
    on_batch_end(step, logs)    after every batch
    on_epoch_end(epoch, logs)   after every epoch; `logs` holds 'loss', the metrics and, with
                                validation data, 'val_loss' and 'val_<metric>'
    on_train_end()              after the last epoch (also after a stop or a divergence)

A callback stops training by returning False or by setting ``model.stop_training = True``.

EarlyStopping
    Stop when a monitored number (by default the validation loss) has not improved for
    `patience` epochs, and go back to the weights of its best epoch.
"""

import math

from ._validation import check_nonnegative, check_positive

__all__ = ["EarlyStopping"]


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
