"""Prototype (1): an anywidget ES module (canvas_neuron.js) draws the picture on a <canvas>.

The kernel computes the map (one byte per cell, `traitlets.Bytes`) and the line's end points
with nnlab; the browser only maps bytes to colours through a 256-colour table (sent once) and
draws the line and the four points from their numbers.

Two ways to hold the sliders, to measure which is faster:

- `CanvasNeuron()`: native `<input type=range>` inside the widget;
- `linked_canvas_neuron()`: ipywidgets FloatSliders, `jslink`ed to the widget's w1, w2, b in
  the browser; `linked_canvas_neuron(in_kernel=True)`: linked in the kernel instead.
"""

import time
from pathlib import Path

import anywidget
import ipywidgets as ipw
import traitlets

from nnlab.widgets.style import CMAP_BYTES

from .picture import GRID, LIMITS, NeuronPicture


class CanvasNeuron(anywidget.AnyWidget):
    _esm = Path(__file__).with_name("canvas_neuron.js")

    w1 = traitlets.Float(0.5).tag(sync=True)
    w2 = traitlets.Float(-0.5).tag(sync=True)
    b = traitlets.Float(0.0).tag(sync=True)
    native_sliders = traitlets.Bool(True).tag(sync=True)
    css_class = traitlets.Unicode("nnlab-spike-canvas").tag(sync=True)
    # the numbers of the current frame
    map = traitlets.Bytes(b"").tag(sync=True)          # GRID * GRID bytes, rows from x2 low
    line = traitlets.List([]).tag(sync=True)           # [x0, y0, x1, y1] or []
    # sent once
    grid = traitlets.Int(GRID).tag(sync=True)
    limits = traitlets.List(list(LIMITS)).tag(sync=True)
    palette = traitlets.Bytes(CMAP_BYTES.tobytes()).tag(sync=True)   # 256 RGBA colours
    inputs = traitlets.List([]).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.picture = NeuronPicture()
        self.inputs = self.picture.inputs.tolist()
        self.cpu_ms = []          # kernel CPU of each update, for the benchmark
        self.observe(self._update, names=["w1", "w2", "b"])
        self._update()

    def _update(self, change=None):
        start = time.process_time()
        w1, w2, b = self.w1, self.w2, self.b
        xs, ys = self.picture.line(w1, w2, b)
        with self.hold_sync():               # one message for the whole frame
            self.map = self.picture.map_bytes(w1, w2, b)
            self.line = [float(xs[0]), float(ys[0]), float(xs[1]), float(ys[1])] if len(xs) \
                else []
            self.label = (f"Output of the neuron over the plane, w1 = {w1:.1f}, w2 = {w2:.1f}, "
                          f"b = {b:.1f}")
        self.cpu_ms.append((time.process_time() - start) * 1000)


def linked_canvas_neuron(in_kernel=False):
    """The canvas with ipywidgets sliders linked to it: in the browser (`jslink`), or with
    `in_kernel=True` in the kernel (`traitlets.link`: the slider's value goes to the kernel,
    which sets the canvas's w1, w2, b; what a `controls` dict of ipywidgets, API.md's contract,
    would do)."""
    canvas = CanvasNeuron(native_sliders=False, css_class="")
    sliders = []
    for name, description in (("w1", "weight w1"), ("w2", "weight w2"), ("b", "bias b")):
        slider = ipw.FloatSlider(value=getattr(canvas, name), min=-3.0, max=3.0, step=0.1,
                                 description=description, readout_format=".1f")
        link = traitlets.link if in_kernel else ipw.jslink
        link((slider, "value"), (canvas, name))
        sliders.append(slider)
    box = ipw.VBox([*sliders, canvas])
    box.add_class("nnlab-spike-kernel-linked" if in_kernel else "nnlab-spike-linked")
    box.cpu_ms = canvas.cpu_ms
    return box
