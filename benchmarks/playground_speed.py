"""How fast the playground plays: spiral data, two hidden layers of 8 neurons (tanh, batch 10).

    python benchmarks/playground_speed.py

Three figures:
- headless: `PlaygroundSession.tick()` epochs per second (training plus the scores of every
  epoch), no drawing;
- in-process widget: epochs per second of `Playground` ticks in 'auto' mode (several epochs per
  tick), each followed by a full Agg render of the figure, as ipympl would draw it;
- Chromium: epochs per second read off the page while play runs in JupyterLab (the same
  measurement as tests/browser/test_playground_play.py), and figure frames per second.

The TensorFlow Playground trains one epoch per animation frame and redraws every frame: about
60 epochs per second on a 60 Hz screen. Our target is at least 30 epochs per second in the
browser, with the figure redrawn after every tick.
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

TARGET = 30.0
TF_PLAYGROUND = "about 60 (1 epoch per animation frame at 60 Hz)"
SETUP = {"dataset": "spiral", "hidden": [8, 8], "seed": 0}


def headless(epochs=200, repeats=3):
    from nnlab.playground import PlaygroundSession

    rates = []
    for _ in range(repeats):
        session = PlaygroundSession(**SETUP)
        start = time.perf_counter()
        for _ in range(epochs):
            session.tick()
        rates.append(epochs / (time.perf_counter() - start))
    return statistics.median(rates)


def in_process(ticks=15):
    import matplotlib

    matplotlib.use("Agg")
    from nnlab.widgets import Playground

    widget = Playground(**SETUP)
    widget.tick()
    widget.figure.canvas.draw()
    start, epoch0 = time.perf_counter(), widget.session.epoch
    for _ in range(ticks):
        widget._play_tick()                       # what a timer tick does ('auto' epochs)
        widget.figure.canvas.draw()
    elapsed = time.perf_counter() - start
    epochs = widget.session.epoch - epoch0
    return {"epochs_per_s": epochs / elapsed, "frames_per_s": ticks / elapsed,
            "epochs_per_tick": epochs / ticks}


def in_chromium(seconds=8.0):
    """Epochs and frames per second seen in Chromium, or a RuntimeError saying why not."""
    import labdriver
    from test_playground_play import measure_play, write_notebook

    with tempfile.TemporaryDirectory(prefix="nnlab-play-") as root:
        write_notebook(Path(root) / "play.ipynb", f"Playground(**{SETUP!r})")
        with labdriver.run_notebook(root, "play.ipynb") as notebook:
            [widget] = notebook.widgets("nnlab-playground")
            widget.scroll_into_view_if_needed()
            return measure_play(widget, seconds)


def markdown_rows():
    """Rows for benchmarks/run.py's RESULTS.md."""
    rows = ["| measure (spiral, 2x8 hidden, batch 10) | epochs/s | frames/s | "
            "TensorFlow Playground | target |", "|---|---|---|---|---|",
            f"| session.tick() headless | {headless():.0f} | - | - | - |"]
    widget = in_process()
    rows.append(f"| Playground widget in-process, 'auto' ({widget['epochs_per_tick']:.0f} "
                f"epochs/tick) + Agg render per tick | {widget['epochs_per_s']:.0f} | "
                f"{widget['frames_per_s']:.1f} | - | - |")
    try:
        seen = in_chromium()
        met = "met" if seen["epochs_per_s"] >= TARGET else "NOT met"
        rows.append(f"| play in Chromium (JupyterLab, ipympl) | {seen['epochs_per_s']:.0f} | "
                    f"{seen['frames_per_s']:.1f} | {TF_PLAYGROUND} | >= {TARGET:.0f} "
                    f"epochs/s: {met} |")
    except (RuntimeError, ImportError) as error:
        rows.append(f"| play in Chromium | not measured: {error} | | {TF_PLAYGROUND} | |")
    return rows


if __name__ == "__main__":
    print("\n".join(markdown_rows()))
