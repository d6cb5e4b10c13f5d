"""The multi-layer perceptron: dense layers stacked so that each feeds the next.

Forward pass, for layers l = 1..L with a^0 = X:

    z^l = a^(l-1) @ W^l + b^l
    a^l = f_l(z^l)                       the network's output is a^L

Backward pass (backpropagation = the chain rule applied layer by layer), with delta^l = dL/dz^l:

    delta^L   = dL/da^L * f_L'(z^L)                     (= (a^L - y) / N for sigmoid + BCE
                                                           and softmax + CCE)
    dL/dW^l   = a^(l-1).T @ delta^l
    dL/db^l   = sum of delta^l over the samples
    delta^l-1 = (delta^l @ W^l.T) * f_(l-1)'(z^(l-1))

With regularization the loss gains l1 * sum|W| + l2 * sum W^2 (weights only, not biases), and
each dL/dW gains l1 * sign(W) + 2 * l2 * W.
"""

import warnings

import numpy as np

from . import activations, losses, optimizers
from . import metrics as metric_functions
from ._validation import (
    as_float_array,
    check_nonnegative,
    check_positive,
    check_rng,
    check_same_length,
    check_X,
)
from .layers import Dense
from .training import (
    History,
    ProgressBar,
    all_finite,
    check_callbacks,
    minibatches,
    notify_batch_end,
    notify_epoch_end,
    notify_train_begin,
    notify_train_end,
)

__all__ = ["MLP"]


def _check_known(known, what, name):
    if not known:
        raise ValueError(
            f"the {what} {name!r} is a custom object: a config (and a saved file) can only name "
            f"nnlab's own, so MLP.from_config and load_model could not restore it"
        )


class MLP:
    """A fully connected feedforward network.

    Parameters
    ----------
    layer_sizes : list of int
        [n_inputs, hidden_1, ..., hidden_k, n_outputs]; at least two numbers. "Deep" means two or
        more hidden layers.
    activation : str or Activation, default 'tanh'
        Activation of every hidden layer.
    output_activation : str or Activation, default 'sigmoid'
        Activation of the output layer: 'sigmoid' for yes/no, 'softmax' for several classes,
        'linear' for regression.
    l1, l2 : float, default 0
        Strength of the L1 / L2 weight penalties.
    seed : None, int or numpy Generator
        Seeds the initial weights and, unless `fit` gets its own seed, the shuffling.

    Shapes: X is (n_samples, n_inputs), the output (n_samples, n_outputs); layer l has W of shape
    (n_in, n_out) and b of shape (n_out,).

    Attributes
    ----------
    layers : list of Dense
    loss, optimizer, metrics : set by `compile`
    history : History of the last `fit`

    Examples
    --------
    >>> from nnlab import datasets
    >>> X, y = datasets.logic_gate('xor')
    >>> model = MLP([2, 4, 1], activation='tanh', output_activation='sigmoid', seed=1)
    >>> model.compile(loss='binary_crossentropy', optimizer=optimizers.Adam(0.05))
    >>> history = model.fit(X, y, epochs=300)
    >>> model.predict(X).round().ravel()
    array([0., 1., 1., 0.])
    """

    def __init__(self, layer_sizes, activation="tanh", output_activation="sigmoid",
                 l1=0.0, l2=0.0, seed=None):
        if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
            raise TypeError(f"layer_sizes must be a list of ints, but got {layer_sizes!r}")
        if len(layer_sizes) < 2:
            raise ValueError(
                "layer_sizes must list at least the number of inputs and of outputs, "
                f"e.g. [2, 1], but got {list(layer_sizes)!r}"
            )
        self.layer_sizes = [check_positive(n, f"layer_sizes[{i}]", integer=True)
                            for i, n in enumerate(layer_sizes)]
        self.activation = activations.get(activation)
        self.output_activation = activations.get(output_activation)
        self.l1 = check_nonnegative(l1, "l1")
        self.l2 = check_nonnegative(l2, "l2")
        rng = check_rng(seed)
        sizes = self.layer_sizes
        self.layers = [
            Dense(n_in, n_out,
                  self.output_activation if i == len(sizes) - 2 else self.activation, seed=rng)
            for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]))
        ]
        self._rng = rng
        self.loss = None
        self.optimizer = None
        self.metrics = []
        self.history = None
        self.stop_training = False

    # ---------------------------------------------------------------- structure
    @property
    def n_inputs(self):
        return self.layer_sizes[0]

    @property
    def n_outputs(self):
        return self.layer_sizes[-1]

    def params(self):
        """[W1, b1, W2, b2, ...]: the live arrays (not copies) that training updates."""
        return [p for layer in self.layers for p in layer.params]

    def get_weights(self):
        """Copies of [W1, b1, W2, b2, ...]; W_l is (n_in, n_out), b_l is (n_out,)."""
        return [p.copy() for p in self.params()]

    def set_weights(self, weights):
        """Replace all weights and biases; `weights` is laid out like `get_weights()`."""
        params = self.params()
        weights = list(weights)
        if len(weights) != len(params):
            raise ValueError(f"weights must hold {len(params)} arrays (W and b for each of "
                             f"{len(self.layers)} layers), but got {len(weights)}")
        new = []
        for i, (p, w) in enumerate(zip(params, weights)):
            w = as_float_array(w, f"weights[{i}]")
            if w.shape != p.shape:
                raise ValueError(f"weights[{i}] must have shape {p.shape}, but got {w.shape}")
            new.append(w)
        for p, w in zip(params, new):
            p[...] = w

    def count_params(self):
        """Total number of weights and biases."""
        return sum(p.size for p in self.params())

    def summary(self):
        """Print one line per layer with its shape and number of parameters."""
        lines = [f"{'layer':<8}{'shape':<14}{'activation':<12}{'params':>8}"]
        for i, layer in enumerate(self.layers, start=1):
            lines.append(f"{'dense_' + str(i):<8}{f'{layer.n_in} -> {layer.n_out}':<14}"
                         f"{layer.activation.name:<12}{layer.W.size + layer.b.size:>8}")
        lines.append(f"total parameters: {self.count_params()}")
        print("\n".join(lines))

    def __repr__(self):
        return (f"MLP({self.layer_sizes}, activation={self.activation.name!r}, "
                f"output_activation={self.output_activation.name!r})")

    # ---------------------------------------------------------------- configs
    def get_config(self):
        """Everything but the weights, as plain data (JSON-ready) that `from_config` restores.

        Keys: 'layer_sizes', 'activation', 'output_activation', 'l1', 'l2', and the compile
        settings 'loss' (None before `compile`), 'optimizer' ({'name', 'config'} or None) and
        'metrics' (names).

        Raises
        ------
        ValueError
            Naming the object, for a custom activation, loss, optimizer or metric: a config
            holds names, and only nnlab's own objects can be found again by their name.

        Examples
        --------
        >>> model = MLP([2, 3, 1], seed=0).compile(loss='binary_crossentropy', optimizer='sgd')
        >>> config = model.get_config()
        >>> config['layer_sizes'], config['loss'], config['optimizer']['name'], config['metrics']
        ([2, 3, 1], 'binary_crossentropy', 'sgd', ['accuracy'])
        >>> MLP.from_config(config).get_config() == config
        True
        """
        for what, act in (("activation", self.activation),
                          ("output_activation", self.output_activation)):
            _check_known(activations.ACTIVATIONS.get(act.name) is act, what, act.name)
        config = {"layer_sizes": list(self.layer_sizes), "activation": self.activation.name,
                  "output_activation": self.output_activation.name, "l1": self.l1, "l2": self.l2,
                  "loss": None, "optimizer": None, "metrics": []}
        if self.loss is not None:
            _check_known(losses.LOSSES.get(self.loss.name) is self.loss, "loss", self.loss.name)
            config["loss"] = self.loss.name
        if self.optimizer is not None:
            name = self.optimizer.name
            _check_known(type(self.optimizer) is optimizers.OPTIMIZERS.get(name), "optimizer",
                         type(self.optimizer).__name__)
            config["optimizer"] = {"name": name, "config": self.optimizer.get_config()}
        for name, function in self.metrics:
            _check_known(metric_functions.METRICS.get(name) is function, "metric", name)
            config["metrics"].append(name)
        return config

    @classmethod
    def from_config(cls, config, seed=None):
        """A new model built (and compiled, if the config has a loss) from `get_config()`.

        The weights are new random ones (from `seed`); set them with `set_weights`. The
        optimizer gets the saved settings and a fresh state.
        """
        if not isinstance(config, dict):
            raise TypeError(f"config must be a dict from MLP.get_config(), but got {config!r}")
        keys = {"layer_sizes", "activation", "output_activation", "l1", "l2", "loss",
                "optimizer", "metrics"}
        if set(config) - keys - {"format"} or not {"layer_sizes"} <= set(config):
            raise ValueError(f"config must have the keys {sorted(keys)} (only 'layer_sizes' is "
                             f"required), but got {sorted(config)}")
        model = cls(config["layer_sizes"], config.get("activation", "tanh"),
                    config.get("output_activation", "sigmoid"), l1=config.get("l1", 0.0),
                    l2=config.get("l2", 0.0), seed=seed)
        if config.get("loss"):
            opt = config.get("optimizer") or {"name": "adam", "config": {}}
            if not isinstance(opt, dict) or set(opt) != {"name", "config"}:
                raise ValueError("config['optimizer'] must be {'name': ..., 'config': {...}}, "
                                 f"but got {opt!r}")
            model.compile(loss=config["loss"],
                          optimizer=optimizers.get(opt["name"], **opt["config"]),
                          metrics=list(config.get("metrics", ())))
        return model

    # ---------------------------------------------------------------- set-up
    def compile(self, loss="binary_crossentropy", optimizer="adam", metrics=None):
        """Choose the loss to minimise, the optimizer that minimises it and metrics to report.

        `metrics=None` reports accuracy for the classification losses (binary and categorical
        cross-entropy) and nothing else for the others (mse: regression); pass a list of names or
        functions, or ``()`` for none. Returns the model.
        """
        self.loss = losses.get(loss)
        self.optimizer = optimizers.get(optimizer)
        if metrics is None:
            metrics = ("accuracy",) if self.loss.name in losses.CLASSIFICATION else ()
        if isinstance(metrics, str) or callable(metrics):
            metrics = [metrics]
        self.metrics = [(m if isinstance(m, str) else m.__name__, metric_functions.get(m))
                        for m in (metrics or ())]
        return self

    def _require_compiled(self):
        if self.loss is None:
            raise RuntimeError(
                "the model has no loss yet: call model.compile(loss=..., optimizer=...) first"
            )

    def _check_X(self, X):
        return check_X(X, self.n_inputs)

    def _targets(self, y, X, name="y"):
        check_same_length(X, np.asarray(y), "X", name)
        return losses.targets_like(y, self.n_outputs, self.loss.name, name)

    # ---------------------------------------------------------------- forward and backward
    def _forward(self, X, keep=True):
        a = X
        for layer in self.layers:
            a = layer.forward(a, keep)
        return a

    def forward(self, X):
        """Run X (n, n_inputs) through the network and return the output (n, n_outputs).

        Every layer keeps its input, z and a for the following `backward`.
        """
        return self._forward(self._check_X(X))

    def _output_delta(self, Y):
        """delta^L = dL/dz^L for the output layer."""
        out = self.layers[-1]
        pair = (out.activation.name, self.loss.name)
        if pair == ("sigmoid", "binary_crossentropy"):
            return (out.a - Y) / Y.size
        if pair == ("softmax", "categorical_crossentropy"):
            return (out.a - Y) / len(Y)
        return out.activation.backward(out.z, out.a, self.loss._gradient(Y, out.a))

    def _backward(self, Y):
        delta = self._output_delta(Y)
        grads = [None] * (2 * len(self.layers))
        for i in range(len(self.layers) - 1, -1, -1):
            layer = self.layers[i]
            layer.delta = delta
            grads[2 * i] = layer.X.T @ delta           # dL/dW = a_prev.T @ delta
            grads[2 * i + 1] = delta.sum(axis=0)       # dL/db = sum over samples of delta
            if i > 0:
                below = self.layers[i - 1]             # delta_prev = (delta @ W.T) * f'(z_prev)
                delta = below.activation.backward(below.z, below.a, delta @ layer.W.T)
        if self.l1 or self.l2:
            for i, layer in enumerate(self.layers):
                grads[2 * i] = grads[2 * i] + self.l1 * np.sign(layer.W) + 2.0 * self.l2 * layer.W
        return grads

    def backward(self, y):
        """Gradients of the loss for the last `forward`, as [dW1, db1, dW2, db2, ...].

        y holds the targets of the samples given to `forward`.
        """
        self._require_compiled()
        last = self.layers[-1].a
        if last is None:
            raise RuntimeError("call model.forward(X) before model.backward(y)")
        return self._backward(self._targets(y, last))

    def penalty(self):
        """The regularization term l1 * sum|W| + l2 * sum W^2 over all layers."""
        if not (self.l1 or self.l2):
            return 0.0
        return float(sum(self.l1 * np.abs(layer.W).sum() + self.l2 * np.square(layer.W).sum()
                         for layer in self.layers))

    def loss_and_gradients(self, X, y):
        """Forward and backward pass in one call: (loss, [dW1, db1, ...]).

        The loss includes the regularization penalty, so the gradients are its exact derivative.
        """
        self._require_compiled()
        X = self._check_X(X)
        Y = self._targets(y, X)
        out = self._forward(X)
        return self._loss(Y, out), self._backward(Y)

    # ---------------------------------------------------------------- training
    def fit(self, X, y, epochs=1, batch_size=None, shuffle=True, validation_data=None,
            accumulation_steps=1, callbacks=(), verbose=0, seed=None):
        """Train with the compiled optimizer.

        Parameters
        ----------
        X : array (n, n_inputs)
        y : array (n,) or (n, n_outputs); integer labels (n,) for softmax + categorical CE
        epochs : int
            Passes over the data.
        batch_size : int or None
            None: full-batch gradient descent; 1: stochastic GD; k: mini-batches of k samples.
        shuffle : bool
            Visit the samples in a new random order each epoch.
        validation_data : (X_val, y_val) or None
            Evaluated after each epoch, logged as 'val_loss' and 'val_<metric>'.
        accumulation_steps : int
            Sum the gradients of this many consecutive batches (each the mean over its batch)
            and apply their mean in one update, as one large batch would.
        callbacks : iterable
            Functions callback(epoch, logs), or objects with on_epoch_end(epoch, logs) and
            optionally on_batch_end(step, logs), set_model(model), on_train_begin() and
            on_train_end() (see nnlab.callbacks, e.g. EarlyStopping). Returning False stops
            training, as does setting `model.stop_training = True`. A batch's logs hold its
            'loss', its 'size' and 'updated': whether the weights changed after it (with
            accumulation, only every k-th batch and the last of an epoch update them).
        verbose : int
            0 silent, 1 a progress bar with the loss.
        seed : None, int or numpy Generator
            For the shuffling; None continues the model's own random stream.

        Returns
        -------
        History
            Per-epoch 'loss' (mean over the epoch's batches, weights changing as they go, plus
            the penalty), metrics and validation scores. If the loss becomes NaN or infinite,
            training stops, the weights from the start of that epoch are restored,
            `history.diverged` is True and a RuntimeWarning is issued.
        """
        self._require_compiled()
        X = self._check_X(X)
        Y = self._targets(y, X)
        epochs = check_nonnegative(epochs, "epochs", integer=True)
        if batch_size is not None:
            batch_size = check_positive(batch_size, "batch_size", integer=True)
        accumulation_steps = check_positive(accumulation_steps, "accumulation_steps",
                                            integer=True)
        callbacks = check_callbacks(callbacks)
        batch_callbacks = [cb for cb in callbacks if hasattr(cb, "on_batch_end")]
        if validation_data is not None:
            if len(validation_data) != 2:
                raise ValueError("validation_data must be a pair (X_val, y_val)")
            X_val = check_X(validation_data[0], self.n_inputs, "X_val")
            Y_val = self._targets(validation_data[1], X_val, "y_val")
        rng = self._rng if seed is None else check_rng(seed)

        history = self.history = History()
        self.stop_training = False
        params = self.params()
        bar = ProgressBar(epochs) if verbose else None
        step = 0
        notify_train_begin(callbacks, self)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            for epoch in range(epochs):
                before = [p.copy() for p in params]
                seen, outputs = [], []
                pending, n_pending = None, 0
                batches = list(minibatches(X, Y, batch_size, shuffle, rng))
                for i, (Xb, Yb) in enumerate(batches):
                    out = self._forward(Xb)
                    grads = self._backward(Yb)
                    seen.append(Yb)
                    outputs.append(out)
                    updated = True
                    if accumulation_steps == 1:
                        self.optimizer.step(params, grads)
                    else:
                        pending = grads if pending is None else [
                            s + g for s, g in zip(pending, grads)]
                        n_pending += 1
                        updated = n_pending == accumulation_steps or i == len(batches) - 1
                        if updated:
                            self.optimizer.step(params, [s / n_pending for s in pending])
                            pending, n_pending = None, 0
                    if batch_callbacks:
                        logs = {"loss": self.loss._value(Yb, out), "size": len(Yb),
                                "updated": updated}
                        if notify_batch_end(batch_callbacks, step, logs):
                            self.stop_training = True
                    step += 1
                    if self.stop_training:
                        break
                seen, outputs = np.concatenate(seen), np.concatenate(outputs)
                loss = self._loss(seen, outputs)
                # check before the metrics, which refuse NaN predictions
                if not (np.isfinite(loss) and all_finite(params) and all_finite([outputs])):
                    for p, saved in zip(params, before):
                        p[...] = saved
                    history.diverged = True
                    warnings.warn(
                        f"training diverged in epoch {epoch}: the loss became {loss}. "
                        "The weights from the start of that epoch were kept. Try a smaller "
                        f"learning rate (it is {self.optimizer.learning_rate:g}).",
                        RuntimeWarning, stacklevel=2)
                    break
                logs = self._logs(seen, outputs, loss)
                if validation_data is not None:
                    val = self._logs(Y_val, self._forward(X_val, keep=False))
                    logs.update({"val_" + k: v for k, v in val.items()})
                history.record(epoch, logs)
                if bar:
                    bar.update(epoch + 1, logs)
                if notify_epoch_end(callbacks, epoch, logs) or self.stop_training:
                    break
        notify_train_end(callbacks)
        if bar:
            bar.close()
        return history

    def _loss(self, Y, out):
        """The training objective: the data loss plus the regularization penalty."""
        return self.loss._value(Y, out) + self.penalty()

    def _logs(self, Y, out, loss=None):
        logs = {"loss": self._loss(Y, out) if loss is None else loss}
        for name, metric in self.metrics:
            logs[name] = metric(Y, out)
        return logs

    def evaluate(self, X, y):
        """{'loss': ..., '<metric>': ...} on (X, y); the loss includes the penalty."""
        self._require_compiled()
        X = self._check_X(X)
        Y = self._targets(y, X)
        return self._logs(Y, self._forward(X, keep=False))

    def predict(self, X):
        """The network's output for X (n, n_inputs): shape (n, n_outputs).

        Probabilities for sigmoid/softmax outputs: round them, or take the argmax, for classes.
        """
        return self._forward(self._check_X(X), keep=False)

    # ---------------------------------------------------------------- files
    def save(self, path):
        """Save architecture, weights and compile settings to an .npz file (no pickle).

        Returns the path written (".npz" is added when `path` has no suffix).
        """
        from .io import save_model

        return save_model(self, path)
