"""The drawing-mechanism spike of issue #28: the NeuronExplorer's picture drawn in the browser.

Prototypes only (not shipped in the wheel, not used by the course): `canvas_neuron` (an
anywidget ES module drawing on a <canvas>) and `bqplot_neuron` (bqplot marks updated in place).
Both get their numbers from nnlab's core; `benchmarks/spike_drawing.py` measures them against
the ipympl NeuronExplorer in JupyterLab + Chromium.
"""
