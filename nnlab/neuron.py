"""A single artificial neuron.

    z = w1 x1 + w2 x2 + ... + b        the weighted sum (b, the bias, is the w0 of the seeds)
    output = g(z)                      the activation decides how strongly the neuron "fires"
"""

import numpy as np

from . import activations
from .validation import as_float_array

__all__ = ["Neuron"]


class Neuron:
    """One neuron: weights, a bias and an activation.

    Parameters
    ----------
    weights : array-like of shape (n_inputs,)
    bias : float
    activation : str or Activation, default 'step'

    Examples
    --------
    The OR gate: w = (1, 1), b = -1 with a step activation.

    >>> n = Neuron([1, 1], bias=-1)
    >>> n([[0, 0], [0, 1], [1, 0], [1, 1]])
    array([0., 1., 1., 1.])
    """

    def __init__(self, weights, bias=0.0, activation="step"):
        self.weights = as_float_array(weights, "weights", ndim=1).copy()   # its own copy
        if self.weights.size == 0:
            raise ValueError("weights must hold at least one weight, but got an empty array")
        bias = as_float_array(bias, "bias")
        if bias.size != 1:
            raise ValueError(f"bias must be a single number, but got shape {bias.shape}")
        self.bias = float(bias.reshape(()))
        self.activation = activations.get(activation)

    @property
    def n_inputs(self):
        return self.weights.size

    def weighted_sum(self, X):
        """z = X @ w + b.

        X of shape (n_inputs,) is one sample and gives a float; (n, n_inputs) gives shape (n,).
        """
        X = as_float_array(X, "X")
        if X.ndim not in (1, 2) or X.shape[-1] != self.n_inputs:
            raise ValueError(
                f"X has {X.shape[-1] if X.ndim else 0} features but the neuron expects "
                f"{self.n_inputs} (X must be (n_inputs,) or (n_samples, n_inputs), "
                f"got shape {X.shape})"
            )
        z = X @ self.weights + self.bias
        return float(z) if X.ndim == 1 else z

    def __call__(self, X):
        """g(z): a float for one sample, shape (n,) for n samples."""
        out = self.activation(self.weighted_sum(X))
        return float(out) if np.ndim(out) == 0 else out

    def __repr__(self):
        w = ", ".join(f"{v:g}" for v in self.weights)
        return f"Neuron(weights=[{w}], bias={self.bias:g}, activation={self.activation.name!r})"
