"""The multi-layer perceptron: dense layers stacked so that each feeds the next.

Forward pass, for layers l = 1..L with a^0 = X:

    z^l = a^(l-1) @ W^l + b^l
    a^l = f_l(z^l)                       the network's output is a^L

Backward pass (backpropagation = the chain rule applied layer by layer), with delta^l = dL/dz^l,
in the four equations of Nielsen's *Neural Networks and Deep Learning*, chapter 2:

    BP1  delta^L     = dL/da^L * f_L'(z^L)          (= (a^L - y) / N for sigmoid + BCE
                                                       and softmax + CCE: the loss supplies it)
    BP2  delta^(l-1) = (delta^l @ W^l.T) * f_(l-1)'(z^(l-1))
    BP3  dL/db^l     = sum of delta^l over the samples
    BP4  dL/dW^l     = a^(l-1).T @ delta^l

Each `Dense` layer applies BP2-BP4 to itself (`Dense.backward`); the training loop that uses
them is in `nnlab.training`.

Training code (the loop, the loss landscape, the playground, the widgets) talks to a model
through a small public interface: `check_data` once, then `propagate` / `backpropagate` on the
checked arrays, `objective` (the data loss plus `penalty`) and `scores`; `forward_stacked` runs
many settings of the weights at once.

With regularization the loss gains l1 * sum|W| + l2 * sum W^2 (weights only, not biases), and
each dL/dW gains l1 * sign(W) + 2 * l2 * W.
"""

import numpy as np

from . import activations, configs, io, losses, optimizers, regularization, training
from . import metrics as metric_functions
from .layers import Dense, dense
from .validation import (
    as_float_array,
    check_nonnegative,
    check_positive,
    check_rng,
    check_same_length,
    check_X,
)

__all__ = ["MLP", "load_model"]


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
    MLP([2, 4, 1], activation='tanh', output_activation='sigmoid')
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
        for below, layer in zip(self.layers, self.layers[1:]):
            layer.below = below                  # backward hands its delta down to it
        self.rng = rng                           # shuffles in `fit` when it gets no seed
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
        return [p for layer in self.layers for p in layer.params()]

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
        return configs.config_of(self)

    @classmethod
    def from_config(cls, config, seed=None):
        """A new model built (and compiled, if the config has a loss) from `get_config()`.

        The weights are new random ones (from `seed`); set them with `set_weights`. The
        optimizer gets the saved settings and a fresh state.
        """
        return configs.from_config(cls, config, seed)

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

    # ---------------------------------------------------------------- for training code
    def check_compiled(self):
        """Raise a RuntimeError saying what to do if `compile` has not been called."""
        if self.loss is None:
            raise RuntimeError(
                "the model has no loss yet: call model.compile(loss=..., optimizer=...) first"
            )

    def check_inputs(self, X, name="X"):
        """X as a finite float array (n, n_inputs), or a ValueError naming `name`."""
        return check_X(X, self.n_inputs, name)

    def check_data(self, X, y, names=("X", "y")):
        """(X, Y) checked once for training or scoring: X (n, n_inputs) and the targets Y as a
        float (n, n_outputs) array for the compiled loss (class labels one-hot encoded for
        categorical cross-entropy). Errors name the arguments `names`.

        >>> model = MLP([2, 3], output_activation='softmax').compile('categorical_crossentropy')
        >>> X, Y = model.check_data([[0.0, 1.0], [1.0, 0.0]], [2, 0])
        >>> Y.tolist()
        [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
        """
        self.check_compiled()
        X = self.check_inputs(X, names[0])
        check_same_length(X, np.asarray(y), names[0], names[1])
        return X, losses.targets_like(y, self.n_outputs, self.loss.name, names[1])

    def propagate(self, X, keep=True):
        """The forward pass on X (n, n_inputs) already checked (`check_data`); returns the output
        (n, n_outputs). With `keep`, every layer keeps its X, z and a for `backpropagate`."""
        a = X
        for layer in self.layers:
            a = layer.forward(a, keep)
        return a

    def backpropagate(self, Y):
        """Backpropagation: the gradients [dW1, db1, ...] for checked targets Y (n, n_outputs)
        of the last `propagate`, by BP1-BP4 (see the module's docstring), each dL/dW plus the
        penalty's gradient."""
        out = self.layers[-1]
        delta = self.loss.output_delta(Y, out.z, out.a, out.activation)     # BP1
        grads = []
        for layer in reversed(self.layers):
            dW, db, delta = layer.backward(delta)                          # BP4, BP3, BP2
            if self.l1 or self.l2:
                dW = dW + regularization.penalty_gradient(layer.W, self.l1, self.l2)
            grads = [dW, db] + grads
        return grads

    def forward_stacked(self, X, stacks):
        """The outputs for P settings of the weights at once (the loss landscape).

        Parameters
        ----------
        X : array (n, n_inputs), checked
        stacks : list [W1s (P, n_in, n_out), b1s (P, n_out), W2s, b2s, ...]
            The settings laid out like `get_weights()`, each array stacked along a first axis.

        Returns
        -------
        ndarray (P, n, n_outputs): the output of each setting, by each layer's formula
        (`nnlab.layers.dense`) with a batched matrix product.
        """
        a = X
        for layer, W, b in zip(self.layers, stacks[0::2], stacks[1::2], strict=True):
            _, a = dense(a, W, b[:, None, :], layer.activation)
        return a

    def penalty(self, weights=None):
        """The regularization term l1 * sum|W| + l2 * sum W^2 over all layers' weights
        (`nnlab.regularization`); `weights` (optional) lists other weight matrices, one per
        layer, each (n_in, n_out) or stacked (P, n_in, n_out) for one penalty per setting."""
        if weights is None:
            weights = [layer.W for layer in self.layers]
        return regularization.penalty(weights, self.l1, self.l2)

    def objective(self, Y, out):
        """The training objective for checked targets Y and outputs `out` (n, n_outputs): the
        data loss plus the regularization penalty."""
        return self.loss.value(Y, out) + self.penalty()

    def scores(self, Y, out, loss=None):
        """{'loss': the objective (or `loss` if given), '<metric>': ...} for checked Y and
        outputs `out`, as `evaluate` and the epoch logs report them."""
        logs = {"loss": self.objective(Y, out) if loss is None else loss}
        for name, metric in self.metrics:
            logs[name] = metric(Y, out)
        return logs

    # ---------------------------------------------------------------- forward and backward
    def forward(self, X):
        """Run X (n, n_inputs) through the network and return the output (n, n_outputs).

        Every layer keeps its input, z and a for the following `backward`.
        """
        return self.propagate(self.check_inputs(X))

    def backward(self, y):
        """Gradients of the loss for the last `forward`, as [dW1, db1, dW2, db2, ...].

        y holds the targets of the samples given to `forward`.
        """
        self.check_compiled()
        last = self.layers[-1].a
        if last is None:
            raise RuntimeError("call model.forward(X) before model.backward(y)")
        check_same_length(last, np.asarray(y), "X", "y")
        return self.backpropagate(losses.targets_like(y, self.n_outputs, self.loss.name))

    def loss_and_gradients(self, X, y):
        """Forward and backward pass in one call: (loss, [dW1, db1, ...]).

        The loss includes the regularization penalty, so the gradients are its exact derivative.
        """
        X, Y = self.check_data(X, y)
        out = self.propagate(X)
        return self.objective(Y, out), self.backpropagate(Y)

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
            Sum the sample-weighted gradients of this many consecutive batches and apply their
            mean over the samples seen in one update: exactly the update of one batch holding
            them all (batch_size=8, accumulation_steps=4 gives the updates of batch_size=32,
            a smaller last group included). If a batch callback stops training in the middle
            of a group, that group's gradients are discarded (`history.discarded_batches`).
        callbacks : iterable
            Functions callback(epoch, logs), or objects with on_epoch_end(epoch, logs) and
            optionally on_batch_end(step, logs), set_model(model), on_train_begin() and
            on_train_end() (see nnlab.callbacks, e.g. EarlyStopping). Returning False stops
            training, as does setting `model.stop_training = True`. A batch's logs hold its
            'loss', its 'size' and 'updated': whether the weights changed after it (with
            accumulation, only every k-th batch and the last of an epoch update them); 'loss'
            is left out when every batch callback has ``wants_batch_loss = False``.
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
            `history.diverged` is True and a RuntimeWarning is issued. If a batch callback
            stopped training inside an epoch, `history.stopped_mid_epoch` is True and that
            epoch's entries cover the batches it trained on.
        """
        return training.fit(self, X, y, epochs, batch_size, shuffle, validation_data,
                            accumulation_steps, callbacks, verbose, seed)

    def evaluate(self, X, y):
        """{'loss': ..., '<metric>': ...} on (X, y); the loss includes the penalty."""
        X, Y = self.check_data(X, y)
        return self.scores(Y, self.propagate(X, keep=False))

    def predict(self, X):
        """The network's output for X (n, n_inputs): shape (n, n_outputs).

        Probabilities for sigmoid/softmax outputs: round them, or take the argmax, for classes.
        """
        return self.propagate(self.check_inputs(X), keep=False)

    # ---------------------------------------------------------------- files
    def save(self, path):
        """Save architecture, weights and compile settings to an .npz file (no pickle).

        Returns the path written (".npz" is added when `path` has no suffix). A model with a
        custom activation, loss, optimizer or metric raises ValueError and nothing is written.
        """
        return io.write(path, self.get_config(), self.get_weights())

    @classmethod
    def load(cls, path):
        """Load a model written by `MLP.save`, compiled as it was when saved
        (``nnlab.load_model(path)`` is the same).

        The optimizer comes back with its settings but fresh state (no momentum or averages).

        Raises
        ------
        ValueError
            Naming the file, when it is missing, truncated, from another program, or holds
            pickled objects.
        """
        config, weights = io.read(path)
        try:
            model = cls.from_config(config)
            model.set_weights(weights)
        except (TypeError, ValueError, KeyError) as error:
            raise io.not_a_model(path, f"its description does not fit together ({error})") \
                from None
        return model


#: Load a model written by `MLP.save` (see `MLP.load`).
load_model = MLP.load
