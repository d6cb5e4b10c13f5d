"""The Canvas every widget draws with (nnlab/widgets/canvas.py), without a browser: what it
sends, how often, and how it refuses bad input. Its pixels are checked in Chromium
(tests/browser/test_harness.py)."""

import numpy as np
import pytest

from nnlab.widgets import style
from nnlab.widgets.canvas import Canvas


@pytest.fixture()
def canvas():
    c = Canvas(width=300, height=200, label="test")
    c.panel("p", left=30, top=10, width=200, height=150, xlim=(0, 2), ylim=(-1, 1))
    return c


def test_a_frame_is_one_message_however_many_layers_change(canvas):
    sent = []
    canvas.observe(lambda change: sent.append(change["new"]), names="scene")
    with canvas.frame():
        panel = canvas.panels["p"]
        panel.image("map", np.ones((2, 3)), low=0, high=1)
        panel.line("curve", [0, 1, 2], [0, 1, 0])
        panel.points("data", [0.5], [0.5], classes=[1])
    assert len(sent) == 1
    assert sent[0]["panels"]["p"]["order"] == ["map", "curve", "data"]


def test_images_are_sent_as_palette_indices_row_0_at_the_bottom(canvas):
    panel = canvas.panels["p"]
    panel.image("map", [[-1.0, 0.0], [0.5, 2.0]], low=-1.0, high=1.0)
    wire = canvas.scene["panels"]["p"]["layers"]["map"]
    # (v - low) / (high - low) * 255, rounded; clipped above: a hand computation
    assert list(wire["bytes"]) == [0, 128, 191, 255]
    assert (wire["rows"], wire["cols"]) == (2, 2)
    assert wire["extent"] == [0.0, 2.0, -1.0, 1.0]


def test_lines_travel_as_float32_bytes(canvas):
    canvas.panels["p"].line("curve", [0, 1, 2], [0.5, np.nan, -0.25])
    wire = canvas.scene["panels"]["p"]["layers"]["curve"]
    ys = np.frombuffer(wire["y"], dtype=np.float32)
    assert ys[0] == 0.5 and np.isnan(ys[1]) and ys[2] == -0.25


def test_classes_get_colour_and_shape(canvas):
    canvas.panels["p"].points("data", [0, 1, 2], [0, 0, 0], classes=[0, 1, 2])
    layer = canvas.layer("p", "data")
    assert layer["fill"] == style.CLASS_COLORS
    assert layer["shape"] == style.CLASS_MARKERS


@pytest.mark.parametrize("call, message", [
    (lambda p: p.image("m", np.ones(3)), "values must be a 2-D array"),
    (lambda p: p.image("m", np.ones((2, 2)), low=1, high=1), "high must be greater than low"),
    (lambda p: p.image("m", np.ones((2, 2)), palette="rainbow"), "palette must be one of"),
    (lambda p: p.line("l", [0, 1], [0]), "same length"),
    (lambda p: p.line("l", [0, 1], [0, 1], dash="wavy"), "dash must be one of"),
    (lambda p: p.points("d", [0, 1], [0, 1], classes=[0, 5]), "classes must be 2 labels"),
    (lambda p: p.points("d", [0, 1], [0, 1], fill=["red"]), "fill must be one value or 2"),
    (lambda p: p.set(colour="red"), "unknown field"),
])
def test_bad_input_names_the_argument(canvas, call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call(canvas.panels["p"])


def test_bad_limits_are_refused():
    with pytest.raises(ValueError, match="xlim must be"):
        Canvas().panel("p", 0, 0, 10, 10, xlim=(1, 1))


def test_pointer_and_key_messages_reach_callbacks(canvas):
    events, keys = [], []
    canvas.on_pointer(events.append)
    canvas.on_key(keys.append)
    canvas._message(canvas, {"type": "pointer", "panel": "p", "x": 1.0, "y": 0.5,
                             "kind": "down", "buttons": 1}, [])
    canvas._message(canvas, {"type": "pointer", "panel": "nowhere", "x": 0, "y": 0}, [])
    canvas._message(canvas, {"type": "key", "key": "ArrowUp"}, [])
    assert events == [{"panel": "p", "x": 1.0, "y": 0.5, "kind": "down", "buttons": 1}]
    assert keys == ["ArrowUp"]


def test_a_legend_keeps_each_samples_style(canvas):
    canvas.panels["p"].legend("key", [("train", {"color": "#444444", "dash": "--"}),
                                      ("test", {"color": "#882255", "marker": "v"}),
                                      ("best", {"color": "#117733"})])
    entries = canvas.layer("p", "key")["entries"]
    assert [(e["label"], e["dash"], e["marker"]) for e in entries] == [
        ("train", "dashed", ""), ("test", "", "v"), ("best", "solid", "")]
    with pytest.raises(ValueError, match="unknown style"):
        canvas.panels["p"].legend("key", [("x", {"colour": "red"})])
