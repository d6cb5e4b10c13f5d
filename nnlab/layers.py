"""A fully connected (dense) layer: every input is connected to every neuron of the layer.

For a batch X of shape (n, n_in):

    z = X @ W + b        W: (n_in, n_out), b: (n_out,), z: (n, n_out)
    a = f(z)

Initial weights are Gaussian with a spread chosen so that signals neither grow nor fade as they
pass through many layers; biases start at zero:

    Glorot / Xavier (sigmoid, tanh, linear, softmax, step):  std = sqrt(2 / (n_in + n_out))
    He (relu, leaky_relu):                                     std = sqrt(2 / n_in)

Why not all zeros? Then every neuron of a layer computes the same thing and gets the same
gradient, so they stay identical forever: random weights break that symmetry.
"""

import numpy as np

from . import activations
from .validation import check_positive, check_rng

__all__ = ["Dense", "dense", "init_std", "glorot", "he", "INITIALIZERS", "INITIALIZER_FOR"]


def glorot(n_in, n_out):
    """Glorot / Xavier: std = sqrt(2 / (n_in + n_out))."""
    return np.sqrt(2.0 / (n_in + n_out))


def he(n_in, n_out):
    """He: std = sqrt(2 / n_in), for ReLU layers (half their inputs are cut to 0)."""
    return np.sqrt(2.0 / n_in)


#: The initialisers by name: each gives the standard deviation of a layer's initial weights.
INITIALIZERS = {"glorot": glorot, "he": he}
#: The initialiser of each activation that does not use Glorot's.
INITIALIZER_FOR = {"relu": "he", "leaky_relu": "he"}


def init_std(n_in, n_out, activation):
    """Standard deviation of the initial weights for a layer (Glorot, or He for ReLU layers).

    >>> float(init_std(2, 6, 'tanh')), float(init_std(2, 6, 'relu'))
    (0.5, 1.0)
    """
    name = INITIALIZER_FOR.get(activations.get(activation).name, "glorot")
    return INITIALIZERS[name](n_in, n_out)


def dense(X, W, b, activation):
    """The formula of a dense layer: z = X @ W + b and a = f(z); returns (z, a).

    One setting of the weights: X (n, n_in), W (n_in, n_out), b (n_out,) give z, a (n, n_out).
    P settings at once (the loss landscape): X (n, n_in) or (P, n, n_in), W (P, n_in, n_out),
    b (P, 1, n_out) give z, a (P, n, n_out), by numpy's batched matrix product.

    >>> z, a = dense(np.array([[1.0, 2.0]]), np.array([[1.0], [1.0]]), np.array([-3.0]),
    ...              activations.get('relu'))
    >>> z.tolist(), a.tolist()
    ([[0.0]], [[0.0]])
    """
    z = X @ W + b
    return z, activation(z)


class Dense:
    """A fully connected layer.

    Parameters
    ----------
    n_in, n_out : int
        Number of inputs and of neurons.
    activation : str or Activation
    seed : None, int or numpy Generator
        For the initial weights.

    Attributes
    ----------
    W : ndarray (n_in, n_out)
    b : ndarray (n_out,)
    activation : Activation
    X, z, a : ndarrays kept by the last `forward` (input, weighted sums, activations)
    delta : ndarray (n, n_out), dL/dz, kept by the last `backward`
    below : Dense or None
        The layer that feeds this one (set by `MLP`); None when the input is the data X.

    Examples
    --------
    >>> layer = Dense(2, 3, activation='tanh', seed=0)
    >>> a = layer.forward(np.array([[1.0, 2.0]]))
    >>> dW, db, delta_prev = layer.backward(np.ones((1, 3)))
    >>> dW.shape, db.shape, delta_prev.shape
    ((2, 3), (3,), (1, 2))
    """

    def __init__(self, n_in, n_out, activation="linear", seed=None):
        self.n_in = check_positive(n_in, "n_in", integer=True)
        self.n_out = check_positive(n_out, "n_out", integer=True)
        self.activation = activations.get(activation)
        rng = check_rng(seed)
        std = init_std(self.n_in, self.n_out, self.activation)
        self.W = rng.normal(0.0, std, size=(self.n_in, self.n_out))
        self.b = np.zeros(self.n_out)
        self.X = self.z = self.a = self.delta = None
        self.below = None

    def forward(self, X, keep=True):
        """a = f(X @ W + b) for X of shape (n, n_in); returns shape (n, n_out).

        With `keep`, the layer remembers X, z and a for backpropagation.
        """
        z, a = dense(X, self.W, self.b, self.activation)
        if keep:
            self.X, self.z, self.a = X, z, a
        return a

    def backward(self, delta):
        """Backpropagate delta = dL/dz (n, n_out) through this layer's last `forward`.

        Returns
        -------
        dW : (n_in, n_out)     X.T @ delta                          (BP4)
        db : (n_out,)          delta summed over the samples        (BP3)
        delta_prev : (n, n_in)
            The delta of the layer below, (delta @ W.T) * f'(z) with that layer's f and z
            (BP2); without a layer below, dL/dX = delta @ W.T.
        """
        self.delta = delta
        dW = self.X.T @ delta
        db = delta.sum(axis=0)
        delta_prev = delta @ self.W.T                   # dL/da of the layer below
        below = self.below
        if below is not None:                           # times f'(z) of that layer
            delta_prev = below.activation.backward(below.z, below.a, delta_prev)
        return dW, db, delta_prev

    def params(self):
        """[W, b]: the live arrays (not copies) an optimizer updates in place."""
        return [self.W, self.b]

    def __repr__(self):
        return f"Dense({self.n_in} -> {self.n_out}, activation={self.activation.name!r})"
