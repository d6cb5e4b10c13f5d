"""Logic gates built from step neurons.

With g the step function (g(z) = 1 when z >= 0):

    OR    g(x1 + x2 - 1)        AND   g(x1 + x2 - 2)
    NAND  g(-x1 - x2 + 1)       NOR   g(-x1 - x2)

Each of these draws one straight line through the input square. XOR (exactly one input on)
needs two lines, so no single neuron can compute it; two layers can:

    XOR(x1, x2) = AND(OR(x1, x2), NAND(x1, x2))
"""

from types import MappingProxyType

import numpy as np

from .neuron import Neuron
from .validation import as_float_array, lookup

__all__ = ["AND", "OR", "NAND", "NOR", "XOR", "Gate", "GateNetwork", "GATES", "INPUTS",
           "truth_table", "get"]

#: The four rows of a two-input truth table, shape (4, 2).
INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
INPUTS.flags.writeable = False



class Gate(Neuron):
    """A step neuron that cannot be changed: the gates below are shared by every notebook (and
    XOR is built from them), so changing one by accident must not change the others.

    Its weights are a read-only array and its attributes cannot be reassigned; to experiment,
    build your own ``Neuron(OR.weights, OR.bias)``.

    Examples
    --------
    >>> OR.weights[0] = -5
    Traceback (most recent call last):
    ...
    ValueError: assignment destination is read-only
    """

    def __init__(self, name, weights, bias):
        super().__init__(weights, bias, activation="step")
        self.weights.flags.writeable = False
        object.__setattr__(self, "name", name)

    def __setattr__(self, attribute, value):
        if "name" in self.__dict__:
            raise AttributeError(
                f"gates.{self.name} cannot be changed (it is shared, e.g. by XOR); make your "
                f"own with nnlab.Neuron({self.name}.weights, {self.name}.bias) and change that"
            )
        super().__setattr__(attribute, value)


OR = Gate("OR", [1.0, 1.0], bias=-1.0)
AND = Gate("AND", [1.0, 1.0], bias=-2.0)
NAND = Gate("NAND", [-1.0, -1.0], bias=1.0)
NOR = Gate("NOR", [-1.0, -1.0], bias=0.0)


class GateNetwork:
    """Neurons arranged in layers; each layer's outputs are the next layer's inputs.

    Parameters
    ----------
    layers : list of lists of Neuron
        E.g. ``[[OR, NAND], [AND]]`` for XOR: two hidden neurons, one output neuron. Kept as a
        tuple of tuples, so the network cannot be rewired afterwards.
    """

    def __init__(self, layers, name=None):
        self.layers = tuple(tuple(layer) for layer in layers)
        if name is not None:                     # one of the library's gates: frozen
            self.name = name

    def __setattr__(self, attribute, value):
        if "name" in self.__dict__:
            raise AttributeError(f"gates.{self.name} cannot be changed (it is shared); build "
                                 "your own GateNetwork instead")
        super().__setattr__(attribute, value)

    def hidden(self, X):
        """Outputs of every layer but the last, as a list of (n, layer_width) arrays."""
        outputs = []
        a = self._as_rows(X)
        for layer in self.layers[:-1]:
            a = np.column_stack([neuron(a) for neuron in layer])
            outputs.append(a)
        return outputs

    def __call__(self, X):
        """The output: a float for one sample (n_inputs,), shape (n,) for (n, n_inputs)."""
        one_sample = np.ndim(X) == 1
        a = self._as_rows(X)
        for layer in self.layers:
            a = np.column_stack([neuron(a) for neuron in layer])
        out = a[:, 0] if a.shape[1] == 1 else a
        return float(out[0]) if one_sample and out.ndim == 1 else out

    @staticmethod
    def _as_rows(X):
        X = as_float_array(X, "X")
        return X.reshape(1, -1) if X.ndim == 1 else X

    def __repr__(self):
        shape = " -> ".join(str(len(layer)) for layer in self.layers)
        return f"GateNetwork({shape})"


XOR = GateNetwork([[OR, NAND], [AND]], name="XOR")

#: The gates by name (read-only).
GATES = MappingProxyType({"AND": AND, "OR": OR, "NAND": NAND, "NOR": NOR, "XOR": XOR})


def get(name):
    """The gate called `name` (case-insensitive): 'and', 'OR', 'Nand', ..."""
    return lookup({k.lower(): v for k, v in GATES.items()}, name, "gate")


def truth_table(gate):
    """Evaluate `gate` (a gate, or its name) on the four input rows.

    Returns
    -------
    X : ndarray of shape (4, 2)
        The rows (0,0), (0,1), (1,0), (1,1).
    y : ndarray of shape (4,)
        The gate's output for each row.
    """
    if isinstance(gate, str):
        gate = get(gate)
    return INPUTS.copy(), np.asarray(gate(INPUTS), dtype=np.float64)
