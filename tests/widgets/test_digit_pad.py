"""DigitPad: the pad's pixels reach the model; probabilities, bars and readout agree with it."""

import numpy as np
import pytest

from nnlab import MLP, datasets, optimizers
from nnlab.widgets import DigitPad
from nnlab.widgets.style import POSITIVE


@pytest.fixture(scope="module")
def trained():
    X, y = datasets.digits()
    model = MLP([64, 16, 10], activation="relu", output_activation="softmax", seed=0)
    model.compile(loss="categorical_crossentropy", optimizer=optimizers.Adam(0.01))
    model.fit(X[:1200] / 16, y[:1200], epochs=10, batch_size=32, seed=0)
    return model, X[1200:], y[1200:]


def softmax_by_hand(model, x):
    """The forward pass written out from the weights (not model.predict)."""
    W1, b1, W2, b2 = model.get_weights()
    z = np.maximum(0, x @ W1 + b1) @ W2 + b2
    e = np.exp(z - z.max())
    return e / e.sum()


def pointer(pad, kind, x, y, buttons=1):
    """What the browser sends when the pointer goes down, moves or up on the pad."""
    pad.canvas._message(pad.canvas, {"type": "pointer", "panel": "pad", "x": x, "y": y,
                                     "kind": kind, "buttons": buttons}, [])


def key(pad, name):
    pad.canvas._message(pad.canvas, {"type": "key", "key": name}, [])


def centre(row, col):
    """Pad coordinates of a square's centre: x runs along the columns, y up from the bottom."""
    return col + 0.5, 8 - row - 0.5


def test_pressing_squares_cycles_the_ink_and_feeds_the_model(trained):
    model, _, _ = trained
    pad = DigitPad(model)
    levels = []
    for _ in range(4):
        pad.press(3, 4)                                 # row 4, column 5
        levels.append(pad.state["pixels"][3, 4])
    assert levels == [8.0, 16.0, 0.0, 8.0]
    expected = softmax_by_hand(model, pad.state["pixels"].reshape(-1) / 16)
    np.testing.assert_allclose(pad.state["probabilities"], expected, rtol=1e-9)
    bars = pad.canvas.layer("bars", "probabilities")
    np.testing.assert_allclose(bars["y1"], expected, rtol=1e-6)        # float32 on the wire
    np.testing.assert_allclose((bars["x0"] + bars["x1"]) / 2, np.arange(10), atol=1e-6)
    best = int(np.argmax(expected))
    assert pad.state["prediction"] == best
    assert bars["fill"][best] == POSITIVE and set(bars["fill"]) - {POSITIVE} != set()
    # the image's row 0 is drawn at the bottom: the pad's row 4 (index 3) is image row 8 - 4
    ink = pad.canvas.layer("pad", "ink")
    assert ink["values"][4, 4] == 8.0 and ink["values"].sum() == 8.0
    assert ink["palette"] == "grey" and (ink["bytes"][4, 4], ink["bytes"][0, 0]) == (128, 0)


def test_dragging_paints_every_square_it_crosses(trained):
    pad = DigitPad(trained[0])
    frames = pad.canvas.frames
    pointer(pad, "down", *centre(0, 0))
    pointer(pad, "move", *centre(0, 7))                 # one fast move across the top row
    pointer(pad, "move", *centre(2, 7))                 # then down two squares
    pointer(pad, "up", *centre(2, 7))
    painted = {tuple(int(i) for i in ij) for ij in np.argwhere(pad.state["pixels"] == 16)}
    assert painted == {(0, c) for c in range(8)} | {(1, 7), (2, 7)}
    assert pad.state["ink"] == 10 * 16
    assert pad.canvas.frames == frames + 3              # one frame per change; none for "up"
    assert "10 of 64 squares are inked, in rows 1 to 3 and columns 1 to 8" in pad.describe()
    # the right button erases; so does the eraser, and the soft pen greys the neighbours
    pointer(pad, "down", *centre(0, 3), buttons=2)
    pointer(pad, "up", *centre(0, 3), buttons=2)
    assert pad.state["pixels"][0, 3] == 0
    pad.controls["brush"].value = "eraser"
    pointer(pad, "down", *centre(0, 4))
    assert pad.state["pixels"][0, 4] == 0
    pad.controls["brush"].value = "soft pen"
    pad.clear()
    pointer(pad, "down", *centre(4, 0))
    expected = np.zeros((8, 8))
    expected[4, 0], expected[3, 0], expected[5, 0], expected[4, 1] = 16, 6, 6, 6
    np.testing.assert_array_equal(pad.state["pixels"], expected)
    frames = pad.canvas.frames
    pointer(pad, "move", *centre(4, 0))                 # nothing new to paint: no frame
    assert pad.canvas.frames == frames
    with pytest.raises(ValueError, match="brush must be one of"):
        pad.paint([(0, 0)], "spray")


def test_the_keyboard_moves_a_cursor_and_inks_square_by_square(trained):
    pad = DigitPad(trained[0])
    assert pad.canvas.focusable and "Tab leaves" in pad.canvas.key_help
    assert pad.cursor == (3, 3)
    for name in ["ArrowRight", "ArrowDown", "ArrowDown"]:
        key(pad, name)
    assert pad.cursor == (5, 4)
    cursor = pad.canvas.layer("pad", "cursor")          # drawn around square (row 6, column 5)
    assert 4 < cursor["x0"][0] < cursor["x1"][0] < 5 and 2 < cursor["y0"][0] < cursor["y1"][0] < 3
    key(pad, " ")
    key(pad, "Enter")
    assert pad.state["pixels"][5, 4] == 16
    assert "cursor is on row 6, column 5 (ink 16)" in pad.describe()
    key(pad, "Delete")
    assert pad.state["ink"] == 0
    for _ in range(10):                                 # the cursor stops at the edge
        key(pad, "ArrowUp")
        key(pad, "ArrowLeft")
    assert pad.cursor == (0, 0)


def test_an_empty_pad_is_visibly_a_pad(trained):
    pad = DigitPad(trained[0])
    assert pad.canvas.panels["pad"].spec["frame"]         # a border round the pad
    grid = pad.canvas.layer("pad", "grid")                # and lines between the squares
    assert sorted(np.r_[grid["x0"][grid["x0"] == grid["x1"]]].tolist()) == list(range(1, 8))
    assert sorted(np.r_[grid["y0"][grid["y0"] == grid["y1"]]].tolist()) == list(range(1, 8))
    assert "drag here to draw a digit" in pad.canvas.layer("pad", "hint")["text"]
    assert pad.canvas.layers("pad").index("ink") < pad.canvas.layers("pad").index("grid")
    pad.press(0, 0)
    assert "hint" not in pad.canvas.layers("pad")
    pad.clear()
    assert "hint" in pad.canvas.layers("pad")


def test_a_test_digit_loaded_onto_the_pad_is_read_like_the_model_reads_it(trained):
    model, X_test, y_test = trained
    pad = DigitPad(model, examples=X_test)
    pad.controls["example"].value = 7
    np.testing.assert_array_equal(pad.state["pixels"].ravel(), X_test[7])
    assert pad.state["prediction"] == int(model.predict(X_test[7:8] / 16).argmax())
    correct = [pad.set_pixels(x) or pad.state["prediction"] == label
               for x, label in zip(X_test[:60], y_test[:60])]
    assert np.mean(correct) > 0.8                       # a trained model reads most of them
    assert f"The network says {pad.state['prediction']}" in pad.describe()
    pad.controls["clear"].click()
    assert pad.state["ink"] == 0 and "The pad is empty." in pad.describe()


def test_a_loaded_example_shows_its_true_label_until_the_pad_is_changed(trained):
    model, X_test, y_test = trained
    pad = DigitPad(model, examples=X_test, labels=y_test)
    pad.controls["example"].value = 5
    label = int(y_test[5])
    assert (pad.state["example"], pad.state["true_label"]) == (5, label)
    title = pad.canvas.panels["bars"].spec["title"]          # above the bars
    assert title.startswith(f"true label {label}; the network says")
    assert f"true label <b>{label}</b>" in pad.controls["readout"].value
    assert f"its true label is {label}" in pad.describe()
    pad.press(0, 0)                                    # now it is the student's drawing
    assert (pad.state["example"], pad.state["true_label"]) == (None, None)
    assert "true label" not in pad.canvas.panels["bars"].spec["title"] + pad.describe()
    pad.controls["load"].click()
    assert pad.state["true_label"] == label
    with pytest.raises(ValueError, match="one digit 0-9 per example"):
        DigitPad(model, examples=X_test, labels=y_test[:3])
    with pytest.raises(ValueError, match="give examples too"):
        DigitPad(model, labels=y_test)


def test_squares_show_their_ink_and_controls_are_named(trained):
    pad = DigitPad(trained[0], examples=trained[1])
    pad.set_pixels(np.full(64, 16.0))
    # the grey palette: 16 is its last colour, black; 0 its first, white
    assert (pad.canvas.layer("pad", "ink")["bytes"] == 255).all()
    pad.clear()
    assert (pad.canvas.layer("pad", "ink")["bytes"] == 0).all()
    for name, control in pad.controls.items():
        if name != "readout":
            assert control.description.strip(), f"{name} has no description"
    assert pad.text_twin.text == pad.describe() and pad.text_twin in pad.view.children
    assert pad.figure_widget() is pad.canvas and pad.canvas.label == pad.figure_label
    assert f"<b>{pad.state['prediction']}</b>" in pad.controls["readout"].value


def test_bad_input_is_a_clear_error(trained):
    model = trained[0]
    with pytest.raises(ValueError, match="64 inputs"):
        DigitPad(MLP([2, 10], output_activation="softmax"))
    with pytest.raises(ValueError, match=r"examples must have shape \(m, 64\)"):
        DigitPad(model, examples=np.zeros((3, 10)))
    pad = DigitPad(model)
    with pytest.raises(ValueError, match="64 pixels"):
        pad.set_pixels(np.zeros(10))
    with pytest.raises(ValueError, match="between 0 and 16"):
        pad.set_pixels(np.full(64, 20.0))
