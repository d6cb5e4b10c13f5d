"""Activation functions: what a neuron does with its weighted sum z.

Each function works elementwise on an array of any shape (softmax works along an axis).
`get(name)` returns an `Activation`, which bundles the function with its derivative so that
backpropagation can use it:

    a = f(z)            the neuron "fires" with strength a
    da/dz = f'(z)       how much a changes when z changes a little

| name       | f(z)                         | f'(z)                  | range    |
|------------|------------------------------|------------------------|----------|
| step       | 1 if z >= 0 else 0           | 0 (almost everywhere)  | {0, 1}   |
| linear     | z                            | 1                      | R        |
| sigmoid    | 1 / (1 + exp(-z))            | f(z) (1 - f(z))        | (0, 1)   |
| tanh       | tanh(z)                      | 1 - f(z)^2             | (-1, 1)  |
| relu       | max(0, z)                    | 1 if z > 0 else 0      | [0, inf) |
| leaky_relu | z if z > 0 else alpha z      | 1 if z > 0 else alpha  | R        |
| softmax    | exp(z_i) / sum_j exp(z_j)    | a Jacobian (see below) | (0, 1)   |
"""

import numpy as np

from .validation import lookup

__all__ = [
    "Activation", "get", "ACTIVATIONS", "OUTPUT_THRESHOLD", "SUM_THRESHOLD",
    "step", "linear", "sigmoid", "tanh", "relu", "leaky_relu", "softmax",
]


def step(z):
    """Heaviside step: 1 where z >= 0, else 0 (so step(0) == 1)."""
    return np.where(np.asarray(z, dtype=np.float64) >= 0, 1.0, 0.0)


def linear(z):
    """Identity: f(z) = z. A neuron with it is linear regression."""
    return np.array(z, dtype=np.float64)


def sigmoid(z):
    """Logistic function 1 / (1 + exp(-z)), squashing z into (0, 1).

    Written as (1 + tanh(z / 2)) / 2, which is the same function but never overflows,
    even for |z| of 1e4 or more.
    """
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


def tanh(z):
    """Hyperbolic tangent, squashing z into (-1, 1); a rescaled sigmoid centred on 0."""
    return np.tanh(np.asarray(z, dtype=np.float64))


def relu(z):
    """Rectified linear unit max(0, z)."""
    return np.maximum(np.asarray(z, dtype=np.float64), 0.0)


def leaky_relu(z, alpha=0.01):
    """ReLU with a small slope `alpha` for negative z, so a unit never stops learning."""
    z = np.asarray(z, dtype=np.float64)
    return np.where(z > 0, z, alpha * z)


def softmax(z, axis=-1):
    """Turn a vector of scores into probabilities: exp(z_i) / sum_j exp(z_j).

    Subtracting max(z) first changes nothing mathematically and prevents overflow.
    """
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


class Activation:
    """An activation function together with its derivative.

    Parameters
    ----------
    name : str
    function : callable, z -> a
    slope : callable, (z, a) -> da/dz elementwise
        Receives both z and a = f(z) so that e.g. sigmoid can use a (1 - a) without recomputing.

    Examples
    --------
    >>> act = get('sigmoid')
    >>> float(act(0.0)), float(act.derivative(0.0))
    (0.5, 0.25)
    """

    def __init__(self, name, function, slope):
        self.name = name
        self.function = function
        self.slope = slope

    def __call__(self, z):
        """f(z), same shape as z."""
        return self.function(z)

    def derivative(self, z):
        """f'(z) = da/dz elementwise, same shape as z."""
        z = np.asarray(z, dtype=np.float64)
        return self.slope(z, self.function(z))

    def backward(self, z, a, grad_a):
        """Chain rule through the activation: dL/dz = dL/da * da/dz (elementwise)."""
        return grad_a * self.slope(z, a)

    def __repr__(self):
        return f"Activation({self.name!r})"


class Softmax(Activation):
    """Softmax over the last axis.

    Its derivative is a Jacobian, da_i/dz_j = a_i (delta_ij - a_j), not an elementwise slope.
    `derivative(z)` returns its diagonal a_i (1 - a_i); `backward` applies the whole Jacobian:
    dL/dz_j = a_j (dL/da_j - sum_i dL/da_i a_i). Together with categorical cross-entropy this
    collapses to the famous dL/dz = a - y, which is what the MLP uses.
    """

    def __init__(self):
        super().__init__("softmax", softmax, lambda z, a: a * (1.0 - a))

    def backward(self, z, a, grad_a):
        return a * (grad_a - np.sum(grad_a * a, axis=-1, keepdims=True))


def _leaky_slope(z, a, alpha=0.01):
    return np.where(z > 0, 1.0, alpha)


ACTIVATIONS = {
    "step": Activation("step", step, lambda z, a: np.zeros_like(z)),
    "linear": Activation("linear", linear, lambda z, a: np.ones_like(z)),
    "sigmoid": Activation("sigmoid", sigmoid, lambda z, a: a * (1.0 - a)),
    "tanh": Activation("tanh", tanh, lambda z, a: 1.0 - a * a),
    "relu": Activation("relu", relu, lambda z, a: np.where(z > 0, 1.0, 0.0)),
    "leaky_relu": Activation("leaky_relu", leaky_relu, _leaky_slope),
    "softmax": Softmax(),
}


#: To read a yes/no answer from a neuron's output a = g(z), compare it with a threshold: 0.5
#: for activations whose "no" is 0 (step, sigmoid, relu, leaky_relu, linear), and 0 for tanh,
#: whose "no" is -1.
OUTPUT_THRESHOLD = {"step": 0.5, "linear": 0.5, "sigmoid": 0.5, "relu": 0.5,
                    "leaky_relu": 0.5, "tanh": 0.0}
#: The weighted sum z* at which the output reaches that threshold: g(z) >= threshold exactly
#: when z >= z*. (step(0) = 1, sigmoid(0) = 0.5, tanh(0) = 0, relu(0.5) = linear(0.5) = 0.5.)
SUM_THRESHOLD = {"step": 0.0, "linear": 0.5, "sigmoid": 0.0, "relu": 0.5, "leaky_relu": 0.5,
                 "tanh": 0.0}


def get(name):
    """Return the `Activation` called `name` (case-insensitive), or `name` if it already is one.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the valid names.
    """
    if isinstance(name, Activation):
        return name
    if name is None:
        return ACTIVATIONS["linear"]
    return lookup(ACTIVATIONS, name, "activation")
