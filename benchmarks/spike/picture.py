"""What every prototype draws, computed by nnlab's core: the decision map, line and points.

The picture of the NeuronExplorer's left panel: a 2-input neuron's output over the plane
[-0.5, 1.5]^2 (a 101 x 101 map), its decision line, and the four truth-table inputs.

>>> p = NeuronPicture()
>>> values = p.output_map(1.0, 1.0, -1.0)
>>> values.shape
(101, 101)
>>> float(values[0, 0]), float(values[-1, -1])      # (-0.5, -0.5) answers 0, (1.5, 1.5) 1
(0.0, 1.0)
>>> xs, ys = p.line(1.0, 1.0, -1.0)                 # x1 + x2 = 1
>>> [float(v) for v in xs], [float(v) for v in ys]
([-0.5, 1.5], [1.5, -0.5])
"""

import numpy as np

from nnlab import datasets
from nnlab.activations import SUM_THRESHOLD
from nnlab.decision_line import boundary_line
from nnlab.gates import INPUTS
from nnlab.neuron import Neuron

LIMITS = (-0.5, 1.5)     # as the NeuronExplorer: x1 and x2 in [-0.5, 1.5]
GRID = 101               # map cells per side, as the NeuronExplorer


class NeuronPicture:
    """The numbers of one frame for a neuron with `activation` (default 'step')."""

    def __init__(self, activation="step"):
        self.activation = activation
        self.xs, self.ys, self.points = datasets.grid(LIMITS, LIMITS, GRID)
        self.inputs = INPUTS

    def neuron(self, w1, w2, b):
        return Neuron([w1, w2], bias=b, activation=self.activation)

    def output_map(self, w1, w2, b):
        """The output a = g(z) on every cell, shape (GRID, GRID); row i is at x2 = ys[i]."""
        return self.neuron(w1, w2, b)(self.points).reshape(GRID, GRID)

    def line(self, w1, w2, b):
        """The decision line's two end points (xs, ys), empty when w1 = w2 = 0."""
        return boundary_line((w1, w2), b, LIMITS, LIMITS, level=SUM_THRESHOLD[self.activation])

    def map_bytes(self, w1, w2, b, low=0.0, high=1.0):
        """The map as one byte per cell (0 at `low`, 255 at `high`), rows from x2 = -0.5 up:
        what the browser turns into pixels through a 256-colour table."""
        values = self.output_map(w1, w2, b)
        scaled = (np.clip(values, low, high) - low) * (255.0 / (high - low))
        return np.rint(scaled).astype(np.uint8).tobytes()
