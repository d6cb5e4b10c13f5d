"""PerceptronTrainer: Step, Epoch, Reset and Play drive the core perceptron and the picture."""

import numpy as np
import pytest

from nnlab import Perceptron
from nnlab.widgets import PerceptronTrainer, style
from nnlab.widgets.canvas import PALETTES


def drawn(trainer, name, panel="data"):
    return trainer.canvas.layer(panel, name)


def xy(layer):
    """A line's or points layer's (x, y) pairs, shape (n, 2)."""
    return np.column_stack([layer["x"], layer["y"]])


def boundary(trainer):
    return xy(drawn(trainer, "boundary")).copy()


def ring(trainer):
    """Where the black ring marking the current sample is drawn (empty when nowhere)."""
    layer = drawn(trainer, "current")
    assert layer["edge"] == style.CURRENT
    return xy(layer)


def red_rings(trainer):
    layer = drawn(trainer, "wrong")
    assert layer["edge"] == style.WRONG
    return xy(layer)


def train_until_converged(trainer, max_epochs=50):
    for _ in range(max_epochs):
        trainer.controls["epoch"].click()
        if trainer.state["converged"]:
            break


@pytest.mark.parametrize("dataset", ["blobs", "AND", "OR"])
def test_epoch_clicks_reach_zero_mistakes_and_move_the_boundary(dataset):
    trainer = PerceptronTrainer(dataset)
    line_before = boundary(trainer)
    train_until_converged(trainer)
    s = trainer.state
    assert s["converged"] is True
    assert s["mistakes_per_epoch"][-1] == 0
    assert s["misclassified"] == []
    assert red_rings(trainer).size == 0
    assert not np.allclose(line_before, boundary(trainer))
    # the line really separates the classes: every sample is on its class's side
    w, b = np.array(s["weights"]), s["bias"]
    np.testing.assert_array_equal((trainer.X @ w + b >= 0).astype(float), trainer.y)
    assert "converged" in s["message"].lower()
    # the mistakes-per-epoch plot shows the same numbers
    mistakes = drawn(trainer, "mistakes", panel="mistakes")
    np.testing.assert_array_equal(mistakes["y"], s["mistakes_per_epoch"])
    np.testing.assert_array_equal(mistakes["x"], np.arange(1, len(s["mistakes_per_epoch"]) + 1))


def test_xor_never_converges_and_the_widget_says_so():
    trainer = PerceptronTrainer("XOR")
    for _ in range(60):
        trainer.controls["epoch"].click()
    s = trainer.state
    assert s["epoch"] == 60
    assert s["converged"] is False
    assert min(s["mistakes_per_epoch"]) > 0
    assert len(s["misclassified"]) > 0
    assert "never converges" in s["message"]
    assert "straight line" in s["message"] and "two layers" in s["message"]
    assert "never converges" in trainer.controls["status"].value


def test_step_highlights_the_current_sample():
    trainer = PerceptronTrainer("blobs")
    assert ring(trainer).size == 0 and trainer.state["current"] is None
    for i in range(3):
        trainer.controls["step"].click()
        assert trainer.state["current"] == i
        assert trainer.state["position"] == i + 1
        np.testing.assert_allclose(ring(trainer), trainer.X[[i]])
        assert f"Sample {i}" in trainer.state["message"]


def test_misclassified_points_are_ringed_in_red():
    trainer = PerceptronTrainer("OR")
    trainer.controls["step"].click()
    wrong = trainer.state["misclassified"]
    predictions = (trainer.X @ np.array(trainer.state["weights"]) + trainer.state["bias"] >= 0)
    assert wrong == [int(i) for i in np.flatnonzero(predictions != trainer.y)]
    np.testing.assert_allclose(red_rings(trainer).reshape(-1, 2), trainer.X[wrong].reshape(-1, 2))


def test_a_mistake_moves_the_weights_by_the_learning_rule():
    trainer = PerceptronTrainer("blobs")
    trainer.controls["learning_rate"].value = 0.5
    assert trainer.perceptron.learning_rate == 0.5
    while True:
        w, b = np.array(trainer.state["weights"]), trainer.state["bias"]
        trainer.controls["step"].click()
        if trainer.state["current_mistake"]:
            break
    i = trainer.state["current"]
    x, target = trainer.X[i], trainer.y[i]
    y_hat = 1.0 - target                   # a mistake: the prediction was the other class
    np.testing.assert_allclose(trainer.state["weights"], w + 0.5 * (target - y_hat) * x)
    assert trainer.state["bias"] == pytest.approx(b + 0.5 * (target - y_hat))
    assert "mistake" in trainer.state["message"]


def test_stepping_through_an_epoch_equals_the_core_epoch():
    trainer = PerceptronTrainer("AND", seed=3)
    reference = Perceptron(2, learning_rate=1.0, seed=3)
    for _ in range(3):
        for _ in range(len(trainer.X)):
            trainer.controls["step"].click()
        reference.epoch(trainer.X, trainer.y)
    assert trainer.state["mistakes_per_epoch"] == reference.errors_
    np.testing.assert_allclose(trainer.state["weights"], reference.weights)
    assert trainer.state["bias"] == reference.bias


def test_epoch_in_the_middle_of_an_epoch_finishes_it():
    trainer = PerceptronTrainer("blobs")
    trainer.controls["step"].click()
    trainer.controls["step"].click()
    trainer.controls["epoch"].click()
    assert trainer.state["epoch"] == 1 and trainer.state["position"] == 0


def test_reset_restores_the_initial_weights():
    trainer = PerceptronTrainer("AND")
    initial = trainer.state["weights"], trainer.state["bias"]
    line = boundary(trainer)
    for _ in range(3):
        trainer.controls["epoch"].click()
    trainer.controls["step"].click()
    assert (trainer.state["weights"], trainer.state["bias"]) != initial
    trainer.controls["reset"].click()
    s = trainer.state
    assert (s["weights"], s["bias"]) == initial
    assert s["epoch"] == 0 and s["position"] == 0 and s["mistakes_per_epoch"] == []
    assert s["current"] is None and ring(trainer).size == 0
    np.testing.assert_allclose(boundary(trainer), line)


def test_play_ticks_advance_training_one_sample_or_one_epoch():
    trainer = PerceptronTrainer("blobs")
    play = trainer.controls["play"]
    for tick in (1, 2, 3):
        play.value = tick
    assert trainer.state["position"] == 3
    trainer.controls["play_mode"].value = "epoch"
    play.value = 4
    assert trainer.state["epoch"] == 1 and trainer.state["position"] == 0


def test_play_stops_once_converged():
    trainer = PerceptronTrainer("OR")
    play = trainer.controls["play"]
    trainer.controls["play_mode"].value = "epoch"
    play.playing = True
    for tick in range(1, 30):
        if not play.playing:
            break
        play.value = tick
    assert trainer.state["converged"] is True
    assert play.playing is False
    epochs = trainer.state["epoch"]
    play.value = 5                          # a late tick changes nothing
    assert trainer.state["epoch"] == epochs


def test_changing_the_dataset_starts_again_on_the_new_data():
    trainer = PerceptronTrainer("blobs")
    trainer.controls["epoch"].click()
    trainer.controls["dataset"].value = "XOR"
    s = trainer.state
    assert s["dataset"] == "XOR" and s["epoch"] == 0 and len(trainer.X) == 4
    np.testing.assert_array_equal(trainer.y, [0, 1, 1, 0])
    samples = drawn(trainer, "samples")
    np.testing.assert_allclose(xy(samples), trainer.X)
    # class 0 orange circles, class 1 blue squares
    assert samples["fill"] == ["#e69f00", "#0072b2", "#0072b2", "#e69f00"]
    assert samples["shape"] == ["o", "s", "s", "o"]
    spec = trainer.canvas.panels["data"].spec
    assert (spec["xlim"], spec["ylim"], spec["title"]) == ([-0.5, 1.5], [-0.5, 1.5], "XOR")


def test_bad_dataset_is_refused_with_the_valid_names():
    with pytest.raises(ValueError, match="dataset must be one of blobs, AND, OR, XOR"):
        PerceptronTrainer("circle")
    assert PerceptronTrainer("xor").state["dataset"] == "XOR"


def test_view_is_one_styled_container():
    view = PerceptronTrainer("AND").view
    assert "nnlab-widget" in view._dom_classes
    assert "nnlab-perceptron-trainer" in view._dom_classes


def test_state_is_plain_python():
    import json

    trainer = PerceptronTrainer("XOR")
    trainer.controls["step"].click()
    json.dumps(trainer.state)
    assert all(not isinstance(v, np.ndarray) for v in trainer.state.values())


def test_background_is_blue_where_the_perceptron_says_class_1():
    trainer = PerceptronTrainer("blobs")
    for _ in range(4):
        trainer.controls["step"].click()
    image = drawn(trainer, "region")
    rgba = PALETTES[image["palette"]][image["bytes"]].astype(int)   # what the browser paints
    rows, cols = image["bytes"].shape
    left, right, bottom, top = image["extent"]
    # the centre of each cell (row 0 at the bottom), and the class w . x + b >= 0 there
    xs = left + (np.arange(cols) + 0.5) * (right - left) / cols
    ys = bottom + (np.arange(rows) + 0.5) * (top - bottom) / rows
    x1, x2 = np.meshgrid(xs, ys)
    w, b = np.array(trainer.state["weights"]), trainer.state["bias"]
    says_1 = x1 * w[0] + x2 * w[1] + b >= 0
    bluish = rgba[..., 2] > rgba[..., 0]
    np.testing.assert_array_equal(bluish, says_1)
    assert bluish.any() and (~bluish).any()
    # pale: far lighter than the class colours of the points on top
    assert rgba[..., :3].min(axis=-1).min() > 150


def test_the_widget_never_writes_the_perceptrons_attributes():
    """The core keeps its own epoch record (errors_, converged_); the widget only calls it."""
    import inspect

    class Guarded(Perceptron):
        def __setattr__(self, name, value):
            caller = inspect.currentframe().f_back.f_globals["__name__"]
            assert caller == "nnlab.perceptron", f"{caller} wrote perceptron.{name}"
            super().__setattr__(name, value)

    trainer = PerceptronTrainer("OR", seed=2)
    trainer.perceptron.__class__ = Guarded
    trainer.controls["learning_rate"].value = 0.5
    for _ in range(6):
        trainer.controls["step"].click()
    trainer.controls["epoch"].click()
    trainer.controls["epoch"].click()
    trainer.controls["reset"].click()
    trainer.controls["epoch"].click()
    assert trainer.state["mistakes_per_epoch"] == trainer.perceptron.errors_


def test_the_mistakes_panel_grows_with_the_epochs_and_counts_in_whole_numbers():
    trainer = PerceptronTrainer("XOR")
    spec = trainer.canvas.panels["mistakes"].spec
    assert (spec["xlim"], spec["ylim"]) == ([0.5, 10.5], [-0.5, 4.5])
    for _ in range(12):
        trainer.controls["epoch"].click()
    m = trainer.state["mistakes_per_epoch"]
    spec = trainer.canvas.panels["mistakes"].spec
    assert spec["xlim"] == [0.5, 12.5] and spec["ylim"] == [-0.5, max(4, *m) + 0.5]
    for ticks, (low, high) in ((spec["xticks"], spec["xlim"]), (spec["yticks"], spec["ylim"])):
        assert 3 <= len(ticks) <= 7 and all(t == int(t) and low <= t <= high for t in ticks)


def test_the_counter_above_says_where_training_is():
    trainer = PerceptronTrainer("OR", seed=1)
    for _ in range(3):
        trainer.controls["step"].click()
    w, b = np.array(trainer.state["weights"]), trainer.state["bias"]
    wrong = int(np.sum((trainer.X @ w + b >= 0) != trainer.y))
    assert drawn(trainer, "progress", panel="header")["text"] == [
        f"epoch 0, sample 3/4: {wrong} wrong now"]
    train_until_converged(trainer)
    assert drawn(trainer, "progress", panel="header")["text"][0].endswith(": converged")


def test_one_update_is_one_frame_and_the_figure_fits_a_lesson():
    trainer = PerceptronTrainer("blobs")
    frames = trainer.canvas.frames
    trainer.controls["step"].click()
    assert trainer.canvas.frames == frames + 1
    trainer.controls["dataset"].value = "AND"        # new box, points and line together
    assert trainer.canvas.frames == frames + 2
    assert trainer.canvas.width <= 860
    for spec in trainer.canvas.panels.values():
        assert spec.spec["left"] + spec.spec["width"] <= trainer.canvas.width


def test_the_picture_is_sent_before_the_status_changes():
    trainer = PerceptronTrainer("blobs")
    frames_when_status_changed = []
    trainer.controls["status"].observe(
        lambda change: frames_when_status_changed.append(trainer.canvas.frames), names="value")
    frames = trainer.canvas.frames
    trainer.controls["step"].click()
    assert frames_when_status_changed == [frames + 1]
