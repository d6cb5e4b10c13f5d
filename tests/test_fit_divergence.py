"""MLP.fit must stop cleanly when the loss blows up, even when metrics are compiled in.

The accuracy metric refuses NaN predictions, so the divergence check has to come first.
"""

import warnings

import numpy as np
import pytest

from nnlab import MLP, datasets, optimizers


def _diverging_fit(metrics):
    X, y = datasets.gauss(n=60, seed=0)
    model = MLP([2, 4, 1], output_activation="linear", seed=0)
    model.compile(loss="mse", optimizer=optimizers.SGD(100.0), metrics=metrics)
    start = model.get_weights()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(X, y, epochs=5, batch_size=1, seed=0)
    return model, start, history, caught


@pytest.mark.parametrize("metrics", [(), ("accuracy",), ("accuracy", "mse")])
def test_divergence_warns_instead_of_raising(metrics):
    model, start, history, caught = _diverging_fit(metrics)
    assert history.diverged
    messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    assert any("diverged in epoch 0" in m and "learning rate" in m for m in messages)
    # the weights from the start of the diverging epoch (here: the initial ones) are kept
    for kept, initial in zip(model.get_weights(), start, strict=True):
        np.testing.assert_array_equal(kept, initial)
    assert all(np.isfinite(w).all() for w in model.get_weights())


def test_no_divergence_records_metrics():
    X, y = datasets.gauss(n=60, seed=0)
    model = MLP([2, 4, 1], seed=0)
    model.compile(loss="binary_crossentropy", optimizer=optimizers.SGD(0.1))
    history = model.fit(X, y, epochs=3, batch_size=10, seed=0)
    assert not history.diverged
    assert len(history.history["accuracy"]) == 3
