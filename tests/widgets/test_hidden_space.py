"""HiddenSpace, headless: training moves XOR's points in hidden space until the output neuron's
line splits them; what is drawn is the hidden layer's formula, written out here by hand."""

import numpy as np
import pytest

from nnlab import datasets
from nnlab.hidden_space import projection
from nnlab.widgets.hidden_space import EPOCHS_PER_TICK, HiddenSpace


def by_hand(widget, X):
    """tanh(X W1 + b1), the hidden layer's activations, from the model's weights."""
    W1, b1, _, _ = widget.model.get_weights()
    return np.tanh(np.asarray(X) @ W1 + b1)


@pytest.fixture(scope="module")
def trained():
    widget = HiddenSpace(seed=0)
    before = dict(widget.state), widget.describe()
    widget.tick(200)
    return widget, before


def test_xor_becomes_separable_in_hidden_space(trained):
    widget, (before, text_before) = trained
    assert before["epoch"] == 0 and not before["separated"] and before["accuracy"] < 1
    assert "does not separate the classes yet" in text_before
    st = widget.state
    assert st["epoch"] == 200 and st["separated"] and st["accuracy"] == 1.0
    assert 0 < st["first_separated_epoch"] <= 200
    X, y = datasets.logic_gate("xor")
    hidden = by_hand(widget, X)
    np.testing.assert_allclose(st["hidden_points"], hidden, rtol=1e-12)
    w, b = np.asarray(st["output_weights"]), st["output_bias"]
    assert ((hidden @ w + b >= 0) == (y == 1)).all()                # the line splits them
    np.testing.assert_array_equal(widget.model.predict(X)[:, 0] >= 0.5, y == 1)
    text = widget.describe()
    assert "separates the classes" in text and "epoch 200" in text.lower()
    assert f"since epoch {st['first_separated_epoch']}" in text


def test_the_drawn_line_is_the_output_neurons_line(trained):
    widget, _ = trained
    line = widget.canvas.layer("hidden", "boundary")
    w, b = np.asarray(widget.state["output_weights"]), widget.state["output_bias"]
    points = np.column_stack([line["x"], line["y"]]).astype(float)
    assert len(points) == 2
    np.testing.assert_allclose(points @ w + b, 0.0, atol=1e-4 * np.abs(w).sum())
    dots = widget.canvas.layer("hidden", "data")
    np.testing.assert_allclose(dots["x"], np.asarray(widget.state["hidden_points"])[:, 0],
                               rtol=1e-6)
    assert dots["ring"] == [""] * 4                                 # none on the wrong side


def test_the_grid_image_is_the_grid_through_the_hidden_layer(trained):
    widget, _ = trained
    plane, space = (widget.canvas.layer(p, "grid1") for p in ("input", "hidden"))
    xs, ys = np.asarray(plane["x"], float), np.asarray(plane["y"], float)
    keep = np.isfinite(xs)
    assert np.isnan(xs).sum() == 9                                  # nine lines x1 = const
    image = by_hand(widget, np.column_stack([xs[keep], ys[keep]]))
    np.testing.assert_allclose(np.asarray(space["x"], float)[keep], image[:, 0], atol=1e-6)
    np.testing.assert_allclose(np.asarray(space["y"], float)[keep], image[:, 1], atol=1e-6)


def test_play_trains_and_reset_starts_again():
    widget = HiddenSpace(seed=0)
    c = widget.controls
    c["run"].value = True
    assert c["play"].playing and c["run"].description == "pause"
    c["play"].value = 1                                  # one tick of the browser's timer
    c["play"].value = 2
    assert widget.state["epoch"] == 2 * EPOCHS_PER_TICK
    c["play"].value = 0                                  # "stop" rewinds the timer: no training
    assert widget.state["epoch"] == 2 * EPOCHS_PER_TICK
    c["run"].value = False
    assert not c["play"].playing
    c["step"].click()
    assert widget.state["epoch"] == 3 * EPOCHS_PER_TICK
    weights = widget.model.get_weights()[0].copy()
    c["reset"].click()
    assert widget.state["epoch"] == 0 and widget.seed == 1
    assert not np.allclose(widget.model.get_weights()[0], weights)
    c["learning_rate"].value = 0.3
    assert widget.model.optimizer.learning_rate == 0.3


def test_three_hidden_units_show_a_cube_the_student_turns():
    widget = HiddenSpace(dataset="circle", hidden=3, seed=0)
    c = widget.controls
    assert c["azimuth"].layout.display is None                   # shown for a cube
    assert len(widget.canvas.layer("hidden", "cube")["x0"]) == 12
    widget.tick(60)
    st = widget.state
    assert st["hidden_units"] == 3 and st["separated"]          # a plane splits the circle
    X, _ = datasets.circle(n=200, seed=0)
    hidden = by_hand(widget, X)
    dots = widget.canvas.layer("hidden", "data")
    np.testing.assert_allclose(np.column_stack([dots["x"], dots["y"]]),
                               hidden @ projection(35, 25), atol=1e-5)
    c["azimuth"].value = 90                                      # from the h2 axis: h1 points left
    dots = widget.canvas.layer("hidden", "data")
    np.testing.assert_allclose(dots["x"], -hidden[:, 0], atol=1e-5)
    assert "plane separates the classes" in widget.describe()
    assert "azimuth 90°" in widget.describe()
    c["hidden"].value = 2
    assert c["azimuth"].layout.display == "none"
    assert "cube" not in widget.canvas.layers("hidden")


def test_two_hidden_units_cannot_split_the_circle():
    widget = HiddenSpace(dataset="circle", hidden=2, seed=0)
    widget.tick(150)
    assert not widget.state["separated"] and widget.state["wrong"] > 0
    assert "ringed in red" in widget.describe()


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="dataset must be one of"):
        HiddenSpace(dataset="moons")
    with pytest.raises(ValueError, match="hidden must be 2 or 3"):
        HiddenSpace(hidden=4)


def test_every_control_has_a_name():
    for name, control in HiddenSpace().controls.items():
        assert control.description or control.tooltip, name


def test_the_status_line_says_the_epoch_and_the_verdict(trained):
    widget, _ = trained
    assert widget.status.value.startswith("epoch 200 · loss ")
    assert "accuracy 100% · in hidden space: separated" in widget.status.value
