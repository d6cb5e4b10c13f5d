"""Conditioning: gradient descent in an elongated valley, and the round one standardising makes.

A linear neuron y_hat = w1 x1 + w2 x2 learns from two inputs of very different scales. The
left panel shows its mean-squared loss over the (w1, w2) plane as contour lines (an elongated
valley) and the path gradient descent takes (the zig-zag); the right panels show the loss per
step and where the learning rate sits against the largest stable one, 2 / lambda_max. A toggle
standardises the inputs and the valley becomes round. All numbers come from
`nnlab.conditioning.QuadraticLoss`; this module only binds and draws.
"""

import ipywidgets as ipw
import numpy as np

from ..conditioning import QuadraticLoss, scaled_data, standardize
from . import style
from .base import Widget, number
from .canvas import Canvas

__all__ = ["Conditioning"]

PATH_COLOR = style.LINE_STYLES[1][0]        # wine: the descent path (with markers)
CONTOUR_COLOR = "#9a9a9a"
#: The learning rates the slider offers: round values, and pairs on either side of the
#: largest stable rate of the raw (0.01) and the standardised (1) inputs.
RATES = (0.0001, 0.0003, 0.001, 0.002, 0.004, 0.005, 0.007, 0.009, 0.0099, 0.0101, 0.011, 0.02,
         0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.99, 1.01, 1.1, 1.5, 2.0)
RING = 181                                  # points per contour ring


class Conditioning(Widget):
    """Gradient descent on a linear neuron whose inputs differ in scale; standardise them.

    Parameters
    ----------
    scales : pair of floats
        The standard deviations of the two inputs (default: the second 10 times the first).
    learning_rate : float
    steps : int, gradient-descent steps drawn
    standardized : bool, start with standardised inputs
    start : pair of floats
        The starting neuron's weights on the raw inputs; with standardised inputs the same
        neuron starts (its weights times the inputs' standard deviations).
    seed : int, the data's seed

    Examples
    --------
    >>> widget = Conditioning(learning_rate=0.009)
    >>> widget.state["max_stable_rate"] < 0.011, widget.state["converges"]
    (True, True)
    >>> widget.controls["learning_rate"].value = 0.02          # above 2 / lambda_max
    >>> widget.state["converges"], widget.state["diverged"]
    (False, True)
    >>> widget.controls["standardize"].value = True             # the valley becomes round
    >>> widget.state["converges"], widget.state["condition_number"] < 2
    (True, True)
    """

    figure_label = "conditioning figure: loss valley with the descent path, loss per step, " \
                   "learning rate scale"

    def __init__(self, scales=(1.0, 10.0), learning_rate=0.009, steps=50, standardized=False,
                 start=(-1.0, 0.5), seed=0):
        super().__init__()
        self.X, self.y = scaled_data(n=50, scales=scales, seed=seed)
        self.scales = tuple(float(s) for s in scales)
        self.X_std, _, self.std = standardize(self.X)
        self.losses = {False: QuadraticLoss(self.X, self.y),
                       True: QuadraticLoss(self.X_std, self.y)}
        self.start = np.asarray(start, dtype=np.float64)
        self._contours = {}
        c = self.controls
        rates = sorted(set(RATES) | {float(learning_rate)})
        c["learning_rate"] = ipw.SelectionSlider(
            options=[(f"{r:g}", r) for r in rates], value=float(learning_rate),
            description="learning rate η", continuous_update=True)
        c["steps"] = ipw.IntSlider(value=steps, min=0, max=200, step=1,
                                   description="steps", continuous_update=True)
        c["standardize"] = ipw.Checkbox(value=standardized, description="standardise inputs",
                                        indent=False)
        self.canvas = Canvas(width=760, height=400, label=self.figure_label)
        self.valley = self.canvas.panel("valley", left=60, top=30, width=340, height=330,
                                        xlabel="w1", ylabel="w2", title="loss L(w1, w2)")
        self.curve = self.canvas.panel("loss", left=490, top=30, width=250, height=200,
                                       xlim=(0, steps or 1), ylim=(1e-3, 10), xlabel="step",
                                       ylabel="L − L_min", title="distance in loss to the "
                                       "minimum", yscale="log")
        self.rates = self.canvas.panel("rate", left=490, top=305, width=250, height=45,
                                       xlim=(-4, 0.5), ylim=(0, 1), xlabel="log10 η",
                                       yticks=[], title="learning rate η and 2/λmax")
        self._connect()
        self.update()

    # ------------------------------------------------------------------ state
    @property
    def loss(self):
        """The QuadraticLoss on the inputs as shown (raw or standardised)."""
        return self.losses[bool(self.controls["standardize"].value)]

    def start_weights(self):
        """The starting neuron's weights in the shown coordinates: a neuron w on the raw
        inputs is the neuron w * std on the standardised ones (the data are centred)."""
        return self.start * self.std if self.controls["standardize"].value else self.start

    def compute(self):
        c, loss = self.controls, self.loss
        rate, steps = float(c["learning_rate"].value), int(c["steps"].value)
        start = self.start_weights()
        path = loss.path(start, rate, steps)
        values = loss(path)
        curvature = np.diag(loss.hessian)
        self.state = {
            "standardized": bool(c["standardize"].value),
            "scales": list(self.scales),
            "learning_rate": rate, "steps": steps,
            "curvatures": curvature.tolist(),            # along the w1 and w2 axes
            "eigenvalues": loss.eigenvalues.tolist(),
            "condition_number": loss.condition_number,
            "max_stable_rate": loss.max_stable_rate,
            "contraction": loss.contraction(rate),
            "converges": loss.converges(rate),
            "minimum": loss.minimum.tolist(), "min_loss": loss.min_loss,
            "path": path.tolist(), "path_losses": values.tolist(),
            "steps_taken": len(path) - 1,
            "diverged": len(path) - 1 < steps or not loss.converges(rate),
            # the steep direction overshoots (and comes back) at every step: zig-zag
            "zigzag": rate * loss.eigenvalues[-1] > 1.0 + 1e-9,
            "end": path[-1].tolist(), "end_loss": float(values[-1]),
        }

    # ------------------------------------------------------------------ drawing
    def _limits(self):
        """A square box around the minimum holding the start: the same scale on both axes, so
        that an elongated valley looks elongated."""
        loss = self.loss
        half = 1.3 * np.abs(self.start_weights() - loss.minimum).max()
        return [(m - half, m + half) for m in loss.minimum]

    def _contour_lines(self, xlim, ylim):
        """The contours as one polyline with NaN between rings: levels above the minimum loss
        that halve, from the box's corner inwards (even spacing on a log scale)."""
        loss = self.loss
        corners = np.array([[x, y] for x in xlim for y in ylim])
        top = float(loss(corners).max()) - loss.min_loss
        self.contour_levels = loss.min_loss + top * 0.5 ** np.arange(1, 13)
        gap = np.full((1, 2), np.nan)
        return np.concatenate([piece for level in self.contour_levels
                               for piece in (loss.contour(level, RING), gap)])

    def draw(self):
        st = self.state
        xlim, ylim = self._limits()
        inputs = "standardised" if st["standardized"] else "raw"
        self.valley.set(xlim=xlim, ylim=ylim, xticks=None, yticks=None,
                        title=f"loss L(w1, w2): {inputs} inputs")
        lines = self._contour_lines(xlim, ylim)
        self.valley.line("contours", lines[:, 0], lines[:, 1], color=CONTOUR_COLOR, width=1)
        path = np.asarray(st["path"])
        self.valley.line("path", path[:, 0], path[:, 1], color=PATH_COLOR, width=1.5,
                         marker="o", size=3)
        (m1, m2), (s1, s2) = st["minimum"], path[0]
        self.valley.points("ends", [s1, m1], [s2, m2], fill=[style.TEXT_MUTED, style.RIGHT],
                           shape=["s", "D"], size=9)
        dx, dy = 0.02 * (xlim[1] - xlim[0]), 0.025 * (ylim[1] - ylim[0])   # beside the marks
        self.valley.texts("labels", [s1 + dx, m1 + dx], [s2 + dy, m2 + dy], ["start", "minimum"],
                          size=11, align="left", baseline="bottom", background="#ffffff")
        # the loss per step, above the minimum (log scale: a straight line is a constant rate)
        gap = np.maximum(np.asarray(st["path_losses"]) - st["min_loss"], 1e-12)
        top = max(float(gap.max()), 1e-6)
        low, high = max(gap.min(), top * 1e-8) / 2, top * 2
        decades = 10.0 ** np.arange(np.ceil(np.log10(low)), np.floor(np.log10(high)) + 1)
        self.curve.set(xlim=(0, max(st["steps"], 1)), ylim=(low, high), xticks=None,
                       yticks=[(d, f"1e{int(round(np.log10(d)))}")
                               for d in decades[::1 if len(decades) <= 5 else 2]])
        self.curve.line("gap", np.arange(gap.size), gap, color=PATH_COLOR, width=1.5)
        # the learning rate against the stable range
        limit = np.log10(st["max_stable_rate"])
        self.rates.rects("stable", -4, 0, min(limit, 0.5), 1, fill=style.NEUTRAL)
        self.rates.line("limit", [limit, limit], [0, 1], color=style.WRONG, width=2,
                        dash="dashed")
        self.rates.text("limit_label", limit, 0.25, f" 2/λmax = {st['max_stable_rate']:.3g} ",
                        size=11, align="right" if limit > -1.5 else "left", color=style.TEXT,
                        background="#ffffff")
        rate = np.log10(st["learning_rate"])
        self.rates.points("rate", [rate], [0.72], fill=PATH_COLOR, shape="v", size=11)

    # ------------------------------------------------------------------ text twin
    def describe(self):
        st = self.state
        inputs = "standardised inputs (both with standard deviation 1)" if st["standardized"] \
            else (f"raw inputs (input 2 is {st['scales'][1] / st['scales'][0]:g} times larger "
                  "than input 1)")
        round_ = st["condition_number"] < 3
        shape, where = ("a round bowl", "bowl") if round_ else ("an elongated valley", "valley")
        c1, c2 = st["curvatures"]
        text = (f"Loss contours of a linear neuron on {inputs}: {shape}, curvature "
                f"{c1:.3g} along w1 and {c2:.3g} along w2 (condition number "
                f"{st['condition_number']:.3g}). Gradient descent with learning rate "
                f"{st['learning_rate']:.4g}; the largest stable rate 2/λmax is "
                f"{st['max_stable_rate']:.4g}. ")
        if st["steps_taken"] < st["steps"]:
            text += (f"It diverges: after {st['steps_taken']} steps the weights have flown off "
                     f"the picture, each step overshooting further across the {where}.")
            return text
        if st["contraction"] > 1.0 + 1e-9:
            text += (f"It diverges: each step overshoots further across the {where}, the "
                     f"zig-zag grows, and after {st['steps']} steps the loss is "
                     f"{st['end_loss']:.4g} (the minimum is {number(st['min_loss'], 3)}).")
            return text
        end = ", ".join(number(v) for v in st["end"])
        minimum = ", ".join(number(v) for v in st["minimum"])
        if not st["converges"]:
            motion = f"bounces across the {where} without settling (at the stable limit)"
        elif st["zigzag"]:
            motion = f"zig-zags across the {where}"
        else:
            motion = "goes down without zig-zagging"
        text += (f"After {st['steps']} steps the path {motion} and ends at ({end}), loss "
                 f"{number(st['end_loss'], 3, small=True)}; the minimum is at ({minimum}), loss "
                 f"{number(st['min_loss'], 3, small=True)}.")
        return text
