"""What test_lessons.py checks after moving a slider or clicking a button of the HiddenSpace
(lessons 03 and 05) and the Conditioning widget (lesson 07): the browser's picture is what the
text twin says, read from the canvas pixels at data coordinates (labdriver.pixel_at)."""

import math
import re

from nnlab.widgets import style
from nnlab.widgets.conditioning import PATH_COLOR

from .graph_health_checks import _near, _twin, _wait
from .labdriver import pixel_at

ROW = re.compile(r"\((\d), (\d)\) goes to \((-?[\d.]+), (-?[\d.]+)\)")
EPOCH = re.compile(r"[Ee]poch (\d+)")


def _epoch(widget):
    found = EPOCH.search(_twin(widget))
    return int(found.group(1)) if found else None


def check_hidden_space_rate(widget, old, new, before):
    """The learning rate moved: the text twin names the new one."""
    _wait(widget, lambda: [("the text twin", _twin(widget)[:80],
                            f"learning rate {float(new):g}." in _twin(widget))],
          f"the HiddenSpace's text does not name learning rate {new}")


def check_hidden_space_epochs(widget, before):
    """After 'train 5 epochs' (`before`: the page's HTML readouts, the status line "epoch N
    · loss ..." among them): the twin counts 5 more epochs, and for
    XOR each row is drawn, in its class's colour, where the twin says the hidden layer sends
    it (rows closer than 0.2 to another are skipped: one covers the other), and at its place
    in the input plane."""
    start = EPOCH.search(before)
    assert start, f"the HiddenSpace's status line names no epoch: {before!r}"
    wanted_epoch = int(start.group(1)) + 5
    _wait(widget, lambda: [("the epoch", _epoch(widget), _epoch(widget) == wanted_epoch)],
          "the HiddenSpace did not train 5 epochs")

    def rows():
        found = []
        places = [(int(a), int(b), float(c), float(d))
                  for a, b, c, d in ROW.findall(_twin(widget))]
        for x1, x2, a1, a2 in places:
            label = x1 ^ x2                              # XOR
            color = style.CLASS_COLORS[label]
            pixel = pixel_at(widget, "input", x1, x2)
            found.append((f"row ({x1}, {x2}) in the input plane", pixel, _near(pixel, color)))
            alone = all(math.dist((a1, a2), (b1, b2)) > 0.2
                        for y1, y2, b1, b2 in places if (y1, y2) != (x1, x2))
            if alone:
                pixel = pixel_at(widget, "hidden", a1, a2)
                found.append((f"row ({x1}, {x2}) at ({a1}, {a2}) in hidden space", pixel,
                              _near(pixel, color, tolerance=12)))
        return found

    if ROW.search(_twin(widget)):
        _wait(widget, rows, "the HiddenSpace does not draw the rows where its text says")


def check_conditioning_rate(widget, old, new, before):
    """The learning rate moved: the twin names it and the rate strip's triangle is drawn at
    log10 of it (y = 0.72 in that panel), in the path's colour."""
    rate = float(new)

    def wanted():
        pixel = pixel_at(widget, "rate", math.log10(rate), 0.72)
        return [("the text twin", _twin(widget)[:60],
                 f"learning rate {rate:.4g};" in _twin(widget)),
                (f"the rate strip at log10({rate:g})", pixel, _near(pixel, PATH_COLOR, 12))]

    _wait(widget, wanted, "the Conditioning widget does not show the new learning rate")
