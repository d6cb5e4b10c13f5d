"""ActivationExplorer: f(z), f'(z), the tangent, and softmax on three scores."""

import numpy as np
import pytest

from nnlab import activations
from nnlab.widgets import ActivationExplorer

NAMES = ["step", "linear", "sigmoid", "tanh", "relu", "leaky_relu"]


def xy(layer):
    """A drawn line's or points layer's (x, y) pairs, as float64."""
    return np.column_stack([layer["x"], layer["y"]]).astype(float)


def drawn(explorer):
    """What the canvas draws, by layer: (curve, tangent, point, slope curve, slope point,
    bars)."""
    layer = explorer.canvas.layer
    return (layer("f", "curve"), layer("f", "tangent"), layer("f", "point"),
            layer("slope", "curve"), layer("slope", "point"), layer("softmax", "bars"))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("z", [-2.3, -0.4, 0.7, 3.1])
def test_derivative_point_and_tangent_slope_equal_the_core_derivative(name, z):
    explorer = ActivationExplorer()
    explorer.controls["activation"].value = name
    explorer.controls["z"].value = z
    act = activations.get(name)
    expected_value, expected_slope = float(act(z)), float(act.derivative(z))

    s = explorer.state
    assert s["value"] == pytest.approx(expected_value)
    assert s["derivative"] == pytest.approx(expected_slope)

    _, tangent, point, _, slope_point, _ = drawn(explorer)     # sent as float32: 1e-6
    np.testing.assert_allclose(xy(point), [[z, expected_value]], atol=1e-6)
    np.testing.assert_allclose(xy(slope_point), [[z, expected_slope]], atol=1e-6)
    assert tangent["dash"] == "dashed"
    (x0, y0), (x1, y1) = xy(tangent)
    assert (y1 - y0) / (x1 - x0) == pytest.approx(expected_slope, abs=1e-6)
    # the tangent touches the curve at (z, f(z))
    assert y0 + expected_slope * (z - x0) == pytest.approx(expected_value, abs=1e-6)
    assert f"{expected_slope:.4f}" in explorer.controls["readout"].value


@pytest.mark.parametrize("name", NAMES)
def test_curves_are_the_core_function_and_its_derivative(name):
    explorer = ActivationExplorer()
    explorer.controls["activation"].value = name
    curve, _, _, slope_curve, _, _ = drawn(explorer)
    z = curve["x"].astype(float)
    act = activations.get(name)
    np.testing.assert_allclose(curve["y"], act(z), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(slope_curve["y"], act.derivative(z), rtol=1e-6, atol=1e-6)
    # each panel's y range shows its whole curve (and 0), with a title naming the value
    for panel, values in (("f", act(z)), ("slope", act.derivative(z))):
        low, high = explorer.canvas.panels[panel].spec["ylim"]
        assert low < min(values.min(), 0) and high > max(values.max(), 0)
    assert explorer.canvas.panels["f"].spec["title"].startswith(f"{name}: f(z) = ")


def test_moving_z_moves_the_point_and_the_tangent():
    explorer = ActivationExplorer()
    explorer.controls["activation"].value = "tanh"
    _, tangent, point, _, _, _ = drawn(explorer)
    before = xy(tangent), xy(point)
    explorer.controls["z"].value = -1.0
    _, tangent, point, _, _, _ = drawn(explorer)
    assert not np.allclose(before[0], xy(tangent))
    assert not np.allclose(before[1], xy(point))


@pytest.mark.parametrize("scores", [(2.0, 1.0, 0.1), (-3.0, 0.0, 3.0), (1.5, 1.5, 1.5)])
def test_softmax_readout_sums_to_one_and_equals_the_core_softmax(scores):
    explorer = ActivationExplorer()
    for i, v in enumerate(scores):
        explorer.controls[f"score{i}"].value = v
    expected = activations.softmax(np.array(scores))
    s = explorer.state
    np.testing.assert_allclose(s["probabilities"], expected)
    assert s["probability_sum"] == pytest.approx(1.0)
    bars = drawn(explorer)[-1]
    np.testing.assert_allclose(bars["y1"] - bars["y0"], expected, atol=1e-6)
    np.testing.assert_allclose((bars["x0"] + bars["x1"]) / 2, [0, 1, 2])   # over each class
    labels = explorer.canvas.layer("softmax", "values")["text"]
    assert labels == [f"{p:.2f}" for p in expected]
    readout = explorer.controls["softmax_readout"].value
    for p in expected:
        assert f"{p:.3f}" in readout


def test_raising_one_score_raises_its_probability_and_lowers_the_others():
    explorer = ActivationExplorer()
    before = explorer.state["probabilities"]
    explorer.controls["score2"].value = explorer.controls["score2"].value + 2.0
    after = explorer.state["probabilities"]
    assert after[2] > before[2] and after[0] < before[0] and after[1] < before[1]


def test_classes_differ_by_colour_and_shape_and_a_move_is_one_frame():
    explorer = ActivationExplorer()
    bars = explorer.canvas.layer("softmax", "bars")
    assert bars["fill"] == ["#e69f00", "#0072b2", "#009e73"]          # orange, blue, green
    assert explorer.canvas.layer("softmax", "shapes")["shape"] == ["o", "s", "^"]
    frames = explorer.canvas.frames
    explorer.controls["z"].value = -2.0
    assert explorer.canvas.frames == frames + 1


def test_view_is_one_styled_container():
    view = ActivationExplorer().view
    assert "nnlab-widget" in view._dom_classes
    assert "nnlab-activation-explorer" in view._dom_classes


def test_state_is_plain_python():
    import json

    state = ActivationExplorer().state
    json.dumps(state)
    assert all(not isinstance(v, np.ndarray) for v in state.values())
