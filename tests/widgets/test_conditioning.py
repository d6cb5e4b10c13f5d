"""Conditioning: the valley, the path and the stable rate it shows are the core's, checked
against the update rule and the curvatures derived by hand; the toggle makes the valley round."""

import numpy as np
import pytest

from nnlab.conditioning import standardize
from nnlab.widgets.conditioning import Conditioning


@pytest.fixture(scope="module")
def widget():
    return Conditioning(learning_rate=0.009, steps=50)


@pytest.fixture(autouse=True)
def defaults(widget):
    with widget.hold():
        widget.controls["standardize"].value = False
        widget.controls["steps"].value = 50
        widget.controls["learning_rate"].value = 0.009
    widget.update()
    return widget


def test_raw_inputs_make_an_elongated_valley(widget):
    st = widget.state
    # inputs of standard deviations 1 and 10: curvatures 2 * 1 and 2 * 100 (by hand)
    np.testing.assert_allclose(st["curvatures"], [2.0, 200.0])
    np.testing.assert_allclose(st["eigenvalues"], [2.0, 200.0])
    assert st["max_stable_rate"] == pytest.approx(2 / 200)
    assert st["condition_number"] == pytest.approx(100)
    assert "elongated valley" in widget.describe() and "condition number 100" in widget.describe()


def test_the_path_is_gradient_descent(widget):
    st = widget.state
    X, y, rate = widget.X, widget.y, st["learning_rate"]
    w = np.array([-1.0, 0.5])
    path = np.asarray(st["path"])
    np.testing.assert_allclose(path[0], w)
    for point in path[1:]:
        w = w - rate * 2 * X.T @ (X @ w - y) / len(y)      # the MSE's gradient, by hand
        np.testing.assert_allclose(point, w, rtol=1e-10, atol=1e-12)
    drawn = widget.canvas.layer("valley", "path")
    np.testing.assert_allclose(drawn["x"], path[:, 0], rtol=1e-6)
    np.testing.assert_allclose(drawn["y"], path[:, 1], rtol=1e-6)
    losses = np.mean((X @ path.T - y[:, None]) ** 2, axis=0)
    np.testing.assert_allclose(st["path_losses"], losses, rtol=1e-10)
    gap = widget.canvas.layer("loss", "gap")["y"]
    np.testing.assert_allclose(gap, losses - st["min_loss"], rtol=1e-5)


def test_zigzag_above_one_over_lambda_max_divergence_above_two(widget):
    assert widget.state["zigzag"] and widget.state["converges"]
    assert "zig-zags across the valley" in widget.describe()
    widget.controls["learning_rate"].value = 0.004            # below 1 / lambda_max
    assert not widget.state["zigzag"] and widget.state["converges"]
    assert "without zig-zagging" in widget.describe()
    widget.controls["learning_rate"].value = 0.0101           # just above 2 / lambda_max
    widget.controls["steps"].value = 200
    st = widget.state
    assert st["diverged"] and not st["converges"] and st["steps_taken"] == 200
    gaps = np.linalg.norm(np.asarray(st["path"]) - st["minimum"], axis=1)
    assert gaps[-1] > gaps[0]                                  # slowly, but away
    assert "diverges" in widget.describe() and "zig-zag grows" in widget.describe()
    widget.controls["learning_rate"].value = 0.011
    st = widget.state
    assert st["diverged"] and st["steps_taken"] < 200 and np.isfinite(st["path"]).all()
    assert "flown off" in widget.describe()


def test_the_rate_strip_marks_two_over_lambda_max(widget):
    limit = widget.canvas.layer("rate", "limit")
    np.testing.assert_allclose(limit["x"], [np.log10(0.01)] * 2, rtol=1e-6)
    marker = widget.canvas.layer("rate", "rate")
    assert marker["x"][0] == pytest.approx(np.log10(0.009), rel=1e-6)


def test_standardising_makes_the_valley_round_and_keeps_the_neuron(widget):
    frames = widget.canvas.frames
    widget.controls["standardize"].value = True
    assert widget.canvas.frames == frames + 1                  # one message per change
    st = widget.state
    np.testing.assert_allclose(st["eigenvalues"], [2.0, 2.0])
    assert st["max_stable_rate"] == pytest.approx(1.0)
    assert "round bowl" in widget.describe()
    # the same starting neuron and the same best neuron, in the new coordinates
    X_std, _, _ = standardize(widget.X)
    start, minimum = np.asarray(st["path"][0]), np.asarray(st["minimum"])
    np.testing.assert_allclose(X_std @ start, widget.X @ np.array([-1.0, 0.5]), atol=1e-12)
    best_raw = np.linalg.lstsq(widget.X, widget.y, rcond=None)[0]
    np.testing.assert_allclose(X_std @ minimum, widget.X @ best_raw, atol=1e-10)
    # a rate that diverges on raw inputs gets there in a few steps
    widget.controls["learning_rate"].value = 0.3
    assert st is not widget.state and widget.state["converges"]
    assert widget.state["end_loss"] == pytest.approx(widget.state["min_loss"], abs=1e-9)


def test_contours_are_level_sets_of_the_loss(widget):
    lines = widget.canvas.layer("valley", "contours")
    points = np.column_stack([lines["x"], lines["y"]]).astype(float)
    points = points[np.isfinite(points).all(axis=1)]
    assert len(points) > 1000
    values = widget.losses[False](points)
    levels = widget.contour_levels                      # each half the one before, above L_min
    np.testing.assert_allclose(np.diff(levels - widget.state["min_loss"]) /
                               (levels - widget.state["min_loss"])[:-1], -0.5)
    nearest = np.abs(values[:, None] - levels[None, :]).argmin(axis=1)
    gap = levels[nearest] - widget.state["min_loss"]
    assert len(set(nearest)) >= 8
    np.testing.assert_allclose(values - widget.state["min_loss"], gap, rtol=1e-5)


def test_every_control_has_a_name(widget):
    for name, control in widget.controls.items():
        assert control.description, name
