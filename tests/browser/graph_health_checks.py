"""What test_lessons.py checks after moving a slider or clicking a button of the GraphExplorer
and the LayerHealth (lessons 08 and 09): the browser's picture is the state's, read from the
canvas pixels at data coordinates (labdriver.pixel_at) against what the text twin says."""

import re

from .labdriver import pixel_at

# ms: the kernel computes, then the canvas draws in the next frame; CI shares two cores
LAG = 30_000


def _twin(widget):
    return "\n".join(t.strip() for t in widget.locator(".nnlab-text-twin-text").all_inner_texts())


def _rgb(color):
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def _near(pixel, color, tolerance=4):
    return pixel is not None and all(abs(int(p) - c) <= tolerance
                                     for p, c in zip(pixel[:3], _rgb(color)))


def _wait(widget, wanted, message):
    """Poll `wanted()` -> list of (what, pixel, ok) until all ok; fail naming the others."""
    found, waited = [], 0
    while waited <= LAG:
        found = wanted()
        if all(ok for _, _, ok in found):
            return
        widget.page.wait_for_timeout(100)
        waited += 100
    raise AssertionError(message + ": " + "; ".join(f"{what} is {pixel}"
                                                    for what, pixel, ok in found if not ok))


def _box_fill(widget, node, value):
    """The colour inside a node's box, off its three lines of text: the pale tint of the
    value's sign (white while unknown)."""
    from nnlab.widgets import style
    from nnlab.widgets.graph_explorer import HALF_WIDTH, POSITIONS, tint

    x, y = POSITIONS[node]
    pixel = pixel_at(widget, "graph", x - HALF_WIDTH + 0.05, y + 0.15)
    color = "#ffffff" if value is None else tint(style.sign_color(value))
    return (f"the box of {node}", pixel, _near(pixel, color))


def check_graph_explorer(widget, old, new, before):
    """After input x1 moved: the text twin gives the new example, and x1's box has the tint
    of the new x1's sign (a leaf's value is always known)."""
    x1 = float(new)

    def wanted():
        said = re.search(r"on x = \((-?[\d.]+), ", _twin(widget))
        if said is None or float(said.group(1)) != x1:
            return [("the example in the text twin", _twin(widget)[:120], False)]
        return [_box_fill(widget, "x1", x1)]

    _wait(widget, wanted, f"the graph does not show x1 = {x1}")


def check_graph_forward(widget, before):
    """After 'forward step': the text twin says one node is computed, x1·w11, and its box,
    white before, has the tint of its value's sign; the next node's box is still white."""
    def wanted():
        twin = _twin(widget)
        step = re.search(r"Forward pass: (\d+) of 13", twin)
        value = re.search(r"x1·w11 = (-?[\d.]+) · (-?[\d.]+) = \(?(-?[\d.]+)\)?", twin)
        if step is None or step.group(1) != "1" or value is None:
            return [("the text twin after one forward step", twin[:200], False)]
        return [_box_fill(widget, "x1*w11", float(value.group(3))),
                _box_fill(widget, "x2*w21", None)]

    _wait(widget, wanted, "the graph does not show the first forward step")


def _ratio_bar(widget, side, layers, layer):
    """Inside `layer`'s update-ratio bar, near its left end (the bars start at 1e-7)."""
    return pixel_at(widget, f"ratio_{side}", -6.8, layers - layer + 0.5)


def check_layer_health(widget, old, new, before):
    """After 'hidden layers' moved: both networks start again with that depth, the text twin
    says so, and no update-ratio bar is drawn yet (epoch 0)."""
    from nnlab.widgets import style

    layers = int(float(new))

    def wanted():
        twin = _twin(widget)
        if not twin.startswith(f"Epoch 0: two networks with {layers} hidden layers"):
            return [("the text twin", twin[:120], False)]
        pixel = _ratio_bar(widget, "left", layers, 1)
        return [("where layer 1's ratio bar will be", pixel, not _near(pixel, style.POSITIVE))]

    _wait(widget, wanted, f"the layer health does not show {layers} fresh hidden layers")


def check_layer_health_epoch(widget, before):
    """After 'one epoch': the text twin says epoch 1 and gives update ratios, and every
    layer's ratio bar is drawn on both sides."""
    from nnlab.widgets import style

    def wanted():
        twin = _twin(widget)
        said = re.match(r"Epoch 1: two networks with (\d) hidden layers", twin)
        if said is None or "update ratio: " not in twin:
            return [("the text twin after one epoch", twin[:160], False)]
        layers = int(said.group(1))
        return [(f"the {side} ratio bar of layer {layer}", pixel,
                 _near(pixel, style.POSITIVE))
                for side in ("left", "right") for layer in range(1, layers + 1)
                for pixel in [_ratio_bar(widget, side, layers, layer)]]

    _wait(widget, wanted, "the layer health does not show the update ratios after one epoch")
