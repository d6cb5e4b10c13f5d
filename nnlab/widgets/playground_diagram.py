"""The playground's network diagram: one square per neuron showing what it computes over the
plane, one line per weight (orange negative, blue positive, width ~ |w|), in a panel of the
playground's `Canvas`.

Each square is a small image layer (every THUMB-th cell of the grid the map uses) placed with
an extent; the weights are one segments layer. Clicking a neuron, or a line (it selects the
neuron the weight feeds), selects it; the widget then explains that neuron. `pick(x, y)` turns
a click into (layer, neuron, input), layers and neurons counted from 1 as
`PlaygroundSession.explain` counts them.
"""

import numpy as np

from . import style
from .palettes import FADES, class_fades

__all__ = ["NetworkDiagram", "THUMB", "link_widths"]

THUMB = 3             # a neuron's square shows every THUMB-th grid cell: 20 x 20 of 60 x 60
NODE = 0.36           # half the side of a neuron's square, as a fraction of a unit
HEADER = 0.7          # units above the tallest column for the column names
#: the weights' lines: orange negative, blue positive, a little transparent where they cross
LINK_COLOURS = ("rgba(230, 159, 0, 0.8)", "rgba(0, 114, 178, 0.8)")   # style.NEGATIVE, POSITIVE


def link_widths(weights):
    """Line widths in CSS px: thicker for larger weights, capped at |w| = 5.

    >>> link_widths(np.array([0.0, -1.0, 9.0])).tolist()
    [0.5, 2.5, 10.5]
    """
    return 0.5 + 2.0 * np.minimum(np.abs(weights), 5.0)


class NetworkDiagram:
    """The diagram in the canvas panel `panel`; `build` for a new network, `draw` every tick."""

    def __init__(self, panel):
        self.panel = panel
        self.node_xy, self.segments, self.link_ends = [], [], []
        self.half = (0.0, 0.0)

    def build(self, sizes, feature_names, inputs):
        """New layers for a network of `sizes` [n_in, hidden..., n_out]; `inputs` are the
        features over the grid (r, r, n_in), shown in the input squares."""
        panel = self.panel
        for name in list(panel.layers):
            panel.remove(name)
        width = max(len(sizes), 4)             # one unit per column
        height = max(max(sizes), 4) + 0.4      # one unit per neuron, plus a margin
        left, x_min = (width - len(sizes)) / 2, -1.0
        unit_w = panel.spec["width"] / (width - x_min)            # CSS px per unit
        unit_h = panel.spec["height"] / (height + HEADER)
        half = NODE * min(unit_w, unit_h)      # squares on screen
        hx, hy = self.half = half / unit_w, half / unit_h
        panel.set(xlim=(x_min, width), ylim=(-height / 2, height / 2 + HEADER), frame=False,
                  xticks=[], yticks=[])
        self.node_xy = [[(left + i + 0.5, (n - 1) / 2 - j) for j in range(n)]
                        for i, n in enumerate(sizes)]
        self.segments = []                     # the order of W.ravel(): W[i, j], i slowest
        self.link_ends = []
        for layer, (column, right) in enumerate(zip(self.node_xy[:-1], self.node_xy[1:]), 1):
            for i, (x0, y0) in enumerate(column):
                for j, (x1, y1) in enumerate(right):
                    self.segments.append([(x0 + hx, y0), (x1 - hx, y1)])
                    self.link_ends.append((layer, j + 1, i + 1))
        ends = np.array(self.segments, dtype=float).reshape(-1, 2, 2)
        self._ends = ends[:, 0, 0], ends[:, 0, 1], ends[:, 1, 0], ends[:, 1, 1]
        # the drawing order: lines under the squares, the selection's outline on top
        panel.segments("links", *self._ends, color=LINK_COLOURS[1], width=0.0)
        thumb = inputs[::THUMB, ::THUMB]        # (r, r, n_in) with r = 20
        self._paint(0, thumb / np.maximum(np.abs(inputs).max(axis=(0, 1)), 1e-12), -1.0, 1.0,
                    "diverging")
        for i, column in enumerate(self.node_xy[1:], start=1):
            self._paint(i, np.zeros((*thumb.shape[:2], len(column))), -1.0, 1.0, "diverging")
        panel.rects("selection", [], [], [], [], fill=None, edge=style.CURRENT, width=2.0)
        panel.texts("features", [x - hx - 0.05 for x, _ in self.node_xy[0]],
                    [y for _, y in self.node_xy[0]], feature_names, align="right", size=11)
        names = ["input"] + [f"hidden {i}" for i in range(1, len(sizes) - 1)] + ["output"]
        panel.texts("columns", [column[0][0] for column in self.node_xy],
                    [height / 2 + HEADER / 2] * len(sizes), names, size=11,
                    color=style.TEXT_MUTED)

    def _paint(self, column, values, low, high, palette):
        """Show values (r, r, n) in the squares of a column's n neurons."""
        hx, hy = self.half
        for j, (x, y) in enumerate(self.node_xy[column]):
            self.panel.image(f"neuron {column} {j + 1}", values[:, :, j], low=low, high=high,
                             palette=palette, extent=(x - hx, x + hx, y - hy, y + hy))

    def draw(self, model, layer_outputs):
        """Squares from each layer's outputs over the grid, lines from the weights."""
        for i, (layer, out) in enumerate(zip(model.layers, layer_outputs), start=1):
            out = out[::THUMB, ::THUMB]
            if layer.activation.name == "softmax":   # class k's probability, white to colour
                k = np.arange(out.shape[-1])
                self._paint(i, class_fades(k, out), 0.0, 255.0, FADES)
            else:
                self._paint(i, out, *style.output_range(layer.activation.name), "diverging")
        w = np.concatenate([layer.W.ravel() for layer in model.layers])
        colours = [LINK_COLOURS[int(v >= 0)] for v in w]
        self.panel.segments("links", *self._ends, color=colours, width=link_widths(w))

    def select(self, layer, neuron):
        """Outline neuron `neuron` of layer `layer` (both from 1); None hides the outline."""
        if layer is None:
            self.panel.rects("selection", [], [], [], [], fill=None, edge=style.CURRENT,
                             width=2.0)
            return
        x, y = self.node_xy[layer][neuron - 1]
        hx, hy = self.half
        self.panel.rects("selection", [x - 1.25 * hx], [y - 1.25 * hy], [x + 1.25 * hx],
                         [y + 1.25 * hy], fill=None, edge=style.CURRENT, width=2.0)

    def pick(self, x, y):
        """(layer, neuron, input) under the data point (x, y): a neuron (input None), or the
        neuron a weight line feeds and that weight's input (from 1); None for empty space."""
        hx, hy = self.half
        for layer, column in enumerate(self.node_xy[1:], start=1):
            for j, (nx, ny) in enumerate(column):
                if abs(x - nx) <= hx and abs(y - ny) <= hy:
                    return layer, j + 1, None
        if not self.segments:
            return None
        seg = np.array(self.segments)          # (n, 2, 2)
        a, b = seg[:, 0], seg[:, 1]
        d = b - a
        t = np.clip(((x - a[:, 0]) * d[:, 0] + (y - a[:, 1]) * d[:, 1])
                    / np.maximum((d ** 2).sum(axis=1), 1e-12), 0, 1)
        gap = np.hypot(a[:, 0] + t * d[:, 0] - x, a[:, 1] + t * d[:, 1] - y)
        k = int(np.argmin(gap))
        return self.link_ends[k] if gap[k] < 0.12 else None
