"""NeuronExplorer: sliders in, truth table, heatmap and "solved" out."""

import itertools

import numpy as np
import pytest

import nnlab
from nnlab.decision_line import boundary_line
from nnlab.gates import INPUTS
from nnlab.widgets import NeuronExplorer, style
from nnlab.widgets.neuron_explorer import OUTPUT_THRESHOLD, SUM_THRESHOLD


def set_neuron(explorer, w1, w2, bias, activation=None, gate=None):
    c = explorer.controls
    if activation is not None:
        c["activation"].value = activation
    if gate is not None:
        c["gate"].value = gate
    c["w1"].value, c["w2"].value, c["bias"].value = w1, w2, bias


def heatmap(explorer):
    """The heat map as the browser paints it: RGBA (rows = x2, columns = x1), each cell's byte
    looked up in the diverging palette."""
    layer = explorer.canvas.layer("map", "output")
    assert layer["palette"] == "diverging"
    # the cells are centred on the points of the plane where the output was computed
    rows, cols = layer["bytes"].shape
    x0, x1, y0, y1 = layer["extent"]
    centres = (np.arange(cols) + 0.5) * (x1 - x0) / cols + x0
    np.testing.assert_allclose(centres, np.linspace(-0.5, 1.5, cols), atol=1e-12)
    assert (x0, x1) == (y0, y1) and rows == cols
    return style.CMAP_BYTES[layer["bytes"]]


def decision_line(explorer):
    layer = explorer.canvas.layer("map", "boundary")
    return np.column_stack([layer["x"], layer["y"]]).astype(float)


def test_or_weights_give_the_or_truth_table_and_solve_or():
    explorer = NeuronExplorer(gate="OR")
    set_neuron(explorer, 1.0, 1.0, -1.0, activation="step")
    s = explorer.state
    assert s["weighted_sums"] == [-1.0, 0.0, 0.0, 1.0]
    assert s["answers"] == [0, 1, 1, 1]
    assert s["targets"] == [0, 1, 1, 1]
    assert s["correct"] == [True] * 4
    assert s["solved"] is True
    assert "solved" in s["message"].lower()
    assert "solved" in explorer.controls["status"].value.lower()
    assert explorer.canvas.layer("status", "status")["text"] == ["solved: OR"]


def test_and_needs_other_weights_than_or():
    explorer = NeuronExplorer(gate="AND")
    set_neuron(explorer, 1.0, 1.0, -1.0, activation="step")
    s = explorer.state
    assert s["solved"] is False
    assert s["correct"] == [True, False, False, True]
    assert "solved" not in s["message"].lower()
    # the two wrong rows get the red ring, the right ones none, in both panels
    for panel in ("map", "activation"):
        rings = explorer.canvas.layer(panel, "rows")["ring"]
        assert [ring == style.WRONG for ring in rings] == [False, True, True, False]
        assert [bool(ring) for ring in rings] == [False, True, True, False]

    explorer.controls["bias"].value = -1.5
    assert explorer.state["answers"] == [0, 0, 0, 1]
    assert explorer.state["solved"] is True


@pytest.mark.parametrize("gate", ["AND", "OR", "NAND", "NOR"])
def test_every_single_line_gate_can_be_solved(gate):
    explorer = NeuronExplorer(gate=gate)
    w, b = nnlab.gates.GATES[gate].weights, nnlab.gates.GATES[gate].bias
    set_neuron(explorer, float(w[0]), float(w[1]), float(b), activation="step")
    assert explorer.state["solved"] is True


@pytest.mark.parametrize("activation", ["step", "linear", "sigmoid", "tanh", "relu"])
def test_xor_is_never_solved_over_a_grid_of_weights_and_the_widget_says_why(activation):
    explorer = NeuronExplorer(gate="XOR")
    values = [-3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0]
    explorer.controls["activation"].value = activation
    best = 0
    for w1, w2, bias in itertools.product(values, repeat=3):
        set_neuron(explorer, w1, w2, bias)
        s = explorer.state
        assert s["solved"] is False, (w1, w2, bias)
        best = max(best, s["n_correct"])
    assert best == 3                     # three rows are easy, the fourth never is
    message = explorer.state["message"].lower()
    assert "straight line" in message and "two layers" in message
    assert "two layers" in explorer.controls["status"].value.lower()


def test_heatmap_and_decision_line_change_when_a_slider_moves():
    explorer = NeuronExplorer()
    set_neuron(explorer, 0.5, 0.5, -0.5, activation="sigmoid")
    before, line_before = heatmap(explorer).copy(), decision_line(explorer).copy()
    explorer.controls["w1"].value = -1.5
    after = heatmap(explorer)
    assert not np.array_equal(before, after)
    assert not np.array_equal(line_before, decision_line(explorer))


def test_the_activation_panel_puts_each_row_on_the_curve_at_its_weighted_sum():
    explorer = NeuronExplorer(gate="AND")
    set_neuron(explorer, 1.0, 1.0, -1.5, activation="sigmoid")
    canvas = explorer.canvas
    z = np.array([-1.5, -0.5, -0.5, 0.5])          # by hand: w1 x1 + w2 x2 + b per row
    rows = canvas.layer("activation", "rows")
    np.testing.assert_allclose(rows["x"], z, atol=1e-6)
    np.testing.assert_allclose(rows["y"], 1 / (1 + np.exp(-z)), atol=1e-6)
    curve = canvas.layer("activation", "curve")
    np.testing.assert_allclose(curve["y"], 1 / (1 + np.exp(-curve["x"].astype(float))),
                               atol=1e-6)
    threshold = canvas.layer("activation", "threshold")      # dashed, at a = 0.5
    assert threshold["dash"] == "dashed" and threshold["y"].tolist() == [0.5, 0.5]
    assert canvas.layer("activation", "sum_threshold")["x"].tolist() == [0.0, 0.0]
    spec = canvas.panels["activation"].spec
    assert spec["title"] == "g = sigmoid" and spec["yticks"] == [0.5]
    # AND's targets 0, 0, 0, 1: orange circles and a blue square, in both panels
    for panel in ("map", "activation"):
        layer = canvas.layer(panel, "rows")
        assert layer["shape"] == ["o", "o", "o", "s"]
        assert layer["fill"] == [style.NEGATIVE] * 3 + [style.POSITIVE]
    np.testing.assert_allclose(canvas.layer("map", "rows")["x"], INPUTS[:, 0])
    np.testing.assert_allclose(canvas.layer("map", "rows")["y"], INPUTS[:, 1])

    explorer.controls["activation"].value = "tanh"          # tanh answers 1 for a >= 0
    assert canvas.layer("activation", "threshold")["y"].tolist() == [0.0, 0.0]
    low, high = canvas.panels["activation"].spec["ylim"]
    assert low < -1 and high > 1                              # tanh's whole range is shown
    explorer.controls["gate"].value = "none"                 # nothing to check: white circles
    layer = canvas.layer("map", "rows")
    assert layer["fill"] == "#ffffff" and layer["shape"] == "o" and layer["ring"] is None
    assert canvas.layer("status", "status")["text"] == [""]


def test_one_slider_move_is_one_frame_sent_to_the_browser():
    explorer = NeuronExplorer()
    frames = explorer.canvas.frames
    explorer.controls["bias"].value = 0.7
    assert explorer.canvas.frames == frames + 1


@pytest.mark.parametrize("activation", ["step", "linear", "sigmoid", "tanh", "relu"])
def test_heatmap_is_blue_where_the_neuron_answers_1_and_orange_where_it_answers_0(activation):
    explorer = NeuronExplorer()
    set_neuron(explorer, -1.5, 0.5, 0.4, activation=activation)
    rgba = heatmap(explorer).astype(int)            # (rows = x2, columns = x1, RGBA)
    axis = np.linspace(-0.5, 1.5, rgba.shape[0])
    x1, x2 = np.meshgrid(axis, axis)
    neuron = nnlab.Neuron([-1.5, 0.5], bias=0.4, activation=activation)
    out = neuron(np.column_stack([x1.ravel(), x2.ravel()])).reshape(x1.shape)
    threshold = OUTPUT_THRESHOLD[activation]
    clear = np.abs(out - threshold) > 0.05          # away from the line, where colours are clear
    bluish = rgba[..., 2] > rgba[..., 0]             # more blue than red
    np.testing.assert_array_equal(bluish[clear], (out >= threshold)[clear])
    assert bluish[clear].any() and (~bluish[clear]).any()


def test_readout_matches_the_core_neuron():
    explorer = NeuronExplorer()
    set_neuron(explorer, 0.7, -1.3, 0.4, activation="tanh")
    neuron = nnlab.Neuron([0.7, -1.3], bias=0.4, activation="tanh")
    np.testing.assert_allclose(explorer.state["weighted_sums"], neuron.weighted_sum(INPUTS))
    np.testing.assert_allclose(explorer.state["outputs"], neuron(INPUTS))
    table = explorer.controls["table"].value
    for h in neuron.weighted_sum(INPUTS):
        assert f"{h:+.2f}" in table


@pytest.mark.parametrize("activation", ["step", "linear", "sigmoid", "tanh", "relu"])
def test_sum_threshold_is_where_the_output_crosses_its_threshold(activation):
    # g(h) >= output threshold exactly when h >= sum threshold, for the core's g
    g = nnlab.activations.get(activation)
    h = np.linspace(-5, 5, 2001)
    h = np.append(h, SUM_THRESHOLD[activation])
    np.testing.assert_array_equal(g(h) >= OUTPUT_THRESHOLD[activation],
                                  h >= SUM_THRESHOLD[activation])


def test_threshold_depends_on_the_activation():
    # the same weights read differently: tanh answers 1 for g(h) >= 0, linear for h >= 0.5
    explorer = NeuronExplorer(gate="OR")
    set_neuron(explorer, 1.0, 1.0, -1.0, activation="tanh")
    assert explorer.state["threshold"] == 0.0
    assert explorer.state["solved"] is True
    explorer.controls["activation"].value = "linear"
    assert explorer.state["answers"] == [0, 0, 0, 1]
    explorer.controls["gate"].value = "AND"
    assert explorer.state["solved"] is True


@pytest.mark.parametrize("activation", ["step", "linear", "relu"])
def test_decision_line_lies_where_the_weighted_sum_equals_its_threshold(activation):
    explorer = NeuronExplorer()
    set_neuron(explorer, 1.2, -0.7, 0.3, activation=activation)
    xy = decision_line(explorer)
    assert xy.shape == (2, 2)
    h = xy @ np.array([1.2, -0.7]) + 0.3
    np.testing.assert_allclose(h, SUM_THRESHOLD[activation], atol=1e-6)   # sent as float32


def test_boundary_line_for_steep_flat_and_missing_lines():
    xs, ys = boundary_line((2.0, 0.0), -1.0, (-1, 1), (-1, 1))      # vertical: x1 = 0.5
    np.testing.assert_allclose(xs, [0.5, 0.5])
    xs, ys = boundary_line((0.0, 4.0), 2.0, (-1, 1), (-1, 1))       # horizontal: x2 = -0.5
    np.testing.assert_allclose(ys, [-0.5, -0.5])
    xs, ys = boundary_line((0.0, 0.0), 1.0, (-1, 1), (-1, 1))       # no line at all
    assert xs.size == 0 and ys.size == 0
    explorer = NeuronExplorer()
    set_neuron(explorer, 0.0, 0.0, 0.5)
    assert decision_line(explorer).size == 0


def test_no_gate_means_nothing_to_solve():
    explorer = NeuronExplorer()
    assert explorer.state["gate"] is None
    assert explorer.state["correct"] is None and explorer.state["solved"] is False
    explorer.controls["gate"].value = "NOR"
    assert explorer.state["gate"] == "NOR" and explorer.state["correct"] is not None


def test_gate_names_are_case_insensitive_and_bad_ones_are_refused():
    assert NeuronExplorer(gate="nand").controls["gate"].value == "NAND"
    with pytest.raises(ValueError, match="gate must be None or one of .*XOR.*'XNOR'"):
        NeuronExplorer(gate="XNOR")
    with pytest.raises(TypeError, match="gate"):
        NeuronExplorer(gate=3)


def test_view_is_one_styled_container():
    explorer = NeuronExplorer()
    view = explorer.view
    assert "nnlab-widget" in view._dom_classes
    assert "nnlab-neuron-explorer" in view._dom_classes
    assert "application/vnd.jupyter.widget-view+json" in explorer._repr_mimebundle_()


def test_state_is_plain_python():
    import json

    explorer = NeuronExplorer(gate="XOR")
    json.dumps(explorer.state)
    assert all(not isinstance(v, np.ndarray) for v in explorer.state.values())
