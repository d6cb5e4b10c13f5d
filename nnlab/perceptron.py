"""The perceptron (Rosenblatt, 1958): one step neuron that learns from its mistakes.

For each sample x with label y (0 or 1):

    y_hat = step(w . x + b)
    w <- w + lr (y - y_hat) x
    b <- b + lr (y - y_hat)

When the prediction is right, y - y_hat = 0 and nothing changes. If the two classes can be
separated by a straight line (hyperplane), this reaches zero mistakes after finitely many updates
(the perceptron convergence theorem). If they cannot, as in XOR, it never stops making mistakes.
"""

import numpy as np

from .activations import step
from .validation import (
    as_float_array,
    check_binary_labels,
    check_nonnegative,
    check_positive,
    check_rng,
    check_same_length,
    check_X,
)

__all__ = ["Perceptron"]


class Perceptron:
    """A single-layer perceptron trained with the perceptron learning rule.

    Parameters
    ----------
    n_inputs : int
        Number of features.
    learning_rate : float, default 1.0
    seed : None, int or numpy Generator
        Seeds the small random initial weights (the bias starts at 0).

    Attributes
    ----------
    weights : ndarray of shape (n_inputs,)
    bias : float
    errors_ : list of int
        Mistakes made in each completed epoch since the last `reset` (or `fit`).
    converged_ : bool
        Whether the last completed epoch had no mistakes.
    mistakes_this_epoch_ : int
        Mistakes made by `learn_one` since the last epoch was completed.

    Training can go three ways, all sharing one record of epochs (`errors_`, `converged_`):
    `fit` (whole epochs until one has no mistakes), `partial_fit` (one epoch) and `learn_one`
    (one sample; `end_epoch` then completes the epoch).

    Examples
    --------
    >>> from nnlab import datasets
    >>> X, y = datasets.logic_gate('and')
    >>> p = Perceptron(2, seed=0).fit(X, y)
    >>> p.converged_, p.predict(X)
    (True, array([0., 0., 0., 1.]))

    One sample at a time, as a widget's Step button does:

    >>> p = Perceptron(2, seed=0)
    >>> mistakes = [p.learn_one(x, target) for x, target in zip(X, y)]
    >>> p.end_epoch() == sum(mistakes), p.errors_ == [sum(mistakes)]
    (True, True)
    """

    def __init__(self, n_inputs, learning_rate=1.0, seed=None):
        self.n_inputs = check_positive(n_inputs, "n_inputs", integer=True)
        self.set_learning_rate(learning_rate)
        self.seed = seed
        check_rng(seed)
        self.reset()

    @property
    def learning_rate(self):
        """The step size lr of the rule; change it with `set_learning_rate`."""
        return self._learning_rate

    def set_learning_rate(self, learning_rate):
        """Use `learning_rate` (> 0) from the next sample on; the weights are kept. Returns self."""
        self._learning_rate = check_positive(learning_rate, "learning_rate")
        return self

    def reset(self):
        """Back to the initial weights (the same ones every time for a given seed), no epochs."""
        rng = check_rng(self.seed)
        self.weights = rng.normal(0.0, 0.01, size=self.n_inputs)
        self.bias = 0.0
        self.errors_ = []
        self.converged_ = False
        self.mistakes_this_epoch_ = 0
        self._samples_this_epoch = 0
        return self

    def weighted_sum(self, X):
        """w . x + b for each row of X (n, n_inputs); shape (n,)."""
        X = check_X(X, self.n_inputs)
        return X @ self.weights + self.bias

    def predict(self, X):
        """Class labels 0/1, shape (n,)."""
        return step(self.weighted_sum(X))

    # ---------------------------------------------------------------- learning
    def learn_one(self, x, y):
        """Apply the learning rule to one sample x (n_inputs,) with label y (0 or 1).

        Returns True if it was a mistake (then the weights moved). The mistake counts towards
        the current epoch; call `end_epoch` after its last sample.
        """
        x = as_float_array(x, "x", ndim=1)
        if x.shape != (self.n_inputs,):
            raise ValueError(f"x has {x.size} features but the perceptron expects "
                             f"{self.n_inputs}")
        if y not in (0, 1):
            raise ValueError(f"y must be the label 0 or 1, but got {y!r}")
        return self._learn(x, float(y))

    def _learn(self, x, target):
        y_hat = 1.0 if x @ self.weights + self.bias >= 0 else 0.0
        error = target - y_hat                         # 0 when right, +1 or -1 when wrong
        if error != 0:
            self.weights = self.weights + self.learning_rate * error * x
            self.bias = self.bias + self.learning_rate * error
        self.mistakes_this_epoch_ += int(error != 0)
        self._samples_this_epoch += 1
        return bool(error != 0)

    def end_epoch(self):
        """Complete the epoch: record its mistakes in `errors_`, set `converged_`, return them."""
        if self._samples_this_epoch == 0:
            raise RuntimeError("no sample was learned since the last epoch ended: call "
                               "learn_one(x, y) for the samples of the epoch first")
        mistakes = self.mistakes_this_epoch_
        self.errors_.append(mistakes)
        self.converged_ = mistakes == 0
        self.mistakes_this_epoch_ = 0
        self._samples_this_epoch = 0
        return mistakes

    def partial_fit(self, X, y):
        """One epoch: the rule on every sample of X (n, n_inputs) in order, then `end_epoch`.

        Continues from the current weights (and completes an epoch begun with `learn_one`).
        Returns the number of mistakes of the epoch, which is appended to `errors_`.
        """
        X, y = self._check_data(X, y)
        for x, target in zip(X, y):
            self._learn(x, target)
        return self.end_epoch()

    def update(self, x, target):
        """`learn_one` returning 1 for a mistake, else 0 (the name the first lessons use)."""
        return int(self.learn_one(x, target))

    def epoch(self, X, y):
        """The same as `partial_fit` (the name the first lessons use)."""
        return self.partial_fit(X, y)

    def fit(self, X, y, epochs=100):
        """Start from the initial weights and train until an epoch has no mistakes.

        Parameters
        ----------
        X : array of shape (n, n_inputs)
        y : array of shape (n,) with labels 0 and 1
        epochs : int, the most epochs to run
        """
        X, y = self._check_data(X, y)
        epochs = check_nonnegative(epochs, "epochs", integer=True)
        self.reset()
        for _ in range(epochs):
            if self.partial_fit(X, y) == 0:
                break
        return self

    def score(self, X, y):
        """Accuracy on (X, y)."""
        X, y = self._check_data(X, y)
        return float(np.mean(self.predict(X) == y))

    def _check_data(self, X, y):
        X = check_X(X, self.n_inputs)
        y = check_binary_labels(y)
        check_same_length(X, y)
        return X, y

    def __repr__(self):
        return f"Perceptron(n_inputs={self.n_inputs}, learning_rate={self.learning_rate:g})"
