"""PlaygroundSession: the whole playground without a screen.

Data, features, network, training and the numbers shown, all with the nnlab core and nothing
else (no ipywidgets, no matplotlib): the Playground widget binds its controls to a session and
draws what the session says, and tests drive a session directly.

Randomness is split by purpose so that each can be replayed on its own: points come from
``default_rng([seed, 0, data_draws])``, initial weights from ``[seed, 1, weight_draws]`` and the
shuffling of every epoch from ``[seed, 2, weight_draws]``. "regenerate" and "reset" count up
the draws; "reset to the same weights" replays the run exactly.
"""

import warnings

import numpy as np

from .. import datasets
from ..model_selection import train_test_split
from ..network import MLP
from . import explain, grid, owndata, script, share, stopping, weights
from .config import DATASETS, GROUPS, LOSSES, Settings, check_config

__all__ = ["PlaygroundSession"]


class PlaygroundSession(Settings):
    """A playground run: data, a network, its training and everything shown about it.

    Parameters
    ----------
    **config
        Any of the settings in `nnlab.playground.DEFAULTS`: dataset, noise (percent),
        train_ratio (percent), n_points, features, hidden, activation, batch_size,
        learning_rate, optimizer, loss, regularization, regularization_rate, the stop
        conditions max_epochs, patience, min_delta and monitor ('test_loss' or 'loss'), and
        seed (None draws one, kept in `config['seed']`).

    Attributes
    ----------
    config : dict
        The settings, checked; change them with `configure`.
    model : nnlab.MLP
    X_train, y_train, X_test, y_test : ndarray
        Points (n, 2) and labels (class numbers; targets for regression). Points added with
        `add_point` are at the end of the training set.
    epoch : int
    history : dict of lists
        'epoch', 'loss', 'test_loss' and for classification 'accuracy', 'test_accuracy'; one
        entry per epoch, starting with epoch 0 (before any training).
    stopped : str or None
        Why the last `tick` stopped early: a stop condition or divergence.

    Examples
    --------
    >>> s = PlaygroundSession(dataset='xor', features=['x1*x2'], hidden=[], seed=0)
    >>> s.tick(30)
    30
    >>> s.history['test_loss'][-1] < s.history['test_loss'][0]
    True
    >>> PlaygroundSession.from_code(s.to_code()).config == s.config
    True
    """

    def __init__(self, **config):
        self.config = check_config(config)
        if self.config["seed"] is None:
            self.config["seed"] = int(np.random.SeedSequence().entropy % 2**32)
        if self.config["dataset"] == "csv":
            raise ValueError("dataset 'csv' means data loaded with load_csv: create the "
                             "session with another dataset, then call load_csv")
        self.data_draws = 0          # "regenerate" count: which points to draw
        self.weight_draws = 0        # "reset" count: which initial weights to draw
        self.own_data = None         # (X, y, kind) after load_csv
        self.added_X, self.added_y = np.empty((0, 2)), np.empty(0)
        self.stopped = None
        self.make_data()
        self.build_model()

    def _rng(self, purpose, count):
        return np.random.default_rng([self.config["seed"], purpose, count])

    # ================================================================ changing the settings
    def configure(self, **changes):
        """Change settings; rebuild only what they affect (see `nnlab.playground.config`).

        Returns the name of the largest group changed ('data', 'network', 'training',
        'stopping') or None when nothing changed. Invalid values raise and change nothing.
        """
        config = check_config(changes, base=self.config)
        if config.get("dataset") == "csv" and self.own_data is None:
            raise ValueError("dataset 'csv' needs data: call load_csv first")
        changed = {k for k in changes if config[k] != self.config[k]}
        if not changed:
            return None
        old_dataset = self.config["dataset"]
        self.config = config
        self.stopped = None
        if changed & set(GROUPS["data"]):
            if config["dataset"] != old_dataset:
                self.added_X, self.added_y = np.empty((0, 2)), np.empty(0)
                if old_dataset == "csv":
                    self.own_data = None
            self.make_data()
            self.build_model()
            return "data"
        if changed & set(GROUPS["network"]):
            self.build_model()
            return "network"
        if changed & set(GROUPS["training"]):
            self.model.l1, self.model.l2 = self.penalties
            if changed - {"batch_size"}:
                self._compile()
            self._evaluate(replace=True)
            return "training"
        self._watch()
        return "stopping"

    # ================================================================ data and model
    def make_data(self):
        """Generate (or take the loaded) points, split them, append the added points.

        Call `build_model` after it: the features and the network follow the data."""
        rng = self._rng(0, self.data_draws)
        if self.config["dataset"] == "csv":
            X, y = self.own_data[0], self.own_data[1]
        else:
            make = DATASETS[self.config["dataset"]][2]
            X, y = make(n=self.config["n_points"], noise=self.config["noise"] / 100, seed=rng)
        test_size = (100 - self.config["train_ratio"]) / 100
        X_train, self.X_test, y_train, self.y_test = train_test_split(
            X, y, test_size=test_size, seed=rng)
        self.X_train = np.concatenate([X_train, self.added_X])
        self.y_train = np.concatenate([y_train, self.added_y])
        self.n_generated_train = len(X_train)

    def build_model(self, initial_weights=None):
        """A new network for the settings (from `initial_weights` if given), then epoch 0."""
        names = self.features
        self.F_train = datasets.features(self.X_train, names)
        self.F_test = datasets.features(self.X_test, names)
        l1, l2 = self.penalties
        sizes = [len(names), *self.hidden, 3 if self.n_classes == 3 else 1]
        self.model = MLP(sizes, activation=self.config["activation"],
                         output_activation=self.output_activation, l1=l1, l2=l2,
                         seed=self._rng(1, self.weight_draws))
        self.imported_weights = initial_weights is not None
        if initial_weights is not None:
            self.model.set_weights(initial_weights)
        self.initial_weights = self.model.get_weights()
        self._restart()

    def _compile(self):
        metrics = () if self.problem == "regression" else ("accuracy",)
        self.model.compile(loss=self.loss_name, optimizer=self.make_optimizer(),
                           metrics=metrics)
        self._compiles += 1

    def _restart(self):
        """Epoch 0: a fresh optimizer, an empty history, the same shuffling as last time."""
        self._compiles = 0
        self.log = []                # the training done, in runs of equal settings (to_python)
        self._compile()
        self._shuffle_rng = self._rng(2, self.weight_draws)
        self.epoch = 0
        self.stopped = None
        self.history = {"epoch": [], "loss": [], "test_loss": []}
        if self.problem == "classification":
            self.history.update(accuracy=[], test_accuracy=[])
        self._evaluate()
        self._watch()

    def _watch(self):
        """Start watching the monitored loss for a plateau from its current value."""
        monitor = self.config["monitor"]
        self._plateau = stopping.Plateau(
            self.history[monitor][-1], self.config["patience"], self.config["min_delta"],
            "test loss" if monitor == "test_loss" else "training loss")

    def _evaluate(self, replace=False):
        """Append (or replace the last) entry of the history with the current scores."""
        train = self.model.evaluate(self.F_train, self.y_train)
        test = self.model.evaluate(self.F_test, self.y_test)
        row = {"epoch": self.epoch, "loss": train["loss"], "test_loss": test["loss"]}
        if self.problem == "classification":
            row.update(accuracy=train["accuracy"], test_accuracy=test["accuracy"])
        for key, value in row.items():
            if replace and self.history[key]:
                self.history[key][-1] = value
            else:
                self.history[key].append(value)

    # ================================================================ training
    def tick(self, n_epochs=1):
        """Train `n_epochs` epochs (each: every training point once, in mini-batches).

        Stops early at a stop condition (the epoch budget `max_epochs`; no improvement of the
        monitored loss by more than `min_delta` for `patience` epochs) or when training
        diverges (that epoch is undone); `stopped` then says why.

        Returns
        -------
        int
            The number of epochs trained.
        """
        if isinstance(n_epochs, bool) or not isinstance(n_epochs, (int, np.integer)) \
                or n_epochs < 0:
            raise ValueError(f"n_epochs must be a non-negative integer, but got {n_epochs!r}")
        if self.stopped:                     # play again after a stop: patience starts anew
            self._plateau.waited = 0
        self.stopped = None
        for done in range(n_epochs):
            self.stopped = stopping.budget_reached(self.epoch, self.config["max_epochs"])
            if self.stopped or not self._one_epoch():
                return done
            self.stopped = self._plateau.update(self.history[self.config["monitor"]][-1])
            if self.stopped:
                return done + 1
        return n_epochs

    def _one_epoch(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)   # reported in `stopped`
            diverged = self.model.fit(self.F_train, self.y_train, epochs=1,
                                      batch_size=self.config["batch_size"],
                                      seed=self._shuffle_rng).diverged
        script.record(self.log, self._compiles, self.config, self.model, len(self.y_train),
                      diverged)
        if diverged:
            self.stopped = (f"training diverged (the loss became NaN or infinite) in epoch "
                            f"{self.epoch + 1}, so it was undone; try a learning rate smaller "
                            f"than {self.config['learning_rate']:g}")
            return False
        self.epoch += 1
        self._evaluate()
        return True

    # ================================================================ actions
    def reset(self, same_weights=False):
        """Start again at epoch 0: from new random weights, or (same_weights=True) from the
        weights the network had when it was built or imported, with the same shuffling, so
        the same run happens again."""
        if same_weights:
            self.model.set_weights(self.initial_weights)
            self._restart()
        else:
            self.weight_draws += 1
            self.build_model()

    def regenerate(self):
        """Draw new points (same settings), forget added points, and start again."""
        if self.config["dataset"] == "csv":
            raise ValueError("loaded data cannot be regenerated: load another file instead")
        self.data_draws += 1
        self.added_X, self.added_y = np.empty((0, 2)), np.empty(0)
        self.make_data()
        self.build_model()

    def add_point(self, x, y, label):
        """Add a training point at (x, y) = (x1, x2) with a class label (0 orange, 1 blue,
        2 green) or, for regression, a target value. Training continues from here."""
        for name, value in (("x", x), ("y", y)):
            if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) \
                    or not np.isfinite(value):
                raise ValueError(f"{name} must be a finite number, but got {value!r}")
        label = owndata.check_label(label, self.n_classes, self.config["dataset"])
        point = np.array([[float(x), float(y)]])
        self.added_X = np.concatenate([self.added_X, point])
        self.added_y = np.append(self.added_y, label)
        self.X_train = np.concatenate([self.X_train, point])
        self.y_train = np.append(self.y_train, label)
        self.F_train = datasets.features(self.X_train, self.features)
        self._evaluate(replace=True)

    def load_csv(self, source, kind=None):
        """Train on your own points: a CSV of x1, x2 and a label (or a target).

        Parameters
        ----------
        source : str or path
            A file name, or the CSV text itself. An optional header line is skipped.
        kind : None, 'binary', 'three' or 'regression'
            The kind of problem; None keeps the current one (two classes with a binary loss,
            three classes, or regression).

        Raises
        ------
        ValueError
            Naming the line and the problem: an empty file, a missing value, a cell that is
            not a number, a wrong number of columns, a label that is not a class here (e.g. a
            third class when the loss is binary).
        """
        if kind is None:
            kind = "regression" if self.n_classes is None else \
                ("three" if self.n_classes == 3 else "binary")
        X, y = owndata.parse_csv(source, kind, LOSSES[self.config["loss"]])
        if len(y) < 2:
            raise ValueError(f"the CSV holds {len(y)} point(s); the playground needs at least "
                             "2 (some to train on, some to test)")
        self.own_data = (X, y, kind)
        self.added_X, self.added_y = np.empty((0, 2)), np.empty(0)
        self.config["dataset"] = "csv"
        self.stopped = None
        self.make_data()
        self.build_model()

    # ================================================================ what is shown
    def grid_outputs(self, resolution=60):
        """Every neuron's output over the plane; see `nnlab.playground.grid.outputs`."""
        return grid.outputs(self, resolution)

    def explain(self, layer, neuron, point=0):
        """The formula of one neuron with its live numbers; see `nnlab.playground.explain`."""
        return explain.neuron(self, layer, neuron, point)

    def confusion_matrix(self, split="test"):
        """Counts [true class, predicted class] on the 'train' or 'test' points."""
        return explain.confusion_matrix(self, split)

    def state(self):
        """Plain Python values of everything shown: settings, scores, sizes."""
        h = self.history
        state = dict(self.config, epoch=self.epoch, problem=self.problem,
                     n_classes=self.n_classes, loss_function=self.loss_name,
                     output_activation=self.output_activation,
                     architecture=list(self.model.layer_sizes),
                     train_loss=h["loss"][-1], test_loss=h["test_loss"][-1],
                     train_accuracy=h.get("accuracy", [None])[-1],
                     test_accuracy=h.get("test_accuracy", [None])[-1],
                     n_train=len(self.y_train), n_test=len(self.y_test),
                     n_added=len(self.added_y), l1=self.model.l1, l2=self.model.l2,
                     stopped=self.stopped, data_draws=self.data_draws,
                     weight_draws=self.weight_draws)
        if self.n_classes is not None:
            state["confusion"] = self.confusion_matrix("test").tolist()
        return state

    # ================================================================ share and export
    def to_code(self):
        """A short text that restores this setup (and, with its seed, this run)."""
        return share.encode(self)

    @classmethod
    def from_code(cls, text, csv=None):
        """A session from `to_code`'s text (or a link with ``?playground=<code>``).

        A session that trained on a CSV needs that file again: pass it as `csv`.
        """
        return share.decode(cls, text, csv)

    def to_python(self):
        """A runnable nnlab script that rebuilds the data, features and model and trains them
        as this session did (the same predictions, to rounding)."""
        return script.write(self)

    def export_weights(self, path):
        """Save the network (`MLP.save` format, plus the features); returns the path."""
        return weights.export(self, path)

    def import_weights(self, source, name=None):
        """Continue from a network saved by `export_weights` (or `MLP.save`): takes over its
        hidden layers, activation and, when recorded, its features. Raises ValueError when it
        does not fit this dataset; nothing changes then."""
        model, features = weights.read(source, name)
        config = weights.fitting_config(self, model, features, name)
        self.config = config
        self.build_model(initial_weights=model.get_weights())
