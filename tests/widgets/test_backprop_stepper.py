"""BackpropStepper: every number it shows is the core's, revealed one step at a time."""

import numpy as np
import pytest

import nnlab
from nnlab import datasets
from nnlab.widgets.backprop_stepper import DEFAULT_WEIGHTS, STEPS, BackpropStepper
from nnlab.widgets.backprop_view import EDGES, NODES
from nnlab.widgets.style import CURRENT, NEGATIVE, NEUTRAL, POSITIVE

# The number(s) each step reveals.
REVEALS = {"h1": ["z_h1", "a_h1"], "h2": ["z_h2", "a_h2"], "out": ["z_out", "a_out"],
           "loss": ["loss"], "delta_out": ["delta_out"], "grad_out": ["dW2", "db2"],
           "delta_h1": ["delta_h1"], "delta_h2": ["delta_h2"], "grad_hidden": ["dW1", "db1"],
           "update": ["new_weights", "loss_after"]}


def core(weights, sample, activation="sigmoid", loss="binary_crossentropy"):
    """The same forward and backward pass, done directly with the core."""
    X, y = datasets.logic_gate("xor")
    model = nnlab.MLP([2, 2, 1], activation=activation, output_activation="sigmoid")
    model.compile(loss=loss, optimizer="sgd")
    model.set_weights(weights)
    value, grads = model.loss_and_gradients(X[sample:sample + 1], y[sample:sample + 1])
    hidden, out = model.layers
    return {"z_h1": hidden.z[0, 0], "a_h1": hidden.a[0, 0], "z_h2": hidden.z[0, 1],
            "a_h2": hidden.a[0, 1], "z_out": out.z[0, 0], "a_out": out.a[0, 0], "loss": value,
            "delta_out": out.delta[0, 0], "delta_h1": hidden.delta[0, 0],
            "delta_h2": hidden.delta[0, 1], "dW1": grads[0], "db1": grads[1],
            "dW2": grads[2][:, 0], "db2": grads[3][0]}, grads


def walk(stepper, n):
    for _ in range(n):
        stepper.controls["next"].click()


@pytest.mark.parametrize("activation, loss, sample", [
    ("sigmoid", "binary_crossentropy", 1), ("tanh", "mse", 3), ("relu", "binary_crossentropy", 2),
    ("sigmoid", "mse", 0)])
def test_each_step_reveals_the_cores_numbers(activation, loss, sample):
    stepper = BackpropStepper(sample=sample, activation=activation, loss=loss)
    expected, _ = core(DEFAULT_WEIGHTS, sample, activation, loss)
    assert stepper.state["phase"] == "start"
    assert not any(key in stepper.state for keys in REVEALS.values() for key in keys)
    for step, phase in enumerate(STEPS[1:-1], start=1):
        stepper.controls["next"].click()
        state = stepper.state
        assert (state["step"], state["phase"]) == (step, phase)
        for key in REVEALS[phase]:
            np.testing.assert_allclose(state[key], expected[key], rtol=1e-12, atol=1e-15)
        later = [key for p in STEPS[step + 1:] for key in REVEALS.get(p, [])]
        assert not any(key in state for key in later)      # nothing is shown before its step


def test_update_applies_one_sgd_step():
    stepper = BackpropStepper(sample=2, learning_rate=0.7)
    walk(stepper, len(STEPS) - 1)
    assert stepper.state["phase"] == "update"
    _, grads = core(DEFAULT_WEIGHTS, 2)
    new = stepper.state["new_weights"]
    for name, w, g in zip(("W1", "b1", "W2", "b2"), DEFAULT_WEIGHTS, grads, strict=True):
        np.testing.assert_allclose(new[name], w - 0.7 * g, rtol=0, atol=1e-15)
    new_arrays = [np.array(new[k]) for k in ("W1", "b1", "W2", "b2")]
    after, _ = core(new_arrays, 2)
    assert stepper.state["loss_after"] == pytest.approx(after["loss"], rel=1e-12)
    assert stepper.state["loss_after"] < stepper.state["loss"]     # one step downhill
    # the learning rate changes the update, not the gradients
    stepper.controls["learning_rate"].value = 0.1
    np.testing.assert_allclose(stepper.state["new_weights"]["W2"],
                               DEFAULT_WEIGHTS[2] - 0.1 * grads[2], atol=1e-15)
    assert stepper.state["step"] == len(STEPS) - 1


def test_next_after_the_update_starts_a_new_round_and_back_undoes_it():
    stepper = BackpropStepper()
    walk(stepper, len(STEPS) - 1)
    new = stepper.state["new_weights"]
    stepper.controls["next"].click()                       # past the end: wraps to a new round
    assert (stepper.state["step"], stepper.state["round"]) == (0, 1)
    assert stepper.state["weights"] == new
    walk(stepper, 3)
    expected, _ = core([np.array(new[k]) for k in ("W1", "b1", "W2", "b2")], 1)
    assert stepper.state["a_out"] == pytest.approx(expected["a_out"], rel=1e-12)
    for _ in range(4):
        stepper.controls["back"].click()
    assert (stepper.state["step"], stepper.state["round"]) == (len(STEPS) - 1, 0)
    assert stepper.state["weights"]["W1"] == DEFAULT_WEIGHTS[0].tolist()
    for _ in range(len(STEPS) + 3):                        # more 'back' than there are steps
        stepper.controls["back"].click()
    assert (stepper.state["step"], stepper.state["round"]) == (0, 0)
    walk(stepper, len(STEPS) + 2)
    stepper.controls["reset"].click()
    assert (stepper.state["step"], stepper.state["round"]) == (0, 0)
    assert stepper.state["weights"]["W2"] == DEFAULT_WEIGHTS[2].tolist()


def near(layer, x, y, dx, dy):
    """The strings of a texts layer placed within (dx, dy) of (x, y) (one per line)."""
    return [t for t, u, v in zip(layer["text"], layer["x"], layer["y"], strict=True)
            if abs(u - x) <= dx and abs(v - y) <= dy]


def all_texts(stepper, *names):
    return [t for name in names for t in stepper.canvas.layer("net", name)["text"]]


def test_diagram_follows_the_state():
    stepper = BackpropStepper(sample=1)
    canvas = stepper.canvas
    edge = {name: i for i, name in enumerate(EDGES)}
    node = {name: i for i, name in enumerate(NODES)}
    edges = canvas.layer("net", "edges")
    # each edge joins its two neurons (W1[i, j]: input i -> hidden j)
    i = edge["w21"]
    assert (edges["x0"][i], edges["y0"][i]) == NODES["x2"]
    assert (edges["x1"][i], edges["y1"][i]) == NODES["h1"]
    # colour = sign, width grows with |w|: w_out1 = 1.2 (blue) is wider than w22 = 0.3 (blue),
    # w_out2 = -0.8 orange; the widths are ordered as the |w| of DEFAULT_WEIGHTS
    assert edges["color"][edge["w_out2"]] == NEGATIVE
    assert edges["color"][edge["w_out1"]] == POSITIVE
    magnitudes = [0.6, 0.4, 0.9, 0.3, 1.2, 0.8]          # w11 w12 w21 w22 w_out1 w_out2
    order = np.argsort(magnitudes)
    widths = [edges["width"][edge[n]] for n in ("w11", "w12", "w21", "w22", "w_out1", "w_out2")]
    assert np.all(np.diff(np.array(widths)[order]) > 0)
    hx, hy = NODES["h1"]
    assert near(canvas.layer("net", "hidden_values"), hx + 0.3, hy, 0.2, 0.6) == []
    nodes = canvas.layer("net", "nodes")
    assert nodes["fill"][node["h1"]] == NEUTRAL                  # not computed yet
    layers = {p: canvas.layers(p) for p in canvas.panels}
    walk(stepper, 1)
    h1_text = near(canvas.layer("net", "hidden_values"), hx + 0.3, hy, 0.2, 0.6)
    assert h1_text == [f"z = {stepper.state['z_h1']:.3f}", f"a = {stepper.state['a_h1']:.3f}"]
    nodes = canvas.layer("net", "nodes")
    assert nodes["ring"][node["h1"]] == CURRENT and nodes["ring"][node["h2"]] == ""
    # a_h1 = sigmoid(0.6 * 0 + 0.9 * 1 - 0.2) = sigmoid(0.7) = 0.668: above one half, so bluish
    r, g, b = (int(nodes["fill"][node["h1"]][k:k + 2], 16) for k in (1, 3, 5))
    assert b > r and b > 200 and r < 255
    assert stepper.state["formula"].startswith("z_h1 = w11·x1 + w21·x2 + b1")
    assert canvas.layer("formula", "formula")["text"] == stepper.state["formula"].splitlines()
    walk(stepper, 3)                                           # loss: its box is current
    assert canvas.layer("net", "loss_box")["edge"] == CURRENT
    assert f"L = {stepper.state['loss']:.3f}" in canvas.layer("net", "loss_text")["text"]
    walk(stepper, 3)                                           # delta_h1
    assert canvas.layer("net", "loss_box")["edge"] != CURRENT
    assert stepper.state["phase"] == "delta_h1"
    assert canvas.layer("formula", "formula")["text"][0].startswith(
        "δ_h1 = δ_out · w_out1 · sigmoid'(z_h1)")
    assert f"δ = {stepper.state['delta_h1']:.3f}" in near(
        canvas.layer("net", "hidden_values"), hx + 0.3, hy, 0.2, 0.6)
    assert f"∂L/∂w_out1 = {stepper.state['dW2'][0]:.3f}" in all_texts(
        stepper, "labels", "labels_current")
    walk(stepper, 3)                                           # update
    new_w21 = stepper.state["new_weights"]["W1"][1][0]
    assert f"→ {new_w21:.3f}" in all_texts(stepper, "labels_current")   # all are current now
    # the edges now show the new weights: w_out1's width follows its new |w|
    new_v1 = stepper.state["new_weights"]["W2"][0][0]
    widths = canvas.layer("net", "edges")["width"]
    assert (widths[edge["w_out1"]] > edges["width"][edge["w_out1"]]) == (abs(new_v1) > 1.2)
    assert any(t.startswith("after: ") for t in canvas.layer("net", "loss_text")["text"])
    assert {p: canvas.layers(p) for p in canvas.panels} == layers    # the same layers, updated
    assert canvas.layer("title", "title")["text"] == ["round 1, step 10/10: update"]


def test_sample_seed_activation_and_weights():
    stepper = BackpropStepper(sample=0)
    walk(stepper, 4)
    loss0 = stepper.state["loss"]
    stepper.controls["sample"].value = 3           # same step, another example
    assert stepper.state["step"] == 4 and stepper.state["x"] == [1.0, 1.0]
    assert stepper.state["loss"] != loss0
    stepper.controls["seed"].value = 5             # new random weights: start over
    assert stepper.state["step"] == 0
    expected = nnlab.MLP([2, 2, 1], activation="sigmoid", seed=5).get_weights()
    assert stepper.state["weights"]["W1"] == expected[0].tolist()
    stepper.controls["activation"].value = "relu"  # He initialisation for ReLU layers
    expected = nnlab.MLP([2, 2, 1], activation="relu", seed=5).get_weights()
    assert stepper.state["weights"]["W1"] == expected[0].tolist()
    stepper.controls["seed"].value = 0             # back to the starting weights
    assert stepper.state["weights"]["W2"] == DEFAULT_WEIGHTS[2].tolist()
    mine = [np.eye(2), np.array([0.5, -0.5]), np.array([[1.0], [-1.0]]), np.array([0.0])]
    custom = BackpropStepper(weights=mine)
    assert custom.state["weights"]["b1"] == [0.5, -0.5]


def test_layout_has_the_buttons():
    stepper = BackpropStepper()
    view = stepper.layout()
    descriptions = {getattr(w, "description", None) for box in view.children
                    for w in getattr(box, "children", [])}
    assert {"next", "back", "reset"} <= descriptions


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match=r"sample must be one of \[0, 1, 2, 3\], but got 4"):
        BackpropStepper(sample=4)
    with pytest.raises(ValueError, match="activation must be one of"):
        BackpropStepper(activation="softmax")
    with pytest.raises(ValueError, match="learning_rate must be a positive"):
        BackpropStepper(learning_rate=-1.0)
    with pytest.raises(ValueError, match=r"weights\[0\] must have shape \(2, 2\)"):
        BackpropStepper(weights=[np.eye(3), np.zeros(2), np.zeros((2, 1)), np.zeros(1)])
