"""The DescentExplorer's figures: the loss surface with the paths, and the loss per step.

`DescentView` is the drawing half of `DescentExplorer` (nnlab.widgets.descent_explorer): it
builds the two figures once, updates their artists from ``self.state`` on every update, and
renders only what changes (blitting over a saved background). It computes nothing.
"""

import numpy as np

from .. import optimizers
from .blitting import Blitter
from .style import CURRENT, LINE_STYLES, WRONG

__all__ = ["DescentView", "BATCH_PATHS", "RACE_PATHS"]

#: The three batch sizes of the first tab, and the four optimizers of the second:
#: key -> (label, colour, dash, marker), from style.LINE_STYLES, so that the paths are told
#: apart in greyscale and by every eye. (Orange and blue mean negative/positive in this course,
#: so paths get other colours.)
BATCH_PATHS = {"full_batch": ("full batch", *LINE_STYLES[0]),
               "sgd": ("SGD (batch 1)", *LINE_STYLES[1]),
               "minibatch": ("mini-batch", *LINE_STYLES[2])}
#: The race has every optimizer of the core's menu (nnlab.optimizers.MENU), in its order.
RACE_PATHS = {label.lower(): ("SGD + momentum" if label == "momentum" else label,
                              *LINE_STYLES[i % len(LINE_STYLES)])
              for i, label in enumerate(optimizers.MENU)}
BAND = "#f0e442"            # yellow band: the large-batch path under the accumulated one


def _round_up(value):
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is >= value (> 0).

    >>> _round_up(0.83), _round_up(1.84), _round_up(2.2), _round_up(31.0)
    (1.0, 2.0, 2.5, 50.0)
    """
    if not np.isfinite(value) or value <= 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * power >= value * (1 - 1e-12):
            return float(step * power)
    return float(10.0 * power)


class DescentView:
    """Figures of the DescentExplorer (a mixin: it reads the explorer's state and artists)."""

    # ---------------------------------------------------------------- drawing, once
    def _draw_surface(self, ax):
        levels = np.geomspace(self._minimum[2] * 1.01, self.surface.max(), 14)
        ax.contourf(self.w_grid, self.b_grid, self.surface, levels=levels, cmap="Greys",
                    alpha=0.35)
        ax.contour(self.w_grid, self.b_grid, self.surface, levels=levels, colors="0.55",
                   linewidths=0.6)
        # on top of every path, with a white rim: it stays visible where the paths end
        star, = ax.plot(self._minimum[0], self._minimum[1], marker="*", color=WRONG, ms=15,
                        mec="white", mew=1.2, ls="none", label="minimum (grid)", zorder=10)
        self._overlays.append(star)
        self.minimum_star = star
        start, = ax.plot([], [], marker="o", ms=8, mfc="white", mec=CURRENT, mew=2, ls="none",
                         label="start", zorder=5)
        ax.set_xlim(self.w_grid[0], self.w_grid[-1])
        ax.set_ylim(self.b_grid[0], self.b_grid[-1])
        ax.set_xlabel("weight w")
        ax.set_ylabel("bias b")
        return start

    def _path_lines(self, ax_surface, ax_loss, specs):
        paths, curves = {}, {}
        for key, (label, color, dash, marker) in specs.items():
            paths[key], = ax_surface.plot([], [], ls=dash, marker=marker, color=color, lw=1.3,
                                          ms=3, label=label, zorder=3)
            curves[key], = ax_loss.plot([], [], ls=dash, marker=marker, color=color, lw=1.3,
                                        ms=3, label=label)
        return paths, curves

    def _build_batch_view(self, fig):
        ax, ax_loss = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1]})
        self.ax_surface, self.ax_loss = ax, ax_loss
        self._start_markers = [self._draw_surface(ax)]
        self.path_lines, self.loss_lines = self._path_lines(ax, ax_loss, BATCH_PATHS)
        # Gradient accumulation: a thick band (batch b*k) under a dashed line (b, k summed).
        self.large_line, = ax.plot([], [], "-", color=BAND, lw=7, alpha=0.4, zorder=2,
                                   solid_capstyle="round")
        self.accumulated_line, = ax.plot([], [], "--x", color=CURRENT, lw=1, ms=4, zorder=4)
        self.accumulation_text = ax.text(0.02, 0.02, "", transform=ax.transAxes, fontsize=8,
                                         va="bottom", bbox={"fc": "white", "alpha": 0.8,
                                                            "ec": "none"})
        ax.set_title("L(w, b) and the paths of gradient descent", fontsize=10)
        self._label_loss_axes(ax_loss, "epochs (one point per update step)")
        self.steps_text = self._steps_text(ax_loss)
        self._legend_below(fig, ax)

    def _build_race_view(self, fig):
        ax, ax_loss = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1]})
        self.race_ax_surface, self.race_ax_loss = ax, ax_loss
        self._start_markers.append(self._draw_surface(ax))
        self.race_lines, self.race_loss_lines = self._path_lines(ax, ax_loss, RACE_PATHS)
        self.race_title = ax.set_title("", fontsize=10)
        self._label_loss_axes(ax_loss, "update step")
        self.race_steps_text = self._steps_text(ax_loss)
        self._legend_below(fig, ax)

    def _label_loss_axes(self, ax_loss, xlabel):
        """Labels of a loss-per-step panel, with the surface's minimum as a dotted line."""
        ax_loss.set_xlabel(xlabel)
        ax_loss.set_ylabel("loss on the whole dataset")
        ax_loss.set_title("loss after every step", fontsize=10)
        self._overlays.append(ax_loss.axhline(self._minimum[2], color=WRONG, lw=0.8, ls=":"))

    @staticmethod
    def _steps_text(ax_loss):
        """The number of update steps of each path (every step is a point on its path and its
        curve), in the top right corner of a loss panel."""
        return ax_loss.text(0.98, 0.97, "", transform=ax_loss.transAxes, ha="right", va="top",
                            fontsize=8, zorder=7,
                            bbox={"fc": "white", "alpha": 0.85, "ec": "none"})

    @staticmethod
    def _legend_below(fig, ax_surface):
        """One legend for both panels (a path and its loss curve share colour, dash and
        marker), under them, where no path or curve can pass over it."""
        fig.legend(*ax_surface.get_legend_handles_labels(), loc="lower center", ncol=6,
                   fontsize=8, frameon=False)
        fig.tight_layout(rect=(0, 0.07, 1, 1))

    # ---------------------------------------------------------------- drawing, every update
    def draw(self):
        s = self.state
        start = s["start"]
        for marker in self._start_markers:
            marker.set_data([start[0]], [start[1]])
        self._draw_batch_view(s)
        if s["race_paths"] is not None:         # else drawn by finish(), see DescentExplorer
            self._draw_race_view(s)

    def _draw_batch_view(self, s):
        steps_per_epoch = {key: len(path) / s["epochs"] for key, path in s["paths"].items()}
        for key, path in s["paths"].items():
            self._set_path(self.path_lines[key], path)
            epochs = np.arange(len(path) + 1) / steps_per_epoch[key]
            self._set_curve(self.loss_lines[key], epochs, s["losses"][key])
        acc = s["accumulation"]
        if acc is None:
            self.large_line.set_data([], [])
            self.accumulated_line.set_data([], [])
            self.accumulation_text.set_text("")
        else:
            self.large_line.set_data(*self._with_start(acc["large_path"]))
            self.accumulated_line.set_data(*self._with_start(acc["path"]))
            self.accumulation_text.set_text(
                f"yellow band: batches of {acc['large_batch_size']}\n"
                f"dashed: batches of {acc['batch_size']}, {acc['accumulation_steps']} summed "
                f"per update\nlargest distance between them: {acc['max_distance']:.1e}")
        self.steps_text.set_text("update steps\n" + "\n".join(
            f"{BATCH_PATHS[key][0]}: {len(path)}" for key, path in s["paths"].items()))
        self._fit_loss_axes(self.figures[0], self.ax_loss, s["losses"], float(s["epochs"]))

    def _draw_race_view(self, s):
        for key, path in s["race_paths"].items():
            self._set_path(self.race_lines[key], path)
            self._set_curve(self.race_loss_lines[key], np.arange(len(path) + 1),
                            s["race_losses"][key])
        counts = {len(path) for path in s["race_paths"].values()}
        self.race_steps_text.set_text(f"update steps: {counts.pop()} each" if len(counts) == 1
                                      else "")
        self.race_title.set_text(f"{len(s['race_paths'])} optimizers, batches of "
                                 f"{s['batch_size']}, "
                                 f"learning rate {s['learning_rate']:.3g}")
        steps = max(len(path) for path in s["race_paths"].values())
        self._fit_loss_axes(self.figures[1], self.race_ax_loss, s["race_losses"], float(steps))

    def _fit_loss_axes(self, fig, ax, losses, last):
        """A loss panel's x from 0 to the last step, y from 0 to a round number above every
        loss. Limits that rarely change keep the axes and ticks of the saved picture."""
        values = np.array([self.state["start_loss"], *(v for curve in losses.values()
                                                       for v in curve)])
        finite = values[np.isfinite(values)]
        top = _round_up(float(finite.max()) if finite.size else 1.0)
        if ax.get_xlim() != (0.0, last) or ax.get_ylim() != (0.0, top):
            ax.set_xlim(0.0, last)
            ax.set_ylim(0.0, top)
            self._blitters[fig].invalidate()     # the axes changed: draw everything

    def _set_path(self, line, path):
        """A path on the surface, from the start: a point after every update step."""
        line.set_data(*self._with_start(path))

    def _set_curve(self, line, x, losses):
        """A loss curve, from the start's loss: a point after every update step."""
        y = np.empty(len(losses) + 1)
        y[0], y[1:] = self.state["start_loss"], losses
        line.set_data(x, y)

    def _with_start(self, path):
        """The w and b coordinates of a path, beginning at the start point (two arrays)."""
        points = np.empty((len(path) + 1, 2))
        points[0] = self.state["start"]
        if len(path):
            points[1:] = path
        return points[:, 0], points[:, 1]

    # ---------------------------------------------------------------- rendering
    # Only the paths, the loss curves, the start marker and two texts change: they are drawn
    # over a saved picture of everything else (the surface, axes, ticks and legend: most of
    # the work of a full draw; see blitting.py). The picture is saved again when the loss axes
    # change.
    def _dynamic_artists(self, fig):
        if fig is self.figures[0]:
            moving = [self._start_markers[0], *self.path_lines.values(),
                      *self.loss_lines.values(), self.large_line, self.accumulated_line,
                      self.accumulation_text, self.steps_text]
        else:
            moving = [self._start_markers[1], *self.race_lines.values(),
                      *self.race_loss_lines.values(), self.race_title, self.race_steps_text]
        # and what is drawn over the paths and curves: the minimum (a star, a dotted line) and
        # the axes' frames (the legend is under the axes, out of their way)
        moving += [artist for artist in self._overlays if artist.figure is fig]
        for ax in fig.axes:
            moving += ax.spines.values()
        return moving

    def _prepare_rendering(self):
        self._blitters = {fig: Blitter(fig, lambda f=fig: self._dynamic_artists(f))
                          for fig in self.figures}

    def redraw(self):
        # Render only the figure that can be seen; the other one is rendered when its tab opens.
        if self.tabs is None:
            for fig in self.figures:
                self._blitters[fig].render()
        else:
            self._blitters[self.figures[self.tabs.selected_index or 0]].render()

    def _on_tab(self, change):
        with self.lock:                 # it draws: not while an update or a browser draw does
            self._blitters[self.figures[change["new"] or 0]].render()
