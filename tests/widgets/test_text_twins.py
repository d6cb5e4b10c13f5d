"""Every widget says in words what its figure shows, truthfully, and draws it not by colour alone.

The text twin (`describe()`) is what a screen-reader user gets instead of the figure, so each
check here derives the expected words independently: from the inputs by hand (a line's
crossings, a truth table, softmax by `math.exp`), never from the widget's own state.
"""

import math
import re

import numpy as np
import pytest

from nnlab.widgets import (
    ActivationExplorer,
    BackpropStepper,
    Conditioning,
    DescentExplorer,
    HiddenSpace,
    NeuronExplorer,
    PerceptronTrainer,
    style,
)
from nnlab.widgets.accessibility import TextTwin
from nnlab.widgets.canvas import MARKERS

FIVE = [
    (NeuronExplorer, {"gate": "OR"}, "w1", 1.5),
    (ActivationExplorer, {}, "z", -2.0),
    (PerceptronTrainer, {"dataset": "AND"}, "learning_rate", 0.5),
    (DescentExplorer, {"epochs": 5}, "learning_rate", 2.0),
    (BackpropStepper, {}, "learning_rate", 1.0),
    (HiddenSpace, {}, "learning_rate", 0.3),
    (Conditioning, {}, "learning_rate", 0.004),
]


@pytest.mark.parametrize("cls, kwargs, name, value", FIVE, ids=[c[0].__name__ for c in FIVE])
def test_the_twin_shows_describe_after_every_change(cls, kwargs, name, value):
    widget = cls(**kwargs)
    assert isinstance(widget.text_twin, TextTwin)
    before = widget.text_twin.text
    assert before == widget.describe() and len(before) > 40
    widget.controls[name].value = value
    assert widget.text_twin.text == widget.describe()
    if cls is not BackpropStepper:          # at step 0 it shows no number the rate changes
        assert widget.text_twin.text != before
    # the twin is part of what is displayed, and names the figure
    assert widget.text_twin in widget.view.children
    assert widget.text_twin.label != "figure"


@pytest.mark.parametrize("cls, kwargs, name, value", FIVE, ids=[c[0].__name__ for c in FIVE])
def test_no_readout_or_twin_says_minus_zero(cls, kwargs, name, value):
    widget = cls(**kwargs)
    texts = [widget.describe()] + [c.value for c in widget.controls.values()
                                   if isinstance(getattr(c, "value", None), str)]
    for text in texts:
        assert not re.search(r"-0\.0+(?![0-9])", text), text


# ---------------------------------------------------------------- NeuronExplorer
def test_neuron_explorer_says_where_the_line_crosses_and_which_rows_answer_1():
    explorer = NeuronExplorer(gate="AND")
    c = explorer.controls
    c["w1"].value, c["w2"].value, c["bias"].value = 1.0, 2.0, -1.5
    text = explorer.describe()
    # step: answers 1 where x1 + 2 x2 - 1.5 >= 0; z(00) = -1.5, z(01) = 0.5, z(10) = -0.5,
    # z(11) = 1.5; the line meets x2 = 0 at x1 = 1.5 and x1 = 0 at x2 = 0.75
    assert "crosses the x1 axis at 1.50 and the x2 axis at 0.75" in text
    assert "Rows 01, 11 answer 1; rows 00, 10 answer 0." in text
    # AND wants 0, 0, 0, 1: row 01 is wrong
    assert "Target AND: 3 of 4 rows right (wrong: 01)." in text
    c["w2"].value = 1.0                       # now x1 + x2 >= 1.5: AND exactly
    assert "the AND gate is solved" in explorer.describe()


def test_neuron_explorer_vertical_line_and_no_line():
    explorer = NeuronExplorer()
    c = explorer.controls
    c["w1"].value, c["w2"].value, c["bias"].value = 2.0, 0.0, -1.0
    assert "the vertical line x1 = 0.50" in explorer.describe()
    c["w1"].value = 0.0
    assert "no decision line" in explorer.describe()


# ---------------------------------------------------------------- ActivationExplorer
def test_activation_explorer_says_the_value_slope_and_softmax():
    explorer = ActivationExplorer()
    c = explorer.controls
    c["activation"].value, c["z"].value = "tanh", 0.5
    c["score0"].value, c["score1"].value, c["score2"].value = 0.0, 1.0, 3.0
    text = explorer.describe()
    value = math.tanh(0.5)
    assert f"f(z) = {value:.3f}" in text
    assert f"f'(z) = {1 - value ** 2:.3f}" in text and "the tangent rises" in text
    exps = [math.exp(v) for v in (0.0, 1.0, 3.0)]
    probabilities = ", ".join(f"{e / sum(exps):.2f}" for e in exps)
    assert f"probabilities {probabilities}" in text
    assert "class 2 is the most probable" in text


# ---------------------------------------------------------------- PerceptronTrainer
def wrong_side(X, y, weights, bias):
    """Points whose label disagrees with the side of w . x + b = 0 they lie on (>= 0: class 1)."""
    return int(np.sum((X @ np.asarray(weights) + bias >= 0).astype(int) != y))


def test_perceptron_trainer_counts_the_points_on_the_wrong_side():
    trainer = PerceptronTrainer("blobs", seed=3)
    for _ in range(7):
        trainer.controls["step"].click()
        s = trainer.state
        n = wrong_side(trainer.X, trainer.y, s["weights"], s["bias"])
        text = trainer.describe()
        assert f"{n} point{'' if n == 1 else 's'} {'is' if n == 1 else 'are'} on the wrong side" \
            in text
        assert "30 of class 0 (orange circles) and 30 of class 1 (blue squares)" in text


def test_perceptron_readout_shows_tiny_weights_as_they_are():
    trainer = PerceptronTrainer("AND", seed=0)
    w1, w2 = trainer.perceptron.weights
    assert 0 < abs(w1) < 0.005 and 0 < abs(w2) < 0.005      # small random initial weights
    status = trainer.controls["status"].value
    assert not re.search(r"-?0\.00[,)]", status.split("b =")[0]), status
    assert f"{w1:.2g}" in status and f"{w2:.2g}" in status
    assert trainer.canvas.layer("data", "boundary")["x"].size   # and a line is drawn


# ---------------------------------------------------------------- DescentExplorer
def test_descent_explorer_says_how_many_steps_and_where_each_path_ends():
    explorer = DescentExplorer(learning_rate=0.5, batch_size=5, epochs=3)
    text = explorer.describe()
    # 24 samples: full batch 1 step per epoch, SGD 24, batches of 5 -> ceil(24 / 5) = 5
    assert "full batch, 3 steps" in text
    assert "SGD with batch 1, 72 steps" in text
    assert "mini-batches of 5, 15 steps" in text
    w, b = explorer.state["paths"]["sgd"][-1]
    assert f"72 steps, ends at w = {w:.2f}, b = {b:.2f}" in text


# ---------------------------------------------------------------- BackpropStepper
def test_backprop_stepper_says_the_loss_it_reached():
    stepper = BackpropStepper(sample=2)               # x = (1, 0), target 1
    for _ in range(4):
        stepper.controls["next"].click()
    text = stepper.describe()
    assert text.startswith("Round 1, step 4 of 10, forward pass")
    # cross-entropy by hand from the output the step shows
    a = stepper.state["a_out"]
    assert f"loss L = {-math.log(a):.3f}" in text
    assert "δ_out" not in text.split("This step")[0]   # not revealed yet


# ---------------------------------------------------------------- not by colour alone
def test_classes_differ_by_marker_shape_in_neuron_explorer_and_perceptron_trainer():
    explorer = NeuronExplorer(gate="OR")         # targets 0, 1, 1, 1
    shapes = explorer.canvas.layer("map", "rows")["shape"]
    assert shapes[0] != shapes[1] and shapes[1] == shapes[2] == shapes[3]
    trainer = PerceptronTrainer("XOR")            # targets 0, 1, 1, 0
    shapes = trainer.canvas.layer("data", "samples")["shape"]
    assert shapes[0] == shapes[3] != shapes[1] == shapes[2]


def test_class_markers_are_three_different_shapes_the_canvas_draws():
    assert len(set(style.CLASS_MARKERS)) == 3
    assert set(style.CLASS_MARKERS) <= set(MARKERS)


def test_contrast_ratio_matches_published_values():
    # WebAIM's contrast checker: #767676 on white is 4.54:1, #777777 4.47:1; black 21:1
    assert style.contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)
    assert style.contrast_ratio("#777777") == pytest.approx(4.48, abs=0.01)
    assert style.contrast_ratio("black", "white") == pytest.approx(21.0)


@pytest.mark.parametrize("cls, kwargs, name, value", FIVE, ids=[c[0].__name__ for c in FIVE])
def test_every_text_in_the_figures_meets_4_5_to_1(cls, kwargs, name, value):
    widget = cls(**kwargs)
    for canvas in widget.canvases:                       # browser-drawn figures (canvas.py)
        for panel in canvas.panels.values():
            for layer in panel.layers.values():
                if layer["kind"] == "texts" and any(t.strip() for t in layer["text"]):
                    colors = layer["color"] if isinstance(layer["color"], list) else [
                        layer["color"]]
                    for color in colors:
                        ratio = style.contrast_ratio(color)
                        assert ratio >= 4.5, (layer["text"], color, ratio)
    for control in widget.controls.values():
        for color in re.findall(r"color:\s*([#\w]+)", str(getattr(control, "value", ""))):
            assert style.contrast_ratio(color) >= 4.5, color


def test_style_text_colours_meet_4_5_to_1():
    for color in (style.TEXT, style.TEXT_MUTED, style.WRONG, style.RIGHT, style.POSITIVE):
        assert style.contrast_ratio(color) >= 4.5, color


def test_descent_explorer_lines_differ_by_dash_and_marker():
    explorer = DescentExplorer(epochs=2)
    for canvas, keys in zip(explorer.canvas_list, ("paths", "race_paths"), strict=True):
        lines = [canvas.layer("surface", f"path_{key}") for key in explorer.state[keys]]
        looks = {(line["dash"], line["marker"]) for line in lines}
        assert len(looks) == len(lines)


# ---------------------------------------------------------------- plain ipywidgets in lessons
def test_accessible_gives_a_lessons_own_box_the_nnlab_fixes():
    """Lessons 06 and 11 build plain ipywidgets boxes; `accessible` marks them as nnlab widgets
    (text_twin.js then names each slider handle by its description) with a twin naming the
    figure, once, however often it is called."""
    import ipywidgets as ipw

    from nnlab.widgets import accessible
    from nnlab.widgets.accessibility import TextTwin

    slider = ipw.FloatSlider(description="prediction")
    box = accessible(ipw.VBox([slider]), label="loss curves")
    assert box.children[0] is slider and "nnlab-widget" in box._dom_classes
    (twin,) = [c for c in box.children if isinstance(c, TextTwin)]
    assert twin.label == "loss curves"
    assert accessible(box, text="cross-entropy 0.357") is box and len(box.children) == 2
    assert twin.text == "cross-entropy 0.357" and twin.label == "loss curves"
    single = accessible(slider)
    assert isinstance(single, ipw.VBox) and single.children[0] is slider
    with pytest.raises(TypeError, match="widget must be an ipywidgets widget"):
        accessible("a slider")
