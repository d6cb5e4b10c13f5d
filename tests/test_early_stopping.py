"""EarlyStopping: stops when the monitored number stops improving, and keeps the best weights.

The expected stopping epoch is computed from a run *without* the callback (same seed, so the
same trajectory), by a plain reading of the rule: stop after `patience` epochs in a row that do
not beat the best value so far by more than `min_delta`.
"""

import numpy as np
import pytest

from nnlab import MLP, datasets, optimizers
from nnlab.model_selection import train_test_split
from nnlab.training import EarlyStopping


def overfitting_run():
    X, y = datasets.xor(n=120, noise=0.3, seed=3)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.5, seed=0)
    model = MLP([2, 16, 16, 1], activation="tanh", output_activation="sigmoid", seed=0)
    model.compile(loss="binary_crossentropy", optimizer=optimizers.Adam(0.03))
    return model, dict(x=X_train, y=y_train, validation_data=(X_val, y_val), epochs=150,
                       batch_size=10, seed=0)


def fit(model, settings, callbacks=()):
    s = dict(settings)
    return model.fit(s.pop("x"), s.pop("y"), callbacks=list(callbacks), **s)


def expected_stop(values, patience, min_delta=0.0):
    best, wait = np.inf, 0
    for epoch, value in enumerate(values):
        if value < best - min_delta:
            best, wait = value, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch
    return None


def test_stops_after_patience_and_restores_the_best_epochs_weights():
    model, settings = overfitting_run()
    weights_after = []
    free = fit(model, settings,
               [lambda epoch, logs: weights_after.append(model.get_weights())])
    val = free.history["val_loss"]
    stop = expected_stop(val, patience=10)
    assert stop is not None and stop < 149, "the reference run should overfit and stop early"
    best = int(np.argmin(val[:stop + 1]))

    model, settings = overfitting_run()
    stopper = EarlyStopping(patience=10)
    history = fit(model, settings, [stopper])
    assert history.epoch[-1] == stop == stopper.stopped_epoch
    assert model.stop_training is True
    assert stopper.best_epoch == best and stopper.best == pytest.approx(val[best])
    for got, want in zip(model.get_weights(), weights_after[best]):
        np.testing.assert_array_equal(got, want)


def test_without_restoring_the_last_weights_stay():
    model, settings = overfitting_run()
    weights_after = []
    stopper = EarlyStopping(patience=10, restore_best_weights=False)
    fit(model, settings, [stopper, lambda e, logs: weights_after.append(model.get_weights())])
    for got, want in zip(model.get_weights(), weights_after[-1]):
        np.testing.assert_array_equal(got, want)


def test_a_run_that_never_stalls_ends_normally_with_its_best_weights():
    X, y = datasets.gauss(n=100, seed=0)
    model = MLP([2, 1], output_activation="sigmoid", seed=0).compile(
        loss="binary_crossentropy", optimizer=optimizers.SGD(0.01))
    stopper = EarlyStopping(monitor="loss", patience=3)
    history = model.fit(X, y, epochs=20, callbacks=[stopper])
    assert len(history.epoch) == 20 and stopper.stopped_epoch is None
    assert stopper.best_epoch == int(np.argmin(history.history["loss"]))


def test_min_delta_and_accuracy_monitors():
    model = MLP([1, 1]).compile(loss="mse")
    small_steps = EarlyStopping(monitor="loss", patience=2, min_delta=0.1)
    small_steps.set_model(model)
    for epoch, loss in enumerate([1.0, 0.95, 0.92]):     # improvements of 0.05: too small
        small_steps.on_epoch_end(epoch, {"loss": loss})
    assert small_steps.best == 1.0 and small_steps.stopped_epoch == 2

    accuracy = EarlyStopping(monitor="val_accuracy", patience=2)
    accuracy.set_model(model)
    for epoch, acc in enumerate([0.5, 0.8, 0.7, 0.75]):
        accuracy.on_epoch_end(epoch, {"val_accuracy": acc})
    assert accuracy.best == 0.8 and accuracy.best_epoch == 1 and accuracy.stopped_epoch == 3


def test_a_second_fit_starts_afresh():
    model, settings = overfitting_run()
    stopper = EarlyStopping(patience=10)
    first = fit(model, settings, [stopper])
    second = fit(model, dict(settings, epochs=3), [stopper])
    assert len(second.epoch) == 3 and stopper.stopped_epoch is None
    assert stopper.best_epoch in (0, 1, 2) and len(first.epoch) > 3


def test_bad_settings_and_missing_logs_are_clear_errors():
    with pytest.raises(ValueError, match="patience"):
        EarlyStopping(patience=0)
    with pytest.raises(ValueError, match="min_delta"):
        EarlyStopping(min_delta=-1)
    with pytest.raises(ValueError, match="monitor"):
        EarlyStopping(monitor="")
    X, y = datasets.gauss(n=20, seed=0)
    model = MLP([2, 1], output_activation="sigmoid").compile(loss="binary_crossentropy")
    with pytest.raises(ValueError, match=r"'val_loss'.*validation_data"):
        model.fit(X, y, epochs=2, callbacks=[EarlyStopping()])
