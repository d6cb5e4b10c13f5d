"""The loss landscape helpers: the same numbers as `evaluate`, only faster."""

import numpy as np
import pytest

import nnlab
from nnlab.landscape import loss_along, loss_surface


def test_loss_along_equals_evaluate_and_keeps_the_weights():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(9, 2)), rng.integers(0, 2, size=9)
    model = nnlab.MLP([2, 3, 1], l2=0.01, seed=1).compile("binary_crossentropy", "sgd")
    before = model.get_weights()
    settings = [[w + rng.normal(size=w.shape) for w in before] for _ in range(5)]
    losses = loss_along(model, X, y, settings)
    assert losses.shape == (5,)
    for theta, loss in zip(settings, losses, strict=True):
        probe = nnlab.MLP([2, 3, 1], l2=0.01).compile("binary_crossentropy", "sgd")
        probe.set_weights(theta)
        assert loss == pytest.approx(probe.evaluate(X, y)["loss"], rel=1e-12)
    for kept, original in zip(model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(kept, original)


def test_loss_surface_layout_is_rows_b_columns_w():
    X, y = np.array([[-1.0], [0.5], [2.0]]), np.array([0.0, 1.0, 1.0])
    model = nnlab.MLP([1, 1], output_activation="sigmoid").compile("mse", "sgd")
    ws, bs = np.array([-1.0, 0.0, 2.0]), np.array([0.5, -3.0])
    L = loss_surface(model, X, y, ws, bs)
    assert L.shape == (2, 3)
    for i, b in enumerate(bs):
        for j, w in enumerate(ws):
            model.set_weights([[[w]], [b]])
            assert L[i, j] == pytest.approx(model.evaluate(X, y)["loss"], rel=1e-12)


def test_bad_weights_are_named():
    X, y = np.zeros((2, 1)), np.zeros(2)
    model = nnlab.MLP([1, 1]).compile("mse", "sgd")
    with pytest.raises(ValueError, match=r"weights\[0\]\[0\] must have shape \(1, 1\)"):
        loss_along(model, X, y, [[np.zeros((2, 1)), np.zeros(1)]])
    with pytest.raises(ValueError, match=r"weights\[1\] must hold 2 arrays"):
        loss_along(model, X, y, [[np.zeros((1, 1)), np.zeros(1)], [np.zeros((1, 1))]])
    with pytest.raises(ValueError, match="exactly two parameters"):
        loss_surface(nnlab.MLP([2, 1]).compile("mse", "sgd"), np.zeros((2, 2)), y, [0], [0])
