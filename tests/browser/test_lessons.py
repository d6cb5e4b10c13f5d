"""Every lesson in a real JupyterLab: it runs clean, and its widgets answer a student's hands.

For each course/*.ipynb (found by glob, so new lessons are picked up): open it, Run All, wait
for the kernel, then fail on any error or stderr output, any widget that failed to display and
any browser console error; save a screenshot. Then, for every nnlab widget in the lesson, move
one slider with the keyboard (and click one button where it has one) and check that the figure's
canvas changes and the readouts show the new values.
"""

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nnlab import activations

from .graph_health_checks import (
    check_graph_explorer,
    check_graph_forward,
    check_layer_health,
    check_layer_health_epoch,
)
from .hidden_conditioning_checks import (
    check_conditioning_rate,
    check_hidden_space_epochs,
    check_hidden_space_rate,
)
from .labdriver import SLIDER, canvas_pixels, move_slider, pixel_at, wait_canvas_change

REPO = Path(__file__).resolve().parents[2]
# ms: a readout or figure computed by the kernel arrives after the slider moved; generous, as
# CI shares two cores with everything else
KERNEL_LAG = 30_000


# `lesson` (conftest.py): each lesson, opened and run once for these tests and
# test_accessibility.py's.


def test_lesson_runs_clean(lesson):
    problems = lesson.problems()
    assert not problems, "\n\n".join(problems)
    assert lesson.unexecuted_code_cells() == 0, "Run All stopped before the last cell"


WIDGET_CALL = re.compile(r"\b(NeuronExplorer|ActivationExplorer|PerceptronTrainer|DescentExplorer|"
                         r"BackpropStepper|Playground|LearningCurves|DigitPad|"
                         r"GraphExplorer|LayerHealth|HiddenSpace|Conditioning)\(")


def test_lesson_widgets_respond(lesson, request):
    widgets = lesson.widgets()
    if not widgets:
        # Some lessons (06, 10) use plain ipywidgets only: then the source must build no nnlab
        # widget either, otherwise a widget failed to render.
        name = request.node.callspec.params["lesson"]
        source = (REPO / "course" / name).read_text()
        assert not WIDGET_CALL.search(source), f"{name} builds an nnlab widget the page lacks"
        return
    errors_before = len(lesson.console_errors)
    for widget in widgets:
        exercise(lesson, widget)
    new_errors = lesson.console_errors[errors_before:]
    assert not new_errors, "browser console errors while using the widgets:\n" + "\n".join(
        new_errors)


# ---------------------------------------------------------------- what to do with each widget
def texts(locator):
    return [t.strip() for t in locator.all_inner_texts()]


def wait_until(widget, predicate, message, timeout=KERNEL_LAG):
    """Poll `predicate()` until true; fail with `message` (and the last value) otherwise."""
    page = widget.page
    waited = 0
    value = None
    while waited <= timeout:
        value = predicate()
        if value:
            return value
        page.wait_for_timeout(100)
        waited += 100
    raise AssertionError(message)


def html_text(widget):
    return "\n".join(texts(widget.locator(".widget-html")))


def neuron_table(widget):
    """{(x1, x2): h} from the NeuronExplorer's truth table readout."""
    rows = widget.evaluate(
        """el => [...el.querySelectorAll('.widget-html tr')]
                 .map(r => [...r.querySelectorAll('td')].map(td => td.textContent.trim()))
                 .filter(cells => cells.length >= 3)""")
    return {(float(r[0]), float(r[1])): float(r[2]) for r in rows}


def check_neuron_explorer(widget, old, new, before):
    # moving w1 by dw changes h = w1 x1 + w2 x2 + b by dw * x1 in every row
    dw = float(new) - float(old)

    def updated():
        table = neuron_table(widget)
        return table if table and all(
            math.isclose(table[x], h + dw * x[0], abs_tol=0.011) for x, h in before.items()
        ) else None

    table = wait_until(widget, updated,
                       f"the truth-table readout did not show h + {dw:+.1f} * x1 after w1 "
                       f"moved from {old} to {new}: before {before}, now {neuron_table(widget)}")
    check_neuron_picture(widget, table)


def selected(widget, description):
    """The option a dropdown described `description` shows."""
    return widget.locator(".widget-dropdown", has_text=description).locator("select").evaluate(
        "s => s.options[s.selectedIndex].text").strip()


def wait_pixels(widget, wanted, message):
    """Wait until `wanted()` (a list of (what, pixel, ok)) has every ok; fail listing the
    others: the canvas draws in the frame after its message, which may follow the readout's."""
    found = []

    def all_ok():
        found[:] = wanted()
        return all(ok for _, _, ok in found)

    try:
        wait_until(widget, all_ok, message)
    except AssertionError:
        raise AssertionError(message + ": " + "; ".join(
            f"{what} is {pixel}" for what, pixel, ok in found if not ok)) from None


def near(pixel, colors, tolerance=3):
    return pixel is not None and any(
        all(abs(int(p) - int(c)) <= tolerance for p, c in zip(pixel[:3], color[:3]))
        for color in colors)


def check_neuron_picture(widget, table):
    """The browser's picture is the state's: the map's colour at points of the plane is the
    palette's colour of the neuron's output there, and the decision line is drawn where
    `boundary_line` puts it (the idea of the old blitting tests, from the pixels)."""
    from nnlab import Neuron
    from nnlab.activations import SUM_THRESHOLD
    from nnlab.decision_line import boundary_line
    from nnlab.widgets import style
    from nnlab.widgets.neuron_explorer import NeuronExplorer

    b = table[(0.0, 0.0)]                      # z = w1 x1 + w2 x2 + b, row by row
    w1, w2 = table[(1.0, 0.0)] - b, table[(0.0, 1.0)] - b
    name = selected(widget, "activation g")
    neuron = Neuron([w1, w2], bias=b, activation=name)
    low, high = NeuronExplorer._color_range(name)
    rows = [(0, 0), (0, 1), (1, 0), (1, 1)]

    def clear(x, y):                           # off the rows' markers and the line
        z = w1 * x + w2 * y + b - SUM_THRESHOLD[name]
        return (min(math.dist((x, y), r) for r in rows) > 0.2
                and abs(z) > 0.08 * math.hypot(w1, w2))

    def wanted():
        found = []
        for x in (-0.4, 0.2, 0.5, 0.8, 1.4):
            for y in (-0.4, 0.5, 1.4):
                if not clear(x, y):
                    continue
                # the cell's colour: the palette at the output, give or take half a cell
                index = (min(max(float(neuron([[x, y]])[0]), low), high) - low) / (high - low)
                index = round(index * 255)
                colors = style.CMAP_BYTES[max(index - 8, 0):index + 9]
                pixel = pixel_at(widget, "map", x, y)
                found.append((f"the map at ({x}, {y})", pixel, near(pixel, colors)))
        xs, ys = boundary_line((w1, w2), b, (-0.5, 1.5), (-0.5, 1.5),
                               level=SUM_THRESHOLD[name])
        if xs.size:                            # a point of the line, far from the markers
            points = [(xs[0] + t * (xs[1] - xs[0]), ys[0] + t * (ys[1] - ys[0]))
                      for t in (0.2, 0.35, 0.5, 0.65, 0.8)]
            points = [p for p in points if -0.45 < p[0] < 1.45 and -0.45 < p[1] < 1.45]
            if points:
                x, y = max(points, key=lambda p: min(math.dist(p, r) for r in rows))
                pixel = pixel_at(widget, "map", x, y)
                found.append((f"the decision line at ({x:.2f}, {y:.2f})", pixel,
                              pixel is not None and max(pixel[:3]) < 120))
        return found

    wait_pixels(widget, wanted, f"the map does not show the neuron w1 = {w1:.1f}, "
                f"w2 = {w2:.1f}, b = {b:.1f} ({name})")


def check_activation_explorer(widget, old, new, before):
    select = widget.locator(".widget-dropdown select").first
    name = select.evaluate("s => s.options[s.selectedIndex].text").strip()
    z = float(new)
    f = activations.get(name)
    expected = (f"f(z) = {float(f(z)):.4f}", f"f'(z) = {float(f.derivative(z)):.4f}")
    wait_until(widget, lambda: all(e in html_text(widget) for e in expected),
               f"the readout did not show {expected} for {name} at z = {z}: "
               f"{html_text(widget)!r}")
    check_activation_picture(widget, f, z)


def check_activation_picture(widget, f, z):
    """The browser's picture is the state's: the black point at (z, f(z)) and (z, f'(z)), and
    softmax's bars as tall as the softmax of the scores the readout gives, in class colours."""
    from nnlab.widgets import style

    scores = [float(v) for v in re.search(r"softmax\(\[([^\]]*)\]\)",
                                          html_text(widget)).group(1).split(",")]
    total = sum(math.exp(v) for v in scores)
    shares = [math.exp(v) / total for v in scores]      # softmax by hand
    colors = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in style.CLASS_COLORS]

    def wanted():
        found = [(f"the point (z, f(z)) = ({z}, {float(f(z)):.3f})", pixel, near(pixel, [(0,) * 3]))
                 for pixel in [pixel_at(widget, "f", z, float(f(z)))]]
        found += [(f"the point (z, f'(z)) = ({z}, {float(f.derivative(z)):.3f})", pixel,
                   near(pixel, [(0,) * 3])) for pixel in [pixel_at(widget, "slope", z,
                                                                  float(f.derivative(z)))]]
        for i, share in enumerate(shares):
            if share > 0.15:                   # inside the bar, under its top, above its shape
                pixel = pixel_at(widget, "softmax", i, share - 0.03)
                found.append((f"bar {i} under its top {share:.2f}", pixel,
                              near(pixel, [colors[i]])))
            pixel = pixel_at(widget, "softmax", i, share + 0.1)   # above the bar and its label
            if share + 0.1 < 1.1:
                found.append((f"above bar {i}", pixel, near(pixel, [(255, 255, 255)])))
        return found

    wait_pixels(widget, wanted, f"the activation explorer's picture at z = {z} is not the state's")


def check_perceptron_trainer(widget, old, new, before):
    expected = f"learning rate {float(new):g}"
    wait_until(widget, lambda: expected in html_text(widget),
               f"the status did not show {expected!r}: {html_text(widget)!r}")


def check_perceptron_step(widget, before):
    """After Step: the status changed, and the browser's picture is the state's. The state is
    rebuilt here from what the page says (data, learning rate, epoch and sample: the lesson's
    trainer has the default seed) and must give the weights the status shows; then the line is
    drawn where `boundary_line` puts it, the background is pale blue where the perceptron says
    class 1 and pale orange elsewhere, the current sample has its black ring and every point
    the line gets wrong its red one (the idea of the old blitting tests, from the pixels)."""
    from nnlab.decision_line import boundary_line
    from nnlab.widgets import PerceptronTrainer, style
    from nnlab.widgets.base import number
    from nnlab.widgets.canvas import PALETTES

    check_status_changed(widget, before)

    def stepped():          # the twin is set after the picture and the status: wait for it
        found = re.search(r"Epoch (\d+) done.*next sample (\d+) of", twin_text(widget), re.S)
        return found and (int(found.group(1)), int(found.group(2))) != (0, 1)

    wait_until(widget, stepped, "the text under the figure does not say a sample was taken: "
               f"{twin_text(widget)!r}")
    twin, status = twin_text(widget), html_text(widget)
    epochs = int(re.search(r"Epoch (\d+) done", twin).group(1))
    position = int(re.search(r"next sample (\d+) of", twin).group(1)) - 1
    trainer = PerceptronTrainer(selected(widget, "data"))
    trainer.controls["learning_rate"].value = float(
        re.search(r"learning rate ([\d.]+)", status).group(1))
    for _ in range(epochs * len(trainer.X) + position):
        trainer.step()
    s = trainer.state
    (w1, w2), b = s["weights"], s["bias"]
    shown = f"w = ({number(w1, small=True)}, {number(w2, small=True)})"
    assert shown in status, f"the state rebuilt here ({shown}) is not the page's: {status!r}"

    geometry = json.loads(widget.evaluate(
        "el => el.querySelector('.nnlab-canvas').dataset.panels"))["data"]
    (x0, x1), (y0, y1) = geometry["xlim"], geometry["ylim"]
    unit = geometry["width"] / (x1 - x0)            # px per data unit (both axes alike)
    X, size = trainer.X, trainer.picture.point_size

    def px(x, y):                                   # data -> CSS px inside the panel
        return (x - x0) * unit, (y1 - y) * unit

    def clear_of_points(x, y, margin):
        u, v = px(x, y)
        return all(math.dist((u, v), px(*p)) > margin for p in X)

    def side(x, y):                                 # signed distance to the line, in px
        return (w1 * x + w2 * y + b) / math.hypot(w1, w2) * unit

    def rgb(color):
        return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))

    pale = {True: PALETTES["diverging"][round((0.3 + 1) * 127.5)],
            False: PALETTES["diverging"][round((-0.3 + 1) * 127.5)]}

    def wanted():
        found = []
        xs, ys = boundary_line((w1, w2), b, (x0, x1), (y0, y1))
        line = [(xs[0] + t * (xs[1] - xs[0]), ys[0] + t * (ys[1] - ys[0]))
                for t in np.linspace(0.05, 0.95, 19)]
        line = [p for p in line if x0 < p[0] < x1 and y0 < p[1] < y1
                and clear_of_points(*p, size + 20)]
        found.append(("points of the line clear of the samples", len(line), len(line) > 0))
        for x, y in line[:3]:
            pixel = pixel_at(widget, "data", x, y)
            found.append((f"the line at ({x:.2f}, {y:.2f})", pixel,
                          pixel is not None and max(pixel[:3]) < 110))
        for x in np.linspace(x0, x1, 9)[1:-1]:
            for y in np.linspace(y0, y1, 9)[1:-1]:
                if abs(side(x, y)) > 10 and clear_of_points(x, y, size + 20):
                    pixel = pixel_at(widget, "data", x, y)
                    found.append((f"the background at ({x:.2f}, {y:.2f})", pixel,
                                  near(pixel, [pale[side(x, y) >= 0]])))
        rings = [(s["current"], style.CURRENT, size + 16)] if s["current"] is not None else []
        rings += [(i, style.WRONG, size + 8) for i in s["misclassified"]
                  if s["current"] is None or math.dist(px(*X[i]), px(*X[s["current"]])) > 30]
        found.append(("the current sample's ring", s["current"], s["current"] is not None))
        for i, color, diameter in rings[:4]:
            x, y = X[i][0] + diameter / 2 / unit, X[i][1]   # on the ring, right of the point
            pixel = pixel_at(widget, "data", x, y)
            found.append((f"the ring of sample {i}", pixel, near(pixel, [rgb(color)], 12)))
        checked = sum(what.startswith("the background") for what, _, _ in found)
        return found + [("background points checked", checked, checked >= 5)]

    wait_pixels(widget, wanted, f"the picture is not the perceptron w = ({w1:.3g}, {w2:.3g}), "
                f"b = {b:.3g} after {epochs} epoch(s) and {position} sample(s)")


def check_text_changed(widget, old, new, before):
    wait_until(widget, lambda: html_text(widget) != before,
               f"the readout stayed {before!r} after the slider moved from {old} to {new}")


def check_learning_curves(widget, old, new, before):
    """After a new setting: the readout changed, and the browser's picture is the state's. The
    run is trained again here with the settings the page states (the lesson's widget has the
    default data and seed) and must be described as the page describes it; then the output
    map's colours, the two curves and the dot at the lowest validation loss are where that run
    puts them."""
    from nnlab.widgets import LearningCurves, style
    from nnlab.widgets.canvas import PALETTES
    from nnlab.widgets.learning_curves import MAP_RANGE

    check_text_changed(widget, old, new, before)
    pattern = (r"(\d+) neurons in each of two hidden layers \(\d+ parameters\), (\d+) training "
               r"points, L2 rate ([\d.]+)")
    wait_until(widget, lambda: re.search(pattern, twin_text(widget)) and
               re.search(rf"\b{int(float(new))} neurons", twin_text(widget)),
               f"the text under the figure does not say {new} neurons")
    hidden, n_train, l2 = re.search(pattern, twin_text(widget)).groups()
    max_epochs = int(re.search(r"epoch \d+ of (\d+)", html_text(widget)).group(1))
    curves = LearningCurves(hidden=int(hidden), n_train=int(n_train), l2=float(l2),
                            max_epochs=max_epochs)
    s = curves.state
    assert curves.describe() == twin_text(widget), (
        f"the run trained here is not the page's: {curves.describe()!r}")

    panels = json.loads(widget.evaluate(
        "el => el.querySelector('.nnlab-canvas').dataset.panels"))
    data, loss = panels["data"], panels["loss"]
    unit = data["width"] / (data["xlim"][1] - data["xlim"][0])
    points = np.vstack([curves.X_pool[:s["n_train"]], curves.X_val])
    palette, (low, high) = PALETTES["diverging"], MAP_RANGE
    step = 12.0 / (len(s["output"]) - 1)          # the output is a grid over -6..6

    def map_colors(x, y):
        """The colours of the four cells around (x, y): a smoothed map shows a blend."""
        j, i = (x + 6) / step, (y + 6) / step
        cells = [s["output"][r][c] for r in {math.floor(i), math.ceil(i)}
                 for c in {math.floor(j), math.ceil(j)}]
        colors = palette[[round((min(max(v, low), high) - low) / (high - low) * 255)
                          for v in cells]][:, :3].astype(int)
        return colors.min(axis=0) - 4, colors.max(axis=0) + 4

    def loss_px(epoch, value):
        return ((epoch - loss["xlim"][0]) / (loss["xlim"][1] - loss["xlim"][0]) * loss["width"],
                (loss["ylim"][1] - value) / (loss["ylim"][1] - loss["ylim"][0]) * loss["height"])

    def wanted():
        found = []
        for x in np.linspace(-5.5, 5.5, 12):
            for y in np.linspace(-5.5, 5.5, 12):
                if np.min(np.hypot(*(points - (x, y)).T)) * unit > 9:
                    pixel = pixel_at(widget, "data", x, y)
                    least, most = map_colors(x, y)
                    found.append((f"the map at ({x:.1f}, {y:.1f})", pixel, pixel is not None
                                  and all(least[k] <= pixel[k] <= most[k] for k in range(3))))
        best, lowest = s["best_epoch"], s["best_val_loss"]
        pixel = pixel_at(widget, "loss", best, lowest)
        found.append((f"the lowest validation loss {lowest:.3f} at epoch {best}", pixel,
                      near(pixel, [tuple(int(style.POSITIVE[i:i + 2], 16) for i in (1, 3, 5))])))
        for epoch in range(5, s["epochs"] - 5, 7):
            train = loss_px(epoch, s["train_loss"][epoch])
            val = loss_px(epoch, s["val_loss"][epoch])
            if abs(train[1] - val[1]) < 8 or abs(loss_px(best, 0)[0] - train[0]) < 6:
                continue
            pixel = pixel_at(widget, "loss", epoch, s["val_loss"][epoch])
            found.append((f"the validation loss at epoch {epoch}", pixel,
                          pixel is not None and max(pixel[:3]) < 150))
            pixel = pixel_at(widget, "loss", epoch, s["train_loss"][epoch])
            found.append((f"the training loss at epoch {epoch}", pixel, pixel is not None
                          and 100 < pixel[0] < 225 and abs(pixel[0] - pixel[2]) < 12))
        counts = [sum(what.startswith(kind) for what, _, _ in found)
                  for kind in ("the map", "the validation loss at")]
        return found + [("map points and curve points checked", counts,
                         counts[0] >= 20 and counts[1] >= 3)]

    wait_pixels(widget, wanted, f"the picture is not the run with {hidden} neurons")


def check_playground_step(widget, before):
    wait_until(widget, lambda: re.search(r"\bepoch 1\b", html_text(widget)),
               f"the epoch counter did not show 'epoch 1' after one step: {html_text(widget)!r}")
    # the picture is the state after the step: the run replayed here from its share code
    from nnlab.playground import PlaygroundSession

    from .test_playground_play import assert_map_shows

    widget.locator("button", has_text=re.compile(r"^\s*share code\s*$")).first.click()
    box = widget.locator("input[placeholder=\"press 'share code'\"]")
    code = wait_until(widget, box.input_value, "no share code appeared after 'share code'")
    session = PlaygroundSession.from_code(code)
    session.tick(1)
    assert_map_shows(widget, session)


def twin_text(widget):
    """What the widget's text twin (the live region under its figure) says now."""
    return "\n".join(texts(widget.locator(".nnlab-text-twin-text")))


def check_twin_changed(widget, old, new, before):
    wait_until(widget, lambda: twin_text(widget) != before,
               f"the text under the figure stayed {before!r} after the slider moved from {old} "
               f"to {new}")


def check_status_changed(widget, before):
    wait_until(widget, lambda: html_text(widget) != before,
               f"the status stayed {before!r} after the click")


def until_colors(widget, wanted, message, tolerance=4):
    """Wait until every (what, pixel, colour) of `wanted()` has its pixel within `tolerance`
    of its colour (the canvas draws in the frame after the readout); fail naming the others."""
    wrong = []

    def all_right():
        wrong[:] = [f"{what} is {pixel}, not {color}" for what, pixel, color in wanted()
                    if pixel is None or any(abs(int(p) - int(c)) > tolerance
                                            for p, c in zip(pixel[:3], color))]
        return not wrong

    try:
        wait_until(widget, all_right, message)
    except AssertionError:
        raise AssertionError(f"{message}: {'; '.join(wrong)}") from None


def check_backprop_next(widget, before):
    """After 'next', neuron h1 is filled with the palette's colour of its activation a_h1 (or
    the neutral grey before it is computed), as the text twin gives them."""
    from nnlab.widgets import style

    from .labdriver import pixel_at

    def wanted():
        twin = twin_text(widget)
        activation = re.search(r"hidden activation (\w+)", twin)
        a_h1 = re.search(r"\ba_h1 = (-?\d+\.\d+)", twin)
        color = tuple(int(style.NEUTRAL[i:i + 2], 16) for i in (1, 3, 5))
        if activation and a_h1:
            low, high = style.output_range(activation.group(1))
            t = (min(max(float(a_h1.group(1)), low), high) - low) / (high - low)
            color = tuple(round(255 * c) for c in style.CMAP(t)[:3])
        pixel = pixel_at(widget, "net", 2.0, 1.4)          # inside h1, below its name
        return [(f"h1 (a_h1 {a_h1 and a_h1.group(1)})", pixel, color)]

    until_colors(widget, wanted, "neuron h1 is not coloured by its activation")


def pad_square(widget, row, col):
    """The page coordinates of the centre of the DigitPad's square (row, col)."""
    spec = widget.evaluate("el => JSON.parse(el.querySelector('.nnlab-canvas').dataset.panels)"
                           ".pad")
    box = widget.locator(".nnlab-canvas canvas").bounding_box()
    return (box["x"] + spec["left"] + (col + 0.5) / 8 * spec["width"],
            box["y"] + spec["top"] + (row + 0.5) / 8 * spec["height"])


def check_digit_pad(widget, before):
    """Cleared, the pad is white; a drag with the mouse along row 3 inks its eight squares
    (the text twin and the pixels say so); with the keyboard, the cursor goes to the top-left
    square, Space twice inks it black, and Tab leaves the pad."""
    from .labdriver import pixel_at

    check_status_changed(widget, before)
    page = widget.page
    white, black = (255, 255, 255), (0, 0, 0)

    def squares(cells, color):
        return lambda: [(f"square {cell}", pixel_at(widget, "pad", cell[1] + 0.5, 7.5 - cell[0]),
                         color) for cell in cells]

    until_colors(widget, squares([(0, 0), (0, 7), (7, 0), (7, 7), (2, 3)], white),
                 "the cleared pad is not white")
    widget.locator("button", has_text=re.compile(r"^\s*pen\s*$")).first.click()
    page.mouse.move(*pad_square(widget, 2, 0))
    page.mouse.down()
    for col in range(1, 8):
        page.mouse.move(*pad_square(widget, 2, col), steps=2)
    page.mouse.up()
    wait_until(widget, lambda: "8 of 64 squares are inked, in rows 3 to 3 and columns 1 to 8"
               in twin_text(widget), f"the drag did not ink row 3: {twin_text(widget)!r}")
    until_colors(widget, squares([(2, col) for col in range(8)], black),
                 "the dragged squares are not black")
    canvas = widget.locator(".nnlab-canvas canvas")
    canvas.focus()
    for _ in range(8):
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowLeft")
    page.keyboard.press("Space")
    page.keyboard.press("Space")
    wait_until(widget, lambda: "cursor is on row 1, column 1 (ink 16)" in twin_text(widget),
               f"the keyboard did not ink the top-left square: {twin_text(widget)!r}")
    until_colors(widget, squares([(0, 0)], black), "the square inked by keyboard is not black")
    page.keyboard.press("Tab")
    assert not canvas.evaluate("c => document.activeElement === c"), "Tab did not leave the pad"


def check_descent_explorer(widget, old, new, before):
    """The browser's picture is the state's after the learning rate moved: the full-batch path
    and its loss curve, trained again here by the core from the sliders' readouts, have their
    markers where the canvas shows the path's colour (at points clear of the other paths, the
    start, the star and the notes; the idea of the old blitting tests, from the pixels)."""
    import json

    import numpy as np

    from nnlab import MLP, datasets, optimizers
    from nnlab.callbacks import PathRecorder
    from nnlab.landscape import loss_surface

    from .labdriver import pixel_at, slider_readout

    def readout(description):
        text = slider_readout(find_slider(widget, description))
        return float(text.replace("\u2212", "-"))             # ipywidgets writes a minus sign

    rate = 10 ** (round(math.log10(float(new)) / 0.05) * 0.05)     # the log slider's steps
    start = (readout("start w"), readout("start b"))
    epochs, seed, batch = int(readout("epochs")), int(readout("seed")), int(readout("batch size"))
    X, y = datasets.overlapping_1d()
    model = MLP([1, 1], output_activation="sigmoid").compile("binary_crossentropy", "sgd")
    curves = {}
    for size in (None, 1, batch):
        model.compile("binary_crossentropy", optimizers.SGD(rate), metrics=())
        model.set_weights([[[start[0]]], [start[1]]])
        recorder = PathRecorder(model)
        model.fit(X, y, epochs=epochs, batch_size=size, seed=seed, callbacks=[recorder])
        path = np.array([start, *recorder.points])
        losses = []
        for w, b in path:
            model.set_weights([[[w]], [b]])
            losses.append(model.evaluate(X, y)["loss"])
        steps = np.arange(len(path)) * epochs / (len(path) - 1)
        curves[size] = {"surface": path, "loss": np.column_stack([steps, losses])}
    ws, bs = np.linspace(-4, 6, 201), np.linspace(-5, 5, 201)
    grid = loss_surface(model, X, y, ws, bs)
    i, j = np.unravel_index(np.argmin(grid), grid.shape)

    def pixels(points, spec):
        (x0, x1), (y0, y1) = spec["xlim"], spec["ylim"]
        return np.column_stack([spec["left"] + (points[:, 0] - x0) / (x1 - x0) * spec["width"],
                                spec["top"] + spec["height"]
                                - (points[:, 1] - y0) / (y1 - y0) * spec["height"]])

    def distance(p, line):                 # from a point to a polyline, in pixels
        a, b = line[:-1], line[1:]
        t = np.clip(np.einsum("ij,ij->i", p - a, b - a)
                    / np.maximum(np.einsum("ij,ij->i", b - a, b - a), 1e-12), 0, 1)
        return float(np.min(np.hypot(*(a + t[:, None] * (b - a) - p).T)))

    def wanted():
        panels = json.loads(widget.evaluate(
            "el => el.querySelector('.nnlab-canvas').dataset.panels || '{}'"))
        found = []
        for panel in ("surface", "loss"):
            spec = panels.get(panel)
            if spec is None:
                return [(f"the {panel} panel", None, False)]
            mine = curves[None][panel]
            others = [pixels(curves[size][panel], spec) for size in (1, batch)]
            avoid = [pixels(np.array([start, (ws[j], bs[i])]), spec)] if panel == "surface" \
                else []
            right, top = spec["left"] + spec["width"], spec["top"]
            for point, (u, v) in zip(mine, pixels(mine, spec), strict=True):
                inside = (spec["left"] + 4 < u < right - 4
                          and top + 4 < v < top + spec["height"] - 4)
                in_note = u > right - 150 and v < top + 70          # the step counts
                clear = (inside and not in_note
                         and all(distance(np.array([u, v]), o) > 6 for o in others)
                         and all(np.hypot(*(a - (u, v)).T).min() > 14 for a in avoid))
                if clear:
                    pixel = pixel_at(widget, panel, *point)
                    where = tuple(point.round(3).tolist())
                    # the full-batch path is #444444 (style.LINE_STYLES[0]), drawn under the others
                    dark = pixel is not None and all(abs(c - 0x44) <= 6 for c in pixel[:3])
                    found.append((f"the full-batch {panel} marker at {where}", pixel, dark))
        return found if len(found) >= 3 else [("three clear markers", len(found), False)]

    found = []

    def all_ok():
        found[:] = wanted()
        return all(ok for _, _, ok in found)

    try:
        wait_until(widget, all_ok, "")
    except AssertionError:
        raise AssertionError(
            f"the DescentExplorer does not show the full-batch path at learning rate {rate:.3g}: "
            + "; ".join(f"{what} is {pixel}" for what, pixel, ok in found if not ok)) from None


@dataclass
class Spec:
    slider: str                 # description of the slider to move (None: the first one)
    slider_redraws: bool        # moving it must change the figure
    after_slider: object        # check(widget, old readout, new readout, before) or None
    before_slider: object = html_text   # what `before` is for after_slider
    button: str = None          # description of the button to click, if any
    after_button: object = None  # check(widget, html before) after the click, if any
    keys: tuple = ("ArrowRight", "ArrowLeft")  # how the slider is moved (see move_slider)


SPECS = {
    "nnlab-graph-explorer": Spec("input x1", True, check_graph_explorer,
                                 button="forward step", after_button=check_graph_forward),
    "nnlab-layer-health": Spec("hidden layers (16 units each)", True, check_layer_health,
                               button="one epoch", after_button=check_layer_health_epoch),
    "nnlab-neuron-explorer": Spec("weight w1", True, check_neuron_explorer,
                                  before_slider=neuron_table),
    "nnlab-activation-explorer": Spec("input z", True, check_activation_explorer),
    "nnlab-perceptron-trainer": Spec("learning rate", False, check_perceptron_trainer,
                                     button="Step (one sample)",
                                     after_button=check_perceptron_step),
    "nnlab-playground": Spec("hidden layers", True, check_text_changed, button="step",
                             after_button=check_playground_step),
    "nnlab-backprop-stepper": Spec("learning rate", False, None, button="next",
                                   after_button=check_backprop_next),
    "nnlab-descent-explorer": Spec("learning rate", True, check_descent_explorer),
    "nnlab-learning-curves": Spec("hidden neurons", True, check_learning_curves),
    # a lesson's own ipywidgets box given the nnlab fixes by nnlab.widgets.accessible()
    # (its first slider, to one end: one small step may not change what a lesson draws)
    "nnlab-lesson-box": Spec(None, True, check_twin_changed, before_slider=twin_text,
                             keys=("End", "Home")),
    "nnlab-digit-pad": Spec("example digit", True, check_text_changed, button="clear",
                            after_button=check_digit_pad),
    "nnlab-hidden-space": Spec("learning rate", False, check_hidden_space_rate,
                               button="train 5 epochs", after_button=check_hidden_space_epochs),
    "nnlab-conditioning": Spec("learning rate η", True, check_conditioning_rate),
}


def widget_kind(widget):
    classes = widget.evaluate("el => [...el.classList]")
    kinds = [c for c in classes if c in SPECS]
    return kinds[0] if kinds else None


def find_slider(widget, description):
    if description is None:
        assert widget.locator(SLIDER).count() >= 1, "no slider in the widget"
        return widget.locator(SLIDER).first
    sliders = widget.locator(SLIDER).filter(
        has=widget.page.locator(".widget-label", has_text=re.compile(
            rf"^\s*{re.escape(description)}\s*$")))
    assert sliders.count() >= 1, f"no slider described {description!r} in the widget"
    return sliders.first


def exercise(notebook, widget):
    """Move one slider, click one button; check the canvas and the readouts each time."""
    kind = widget_kind(widget)
    assert kind is not None, (
        "an nnlab widget this test does not know: add its css class and what to do with it "
        f"to SPECS (classes: {widget.evaluate('el => el.className')})")
    spec = SPECS[kind]
    widget.scroll_into_view_if_needed()

    slider = find_slider(widget, spec.slider)
    pixels = canvas_pixels(widget)
    assert pixels is not None, f"{kind}: no ipympl canvas (is %matplotlib widget on?)"
    before = spec.before_slider(widget)
    old, new = move_slider(slider, keys=spec.keys)
    assert float(new) != float(old), f"{kind}: the slider readout did not move ({old} -> {new})"
    if spec.slider_redraws:
        assert wait_canvas_change(widget, pixels, KERNEL_LAG), (
            f"{kind}: the figure did not change after {spec.slider!r} moved {old} -> {new}")
    if spec.after_slider is not None:
        spec.after_slider(widget, old, new, before)

    if spec.button is not None:
        button = widget.locator("button", has_text=re.compile(
            rf"^\s*{re.escape(spec.button)}\s*$")).first
        notebook.wait_idle()  # the slider's own redraw has arrived
        pixels = canvas_pixels(widget)
        before = html_text(widget)
        button.click()
        assert wait_canvas_change(widget, pixels, KERNEL_LAG), (
            f"{kind}: the figure did not change after clicking {spec.button!r}")
        if spec.after_button is not None:
            spec.after_button(widget, before)
