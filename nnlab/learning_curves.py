"""Learning curves: the training and validation loss of one run, epoch by epoch.

A `TrainingRun` trains a fresh network one epoch at a time and records, after every epoch, the
loss on the training set and on a validation set (the data loss: without the regularization
penalty, so that runs with and without L2 compare fairly). With `patience` set, it uses
`EarlyStopping` to stop once the validation loss has not improved for that many epochs, and
then keeps the weights of the best epoch.

    run = TrainingRun(X_train, y_train, X_val, y_val, hidden=(16, 16), patience=10)
    run.advance(5)        # five more epochs; returns how many were trained
    run.run()             # to the end: max_epochs, or the early stop
    run.train_loss, run.val_loss, run.best_epoch, run.stopped_epoch

The `LearningCurves` widget draws a run while it trains; lesson 10 uses both.
"""

import numpy as np

from .callbacks import EarlyStopping
from .network import MLP
from .optimizers import Adam
from .validation import check_nonnegative, check_positive, check_same_length, check_X

__all__ = ["TrainingRun"]


class TrainingRun:
    """One network trained epoch by epoch, with both losses recorded.

    Parameters
    ----------
    X_train : array (n, d), y_train : array (n,)
    X_val : array (m, d), y_val : array (m,)
        Binary labels 0/1 (sigmoid output, binary cross-entropy) unless `loss` says otherwise.
    hidden : tuple of int
        Hidden layer sizes; () is a single neuron.
    l2 : float
        L2 penalty rate (`MLP(l2=...)`).
    learning_rate : float
        Adam's learning rate.
    batch_size : int or None
    max_epochs : int
    patience : int or None
        None: no early stopping. Otherwise `EarlyStopping(monitor='val_loss', patience=...)`,
        restoring the best weights when it stops.
    activation, output_activation, loss : str
    seed : int
        Initial weights and shuffling: the same seed gives the same run.

    Attributes
    ----------
    model : MLP
    train_loss, val_loss : list of float
        One entry per epoch trained (data loss, no penalty).
    best_epoch : int or None
        Epoch (from 0) with the lowest validation loss so far.
    stopped_epoch : int or None
        The epoch after which early stopping ended the run.
    finished : bool
        True once max_epochs are done or early stopping has stopped the run.

    Examples
    --------
    >>> from nnlab import datasets
    >>> X, y = datasets.xor(n=200, noise=0.3, seed=1)
    >>> run = TrainingRun(X[:40], y[:40], X[100:], y[100:], hidden=(16,), max_epochs=30, seed=0)
    >>> run.advance(10), len(run.train_loss), run.finished
    (10, 10, False)
    >>> _ = run.run(); len(run.val_loss), run.finished
    (30, True)
    """

    def __init__(self, X_train, y_train, X_val, y_val, hidden=(16,), l2=0.0, learning_rate=0.01,
                 batch_size=10, max_epochs=200, patience=None, activation="tanh",
                 output_activation="sigmoid", loss="binary_crossentropy", seed=0):
        self.X_train = check_X(X_train, None, "X_train")
        self.X_val = check_X(X_val, self.X_train.shape[1], "X_val")
        self.y_train, self.y_val = np.asarray(y_train), np.asarray(y_val)
        check_same_length(self.X_train, self.y_train, "X_train", "y_train")
        check_same_length(self.X_val, self.y_val, "X_val", "y_val")
        self.max_epochs = check_positive(max_epochs, "max_epochs", integer=True)
        hidden = tuple(check_positive(h, "hidden", integer=True) for h in hidden)
        self.model = MLP([self.X_train.shape[1], *hidden, 1 if output_activation != "softmax"
                          else int(np.max(self.y_train)) + 1],
                         activation=activation, output_activation=output_activation,
                         l2=check_nonnegative(l2, "l2"), seed=seed)
        self.model.compile(loss=loss, optimizer=Adam(learning_rate), metrics=())
        self.batch_size = batch_size
        self.stopper = None
        if patience is not None:
            self.stopper = EarlyStopping(monitor="val_loss",
                                         patience=check_positive(patience, "patience",
                                                                 integer=True))
            self.stopper.set_model(self.model)
        self.train_loss, self.val_loss = [], []
        self.best_epoch = None
        self.stopped_epoch = None

    @property
    def epochs_done(self):
        return len(self.train_loss)

    @property
    def finished(self):
        return self.stopped_epoch is not None or self.epochs_done >= self.max_epochs

    def data_loss(self, X, y):
        """The loss on (X, y) without the penalty."""
        return float(self.model.loss(y, self.model.predict(X)))

    def advance(self, epochs=1):
        """Train up to `epochs` more epochs (fewer if the run finishes); return how many."""
        epochs = check_positive(epochs, "epochs", integer=True)
        done = 0
        while done < epochs and not self.finished:
            self.model.fit(self.X_train, self.y_train, epochs=1, batch_size=self.batch_size)
            epoch = self.epochs_done
            self.train_loss.append(self.data_loss(self.X_train, self.y_train))
            self.val_loss.append(self.data_loss(self.X_val, self.y_val))
            if self.best_epoch is None or self.val_loss[-1] < self.val_loss[self.best_epoch]:
                self.best_epoch = epoch
            done += 1
            if self.stopper is not None:
                self.stopper.on_epoch_end(epoch, {"val_loss": self.val_loss[-1]})
                if self.stopper.stopped_epoch is not None:
                    self.stopped_epoch = epoch
                    self.stopper.on_train_end()          # back to the best epoch's weights
        return done

    def run(self):
        """Train to the end (max_epochs or the early stop); return the epochs trained now."""
        return self.advance(self.max_epochs)
