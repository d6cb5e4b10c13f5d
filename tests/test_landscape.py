"""The loss landscape helpers: the same numbers as `evaluate`, only faster."""

import numpy as np
import pytest

import nnlab
from nnlab import landscape
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


def per_point_losses(model, X, y, settings):
    """The reference: for each setting, a fresh copy of the model with those weights, and its
    own `evaluate` (the model's loss and penalty, one forward pass per setting)."""
    config = model.get_config()
    losses = []
    for theta in settings:
        probe = nnlab.MLP.from_config(config)
        probe.set_weights(theta)
        losses.append(probe.evaluate(X, y)["loss"])
    return np.array(losses)


@pytest.mark.parametrize("sizes, loss, output, hidden, l1, l2, labels", [
    ([2, 1], "mse", "linear", "relu", 0.0, 0.0, None),
    ([2, 4, 1], "binary_crossentropy", "sigmoid", "tanh", 0.0, 0.02, 2),
    ([2, 5, 3, 1], "mse", "sigmoid", "relu", 0.01, 0.0, None),
    ([2, 4, 3], "categorical_crossentropy", "softmax", "sigmoid", 0.003, 0.01, 3),
])
def test_loss_along_matches_a_per_point_evaluate_over_a_thousand_settings(
        sizes, loss, output, hidden, l1, l2, labels):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, sizes[0]))
    y = rng.integers(0, labels, size=40) if labels else rng.normal(size=40)
    model = nnlab.MLP(sizes, activation=hidden, output_activation=output, l1=l1, l2=l2,
                      seed=0).compile(loss, "sgd")
    base = model.get_weights()
    settings = [[w + 2.0 * rng.normal(size=w.shape) for w in base] for _ in range(1000)]
    expected = per_point_losses(model, X, y, settings)
    np.testing.assert_allclose(loss_along(model, X, y, settings), expected,
                               rtol=1e-12, atol=1e-12)


def test_loss_along_in_small_chunks_gives_the_same_numbers(monkeypatch):
    rng = np.random.default_rng(4)
    X, y = rng.normal(size=(30, 2)), rng.integers(0, 2, size=30)
    model = nnlab.MLP([2, 3, 1], seed=2).compile("binary_crossentropy", "sgd")
    settings = [[w + rng.normal(size=w.shape) for w in model.get_weights()] for _ in range(101)]
    monkeypatch.setattr(landscape, "_CHUNK_FLOATS", 7 * 30 * 3)    # 7 settings per chunk
    np.testing.assert_allclose(loss_along(model, X, y, settings),
                               per_point_losses(model, X, y, settings), rtol=1e-12, atol=1e-12)
    assert loss_along(model, X, y, []).shape == (0,)


def test_loss_along_never_writes_the_models_weights_and_runs_the_network_once():
    """Evaluating a path is a read: the model's arrays may even be read-only (another view may
    hold them), and all settings go through each layer together, not one forward per point."""
    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(20, 2)), rng.normal(size=20)
    model = nnlab.MLP([2, 3, 1], seed=0).compile("mse", "sgd")
    settings = [[w + rng.normal(size=w.shape) for w in model.get_weights()] for _ in range(50)]
    expected = per_point_losses(model, X, y, settings)
    calls = []
    for layer in model.layers:
        activation = layer.activation
        layer.activation = lambda z, f=activation: calls.append(z.shape) or f(z)
    for p in model.params():
        p.flags.writeable = False
    np.testing.assert_allclose(loss_along(model, X, y, settings), expected, rtol=1e-12)
    assert calls == [(50, 20, 3), (50, 20, 1)]
