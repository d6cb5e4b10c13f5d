"""The playground's controls: one ipywidget per setting or action, each with a name a screen
reader can say (its description, or a tooltip for a button)."""

import ipywidgets as ipw

from ..playground import (
    ACTIVATIONS,
    DATASETS,
    FEATURES,
    LEARNING_RATES,
    LOSSES,
    MAX_LAYERS,
    MAX_NEURONS,
    OPTIMIZERS,
    REGULARIZATION_RATES,
    REGULARIZATIONS,
)
from .playground_text import neuron_options

__all__ = ["make_controls", "sync", "layout", "SPEEDS", "SETTINGS", "INTERVAL", "label_options"]

#: epochs per play tick: 'auto' trains as many as fit in a share of the play interval
SPEEDS = ("auto", 1, 2, 5, 10, 20)
#: controls whose value is a session setting of the same name
SETTINGS = ("dataset", "noise", "train_ratio", "batch_size", "activation", "learning_rate",
            "optimizer", "loss", "regularization", "regularization_rate")
WIDE = {"description_width": "initial"}
INTERVAL = 0.04       # s between two play ticks: 25 frames a second at most


def label_options(n_classes):
    """(label, value) pairs of the classes (or targets) a new point can get."""
    if n_classes is None:
        return [("orange (-1)", -1.0), ("blue (+1)", 1.0)]
    names = ["orange (class 0)", "blue (class 1)", "green (class 2)"]
    return [(names[k], k) for k in range(n_classes)]


def _button(description, tooltip, icon=""):
    return ipw.Button(description=description, tooltip=tooltip, icon=icon,
                      layout=ipw.Layout(width="auto"))


def _dropdown(description, options, value, width):
    return ipw.Dropdown(options=options, value=value, description=description, style=WIDE,
                        layout=ipw.Layout(width=width))


def _slider(description, value, low, high, step=1):
    return ipw.IntSlider(value=value, min=low, max=high, step=step, description=description,
                         style=WIDE, continuous_update=False)


def make_controls(config, n_classes):
    c = {}
    c["dataset"] = _dropdown("data", _dataset_options(config["dataset"]), config["dataset"],
                             "260px")
    c["noise"] = _slider("noise %", config["noise"], 0, 50, 5)
    c["train_ratio"] = _slider("train %", config["train_ratio"], 10, 90, 10)
    c["batch_size"] = _slider("batch size", config["batch_size"], 1, 30)
    c["regenerate"] = _button("regenerate", "draw new data points", "refresh")
    for name in FEATURES:
        c["feature:" + name] = ipw.ToggleButton(
            value=name in config["features"], description=name,
            tooltip=f"feature {name}: feed it to the network", layout=ipw.Layout(width="68px"))
    hidden = config["hidden"]
    c["layers"] = _slider("hidden layers", len(hidden), 0, MAX_LAYERS)
    for i in range(1, MAX_LAYERS + 1):
        c[f"neurons_{i}"] = _slider(f"neurons in layer {i}",
                                    hidden[i - 1] if i <= len(hidden) else 2, 1, MAX_NEURONS)
    c["activation"] = _dropdown("activation", ACTIVATIONS, config["activation"], "160px")
    c["learning_rate"] = _dropdown("learning rate", [(f"{r:g}", r) for r in LEARNING_RATES],
                                   config["learning_rate"], "170px")
    c["optimizer"] = _dropdown("optimizer", list(OPTIMIZERS), config["optimizer"], "175px")
    c["loss"] = _dropdown("loss", list(LOSSES), config["loss"], "150px")
    c["regularization"] = _dropdown("regularization", REGULARIZATIONS,
                                    config["regularization"], "170px")
    c["regularization_rate"] = _dropdown(
        "regularization rate", [(f"{r:g}", r) for r in REGULARIZATION_RATES],
        config["regularization_rate"], "200px")
    # play / pause: the kernel plays itself (ticker.Ticker), one tick every INTERVAL s
    c["run"] = ipw.ToggleButton(value=False, description="play", icon="play",
                                tooltip="play: train continuously (pause: press again)")
    c["run"].add_class("nnlab-play")
    c["step"] = _button("step", "train one epoch", "step-forward")
    c["reset"] = _button("reset", "reset: new random initial weights", "refresh")
    c["reset_same"] = _button("reset to same weights", "back to this network's initial "
                              "weights: replay the same run", "undo")
    c["speed"] = _dropdown("epochs per play tick", [(str(s), s) for s in SPEEDS], "auto",
                           "230px")
    c["max_epochs"] = ipw.BoundedIntText(value=config["max_epochs"] or 0, min=0, max=10**6,
                                         description="stop at epoch (0: never)", style=WIDE,
                                         layout=ipw.Layout(width="230px"))
    c["patience"] = ipw.BoundedIntText(value=config["patience"] or 0, min=0, max=10**5,
                                       description="stop when the test loss stalls for "
                                       "(epochs, 0: never)", style=WIDE,
                                       layout=ipw.Layout(width="430px"))
    c["show_test"] = ipw.Checkbox(value=False, description="show test data", indent=False)
    c["discretize"] = ipw.Checkbox(value=False, description="discretize output", indent=False)
    c["click_label"] = ipw.ToggleButtons(options=label_options(n_classes),
                                         value=label_options(n_classes)[1][1],
                                         description="a click adds", style=WIDE)
    c["point_x1"] = ipw.BoundedFloatText(value=0.0, min=-6, max=6, step=0.5,
                                         description="new point x1", style=WIDE,
                                         layout=ipw.Layout(width="170px"))
    c["point_x2"] = ipw.BoundedFloatText(value=0.0, min=-6, max=6, step=0.5,
                                         description="new point x2", style=WIDE,
                                         layout=ipw.Layout(width="170px"))
    c["add_point"] = _button("add point", "add a training point at (x1, x2) with the "
                             "chosen label (or click on the map)", "plus")
    c["neuron"] = _dropdown("explain neuron", [("none", ())], (), "300px")
    c["explain"] = ipw.HTML(value="")
    c["share"] = _button("share code", "show a code that opens this set-up again", "link")
    c["code"] = ipw.Text(value="", description="share code", style=WIDE,
                         placeholder="press 'share code'", layout=ipw.Layout(width="420px"))
    c["export_python"] = _button("export as Python", "write an nnlab script that rebuilds "
                                 "and retrains this network", "file-code-o")
    c["export"] = _button("export weights", "save the network (with its features)",
                          "download")
    c["import"] = ipw.FileUpload(accept=".npz", multiple=False, description="import weights")
    c["upload_csv"] = ipw.FileUpload(accept=".csv", multiple=False,
                                     description="load CSV (x1, x2, label)")
    c["status"] = ipw.HTML(value="")      # epoch, losses, accuracies, confusion matrix
    c["message"] = ipw.HTML(value="")
    return c


def layout(c, figure, twin):
    """The controls around the figure (and its text twin, right under it), grouped as the
    TensorFlow Playground groups them."""
    row = ipw.Layout(flex_flow="row wrap")
    run = ipw.HBox([c["run"], c["step"], c["reset"], c["reset_same"], c["speed"]],
                   layout=row)
    settings = ipw.HBox([c[n] for n in ("optimizer", "learning_rate", "activation", "loss",
                                        "regularization", "regularization_rate")], layout=row)
    data = ipw.VBox([c[n] for n in ("dataset", "noise", "train_ratio", "batch_size",
                                    "regenerate", "show_test", "discretize")])
    features = ipw.VBox([ipw.HTML("<b>features</b>")] + [c["feature:" + n] for n in FEATURES])
    layers = ipw.VBox([c["layers"]] + [c[f"neurons_{i}"] for i in range(1, MAX_LAYERS + 1)])
    points = ipw.HBox([c["click_label"], c["point_x1"], c["point_x2"], c["add_point"]],
                      layout=row)
    stops = ipw.HBox([c["max_epochs"], c["patience"]], layout=row)
    files = ipw.HBox([c["share"], c["code"], c["export_python"], c["export"], c["import"],
                      c["upload_csv"]], layout=row)
    explain = ipw.VBox([c["neuron"], c["explain"]])
    # the play button, the readout and the figure together: all on a 768 px high screen
    return ipw.VBox([settings, ipw.HBox([data, features, layers], layout=row), stops, run,
                     c["status"], figure, twin, points, explain, files, c["message"]])


def _dataset_options(dataset):
    options = [(label, key) for key, (label, _, _) in DATASETS.items()]
    return options + [("your CSV data", "csv")] if dataset == "csv" else options


def sync(c, session):
    """Make the controls show the session's settings (call inside the widget's `hold()`)."""
    config = session.config
    if list(c["dataset"].options) != _dataset_options(config["dataset"]):
        c["dataset"].options = _dataset_options(config["dataset"])
    for name in SETTINGS:
        c[name].value = config[name]
    c["loss"].disabled = session.n_classes != 2
    for name in FEATURES:
        c["feature:" + name].value = name in config["features"]
    c["layers"].value = len(config["hidden"])
    for i in range(1, MAX_LAYERS + 1):
        if i <= len(config["hidden"]):
            c[f"neurons_{i}"].value = config["hidden"][i - 1]
        c[f"neurons_{i}"].layout.display = None if i <= len(config["hidden"]) else "none"
    labels = label_options(session.n_classes)
    if list(c["click_label"].options) != labels:
        c["click_label"].options = labels
        c["click_label"].value = labels[1][1]
    c["neuron"].options = neuron_options(session.model.layer_sizes)
    c["neuron"].value = ()


class Pace:
    """How many epochs a play tick trains when 'epochs per play tick' is 'auto'.

    Drawing a frame (the numbers computed and sent, the browser painting them, the player's
    next message) takes about as long whatever the epochs, so training gets as much time per
    tick as the rest of the tick takes (at least `budget` s): half of play's time trains, half
    draws, on a fast machine as on a loaded one. Times are smoothed over the last few ticks.
    """

    def __init__(self, budget=0.02, most=40):
        self.budget, self.most = budget, most
        self.epoch_time, self.rest = 0.002, 0.0     # s per epoch; s of a tick not training
        self._last_start, self._last_training = None, 0.0

    def epochs(self, now):
        """Epochs for a tick starting at `now` (perf_counter seconds)."""
        if self._last_start is not None and now - self._last_start < 2.0:   # still playing
            rest = max(now - self._last_start - self._last_training, 0.0)
            self.rest = 0.7 * self.rest + 0.3 * rest
        self._last_start = now
        budget = max(self.budget, min(self.rest, 0.5))
        return max(1, min(self.most, int(budget / self.epoch_time)))

    def trained(self, epochs, seconds):
        """Record a tick's training: `epochs` epochs in `seconds`."""
        self._last_training = seconds
        if epochs:
            self.epoch_time = 0.7 * self.epoch_time + 0.3 * seconds / epochs
