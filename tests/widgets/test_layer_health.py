"""LayerHealth, headless: its controls drive two HealthRuns, the canvas draws their state and
describe() says it."""

import numpy as np
import pytest

from nnlab.health import HealthRun
from nnlab.widgets.layer_health import BINS, LayerHealth


@pytest.fixture(scope="module")
def trained():
    health = LayerHealth(layers=4)
    health.tick(5)
    return health


def test_both_sides_train_together_and_the_sigmoid_side_shows_vanishing_updates(trained):
    s = trained.state
    assert s["epoch"] == 5 and [r["epoch"] for r in s["runs"]] == [5, 5]
    left, right = s["runs"]
    assert (left["activation"], right["activation"]) == ("sigmoid", "relu")
    ratios = [layer["update_ratio"] for layer in left["layers"]]
    assert ratios[0] < ratios[-1] / 10             # layer 1 learns far slower than layer 4
    assert all(layer["dead"] is not None for layer in right["layers"])
    text = trained.describe()
    assert text.startswith("Epoch 5: two networks with 4 hidden layers")
    assert "update ratio: " + ", ".join(f"{r:.0e}" for r in ratios) in text
    assert "dead units: " in text and "saturated units: " in text


def test_the_canvas_draws_the_state(trained):
    c, s = trained.canvas, trained.state
    bars = c.layer("activations_left", "bars")
    assert bars["x0"].size == 4 * BINS
    ratio = c.layer("ratio_right", "bars")
    expected = [np.log10(layer["update_ratio"]) for layer in s["runs"][1]["layers"]]
    assert np.allclose(ratio["x1"], expected, atol=1e-6)
    assert c.layer("activations_left", "shares")["text"][0].startswith("sat ")
    assert "epoch 5" in c.layer("head_right", "title")["text"][0]


def test_settings_start_again_and_adam_gets_its_own_rate():
    health = LayerHealth(layers=2)
    health.tick(2)
    health.controls["activation_left"].value = "tanh"
    assert health.state["epoch"] == 0 and health.state["runs"][0]["activation"] == "tanh"
    # before any update: the first batch's histograms, and no update ratio yet
    assert health.state["runs"][0]["layers"][0]["update_ratio"] is None
    assert "no update yet" in health.canvas.layer("ratio_left", "shares")["text"][0]
    health.controls["optimizer"].value = "adam"
    assert health.controls["learning_rate"].value == 0.01
    assert health.runs[0].optimizer == "adam" and health.runs[0].learning_rate == 0.01


def test_play_trains_on_each_tick_and_pauses_at_the_last_epoch():
    health = LayerHealth(layers=2, max_epochs=3)
    c = health.controls
    c["run"].value = True
    assert c["play"].playing and c["run"].description == "pause"
    for value in (1, 2, 3, 4):                 # the browser's timer counting up
        c["play"].value = value
    assert health.state["epoch"] == 3
    assert not c["run"].value and not c["play"].playing
    c["play"].value = 0                        # 'stop' resets the timer: no training
    c["step"].click()
    assert health.state["epoch"] == 3


def test_a_diverged_side_says_so():
    health = LayerHealth(layers=2)
    health.runs[0] = HealthRun("relu", "he", hidden=(16, 16), learning_rate=1e100)
    health.tick()
    assert health.state["runs"][0]["diverged"]
    assert "Left: relu with He initialisation: training diverged" in health.describe()
    assert health.canvas.layer("activations_left", "shares")["text"] == ["diverged"]
    assert "bars" not in health.canvas.layers("activations_left")


@pytest.mark.parametrize("kwargs, message", [({"left": ("softmax", "he")}, "left's activation"),
                                             ({"right": ("relu", "lecun")}, "right's initializer"),
                                             ({"layers": 9}, "layers must be between 2 and 6"),
                                             ({"learning_rate": 0.3}, "learning_rate must be")])
def test_bad_arguments_name_themselves(kwargs, message):
    with pytest.raises(ValueError, match=message):
        LayerHealth(**kwargs)
