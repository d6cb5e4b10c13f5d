"""BackpropStepper: every number it shows is the core's, revealed one step at a time."""

import matplotlib.colors as mcolors
import numpy as np
import pytest

import nnlab
from nnlab import datasets
from nnlab.widgets.backprop_stepper import DEFAULT_WEIGHTS, STEPS, BackpropStepper
from nnlab.widgets.style import CURRENT, NEGATIVE, POSITIVE

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


def test_diagram_follows_the_state():
    stepper = BackpropStepper(sample=1)
    lines, labels = stepper.edge_lines, stepper.edge_labels
    # colour = sign, width grows with |w|: w_out1 = 1.2 (blue) is wider than w22 = 0.3 (blue)
    assert mcolors.same_color(lines["w_out2"].get_color(), NEGATIVE)
    assert mcolors.same_color(lines["w_out1"].get_color(), POSITIVE)
    assert lines["w_out1"].get_linewidth() > lines["w22"].get_linewidth()
    assert stepper.value_texts["h1"].get_text() == ""
    artists = (len(stepper.ax.lines), len(stepper.ax.patches), len(stepper.ax.texts))
    walk(stepper, 1)
    assert "a = " in stepper.value_texts["h1"].get_text()
    assert mcolors.same_color(stepper.circles["h1"].get_edgecolor(), CURRENT)
    assert not mcolors.same_color(stepper.circles["h2"].get_edgecolor(), CURRENT)
    assert stepper.state["formula"].startswith("z_h1 = w11·x1 + w21·x2 + b1")
    assert stepper.formula_text.get_text() == stepper.state["formula"]
    walk(stepper, 6)                                           # delta_h1
    assert stepper.state["phase"] == "delta_h1"
    assert stepper.formula_text.get_text().startswith("δ_h1 = δ_out · w_out1 · sigmoid'(z_h1)")
    assert f"δ = {stepper.state['delta_h1']:.3f}" in stepper.value_texts["h1"].get_text()
    assert f"{stepper.state['dW2'][0]:.3f}" in labels["w_out1"].get_text()
    walk(stepper, 3)                                           # update
    assert "→" in labels["w21"].get_text()
    new_v1 = stepper.state["new_weights"]["W2"][0][0]
    assert lines["w_out1"].get_linewidth() == pytest.approx(min(0.6 + 2.5 * abs(new_v1), 7.0))
    assert "after" in stepper.loss_text.get_text()
    assert (len(stepper.ax.lines), len(stepper.ax.patches), len(stepper.ax.texts)) == artists


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
