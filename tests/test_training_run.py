"""TrainingRun: per-epoch training and validation losses, checked against sklearn's log_loss."""

import numpy as np
import pytest

from nnlab import datasets
from nnlab.learning_curves import TrainingRun

log_loss = pytest.importorskip("sklearn.metrics").log_loss


def data():
    X, y = datasets.xor(n=300, noise=0.3, seed=1)
    return X[:40], y[:40], X[100:], y[100:]


def test_losses_are_the_data_losses_of_the_current_weights():
    X_train, y_train, X_val, y_val = data()
    run = TrainingRun(X_train, y_train, X_val, y_val, hidden=(8,), l2=0.01, max_epochs=50)
    for _ in range(3):
        run.advance(7)
        p_train = run.model.predict(X_train).ravel()
        p_val = run.model.predict(X_val).ravel()
        # no penalty in the curves, although the model has l2 = 0.01
        assert run.train_loss[-1] == pytest.approx(log_loss(y_train, p_train), rel=1e-6)
        assert run.val_loss[-1] == pytest.approx(log_loss(y_val, p_val), rel=1e-6)
    assert run.epochs_done == 21 and not run.finished
    assert run.best_epoch == int(np.argmin(run.val_loss))


def test_runs_to_max_epochs_and_no_further():
    run = TrainingRun(*data(), hidden=(4,), max_epochs=12)
    assert run.run() == 12 and run.finished
    assert run.advance(5) == 0 and len(run.train_loss) == 12


def test_early_stopping_stops_by_the_rule_and_keeps_the_best_weights():
    free = TrainingRun(*data(), hidden=(24, 24), max_epochs=150)
    free.run()
    stop, best, wait = None, np.inf, 0
    for epoch, value in enumerate(free.val_loss):
        if value < best:
            best, wait = value, 0
        else:
            wait += 1
            if wait >= 10:
                stop = epoch
                break
    assert stop is not None
    X_train, y_train, X_val, y_val = data()
    run = TrainingRun(X_train, y_train, X_val, y_val, hidden=(24, 24), max_epochs=150,
                      patience=10)
    run.run()
    assert run.stopped_epoch == stop and run.epochs_done == stop + 1 and run.finished
    np.testing.assert_allclose(run.val_loss, free.val_loss[:stop + 1])
    restored = log_loss(y_val, run.model.predict(X_val).ravel())
    assert restored == pytest.approx(free.val_loss[run.best_epoch], rel=1e-6)


def test_same_seed_same_run_and_bad_input():
    a, b = TrainingRun(*data(), max_epochs=5), TrainingRun(*data(), max_epochs=5)
    a.run()
    b.run()
    assert a.val_loss == b.val_loss
    X_train, y_train, X_val, y_val = data()
    with pytest.raises(ValueError, match="X_val"):
        TrainingRun(X_train, y_train, X_val[:, :1], y_val)
    with pytest.raises(ValueError, match="y_train"):
        TrainingRun(X_train, y_train[:5], X_val, y_val)
    with pytest.raises(ValueError, match="patience"):
        TrainingRun(X_train, y_train, X_val, y_val, patience=0)
