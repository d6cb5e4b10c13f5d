"""The computation graph of a 2-2-1 network on one example: every number, and its gradient.

A network is a chain of small operations. For two inputs x1, x2, two hidden neurons and one
sigmoid output, on one example with target y, the forward pass computes, node by node:

    x1·w11, x2·w21          products                  (likewise x1·w12, x2·w22 for h2)
    z_h1 = x1·w11 + x2·w21 + b1                        a sum
    a_h1 = f(z_h1)                                     the hidden activation f
    a_h1·w_out1, a_h2·w_out2                           products
    z_out = a_h1·w_out1 + a_h2·w_out2 + b_out          a sum
    y_hat = sigmoid(z_out)
    L = loss(y, y_hat)

The backward pass visits the nodes in the opposite order. Each node's gradient dL/d(node) is
the sum, over the nodes computed from it, of their gradient times the local derivative of the
link (the chain rule):

    product p = u·v        dp/du = v,  dp/dv = u
    sum s = u + v + ...    ds/du = 1
    activation a = f(z)    da/dz = f'(z)
    loss L(y, y_hat)       dL/dy_hat  (the loss's own derivative)

The numbers are not recomputed here: values and gradients are read from the core's
`MLP.loss_and_gradients`, which keeps z, a and the deltas dL/dz on each layer. This module
only names them, node by node, in the order the passes visit them (as micrograd's `Value`
graph would, with one node per operation).
"""

from dataclasses import dataclass

import numpy as np

from .network import MLP
from .validation import as_float_array

__all__ = ["Node", "NetworkGraph", "NODES", "PARAMETERS", "FORWARD_STEPS", "BACKWARD_STEPS"]

#: Every node in forward (topological) order: (name, kind, parents). Leaves have no parents.
NODES = (
    ("x1", "input", ()), ("w11", "weight", ()), ("x1*w11", "product", ("x1", "w11")),
    ("x2", "input", ()), ("w21", "weight", ()), ("x2*w21", "product", ("x2", "w21")),
    ("b1", "bias", ()), ("z_h1", "sum", ("x1*w11", "x2*w21", "b1")),
    ("a_h1", "activation", ("z_h1",)),
    ("w12", "weight", ()), ("x1*w12", "product", ("x1", "w12")),
    ("w22", "weight", ()), ("x2*w22", "product", ("x2", "w22")),
    ("b2", "bias", ()), ("z_h2", "sum", ("x1*w12", "x2*w22", "b2")),
    ("a_h2", "activation", ("z_h2",)),
    ("w_out1", "weight", ()), ("a_h1*w_out1", "product", ("a_h1", "w_out1")),
    ("w_out2", "weight", ()), ("a_h2*w_out2", "product", ("a_h2", "w_out2")),
    ("b_out", "bias", ()), ("z_out", "sum", ("a_h1*w_out1", "a_h2*w_out2", "b_out")),
    ("y_hat", "activation", ("z_out",)),
    ("y", "target", ()), ("L", "loss", ("y", "y_hat")),
)
#: The nine parameters and where each lives in ``get_weights()``: (array index, position).
PARAMETERS = {"w11": (0, (0, 0)), "w21": (0, (1, 0)), "w12": (0, (0, 1)), "w22": (0, (1, 1)),
              "b1": (1, (0,)), "b2": (1, (1,)),
              "w_out1": (2, (0, 0)), "w_out2": (2, (1, 0)), "b_out": (3, (0,))}
#: The nodes the forward pass computes, one per step (the leaves are given).
FORWARD_STEPS = tuple(name for name, _, parents in NODES if parents)
#: The nodes the backward pass gives a gradient, one per step: every node but the target,
#: in reverse topological order (a node comes after all the nodes computed from it).
BACKWARD_STEPS = tuple(name for name, kind, _ in reversed(NODES) if kind != "target")


@dataclass
class Node:
    """One node of the graph.

    Attributes
    ----------
    name : str
        e.g. 'x1', 'w11', 'x1*w11', 'z_h1', 'a_h1', 'y_hat', 'L'.
    kind : str
        'input', 'weight', 'bias', 'target' (leaves) or 'product', 'sum', 'activation',
        'loss' (operations).
    parents : tuple of str
        The nodes it is computed from.
    value : float
    grad : float or None
        dL/d(node); None for the target y, which is data and never changes.
    local : dict of str -> float
        d(node)/d(parent) for each parent: the link's local derivative.
    """

    name: str
    kind: str
    parents: tuple
    value: float
    grad: float | None
    local: dict

    @property
    def is_leaf(self):
        return not self.parents


class NetworkGraph:
    """The graph of a 2-2-1 network (hidden activation f, sigmoid output) on one example.

    Parameters
    ----------
    weights : list [W1 (2, 2), b1 (2,), W2 (2, 1), b2 (1,)]
        As ``MLP.get_weights()``.
    x : array (2,)
        The example.
    target : float
        Its target y, in [0, 1] for cross-entropy.
    activation : {'sigmoid', 'tanh', 'relu', ...}, default 'sigmoid'
        The hidden neurons' activation.
    loss : {'binary_crossentropy', 'mse'}, default 'binary_crossentropy'

    Attributes
    ----------
    nodes : dict of str -> Node, in forward order (`NODES`)
    model : MLP
        The network whose `loss_and_gradients` gave every number.
    loss, gradients : the values `loss_and_gradients` returned

    Examples
    --------
    >>> weights = [[[0.6, -0.4], [0.9, 0.3]], [-0.2, 0.1], [[1.2], [-0.8]], [0.3]]
    >>> g = NetworkGraph(weights, x=[1.0, 0.0], target=1.0)
    >>> round(g['z_h1'].value, 3)                  # 0.6 * 1 + 0.9 * 0 - 0.2
    0.4
    >>> g['L'].grad, g['x1*w11'].grad == g['z_h1'].grad   # a sum passes its gradient on
    (1.0, True)
    >>> g.chain('w11')                             # dL/dw11 = dL/d(x1*w11) * x1
    [('x1*w11', 1.0)]
    """

    def __init__(self, weights, x, target, activation="sigmoid", loss="binary_crossentropy"):
        x = as_float_array(x, "x")
        if x.shape != (2,):
            raise ValueError(f"x must hold the two inputs (x1, x2), shape (2,), but got shape "
                             f"{x.shape}")
        target = as_float_array(target, "target")
        if target.shape not in ((), (1,)):
            raise ValueError(f"target must be one number, but got shape {target.shape}")
        target = float(target.reshape(()))
        model = MLP([2, 2, 1], activation=activation, output_activation="sigmoid")
        model.compile(loss=loss, optimizer="sgd", metrics=())
        model.set_weights(weights)
        if loss == "binary_crossentropy" and not 0.0 <= target <= 1.0:
            raise ValueError(f"target must lie in [0, 1] for cross-entropy, but got {target:g}")
        self.model = model
        self.x, self.target = x, target
        self.loss, self.gradients = model.loss_and_gradients(x[None, :], np.array([target]))
        self.nodes = self._read(model)

    def _read(self, model):
        """Every node's value, gradient and local derivatives, from the layers' z, a, delta."""
        hidden, out = model.layers
        weights, grads = model.get_weights(), self.gradients
        value = {"x1": self.x[0], "x2": self.x[1], "y": self.target, "L": self.loss,
                 "z_out": out.z[0, 0], "y_hat": out.a[0, 0]}
        grad = {"L": 1.0, "z_out": out.delta[0, 0],
                "y_hat": model.loss.gradient(np.array([self.target]), out.a[:, 0])[0]}
        for name, (i, where) in PARAMETERS.items():
            value[name], grad[name] = weights[i][where], grads[i][where]
        d_hidden_a = out.delta @ out.W.T                # dL/da of the hidden layer (BP2)
        d_inputs = hidden.delta @ hidden.W.T            # dL/dx: one more link
        slopes = {"z_h1": hidden.activation.derivative(hidden.z[0, 0]),
                  "z_h2": hidden.activation.derivative(hidden.z[0, 1]),
                  "z_out": out.activation.derivative(out.z[0, 0])}
        for j in (0, 1):
            h = f"h{j + 1}"
            value[f"z_{h}"], value[f"a_{h}"] = hidden.z[0, j], hidden.a[0, j]
            grad[f"z_{h}"], grad[f"a_{h}"] = hidden.delta[0, j], d_hidden_a[0, j]
            grad[f"x{j + 1}"] = d_inputs[0, j]
        nodes = {}
        for name, kind, parents in NODES:
            if kind == "product":
                u, v = parents
                value[name] = value[u] * value[v]
                local = {u: value[v], v: value[u]}
            elif kind == "sum":
                local = dict.fromkeys(parents, 1.0)
            elif kind == "activation":
                local = {parents[0]: slopes[parents[0]]}
            elif kind == "loss":
                local = {"y_hat": grad["y_hat"]}
            else:
                local = {}
            if kind == "product":            # it feeds a sum, whose local derivative is 1
                (total,) = (child for child, _, p in NODES if name in p)
                grad[name] = grad[total]
            nodes[name] = Node(name, kind, parents, float(value[name]),
                               None if kind == "target" else float(grad[name]),
                               {k: float(v) for k, v in local.items()})
        return nodes

    def __getitem__(self, name):
        try:
            return self.nodes[name]
        except KeyError:
            raise KeyError(f"no node {name!r}; the nodes are {list(self.nodes)}") from None

    def children(self, name):
        """The nodes computed from `name` (where its gradient comes from)."""
        return [child for child, _, parents in NODES if name in parents]

    def chain(self, name):
        """[(child, local derivative d(child)/d(name)), ...]: the chain rule's terms, so that
        ``grad(name) = sum(grad(child) * local)``; empty for L (its gradient is 1)."""
        return [(child, self.nodes[child].local[name]) for child in self.children(name)
                if name in self.nodes[child].local]
