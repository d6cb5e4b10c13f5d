"""The playground's play button in a real browser: the epoch counter rises, several epochs per
timer tick, the loss falls, and pressing it again pauses. (The timer is an ipywidgets.Play
that runs in the browser, so only a browser test shows that it really drives training.)

It also measures how fast play looks to a student: epochs per second as read off the page,
and figure frames per second. The figures are printed (pytest -s shows them) and go into
`make bench` (benchmarks/playground_speed.py); only "several epochs per tick" is asserted.
"""

import re
import time

import nbformat

STATUS = re.compile(r"epoch ([\d,]+).*?test loss ([\d.]+).*?training loss ([\d.]+)", re.S)
CANVAS = ".jupyter-matplotlib-canvas-div canvas"

# count every image ipympl draws on the playground's canvas (a frame), on the page's clock
COUNT_FRAMES = """canvas => {
    window.__frames = 0;
    const drawImage = CanvasRenderingContext2D.prototype.drawImage;
    CanvasRenderingContext2D.prototype.drawImage = function (...args) {
        const result = drawImage.apply(this, args);
        if (this.canvas === canvas) window.__frames += 1;
        return result;
    };
}"""


def read_status(widget):
    """(epoch, test loss, training loss) from the playground's status readout."""
    text = " ".join(widget.locator(".widget-html").all_inner_texts())
    match = STATUS.search(text)
    assert match, f"no epoch/loss readout in the playground: {text!r}"
    epoch, test_loss, train_loss = match.groups()
    return int(epoch.replace(",", "")), float(test_loss), float(train_loss)


def play_button(widget):
    return widget.locator(".nnlab-play")


def measure_play(widget, epochs=20, min_rises=3, patience=90.0, poll_ms=15):
    """Press play, watch until the epoch counter has risen by `epochs` in at least `min_rises`
    steps (or `patience` seconds have passed: a guard against a hang, not a speed target),
    press it again. Returns a dict:
    epochs per second, frames per second, the smallest and median rise of the epoch counter
    between two readings that differ (the smallest rise is at most one timer tick's epochs),
    and the epoch and losses at the start and the end. Speed targets are `make bench`'s
    (benchmarks/playground_speed.py); the test asserts counts."""
    page = widget.page
    page.evaluate(COUNT_FRAMES, widget.locator(CANVAS).first.element_handle())
    start = read_status(widget)
    play_button(widget).click()
    readings, risen = [], 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < patience:
        readings.append((time.perf_counter(), read_status(widget)[0]))
        if len(readings) > 1 and readings[-1][1] > readings[-2][1]:
            risen += 1
        if readings[-1][1] >= start[0] + epochs and risen >= min_rises:
            break
        page.wait_for_timeout(poll_ms)
    seconds = time.perf_counter() - t0
    play_button(widget).click()
    frames = page.evaluate("() => window.__frames")
    moving = [(t, e) for t, e in readings if e > start[0]]
    rises = sorted(b[1] - a[1] for a, b in zip(readings, readings[1:]) if b[1] > a[1])
    span = moving[-1][0] - moving[0][0] if len(moving) > 1 else 0.0
    return {"epochs_per_s": (moving[-1][1] - moving[0][1]) / span if span else 0.0,
            "seconds": seconds,
            "frames_per_s": frames / seconds, "smallest_rise": rises[0] if rises else 0,
            "median_rise": rises[len(rises) // 2] if rises else 0,
            "start": start, "end": read_status(widget)}


def write_notebook(path, call):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("%matplotlib widget\nfrom nnlab.widgets import "
                                          "Playground"),
                nbformat.v4.new_code_cell(call)]
    nbformat.write(nb, path)


def test_play_trains_several_epochs_per_tick_and_pause_stops(lab_root, open_notebook,
                                                               take_screenshot):
    write_notebook(lab_root / "scratch" / "playground_play.ipynb",
                   'Playground(dataset="spiral", hidden=(8, 8), seed=0)')
    notebook = open_notebook("scratch/playground_play.ipynb")
    notebook.run_all()
    assert notebook.problems() == []
    [widget] = notebook.widgets("nnlab-playground")
    widget.scroll_into_view_if_needed()
    assert read_status(widget)[0] == 0

    speed = measure_play(widget)
    take_screenshot(notebook, "playground_after_play")
    print(f"\nplayground in Chromium (spiral, 2x8 hidden): {speed['epochs_per_s']:.0f} "
          f"epochs/s, {speed['frames_per_s']:.1f} frames/s, epochs per tick >= "
          f"{speed['smallest_rise']} (median rise {speed['median_rise']})")
    (_, test0, train0), (epoch, test_loss, train_loss) = speed["start"], speed["end"]
    assert epoch >= 20, f"play stopped after {epoch} epochs: the timer no longer trains"
    assert speed["smallest_rise"] >= 2, "play trained a single epoch per timer tick"
    assert train_loss < train0 and test_loss < test0, (
        f"the loss did not fall: training {train0} -> {train_loss}, test {test0} -> {test_loss}")
    # paused: at most a tick already on its way, then the counter stands still
    notebook.page.wait_for_timeout(1000)
    notebook.wait_idle()
    stopped_at = read_status(widget)[0]
    notebook.page.wait_for_timeout(1500)
    assert read_status(widget)[0] == stopped_at, "the epoch counter kept rising after pause"
    assert notebook.problems() == []
    notebook.close()
