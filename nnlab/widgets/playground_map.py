"""The playground's decision map and loss chart: two views of a PlaygroundSession.

DecisionMap: the output over the plane as a pale heatmap (orange below the threshold, blue above,
white where the network is unsure), with the training points filled and the test points
hollow on top; classes differ by marker shape as well as by colour.
LossChart: training (dashed) and test (solid) loss per epoch, with axes, ticks and a legend.
"""

import matplotlib.colors as mcolors
import numpy as np
from matplotlib.ticker import MaxNLocator

from ..playground import EXTENT
from . import style

__all__ = ["DecisionMap", "LossChart", "GRID", "output_rgba"]

GRID = 60             # the heatmap is GRID x GRID cells
LEVELS = 9            # regression points are drawn in this many shades
LIGHTEN = 0.65        # the heatmap is paler than the points drawn on it
MARKERS = style.CLASS_MARKERS
TRAIN_LINE, TEST_LINE = "#595959", "#000000"    # 7:1 and 21:1 on white

_CLASS_RGB = np.array([mcolors.to_rgb(c) for c in style.CLASS_COLORS])
_PALE_BYTES = style.to_bytes(style.lighten(style.CMAP(np.linspace(0.0, 1.0, 256)), LIGHTEN))


def class_colours(probabilities, discretize=False):
    """Float RGBA of class probabilities (n, k): the likeliest class's colour, faded towards
    white as the network gets less sure (1/k: white, 1: full colour)."""
    k = probabilities.shape[1]
    best = probabilities.argmax(axis=1)
    sure = np.ones(len(best)) if discretize else \
        (probabilities.max(axis=1) - 1.0 / k) / (1.0 - 1.0 / k)
    rgb = 1.0 - sure[:, None] * (1.0 - _CLASS_RGB[best])
    return np.concatenate([rgb, np.ones((len(rgb), 1))], axis=1)


def output_rgba(output, n_classes, discretize=False):
    """8-bit RGBA (r, r, 4) of the network's output over the grid (r, r, n_outputs)."""
    r = output.shape[0]
    out = output.reshape(r * r, -1)
    if n_classes == 3:
        rgba = style.to_bytes(style.lighten(class_colours(out, discretize), LIGHTEN))
    else:
        # two classes: probability 0.5, the threshold, is white; regression: targets in [-1, 1]
        value = 2.0 * out[:, 0] - 1.0 if n_classes == 2 else out[:, 0]
        if discretize:
            value = np.where(value >= 0.0, 1.0, -1.0)
        rgba = style.diverging_rgba(value, table=_PALE_BYTES)
    return rgba.reshape(r, r, 4)


class DecisionMap:
    """The output over the plane with the points on top, on matplotlib axes `ax`."""

    def __init__(self, ax):
        self.ax = ax
        self.image = ax.imshow(np.zeros((GRID, GRID, 4), np.uint8), origin="lower",
                               interpolation="nearest", zorder=0,
                               extent=(-EXTENT, EXTENT, -EXTENT, EXTENT))
        # one marker line per group: filled training points, hollow test points
        self.train_marks = [ax.plot([], [], "o", ms=4.5, mec="white", mew=0.7, zorder=2)[0]
                            for _ in range(LEVELS)]
        self.test_marks = [ax.plot([], [], "o", ms=4.5, mfc="none", mew=1.2, zorder=3)[0]
                           for _ in range(LEVELS)]
        ax.set_xlim(-EXTENT, EXTENT)
        ax.set_ylim(-EXTENT, EXTENT)
        # no tick labels: text is the slowest thing to draw, and the plane is always [-6, 6]^2
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel("x1 (from -6 to 6)", fontsize=8, labelpad=1)
        ax.set_ylabel("x2", fontsize=8, labelpad=1)

    @staticmethod
    def groups(y, n_classes):
        """(mask, colour, marker) per group of points: one per class, or per shade."""
        if n_classes is not None:
            return [(y == k, style.CLASS_COLORS[k], MARKERS[k]) for k in range(n_classes)]
        level = np.rint((np.clip(y, -1.0, 1.0) + 1.0) / 2.0 * (LEVELS - 1))
        return [(level == k, style.CMAP(k / (LEVELS - 1)), "o") for k in range(LEVELS)]

    def draw_points(self, session):
        for marks, X, y in ((self.train_marks, session.X_train, session.y_train),
                            (self.test_marks, session.X_test, session.y_test)):
            groups = self.groups(y, session.n_classes)
            for k, line in enumerate(marks):
                if k >= len(groups):
                    line.set_data([], [])
                    continue
                mask, colour, marker = groups[k]
                line.set_data(X[mask, 0], X[mask, 1])
                line.set_marker(marker)
                if marks is self.train_marks:
                    line.set_markerfacecolor(colour)
                else:
                    line.set_markeredgecolor(colour)

    def draw(self, output, n_classes, discretize, show_test):
        self.image.set_data(output_rgba(output, n_classes, discretize))
        for line in self.test_marks:
            line.set_visible(show_test)


class LossChart:
    """Training and test loss per epoch on axes `ax`."""

    def __init__(self, ax):
        self.ax = ax
        self.train_line, = ax.plot([], [], color=TRAIN_LINE, lw=1.2, ls="--", marker="",
                                   label="training loss")
        self.test_line, = ax.plot([], [], color=TEST_LINE, lw=1.4, label="test loss")
        ax.set_xlabel("epoch", fontsize=8, labelpad=0)
        ax.set_ylabel("loss", fontsize=8, labelpad=1)
        ax.tick_params(labelsize=7, length=2, pad=1)
        ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(3))
        ax.legend(fontsize=7, loc="lower right", bbox_to_anchor=(1.0, 0.98), ncol=2,
                  frameon=False, handlelength=2.2, borderaxespad=0.1)

    def draw(self, history):
        epochs = history["epoch"]
        train, test = history["loss"], history["test_loss"]
        # at epoch 0 a single point each: show it as a marker, so the chart is never empty
        marker = "o" if len(epochs) == 1 else ""
        for line, values in ((self.train_line, train), (self.test_line, test)):
            line.set_data(epochs, values)
            line.set_marker(marker)
            line.set_markersize(3)
        top = max(max(train), max(test))
        self.ax.set_xlim(0, max(epochs[-1], 10))
        self.ax.set_ylim(0, 1.1 * top if np.isfinite(top) and top > 0 else 1.0)
