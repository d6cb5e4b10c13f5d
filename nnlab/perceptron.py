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

from ._validation import (
    as_float_array,
    check_binary_labels,
    check_nonnegative,
    check_positive,
    check_rng,
    check_same_length,
    check_X,
)
from .activations import step

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
        Mistakes made in each epoch of the last `fit`.
    converged_ : bool
        Whether the last `fit` ended with an epoch without mistakes.

    Examples
    --------
    >>> from nnlab import datasets
    >>> X, y = datasets.logic_gate('and')
    >>> p = Perceptron(2, seed=0).fit(X, y)
    >>> p.converged_, p.predict(X)
    (True, array([0., 0., 0., 1.]))
    """

    def __init__(self, n_inputs, learning_rate=1.0, seed=None):
        self.n_inputs = check_positive(n_inputs, "n_inputs", integer=True)
        self.learning_rate = check_positive(learning_rate, "learning_rate")
        self.seed = seed
        check_rng(seed)
        self.reset()

    def reset(self):
        """Back to the initial weights (the same ones every time for a given seed)."""
        rng = check_rng(self.seed)
        self.weights = rng.normal(0.0, 0.01, size=self.n_inputs)
        self.bias = 0.0
        self.errors_ = []
        self.converged_ = False
        return self

    def weighted_sum(self, X):
        """w . x + b for each row of X (n, n_inputs); shape (n,)."""
        X = check_X(X, self.n_inputs)
        return X @ self.weights + self.bias

    def predict(self, X):
        """Class labels 0/1, shape (n,)."""
        return step(self.weighted_sum(X))

    def update(self, x, target):
        """Apply the learning rule to one sample x (n_inputs,); return 1 for a mistake, else 0."""
        x = as_float_array(x, "x", ndim=1)
        y_hat = 1.0 if x @ self.weights + self.bias >= 0 else 0.0
        error = target - y_hat
        if error != 0:
            self.weights = self.weights + self.learning_rate * error * x
            self.bias = self.bias + self.learning_rate * error
        return int(error != 0)

    def epoch(self, X, y):
        """One pass over the data in order; returns the number of mistakes and records it."""
        X, y = self._check_data(X, y)
        mistakes = sum(self.update(x, t) for x, t in zip(X, y))
        self.errors_.append(mistakes)
        self.converged_ = mistakes == 0
        return mistakes

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
            if self.epoch(X, y) == 0:
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
