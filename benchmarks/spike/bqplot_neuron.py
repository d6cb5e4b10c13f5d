"""Prototype (2): bqplot marks (HeatMap + Lines + Scatter) updated in place.

The kernel computes the map (float32, bqplot's binary array serialisation) and the line with
nnlab; bqplot's d3 code in the browser colours and draws them. The sliders are ipywidgets.
"""

import time

import bqplot as bq
import ipywidgets as ipw
import numpy as np

from nnlab.widgets.style import NEGATIVE, POSITIVE

from .picture import LIMITS, NeuronPicture


def bqplot_neuron():
    """A VBox of three sliders and a bqplot Figure; its `cpu_ms` lists each update's CPU."""
    picture = NeuronPicture()
    x_scale = bq.LinearScale(min=LIMITS[0], max=LIMITS[1])
    y_scale = bq.LinearScale(min=LIMITS[0], max=LIMITS[1])
    colour = bq.ColorScale(colors=[NEGATIVE, "#ffffff", POSITIVE], min=0.0, max=1.0, mid=0.5)
    heat = bq.HeatMap(x=picture.xs, y=picture.ys,
                      color=np.zeros((len(picture.ys), len(picture.xs)), np.float32),
                      scales={"x": x_scale, "y": y_scale, "color": colour})
    line = bq.Lines(x=[0.0, 0.0], y=[0.0, 0.0], colors=["black"], stroke_width=2,
                    scales={"x": x_scale, "y": y_scale})
    points = bq.Scatter(x=picture.inputs[:, 0], y=picture.inputs[:, 1], colors=["white"],
                        stroke="black", stroke_width=1.5, default_size=160,
                        scales={"x": x_scale, "y": y_scale})
    figure = bq.Figure(marks=[heat, line, points],
                       axes=[bq.Axis(scale=x_scale, label="x1", tick_values=[0, 1]),
                             bq.Axis(scale=y_scale, label="x2", orientation="vertical",
                                     tick_values=[0, 1])],
                       fig_margin={"top": 10, "bottom": 40, "left": 40, "right": 10},
                       layout=ipw.Layout(width="340px", height="340px"),
                       title="output a = g(z)")
    sliders = {name: ipw.FloatSlider(value=value, min=-3.0, max=3.0, step=0.1,
                                     description=description, readout_format=".1f")
               for name, value, description in (("w1", 0.5, "weight w1"),
                                                ("w2", -0.5, "weight w2"), ("b", 0.0, "bias b"))}
    cpu_ms = []

    def update(change=None):
        start = time.process_time()
        w1, w2, b = (sliders[name].value for name in ("w1", "w2", "b"))
        xs, ys = picture.line(w1, w2, b)
        with heat.hold_sync():
            heat.color = picture.output_map(w1, w2, b).astype(np.float32)
        with line.hold_sync():
            line.x, line.y = (xs, ys) if len(xs) else ([0.0, 0.0], [0.0, 0.0])
        cpu_ms.append((time.process_time() - start) * 1000)

    for slider in sliders.values():
        slider.observe(update, names="value")
    update()
    box = ipw.VBox([*sliders.values(), figure])
    box.add_class("nnlab-spike-bqplot")
    box.cpu_ms = cpu_ms
    return box
