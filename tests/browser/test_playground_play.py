"""The playground's play button in a real browser: the epoch counter rises, several epochs per
play tick, the canvas keeps getting frames, the loss falls, and pressing it again pauses; the
picture at the pause is the session's state at that epoch, pixel for pixel on the map. (Play
runs on a thread of the kernel that waits for the frames the browser reports drawn, so only a
browser test shows that it really drives training and drawing.)

It also measures how fast play looks to a student: epochs per second as read off the page,
and frames per second drawn on the canvas. The figures are printed (pytest -s shows them) and
go into `make bench` (benchmarks/playground_speed.py); the test asserts counts, not speeds.
"""

import re
import time

import nbformat
import numpy as np

from nnlab.playground import PlaygroundSession
from nnlab.widgets import style

from .labdriver import canvas_frames, pixel_at

STATUS = re.compile(r"epoch ([\d,]+).*?test loss ([\d.]+).*?training loss ([\d.]+)", re.S)
SETUP = {"dataset": "spiral", "hidden": [8, 8], "seed": 0}


def read_status(widget):
    """(epoch, test loss, training loss) from the playground's status readout."""
    text = " ".join(widget.locator(".widget-html").all_inner_texts())
    match = STATUS.search(text)
    assert match, f"no epoch/loss readout in the playground: {text!r}"
    epoch, test_loss, train_loss = match.groups()
    return int(epoch.replace(",", "")), float(test_loss), float(train_loss)


def play_button(widget):
    return widget.locator(".nnlab-play")


def measure_play(widget, epochs=20, min_rises=3, patience=90.0, poll_ms=15, duration=0.0):
    """Press play, watch until the epoch counter has risen by `epochs` in at least `min_rises`
    steps and `duration` seconds have passed (or `patience` seconds: a guard against a hang,
    not a speed target), press it again. Returns a dict: epochs per second, canvas frames per
    second, the frames drawn, the smallest and median rise of the epoch counter between two
    readings that differ (the smallest rise is at most one play tick's epochs), and the epoch
    and losses at the start and the end. Speed targets are `make bench`'s
    (benchmarks/playground_speed.py); the test asserts counts."""
    page = widget.page
    start, frames0 = read_status(widget), canvas_frames(widget)
    play_button(widget).click()
    readings, risen = [], 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < patience:
        readings.append((time.perf_counter(), read_status(widget)[0]))
        if len(readings) > 1 and readings[-1][1] > readings[-2][1]:
            risen += 1
        if (readings[-1][1] >= start[0] + epochs and risen >= min_rises
                and time.perf_counter() - t0 >= duration):
            break
        page.wait_for_timeout(poll_ms)
    seconds = time.perf_counter() - t0
    frames = canvas_frames(widget) - frames0
    play_button(widget).click()
    moving = [(t, e) for t, e in readings if e > start[0]]
    rises = sorted(b[1] - a[1] for a, b in zip(readings, readings[1:]) if b[1] > a[1])
    span = moving[-1][0] - moving[0][0] if len(moving) > 1 else 0.0
    return {"epochs_per_s": (moving[-1][1] - moving[0][1]) / span if span else 0.0,
            "seconds": seconds, "frames": frames, "frames_per_s": frames / seconds,
            "smallest_rise": rises[0] if rises else 0,
            "median_rise": rises[len(rises) // 2] if rises else 0,
            "start": start, "end": read_status(widget)}


def expected_map_colours(session, cells):
    """The colour each grid cell (row, col) of the decision map must have, derived by hand:
    white mixed with a colour, 0.65 of the way where the network is sure, none where it is
    not. Two classes: class 1's colour (blue) for p > 0.5, class 0's (orange) below, by
    |2p - 1|; three classes: the likeliest class's colour, by (max p - 1/3) / (2/3);
    regression: blue above 0, orange below, by |output| (clipped to 1)."""
    out = session.grid_outputs(60)["output"]
    colours = []
    for cell in cells:
        p = out[cell]
        if session.n_classes == 3:
            colour, strength = style.CLASS_COLORS[p.argmax()], (p.max() - 1 / 3) / (2 / 3)
        else:
            value = 2 * p[0] - 1 if session.n_classes == 2 else min(max(p[0], -1.0), 1.0)
            colour, strength = style.POSITIVE if value > 0 else style.NEGATIVE, abs(value)
        target = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
        colours.append(255 - 0.65 * strength * (255 - target))
    return colours


def assert_map_shows(widget, session, n_cells=12):
    """The canvas's decision map shows `session`'s output: the pixel at the centre of a grid
    cell (away from every data point drawn on top) has the colour that cell's output gets."""
    points = np.concatenate([session.X_train, session.X_test])
    centres = -6.0 + (np.arange(60) + 0.5) * 0.2              # 60 cells across [-6, 6]
    rng = np.random.default_rng(0)
    cells = []
    while len(cells) < n_cells:
        row, col = rng.integers(0, 60, size=2)
        gap = np.hypot(points[:, 0] - centres[col], points[:, 1] - centres[row]).min()
        if gap > 0.6:                                         # no marker covers the cell
            cells.append((int(row), int(col)))
    wrong = []
    for cell, expected in zip(cells, expected_map_colours(session, cells)):
        seen = pixel_at(widget, "map", centres[cell[1]], centres[cell[0]])
        assert seen is not None, "no nnlab canvas with a 'map' panel in the playground"
        if not np.allclose(seen[:3], expected, atol=4):
            wrong.append(f"cell {cell}: drawn {seen[:3]}, expected {np.round(expected)}")
    assert not wrong, "the map does not show the session's output:\n" + "\n".join(wrong)


#: JS: where the play button, the canvas and its panels lie once the play button is scrolled
#: to the top of the notebook, and the controls the issue found cut off or blank.
GEOMETRY = """el => {
    const box = e => e.getBoundingClientRect();
    const view = box(el.closest('.jp-WindowedPanel-outer') || el.closest('.jp-Notebook'));
    const root = el.querySelector('.nnlab-canvas'), canvas = box(root.querySelector('canvas'));
    const panels = JSON.parse(root.dataset.panels);
    const select = text => [...el.querySelectorAll('.widget-dropdown')]
        .find(d => d.textContent.includes(text)).querySelector('select');
    const neuron = select('explain neuron');
    return {viewTop: view.top, viewBottom: view.bottom,
            play: box(el.querySelector('.nnlab-play')).top,
            map: canvas.top + panels.map.top + panels.map.height,
            loss: canvas.top + panels.loss.top + panels.loss.height, canvasBottom: canvas.bottom,
            right: box(el).right, outputRight: box(el.closest('.jp-OutputArea-output')).right,
            widest: Math.max(...[...el.querySelectorAll('*')].map(e => box(e).right)),
            speedWidth: box(select('epochs per play tick')).width,
            neuron: neuron.selectedIndex >= 0 ? neuron.options[neuron.selectedIndex].text : ''};
}"""


def check_fits_1366_by_768(notebook, widget):
    """At 1366 x 768 with the file browser open: the play button, the map and the loss chart
    on screen together, nothing past the cell's right edge, no control cut off or blank."""
    page = notebook.page
    size = page.viewport_size
    page.set_viewport_size({"width": 1366, "height": 768})
    try:
        page.evaluate("() => window.jupyterapp.shell.expandLeft()")
        page.wait_for_timeout(500)
        play_button(widget).evaluate("b => b.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        g = widget.evaluate(GEOMETRY)
    finally:
        page.set_viewport_size(size)
    assert g["viewTop"] - 1 <= g["play"] and g["canvasBottom"] <= g["viewBottom"] + 1, (
        f"play button, map and loss chart not on screen together at 1366x768: {g}")
    assert g["widest"] <= g["outputRight"] + 1, f"the playground is too wide for the cell: {g}"
    assert g["speedWidth"] >= 60, f"'epochs per play tick' is {g['speedWidth']} px wide"
    assert g["neuron"] == "none", f"'explain neuron' shows {g['neuron']!r}"


def write_notebook(path, call):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("from nnlab.widgets import Playground"),
                nbformat.v4.new_code_cell(call)]
    nbformat.write(nb, path)


def test_play_trains_several_epochs_per_tick_and_pause_stops(lab_root, open_notebook,
                                                               take_screenshot):
    write_notebook(lab_root / "scratch" / "playground_play.ipynb", f"Playground(**{SETUP!r})")
    notebook = open_notebook("scratch/playground_play.ipynb")
    notebook.run_all()
    assert notebook.problems() == []
    [widget] = notebook.widgets("nnlab-playground")
    widget.scroll_into_view_if_needed()
    assert read_status(widget)[0] == 0
    check_fits_1366_by_768(notebook, widget)
    widget.scroll_into_view_if_needed()

    speed = measure_play(widget)
    take_screenshot(notebook, "playground_after_play")
    print(f"\nplayground in Chromium (spiral, 2x8 hidden): {speed['epochs_per_s']:.0f} "
          f"epochs/s, {speed['frames_per_s']:.1f} frames/s, epochs per tick >= "
          f"{speed['smallest_rise']} (median rise {speed['median_rise']})")
    (_, test0, train0), (epoch, test_loss, train_loss) = speed["start"], speed["end"]
    assert epoch >= 20, f"play stopped after {epoch} epochs: the player no longer trains"
    assert speed["smallest_rise"] >= 2, "play trained a single epoch per play tick"
    # a frame per tick: at least as many frames as the counter's rises were seen
    assert speed["frames"] >= 3, f"only {speed['frames']} frames reached the canvas in play"
    assert train_loss < train0 and test_loss < test0, (
        f"the loss did not fall: training {train0} -> {train_loss}, test {test0} -> {test_loss}")
    # paused: at most a tick already on its way, then the counter stands still
    notebook.page.wait_for_timeout(1000)
    notebook.wait_idle()
    stopped_at = read_status(widget)[0]
    frames = canvas_frames(widget)
    notebook.page.wait_for_timeout(1500)
    assert read_status(widget)[0] == stopped_at, "the epoch counter kept rising after pause"
    assert canvas_frames(widget) == frames, "frames kept coming after pause"
    # the picture is the state at the pause: the same run replayed here, to the same epoch
    session = PlaygroundSession(**SETUP)
    session.tick(stopped_at)
    assert_map_shows(widget, session)
    assert notebook.problems() == []
    notebook.close()
