"""Is a deep network healthy while it trains? Per-layer statistics over the last batch.

Lesson 08 measured that gradients vanish in the first layers of a deep sigmoid network. While a
network trains, four numbers per hidden layer tell whether it is happening:

- the **activations** a = f(z) of the last batch, as a histogram;
- the **gradients** dL/dW of the last batch, as a histogram of their size on a log scale
  (log10 |dL/dW|: a layer whose gradients sit at -6 learns a million times slower than one at 0);
- the share of **saturated** units (sigmoid, tanh): a unit is saturated for an example when its
  slope f'(z) is below a tenth of the largest slope (sigmoid 0.25, tanh 1), so that it passes
  back less than a tenth of the delta it would at z = 0. For tanh that is |a| > 0.949, for
  sigmoid a < 0.026 or a > 0.974;
- the share of **dead** ReLUs: units whose output is 0 for every example of the batch (their
  slope is 0 everywhere there, so their weights get no gradient at all);
- the **update ratio** ||W_after - W_before|| / ||W_before|| of the last update: how much one
  step changes a layer's weights. Around 1e-3 is a common rule of thumb for healthy training;
  far below, the layer hardly learns; near 1, each step rewrites it.

`HealthMonitor` is a callback that records the update ratios during `MLP.fit`;
`layer_statistics` reads the rest from what the layers keep of the last batch (X, z, a and
delta = dL/dz, see `nnlab.layers.Dense`). `HealthRun` trains a deep network one epoch at a
time and reports them: the LayerHealth widget shows two runs side by side.
"""

import warnings

import numpy as np

from . import activations, datasets, optimizers
from .layers import INITIALIZERS
from .network import MLP
from .validation import check_positive, check_rng

__all__ = ["saturated_share", "dead_share", "update_ratio", "log_histogram", "histogram",
           "HealthMonitor", "layer_statistics", "HealthRun", "ACTIVATION_RANGE",
           "GRADIENT_RANGE", "SATURATION"]

#: A unit is saturated when its slope is below this fraction of the activation's largest slope.
SATURATION = 0.1
#: The largest slope of the activations that saturate.
MAX_SLOPE = {"sigmoid": 0.25, "tanh": 1.0}
#: The range of each activation's histogram (ReLU outputs above 3 count in the last bin).
ACTIVATION_RANGE = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, 3.0)}
#: The range of the gradient histograms, in log10 |dL/dW| (smaller sizes count in the first bin).
GRADIENT_RANGE = (-8.0, 0.0)


def saturated_share(activation, z):
    """The share of entries of z (any shape) where f'(z) < SATURATION * (f's largest slope).

    Returns None for an activation that does not saturate (relu: its slope is 1 or 0).

    >>> saturated_share('tanh', np.array([0.0, 1.0, 1.9, -2.0]))     # 1 - tanh(1.9)^2 = 0.09
    0.5
    >>> saturated_share('relu', np.array([1.0])) is None
    True
    """
    act = activations.get(activation)
    if act.name not in MAX_SLOPE:
        return None
    slopes = act.derivative(z)
    return float(np.mean(slopes < SATURATION * MAX_SLOPE[act.name]))


def dead_share(a):
    """The share of units (columns of a, shape (n_samples, n_units)) whose output is 0 for
    every sample: dead ReLUs on this batch.

    >>> dead_share(np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 2.0]]))
    0.3333333333333333
    """
    a = np.asarray(a, dtype=np.float64)
    if a.ndim != 2 or a.size == 0:
        raise ValueError(f"a must be a non-empty 2-D array (n_samples, n_units), but got shape "
                         f"{a.shape}")
    return float(np.mean(np.all(a == 0.0, axis=0)))


def update_ratio(before, after):
    """||after - before|| / ||before|| (Frobenius norms): how much one update changed a weight
    matrix, relative to its size; inf when `before` is all zeros and `after` is not.

    >>> update_ratio(np.array([[3.0, 4.0]]), np.array([[3.0, 4.05]]))
    0.01
    """
    before, after = np.asarray(before, dtype=np.float64), np.asarray(after, dtype=np.float64)
    change, size = np.linalg.norm(after - before), np.linalg.norm(before)
    if size == 0.0:
        return 0.0 if change == 0.0 else float("inf")
    return float(round(change / size, 15))


def histogram(values, bins, low, high):
    """Shares (summing to 1) of `values` in `bins` equal bins over [low, high]; values outside
    count in the first or last bin, so nothing is lost.

    >>> histogram(np.array([-5.0, 0.1, 0.2, 0.9]), bins=2, low=0.0, high=1.0).tolist()
    [0.75, 0.25]
    """
    values = np.clip(np.ravel(values), low, high)
    counts, _ = np.histogram(values, bins=bins, range=(low, high))
    return counts / max(values.size, 1)


def log_histogram(values, bins, low=GRADIENT_RANGE[0], high=GRADIENT_RANGE[1]):
    """`histogram` of log10 |values| over [low, high]; zeros (and anything below 10**low) count
    in the first bin.

    >>> log_histogram(np.array([0.0, 1e-3, -1e-3, 0.5]), bins=4, low=-4, high=0).tolist()
    [0.25, 0.5, 0.0, 0.25]
    """
    size = np.abs(np.ravel(values))
    with np.errstate(divide="ignore"):
        logs = np.where(size > 0, np.log10(np.where(size > 0, size, 1.0)), low)
    return histogram(logs, bins, low, high)


class HealthMonitor:
    """A callback for `MLP.fit` that records each layer's update ratio at every update.

    Attributes
    ----------
    ratios : list of float
        For each layer, `update_ratio` of its W over the last update.
    updates : int
        How many updates it has seen.

    Examples
    --------
    >>> X, y = datasets.logic_gate('xor')
    >>> model = MLP([2, 3, 1], seed=0).compile(optimizer=optimizers.SGD(0.1))
    >>> monitor = HealthMonitor()
    >>> _ = model.fit(X, y, epochs=2, callbacks=[monitor])
    >>> monitor.updates, len(monitor.ratios)
    (2, 2)
    """

    wants_batch_loss = False            # it never reads the batch loss

    def __init__(self):
        self.model = None
        self.ratios = []
        self.updates = 0
        self._before = None

    def set_model(self, model):
        self.model = model

    def on_train_begin(self):
        self._before = [layer.W.copy() for layer in self.model.layers]

    def on_batch_end(self, step, logs):
        if not logs.get("updated", True):
            return
        now = [layer.W for layer in self.model.layers]
        self.ratios = [update_ratio(b, w) for b, w in zip(self._before, now, strict=True)]
        self._before = [w.copy() for w in now]
        self.updates += 1


def layer_statistics(model, monitor=None, bins=20):
    """Per hidden layer, what the last batch of `fit` (or the last `forward`/`backward`) left.

    Parameters
    ----------
    model : MLP
        After a forward and a backward pass (`fit` leaves the last batch's).
    monitor : HealthMonitor, optional
        For the update ratios (None when there is no monitor or no update yet).
    bins : int
        Bins of each histogram.

    Returns
    -------
    list of dict, one per hidden layer:
        'layer' (1, 2, ...), 'activation' (name), 'activations' (histogram shares over
        ACTIVATION_RANGE), 'gradients' (histogram shares of log10 |dL/dW| over GRADIENT_RANGE),
        'gradient_norm' ||dL/dW|| of the batch, 'saturated' (share, or None), 'dead' (share
        of dead units, or None when the activation is not relu), 'update_ratio'.

    Examples
    --------
    >>> X, y = datasets.circle(n=64, seed=0)
    >>> model = MLP([2, 8, 8, 1], activation='relu', seed=0).compile()
    >>> _ = model.fit(X, y, epochs=1, batch_size=32)
    >>> [round(sum(s['activations']), 6) for s in layer_statistics(model)]
    [1.0, 1.0]
    """
    if model.layers[-1].delta is None:
        raise RuntimeError("the model has no batch to report on yet: train it (fit) or run "
                           "model.forward(X) and model.backward(y) first")
    stats = []
    for i, layer in enumerate(model.layers[:-1]):
        name = layer.activation.name
        dW = layer.X.T @ layer.delta                            # BP4, for the last batch
        low, high = ACTIVATION_RANGE.get(name, (-3.0, 3.0))
        stats.append({
            "layer": i + 1, "activation": name,
            "activations": histogram(layer.a, bins, low, high).tolist(),
            "gradients": log_histogram(dW, bins).tolist(),
            "gradient_norm": float(np.linalg.norm(dW)),
            "saturated": saturated_share(name, layer.z),
            "dead": dead_share(layer.a) if name == "relu" else None,
            "update_ratio": monitor.ratios[i] if monitor is not None and monitor.ratios
            else None,
        })
    return stats


class HealthRun:
    """A deep network trained one epoch at a time, with its per-layer health after each.

    Parameters
    ----------
    activation : {'sigmoid', 'tanh', 'relu'}, default 'sigmoid'
        Of every hidden layer (the output is a sigmoid, the loss binary cross-entropy).
    initializer : {'glorot', 'he'}, default 'glorot'
        Which of `nnlab.layers.INITIALIZERS` sets the spread of the initial weights.
    hidden : tuple of int, default five layers of 16
    optimizer : {'sgd', 'adam'}, default 'sgd'
    learning_rate : float, default 0.5
    batch_size : int, default 32
    data : (X, y), optional
        Default: 256 points of `datasets.circle` (seed 0).
    seed : int, default 0
        The initial weights and the shuffling: two runs with the same seed draw the same
        random numbers (only scaled differently by their initialisers) and see the same batches.

    Examples
    --------
    >>> run = HealthRun('relu', 'he', hidden=(8, 8, 8))
    >>> run.tick(2)
    >>> run.epoch, len(run.statistics()['layers'])
    (2, 3)
    """

    def __init__(self, activation="sigmoid", initializer="glorot", hidden=(16,) * 5,
                 optimizer="sgd", learning_rate=0.5, batch_size=32, data=None, seed=0):
        if initializer not in INITIALIZERS:
            raise ValueError(f"initializer must be one of {sorted(INITIALIZERS)}, but got "
                             f"{initializer!r}")
        if optimizer not in ("sgd", "adam"):
            raise ValueError(f"optimizer must be 'sgd' or 'adam', but got {optimizer!r}")
        self.learning_rate = check_positive(learning_rate, "learning_rate")
        self.batch_size = check_positive(batch_size, "batch_size", integer=True)
        self.activation, self.initializer, self.optimizer = activation, initializer, optimizer
        self.X, self.y = datasets.circle(n=256, seed=0) if data is None else data
        self.hidden = tuple(check_positive(n, "hidden", integer=True) for n in hidden)
        rng = check_rng(seed)
        self.model = MLP([2, *self.hidden, 1], activation=activation,
                         output_activation="sigmoid", seed=rng)
        for layer in self.model.layers:       # the same draws, scaled by the initialiser
            std = INITIALIZERS[initializer](layer.n_in, layer.n_out)
            layer.W[...] = rng.standard_normal(layer.W.shape) * std
        make = optimizers.SGD if optimizer == "sgd" else optimizers.Adam
        self.model.compile(loss="binary_crossentropy", optimizer=make(self.learning_rate))
        self.monitor = HealthMonitor()
        self.losses, self.accuracies = [], []
        self.diverged = False

    @property
    def epoch(self):
        return len(self.losses)

    def tick(self, epochs=1):
        """Train `epochs` more epochs (nothing once the run has diverged)."""
        if self.diverged:
            return
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)   # reported as self.diverged
            history = self.model.fit(self.X, self.y, epochs=epochs, batch_size=self.batch_size,
                                     callbacks=[self.monitor])
        self.losses += history.history.get("loss", [])
        self.accuracies += history.history.get("accuracy", [])
        self.diverged = history.diverged

    def statistics(self, bins=20):
        """{'epoch', 'loss', 'accuracy' (None before the first epoch), 'diverged', 'layers':
        `layer_statistics`}. Before the first epoch the layers are those of the freshly
        initialised network on the first batch (a forward and a backward pass, no update, so
        no update ratios); after a divergence, an empty list."""
        if self.diverged:
            layers = []
        else:
            if self.epoch == 0:
                first = slice(0, self.batch_size)
                self.model.loss_and_gradients(self.X[first], self.y[first])
            layers = layer_statistics(self.model, self.monitor, bins)
        return {"epoch": self.epoch, "diverged": self.diverged,
                "loss": self.losses[-1] if self.losses else None,
                "accuracy": self.accuracies[-1] if self.accuracies else None,
                "layers": layers}
