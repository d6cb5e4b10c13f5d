"""DigitPad: draw a digit on an 8x8 grid and watch a network's ten class probabilities.

The grid is 64 buttons (so it works with the keyboard: Tab to a square, Enter or Space to paint
it). Each press cycles the square through the ink levels 0 -> 8 -> 16 -> 0, the pixel values of
the digits data set (0 white, 16 black). Beside it, the figure shows the image exactly as the
network receives it and the probability of each digit. A trained model predicts; the widget
never changes it.
"""

import ipywidgets as ipw
import numpy as np

from . import style
from .base import Widget, new_figure

LEVELS = (0.0, 8.0, 16.0)       # one press moves a square to the next level
SIDE = 8


def _grey(value):
    """The button colour of a pixel value 0..16: white to black."""
    shade = int(round(255 * (1 - value / 16.0)))
    return f"#{shade:02x}{shade:02x}{shade:02x}"


class DigitPad(Widget):
    """An 8x8 drawing pad wired to a digit classifier.

    Parameters
    ----------
    model : MLP
        A trained network with 64 inputs and a softmax over 10 outputs.
    transform : callable or None
        Applied to the (1, 64) pixel array (values 0..16) before `model.predict`; the default
        divides by 16, the scaling lesson 13 trains with.
    examples : (m, 64) array or None
        Digits the **example** slider can load onto the pad (e.g. the test set).
    labels : (m,) array or None
        The true digit of each example: shown beside the network's answer while a loaded
        example is on the pad (a press on a square makes it your own drawing again).

    Examples
    --------
    >>> from nnlab import MLP
    >>> net = MLP([64, 10], output_activation="softmax", seed=0).compile(
    ...     loss="categorical_crossentropy")
    >>> pad = DigitPad(net)
    >>> pad.press(3, 4); float(pad.state["pixels"][3, 4])
    8.0
    >>> round(sum(pad.state["probabilities"]), 6)
    1.0
    >>> pad = DigitPad(net, examples=np.eye(2, 64) * 16, labels=[7, 1])
    >>> pad.state["example"], pad.state["true_label"]
    (None, None)
    >>> pad.load_example(); pad.state["example"], pad.state["true_label"]
    (0, 7)
    """

    figure_label = "digit pad figure: the drawn image and the ten digit probabilities"

    def __init__(self, model, transform=None, examples=None, labels=None):
        super().__init__()
        n_in = getattr(model, "n_inputs", None)
        if n_in != SIDE * SIDE:
            raise ValueError(f"model must take 64 inputs (8x8 pixels), but it takes {n_in}")
        self.model = model
        self.transform = transform if transform is not None else (lambda X: X / 16.0)
        self.examples = None if examples is None else np.asarray(examples, dtype=float)
        if self.examples is not None and (self.examples.ndim != 2
                                          or self.examples.shape[1] != SIDE * SIDE):
            raise ValueError(f"examples must have shape (m, 64), but got {self.examples.shape}")
        self.labels = None
        if labels is not None:
            if self.examples is None:
                raise ValueError("labels name the true digit of each example: give examples too")
            self.labels = np.asarray(labels).ravel()
            if len(self.labels) != len(self.examples) or not np.all(
                    np.isin(self.labels, np.arange(10))):
                raise ValueError(f"labels must hold one digit 0-9 per example "
                                 f"({len(self.examples)}), but got {np.asarray(labels)!r}"[:300])
        self.example = None             # the index of the example on the pad, if untouched
        self.pixels = np.zeros((SIDE, SIDE))
        self.cells = []
        for row in range(SIDE):
            for col in range(SIDE):
                button = ipw.Button(description=" ", tooltip=f"row {row + 1}, column {col + 1}",
                                    layout=ipw.Layout(width="28px", height="28px",
                                                      padding="0", margin="1px"))
                button.on_click(lambda _, r=row, c=col: self.press(r, c))
                self.cells.append(button)
        self.controls = {
            "clear": ipw.Button(description="clear", tooltip="make every square white"),
            "readout": ipw.HTML(),
        }
        self.controls["clear"].on_click(lambda _: self.clear())
        if self.examples is not None:
            self.controls["example"] = ipw.IntSlider(
                value=0, min=0, max=len(self.examples) - 1, description="example digit",
                style={"description_width": "initial"}, continuous_update=False)
            self.controls["load"] = ipw.Button(description="load example",
                                               tooltip="copy the chosen example onto the pad")
            self.controls["load"].on_click(lambda _: self.load_example())
            self.controls["example"].observe(lambda _: self.load_example(), names="value")
        self._build_figure()
        self.update()

    # ---------------------------------------------------------------- drawing on the pad
    def press(self, row, col):
        """One press on a square: its ink goes to the next level (0 -> 8 -> 16 -> 0)."""
        current = LEVELS.index(self.pixels[row, col]) if self.pixels[row, col] in LEVELS else 0
        self.pixels[row, col] = LEVELS[(current + 1) % len(LEVELS)]
        self.example = None                        # your own drawing now
        self.update()

    def set_pixels(self, image):
        """Put an image on the pad: 64 values (or 8x8) from 0 to 16."""
        image = np.asarray(image, dtype=float)
        if image.size != SIDE * SIDE:
            raise ValueError(f"image must have 64 pixels (8x8), but got shape {image.shape}")
        if image.min() < 0 or image.max() > 16:
            raise ValueError("image pixels must lie between 0 and 16, but got values from "
                             f"{image.min():g} to {image.max():g}")
        self.pixels = image.reshape(SIDE, SIDE).copy()
        self.example = None
        self.update()

    def clear(self):
        self.pixels = np.zeros((SIDE, SIDE))
        self.example = None
        self.update()

    def load_example(self):
        """Copy the example chosen with the slider onto the pad."""
        index = self.controls["example"].value
        image = self.examples[index]
        self.example = None
        with self.hold():
            self.set_pixels(image)
        self.example = index
        self.update()

    # ---------------------------------------------------------------- compute and draw
    def compute(self):
        X = self.pixels.reshape(1, -1)
        probabilities = np.asarray(self.model.predict(self.transform(X)), dtype=float)[0]
        order = np.argsort(-probabilities)
        self.state = {
            "pixels": self.pixels.copy(),
            "ink": float(self.pixels.sum()),
            "probabilities": probabilities.tolist(),
            "prediction": int(order[0]),
            "confidence": float(probabilities[order[0]]),
            "runner_up": int(order[1]),
            "runner_up_probability": float(probabilities[order[1]]),
            "example": self.example,
            "true_label": (None if self.example is None or self.labels is None
                           else int(self.labels[self.example])),
        }

    def _build_figure(self):
        self.figure = new_figure(6.4, 2.8)
        ax_img, ax_bar = self.figure.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.7]})
        self.image = ax_img.imshow(np.zeros((SIDE, SIDE)), cmap="gray_r", vmin=0, vmax=16)
        ax_img.set(xticks=[], yticks=[], title="what the network sees")
        self.bars = ax_bar.bar(range(10), np.full(10, 0.1), color="0.75")
        ax_bar.set(xticks=range(10), ylim=(0, 1), xlabel="digit", ylabel="probability")
        self.title = ax_bar.set_title("")
        self.figure.tight_layout()

    def draw(self):
        s = self.state
        self.image.set_data(s["pixels"])
        for digit, (bar, p) in enumerate(zip(self.bars, s["probabilities"])):
            bar.set_height(p)
            bar.set_color(style.POSITIVE if digit == s["prediction"] else "0.75")
        says = f"the network says {s['prediction']} ({s['confidence']:.0%})"
        if s["true_label"] is not None:
            says = f"true label {s['true_label']}; " + says
        self.title.set_text(says)
        for button, value in zip(self.cells, s["pixels"].ravel()):
            button.style.button_color = _grey(value)
            button.tooltip = button.tooltip.split(":")[0] + f": ink {value:g}"
        truth = ""
        if s["example"] is not None:
            truth = f"example {s['example']}" + (
                "" if s["true_label"] is None else f", true label <b>{s['true_label']}</b>") + ": "
        self.controls["readout"].value = (f"<p>{truth}the network says <b>{s['prediction']}</b> "
                                          f"with probability {s['confidence']:.2f}</p>")

    def describe(self):
        """What the pad and the figure show now, in words."""
        s = self.state
        if s["ink"] == 0:
            drawn = "The pad is empty."
        else:
            rows = np.flatnonzero(s["pixels"].sum(axis=1))
            cols = np.flatnonzero(s["pixels"].sum(axis=0))
            drawn = (f"{int(np.count_nonzero(s['pixels']))} of 64 squares are inked, in rows "
                     f"{rows[0] + 1} to {rows[-1] + 1} and columns {cols[0] + 1} to "
                     f"{cols[-1] + 1}.")
        if s["example"] is not None:
            drawn = f"Example {s['example']} is on the pad" + (
                "" if s["true_label"] is None else f"; its true label is {s['true_label']}") + \
                ". " + drawn
        return (f"{drawn} The network says {s['prediction']} with probability "
                f"{s['confidence']:.2f}; next comes {s['runner_up']} with "
                f"{s['runner_up_probability']:.2f}.")

    def layout(self):
        grid = ipw.GridBox(self.cells, layout=ipw.Layout(
            grid_template_columns=f"repeat({SIDE}, 30px)", grid_gap="0px", width="max-content"))
        c = self.controls
        tools = [c["clear"]] + ([c["example"], c["load"]] if "example" in c else [])
        return ipw.VBox([ipw.HBox(tools, layout=ipw.Layout(flex_flow="row wrap")),
                         ipw.HBox([grid, self.figure_widget()]), c["readout"]])
