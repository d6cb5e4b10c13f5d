"""How live a slider feels in the browser: keypress to changed canvas, in Chromium.

    python benchmarks/browser_latency.py

A real `jupyter lab` and Chromium (as in tests/browser) open a notebook that shows
`NeuronExplorer()` and `DescentExplorer()`. A slider is moved with the keyboard 20 times (10
steps right, 10 left); for each press we take the time from the keydown event to the last time
ipympl drew the new figure on the visible canvas, both on the page's own clock
(performance.now()), and check that the canvas really changed. We report the median of each
slider next to its target (the accessibility issue: 60 ms for the NeuronExplorer, 80 ms for
the DescentExplorer).

The whole round trip is in it: the slider's message to the kernel, NeuronExplorer.update()
(state from the core, artists updated), matplotlib's Agg render, the PNG sent back, and the
browser decoding and drawing it.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import labdriver  # noqa: E402

PRESSES = 20
#: (css class of the widget, slider, target median in ms)
SLIDERS = [("nnlab-neuron-explorer", "weight w1", 60.0),
           ("nnlab-descent-explorer", "learning rate", 80.0),
           ("nnlab-descent-explorer", "batch size", 80.0)]

NOTEBOOK = {
    "cells": [
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "%matplotlib widget\nfrom nnlab.widgets import DescentExplorer, NeuronExplorer"},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "NeuronExplorer()"},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "DescentExplorer()"},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}

# Record, on the page's clock, every keydown and every drawImage onto the watched canvas.
HOOKS = """canvas => {
    window.__watched = canvas;
    window.__draws = [];
    if (window.__hooked) return;
    window.__hooked = true;
    window.__keydowns = [];
    document.addEventListener('keydown', () => window.__keydowns.push(performance.now()), true);
    const drawImage = CanvasRenderingContext2D.prototype.drawImage;
    CanvasRenderingContext2D.prototype.drawImage = function (...args) {
        const result = drawImage.apply(this, args);
        if (this.canvas === window.__watched) window.__draws.push(performance.now());
        return result;
    };
}"""


def press_latencies(notebook, widget, slider_name, presses=PRESSES, timeout=10_000):
    """Milliseconds from each keypress to the last redraw of the changed canvas."""
    canvas = widget.locator(labdriver.CANVAS).first.element_handle()
    widget.page.evaluate(HOOKS, canvas)
    slider = widget.locator(labdriver.SLIDER).filter(
        has=widget.page.locator(".widget-label", has_text=slider_name)).first
    handle = slider.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    latencies = []
    for i in range(presses):
        before = labdriver.canvas_pixels(widget)
        handle.press("ArrowRight" if i < presses // 2 else "ArrowLeft")
        if not labdriver.wait_canvas_change(widget, before, timeout):
            raise RuntimeError(f"press {i + 1}: the canvas did not change within {timeout} ms")
        notebook.wait_idle()
        widget.page.wait_for_timeout(250)  # let any later frame of this press arrive
        key, draws = widget.page.evaluate("() => [window.__keydowns.at(-1), window.__draws]")
        after = [t for t in draws if t > key]
        latencies.append(after[-1] - key)
    return latencies


def measure(presses=PRESSES):
    """Start JupyterLab and Chromium, open the two explorers; {(css class, slider): latencies
    in ms}."""
    with tempfile.TemporaryDirectory(prefix="nnlab-latency-") as root:
        (Path(root) / "latency.ipynb").write_text(json.dumps(NOTEBOOK))
        with labdriver.run_notebook(root, "latency.ipynb") as notebook:
            results = {}
            for css, slider, _ in SLIDERS:
                [widget] = notebook.widgets(css)
                widget.scroll_into_view_if_needed()
                results[css, slider] = press_latencies(notebook, widget, slider, presses)
            return results


def summary(latencies, target):
    median = statistics.median(latencies)
    return {"presses": len(latencies), "median_ms": median, "min_ms": min(latencies),
            "max_ms": max(latencies), "target_ms": target, "met": median <= target}


def summaries():
    measured = measure()
    return [(css, slider, summary(measured[css, slider], target))
            for css, slider, target in SLIDERS]


def markdown_rows():
    """Rows for benchmarks/run.py's RESULTS.md."""
    try:
        rows = summaries()
    except RuntimeError as error:
        return [f"not measured: {error}"]
    lines = ["| keypress -> changed canvas in Chromium | median | min | max | target | met |",
             "|---|---|---|---|---|---|"]
    for css, slider, s in rows:
        lines.append(f"| {css}: {slider} ({s['presses']} presses) | {s['median_ms']:.0f} ms | "
                     f"{s['min_ms']:.0f} ms | {s['max_ms']:.0f} ms | <= {s['target_ms']:.0f} ms "
                     f"| {'yes' if s['met'] else 'NO'} |")
    return lines


def main():
    start = time.perf_counter()
    for css, slider, s in summaries():
        print(f"{css}, {slider}: median {s['median_ms']:.0f} ms over {s['presses']} presses "
              f"(min {s['min_ms']:.0f}, max {s['max_ms']:.0f}); target <= {s['target_ms']:.0f} "
              f"ms: {'met' if s['met'] else 'NOT met'}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"[{time.perf_counter() - start:.0f} s in all; load average {load:.1f} on "
          f"{os.cpu_count()} cores]")


if __name__ == "__main__":
    main()
