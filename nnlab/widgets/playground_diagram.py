"""The playground's network diagram: one square per neuron showing what it computes over the
plane, one line per weight (orange negative, blue positive, width ~ |w|).

Clicking a neuron, or a line (it selects the neuron the weight feeds), selects it; the widget
then explains that neuron. `pick(x, y)` turns a click into (layer, neuron, input), layers and
neurons counted from 1 as `PlaygroundSession.explain` counts them.
"""

import matplotlib.colors as mcolors
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.patches import Rectangle

from . import style
from .playground_map import GRID

__all__ = ["NetworkDiagram"]

THUMB = 3             # a neuron's thumbnail keeps every THUMB-th grid cell: 20 x 20 pixels
NODE = 0.36           # half the side of a neuron's square, as a fraction of a unit
_NEGATIVE_RGBA = np.array(mcolors.to_rgba(style.NEGATIVE, 0.8))
_POSITIVE_RGBA = np.array(mcolors.to_rgba(style.POSITIVE, 0.8))
_CLASS_RGB = np.array([mcolors.to_rgb(c) for c in style.CLASS_COLORS])


def _fade(amount, rgb):
    """8-bit RGBA from white (amount 0) to `rgb` (amount 1); amount has shape (n,)."""
    faded = 1.0 - np.clip(amount, 0.0, 1.0)[:, None] * (1.0 - np.asarray(rgb)[None, :3])
    return style.to_bytes(np.concatenate([faded, np.ones((len(faded), 1))], axis=1))


class NetworkDiagram:
    """Artists of the diagram on axes `ax`; `build` for a new network, `draw` every tick."""

    def __init__(self, ax):
        self.ax = ax
        self.node_xy, self.links, self.images, self.segments = [], None, [], []
        self.half = (0.0, 0.0)

    def build(self, sizes, feature_names, inputs):
        """New artists for a network of `sizes` [n_in, hidden..., n_out]; `inputs` are the
        features over the grid (r, r, n_in), shown in the input squares."""
        ax = self.ax
        ax.clear()
        ax.set_axis_off()
        width = max(len(sizes), 4)             # one unit per column
        height = max(max(sizes), 4) + 0.4      # one unit per neuron, plus a margin
        left, x_min = (width - len(sizes)) / 2, -1.0
        box, (fig_w, fig_h) = ax.get_position(), ax.figure.get_size_inches()
        unit_w = box.width * fig_w / (width - x_min)
        unit_h = box.height * fig_h / height
        half = NODE * min(unit_w, unit_h)      # squares on screen
        hx, hy = self.half = half / unit_w, half / unit_h
        self.node_xy = [[(left + i + 0.5, (n - 1) / 2 - j) for j in range(n)]
                        for i, n in enumerate(sizes)]
        self.segments = []                     # the order of W.ravel(): W[i, j], i slowest
        self.link_ends = []
        for layer, (column, right) in enumerate(zip(self.node_xy[:-1], self.node_xy[1:]), 1):
            for i, (x0, y0) in enumerate(column):
                for j, (x1, y1) in enumerate(right):
                    self.segments.append([(x0 + hx, y0), (x1 - hx, y1)])
                    self.link_ends.append((layer, j + 1, i + 1))
        self.links = LineCollection(self.segments, zorder=1, capstyle="round")
        ax.add_collection(self.links)
        blank = np.zeros((GRID // THUMB, GRID // THUMB, 4), np.uint8)
        self.images = [[ax.imshow(blank, origin="lower", interpolation="nearest", aspect="auto",
                                  zorder=2, extent=(x - hx, x + hx, y - hy, y + hy))
                        for (x, y) in column] for column in self.node_xy]
        self.selection = Rectangle((0, 0), 2 * hx * 1.25, 2 * hy * 1.25, fill=False,
                                   lw=2.0, ec=style.CURRENT, zorder=3, visible=False)
        ax.add_patch(self.selection)
        flat = inputs.reshape(-1, inputs.shape[-1])
        self._paint(0, style.diverging_rgba(flat / np.abs(flat).max(axis=0)))
        for (x, y), name in zip(self.node_xy[0], feature_names):
            ax.text(x - hx - 0.05, y, name, ha="right", va="center", fontsize=8)
        ax.set_xlim(x_min, width)
        ax.set_ylim(-height / 2, height / 2)

    def _paint(self, column, rgba):
        """Show 8-bit colours (r*r, n, 4) in the thumbnails of a column's neurons."""
        r = GRID
        cells = rgba.reshape(r, r, -1, 4)[::THUMB, ::THUMB]
        for j, image in enumerate(self.images[column]):
            image.set_data(cells[:, :, j])

    def draw(self, model, layer_outputs):
        """Thumbnails from each layer's outputs over the grid, links from the weights."""
        for i, (layer, out) in enumerate(zip(model.layers, layer_outputs), start=1):
            flat = out.reshape(-1, out.shape[-1])
            if layer.activation.name == "softmax":   # class k's probability, white to colour
                colours = np.stack([_fade(flat[:, k], _CLASS_RGB[k])
                                    for k in range(flat.shape[1])], axis=1)
            else:
                colours = style.diverging_rgba(flat, *style.output_range(layer.activation.name))
            self._paint(i, colours)
        w = np.concatenate([layer.W.ravel() for layer in model.layers])
        self.links.set_color(np.where((w < 0)[:, None], _NEGATIVE_RGBA, _POSITIVE_RGBA))
        self.links.set_linewidth(0.4 + 1.6 * np.minimum(np.abs(w), 5.0))

    def select(self, layer, neuron):
        """Outline neuron `neuron` of layer `layer` (both from 1); None hides the outline."""
        if layer is None:
            self.selection.set_visible(False)
            return
        x, y = self.node_xy[layer][neuron - 1]
        hx, hy = self.half
        self.selection.set_xy((x - 1.25 * hx, y - 1.25 * hy))
        self.selection.set_visible(True)

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
