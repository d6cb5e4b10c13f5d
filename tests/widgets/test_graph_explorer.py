"""GraphExplorer, headless: its buttons and boxes drive the state, the canvas and describe()."""

import numpy as np
import pytest

from nnlab import MLP
from nnlab.gradcheck import numerical_gradients
from nnlab.graph import BACKWARD_STEPS, FORWARD_STEPS, PARAMETERS
from nnlab.widgets.graph_explorer import POSITIONS, GraphExplorer


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


@pytest.fixture(scope="module")
def walked():
    """One explorer walked through both passes, with the state after every step."""
    g = GraphExplorer(x=(0.5, -1.0), target=0.0, activation="tanh")
    states = []
    for _ in FORWARD_STEPS:
        g.controls["forward"].click()
        states.append(g.state)
    for _ in BACKWARD_STEPS:
        g.controls["backward"].click()
        states.append(g.state)
    return g, states


def test_each_click_reveals_one_node_in_the_order_of_the_passes(walked):
    g, states = walked
    order = FORWARD_STEPS + BACKWARD_STEPS
    for k, (state, node) in enumerate(zip(states, order, strict=True)):
        assert state["current"] == node
        if k < len(FORWARD_STEPS):
            assert node in state["values"] and len(state["values"]) == 12 + k + 1
            assert state["grads"] == {}
        else:
            assert list(state["grads"]) == list(BACKWARD_STEPS[:k - len(FORWARD_STEPS) + 1])
    # the value of a hidden neuron by hand: tanh(w11 x1 + w21 x2 + b1) with the defaults
    assert states[3]["values"]["a_h1"] == pytest.approx(np.tanh(0.6 * 0.5 + 0.9 * -1.0 - 0.2))
    assert states[-1]["phase"] == "done"


def test_the_gradients_shown_are_central_differences_of_the_loss(walked):
    g, states = walked
    c = g.controls
    model = MLP([2, 2, 1], activation="tanh", output_activation="sigmoid")
    model.compile(loss="binary_crossentropy", metrics=())
    model.set_weights([[[c["w11"].value, c["w12"].value], [c["w21"].value, c["w22"].value]],
                       [c["b1"].value, c["b2"].value],
                       [[c["w_out1"].value], [c["w_out2"].value]], [c["b_out"].value]])
    numeric = numerical_gradients(model, np.array([[0.5, -1.0]]), np.array([0.0]))
    grads = states[-1]["grads"]
    for name, (i, where) in PARAMETERS.items():
        assert grads[name] == pytest.approx(numeric[i][where], rel=1e-6, abs=1e-10), name
    assert "Parameter gradients: w11" in g.describe()


def test_editing_a_number_updates_every_number_and_keeps_the_step():
    g = GraphExplorer()
    for _ in range(len(FORWARD_STEPS)):
        g.forward_step()
    g.backward_step()
    before = g.state["loss"]
    g.controls["w11"].value = -1.5
    g.controls["x1"].value = 2.0
    s = g.state
    assert (s["forward_steps"], s["backward_steps"]) == (len(FORWARD_STEPS), 1)
    assert s["values"]["x1*w11"] == pytest.approx(-3.0)
    z_h1, z_h2 = 2.0 * -1.5 + 0.0 * 0.9 - 0.2, 2.0 * -0.4 + 0.0 * 0.3 + 0.1
    y_hat = sigmoid(1.2 * sigmoid(z_h1) - 0.8 * sigmoid(z_h2) + 0.3)
    assert s["loss"] == pytest.approx(-np.log(y_hat)) and s["loss"] != before
    assert s["values"]["x1*w11"] == pytest.approx(-3.0)
    assert "Loss L = " in g.describe()


def test_buttons_out_of_turn_say_why_and_change_nothing():
    g = GraphExplorer()
    g.forward_step()
    g.backward_step()
    assert g.state["backward_steps"] == 0
    assert "finish the forward pass (12 steps to go)" in g.state["message"]
    assert g.state["message"] in g.describe()
    for _ in range(12):
        g.forward_step()
    g.forward_step()
    assert g.state["forward_steps"] == 13 and "press backward step" in g.state["message"]
    g.controls["reset"].click()
    assert (g.state["phase"], g.state["values"].keys() >= {"x1", "w11"}) == ("start", True)
    assert "x1*w11" not in g.state["values"] and g.state["message"] == ""


def test_the_canvas_shows_what_the_state_knows():
    g = GraphExplorer()
    for _ in range(4):
        g.forward_step()
    values = g.canvas.layer("graph", "values")["text"]
    assert values.count("?") == 25 - 12 - 4
    ring = g.canvas.layer("graph", "current")
    assert (ring["x0"][0] + ring["x1"][0]) / 2 == pytest.approx(POSITIONS["a_h1"][0])
    edges = g.canvas.layer("graph", "edges")
    assert sorted(edges["width"]).count(3.0) == 1          # the one link into a_h1
    assert g.canvas.frames >= 5


@pytest.mark.parametrize("kwargs, message", [({"activation": "step"}, "activation must be"),
                                             ({"weights": {"w33": 1.0}}, "unknown name"),
                                             ({"x": (1.0,)}, "x must be two numbers"),
                                             ({"x": (3.0, 0.0)}, r"x1 must lie in \[-2, 2\]"),
                                             ({"weights": {"b1": 9}}, "b1 must lie in")])
def test_bad_arguments_name_themselves(kwargs, message):
    with pytest.raises(ValueError, match=message):
        GraphExplorer(**kwargs)
