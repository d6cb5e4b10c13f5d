"""nnlab.health: the per-layer statistics, against hand derivations and central differences."""

import numpy as np
import pytest

from nnlab import MLP, datasets, optimizers
from nnlab.gradcheck import numerical_gradients
from nnlab.health import (
    HealthMonitor,
    HealthRun,
    dead_share,
    layer_statistics,
    log_histogram,
    saturated_share,
)


def test_saturation_thresholds_are_a_tenth_of_the_largest_slope():
    # tanh: 1 - tanh(z)^2 < 0.1  <=>  |z| > artanh(sqrt(0.9));  sigmoid: s(1 - s) < 0.025
    # <=>  s < (1 - sqrt(0.9)) / 2, i.e. |z| > log(s_hi / s_lo) with s_lo that root
    z_tanh = np.arctanh(np.sqrt(0.9))
    s_lo = (1 - np.sqrt(0.9)) / 2
    z_sigmoid = np.log((1 - s_lo) / s_lo)
    for name, edge in (("tanh", z_tanh), ("sigmoid", z_sigmoid)):
        z = np.array([edge - 1e-6, -edge + 1e-6, edge + 1e-6, -edge - 1e-6, 0.0])
        assert saturated_share(name, z) == pytest.approx(2 / 5), name
    assert saturated_share("relu", np.ones(3)) is None


def test_dead_units_are_those_silent_on_every_sample():
    a = np.array([[0.0, 0.3, 0.0, 0.0], [0.0, 0.0, 0.0, 1e-9]])
    assert dead_share(a) == 0.5
    with pytest.raises(ValueError, match="a must be a non-empty 2-D array"):
        dead_share(np.zeros(3))


def test_log_histogram_keeps_every_value():
    shares = log_histogram(np.array([0.0, 1e-12, 3e-5, 0.2, 7.0]), bins=8)
    assert shares.sum() == pytest.approx(1.0)
    assert shares[0] == pytest.approx(2 / 5) and shares[-1] == pytest.approx(2 / 5)


def test_gradients_and_update_ratios_match_central_differences():
    """Full batch, plain SGD: one update moves W by -lr dL/dW, so the ratio is
    lr ||dL/dW|| / ||W||, with dL/dW from central differences (not from backprop)."""
    X, y = datasets.circle(n=40, seed=1)
    model = MLP([2, 5, 4, 1], activation="tanh", seed=3)
    model.compile(loss="binary_crossentropy", optimizer=optimizers.SGD(0.3), metrics=())
    before = [layer.W.copy() for layer in model.layers]
    numeric = numerical_gradients(model, X, y)[0::2]            # dL/dW per layer
    monitor = HealthMonitor()
    model.fit(X, y, epochs=1, callbacks=[monitor], shuffle=False)
    stats = layer_statistics(model, monitor)
    assert [s["layer"] for s in stats] == [1, 2]
    for s, W, g in zip(stats, before, numeric, strict=False):
        assert s["update_ratio"] == pytest.approx(0.3 * np.linalg.norm(g) / np.linalg.norm(W),
                                                  rel=1e-6)
        assert s["gradient_norm"] == pytest.approx(np.linalg.norm(g), rel=1e-6)
        assert sum(s["activations"]) == pytest.approx(1) and sum(s["gradients"]) == \
            pytest.approx(1)
    assert monitor.ratios[2] == pytest.approx(
        0.3 * np.linalg.norm(numeric[2]) / np.linalg.norm(before[2]), rel=1e-6)


def test_deep_sigmoid_gradients_vanish_and_relu_ones_do_not():
    sigmoid, relu = HealthRun("sigmoid", "glorot"), HealthRun("relu", "he")
    for run in (sigmoid, relu):
        run.tick(3)
    s, r = sigmoid.statistics()["layers"], relu.statistics()["layers"]
    assert s[0]["gradient_norm"] < s[-1]["gradient_norm"] / 100
    assert s[0]["update_ratio"] < s[-1]["update_ratio"] / 30
    assert 0.1 < r[0]["gradient_norm"] / r[-1]["gradient_norm"] < 10
    assert all(layer["dead"] is not None and layer["saturated"] is None for layer in r)


def test_runs_with_one_seed_see_the_same_draws_and_batches():
    a, b = HealthRun("tanh", "glorot", hidden=(6, 6)), HealthRun("tanh", "he", hidden=(6, 6))
    for la, lb in zip(a.model.layers, b.model.layers, strict=True):
        assert np.allclose(la.W / np.std(la.W), lb.W / np.std(lb.W))   # only scaled
    c = HealthRun("tanh", "glorot", hidden=(6, 6))
    start = a.statistics()                  # the first batch, before any update
    assert start["epoch"] == 0 and [s["update_ratio"] for s in start["layers"]] == [None, None]
    a.tick(2)
    c.tick(2)
    assert a.losses == c.losses


def test_a_diverged_run_stops_and_says_so():
    run = HealthRun("relu", "he", hidden=(8, 8), learning_rate=1e100)
    run.tick(3)
    stats = run.statistics()
    assert stats["diverged"] and stats["layers"] == []
    epoch = run.epoch
    run.tick()
    assert run.epoch == epoch


@pytest.mark.parametrize("kwargs, message", [({"initializer": "zeros"}, "initializer must be"),
                                             ({"optimizer": "rmsprop"}, "optimizer must be"),
                                             ({"learning_rate": 0}, "learning_rate")])
def test_bad_settings_name_the_argument(kwargs, message):
    with pytest.raises(ValueError, match=message):
        HealthRun(**kwargs)
