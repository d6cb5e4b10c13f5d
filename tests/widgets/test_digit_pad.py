"""DigitPad: the pad's pixels reach the model; probabilities, bars and readout agree with it."""

import numpy as np
import pytest

from nnlab import MLP, datasets, optimizers
from nnlab.widgets import DigitPad


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


def test_pressing_squares_cycles_the_ink_and_feeds_the_model(trained):
    model, _, _ = trained
    pad = DigitPad(model)
    button = pad.cells[3 * 8 + 4]                       # row 4, column 5
    assert "row 4, column 5" in button.tooltip
    levels = []
    for _ in range(4):
        button.click()
        levels.append(pad.state["pixels"][3, 4])
    assert levels == [8.0, 16.0, 0.0, 8.0]
    expected = softmax_by_hand(model, pad.state["pixels"].reshape(-1) / 16)
    np.testing.assert_allclose(pad.state["probabilities"], expected, rtol=1e-9)
    np.testing.assert_allclose([bar.get_height() for bar in pad.bars], expected, rtol=1e-9)
    np.testing.assert_array_equal(pad.image.get_array(), pad.state["pixels"])
    assert pad.state["prediction"] == int(np.argmax(expected))


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
    assert pad.title.get_text().startswith(f"true label {label};")
    assert f"true label <b>{label}</b>" in pad.controls["readout"].value
    assert f"its true label is {label}" in pad.describe()
    pad.press(0, 0)                                    # now it is the student's drawing
    assert (pad.state["example"], pad.state["true_label"]) == (None, None)
    assert "true label" not in pad.title.get_text() + pad.describe()
    pad.controls["load"].click()
    assert pad.state["true_label"] == label
    with pytest.raises(ValueError, match="one digit 0-9 per example"):
        DigitPad(model, examples=X_test, labels=y_test[:3])
    with pytest.raises(ValueError, match="give examples too"):
        DigitPad(model, labels=y_test)


def test_squares_show_their_ink_and_controls_are_named(trained):
    pad = DigitPad(trained[0], examples=trained[1])
    pad.set_pixels(np.full(64, 16.0))
    assert {b.style.button_color for b in pad.cells} == {"#000000"}
    pad.clear()
    assert {b.style.button_color for b in pad.cells} == {"#ffffff"}
    for name, control in pad.controls.items():
        if name != "readout":
            assert control.description.strip(), f"{name} has no description"
    assert all(b.tooltip.startswith("row ") for b in pad.cells)
    assert pad.text_twin.text == pad.describe() and pad.text_twin in pad.view.children
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
