"""ActivationExplorer: f(z), f'(z), the tangent, and softmax on three scores."""

import numpy as np
import pytest

from nnlab import activations
from nnlab.widgets import ActivationExplorer

NAMES = ["step", "linear", "sigmoid", "tanh", "relu", "leaky_relu"]


def artists(explorer):
    """The drawn artists, found through the figure: (curve, tangent, point, slope curve,
    slope point, bars)."""
    ax_f, ax_d, ax_s = explorer.figure.axes
    curve, tangent, point = ax_f.lines[:3]
    slope_curve, slope_point = ax_d.lines[:2]
    return curve, tangent, point, slope_curve, slope_point, ax_s.patches


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

    _, tangent, point, _, slope_point, _ = artists(explorer)
    np.testing.assert_allclose(point.get_xydata(), [[z, expected_value]])
    np.testing.assert_allclose(slope_point.get_xydata(), [[z, expected_slope]])
    (x0, y0), (x1, y1) = tangent.get_xydata()
    assert (y1 - y0) / (x1 - x0) == pytest.approx(expected_slope)
    # the tangent touches the curve at (z, f(z))
    assert y0 + expected_slope * (z - x0) == pytest.approx(expected_value)
    assert f"{expected_slope:.4f}" in explorer.controls["readout"].value


@pytest.mark.parametrize("name", NAMES)
def test_curves_are_the_core_function_and_its_derivative(name):
    explorer = ActivationExplorer()
    explorer.controls["activation"].value = name
    curve, _, _, slope_curve, _, _ = artists(explorer)
    z = curve.get_xdata()
    act = activations.get(name)
    np.testing.assert_allclose(curve.get_ydata(), act(z))
    np.testing.assert_allclose(slope_curve.get_ydata(), act.derivative(z))


def test_moving_z_moves_the_point_and_the_tangent():
    explorer = ActivationExplorer()
    explorer.controls["activation"].value = "tanh"
    _, tangent, point, _, _, _ = artists(explorer)
    before = tangent.get_xydata().copy(), point.get_xydata().copy()
    explorer.controls["z"].value = -1.0
    assert not np.allclose(before[0], tangent.get_xydata())
    assert not np.allclose(before[1], point.get_xydata())


@pytest.mark.parametrize("scores", [(2.0, 1.0, 0.1), (-3.0, 0.0, 3.0), (1.5, 1.5, 1.5)])
def test_softmax_readout_sums_to_one_and_equals_the_core_softmax(scores):
    explorer = ActivationExplorer()
    for i, v in enumerate(scores):
        explorer.controls[f"score{i}"].value = v
    expected = activations.softmax(np.array(scores))
    s = explorer.state
    np.testing.assert_allclose(s["probabilities"], expected)
    assert s["probability_sum"] == pytest.approx(1.0)
    heights = [bar.get_height() for bar in artists(explorer)[-1]]
    np.testing.assert_allclose(heights, expected)
    readout = explorer.controls["softmax_readout"].value
    for p in expected:
        assert f"{p:.3f}" in readout


def test_raising_one_score_raises_its_probability_and_lowers_the_others():
    explorer = ActivationExplorer()
    before = explorer.state["probabilities"]
    explorer.controls["score2"].value = explorer.controls["score2"].value + 2.0
    after = explorer.state["probabilities"]
    assert after[2] > before[2] and after[0] < before[0] and after[1] < before[1]


def test_view_is_one_styled_container():
    view = ActivationExplorer().view
    assert "nnlab-widget" in view._dom_classes
    assert "nnlab-activation-explorer" in view._dom_classes


def test_state_is_plain_python():
    import json

    state = ActivationExplorer().state
    json.dumps(state)
    assert all(not isinstance(v, np.ndarray) for v in state.values())
