"""Explain a neuron: its formula with the live numbers, and the confusion matrix.

Neuron j of layer l (layers counted from 1, the first hidden layer; the output layer last)
computes, for one point with inputs a_1 ... a_n (the features, or the previous layer's outputs):

    z = w_1 a_1 + ... + w_n a_n + b          (w_i = W[i, j] of the layer, b = b[j])
    a = g(z)                                 g: the layer's activation

(the glossary's symbols: z the weighted sum, a = g(z) the neuron's output, or activation)

and training moves each weight against the gradient of the training loss (data loss plus
penalty, over the whole training set): dLoss/dw_i, dLoss/db.
"""

import numpy as np

from ..layers import dense as dense_formula

__all__ = ["neuron", "confusion_matrix", "input_names"]


def input_names(session, layer):
    """Names of the inputs of `layer` (1-based): feature names, or a<l>_<i>, the outputs of
    the layer below."""
    if layer == 1:
        return session.features
    return [f"a{layer - 1}_{i + 1}" for i in range(session.model.layer_sizes[layer - 1])]


def _check(session, layer, neuron):
    n_layers = len(session.model.layers)
    if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) \
            or not 1 <= layer <= n_layers:
        raise ValueError(f"layer must be from 1 to {n_layers} (the output layer), "
                         f"but got {layer!r}")
    size = session.model.layer_sizes[layer]
    if isinstance(neuron, bool) or not isinstance(neuron, (int, np.integer)) \
            or not 1 <= neuron <= size:
        raise ValueError(f"neuron must be from 1 to {size} in layer {layer}, but got {neuron!r}")


def neuron(session, layer, neuron, point=0):
    """What neuron `neuron` (1-based) of layer `layer` (1-based) computes, with numbers.

    Parameters
    ----------
    session : PlaygroundSession
    layer, neuron : int
        Counted from 1; the last layer is the output.
    point : int
        Index of the training point whose numbers are shown.

    Returns
    -------
    dict
        'layer', 'neuron', 'name' (e.g. 'a1_2', or 'output'), 'inputs' (names), 'weights',
        'bias', 'activation', 'grad_weights', 'grad_bias' (dLoss/dw over the training set at
        the current weights), 'point' (x1, x2), 'input_values', 'z' (the weighted sum), 'a'
        (the output g(z); also under its old key 'h'), and 'text': the formula written out.
    """
    _check(session, layer, neuron)
    model = session.model
    dense = model.layers[layer - 1]
    j = neuron - 1
    _, grads = model.loss_and_gradients(session.F_train, session.y_train)
    # the inputs of this layer for the chosen point: a forward pass up to it
    x = session.F_train[point:point + 1]
    for below in model.layers[:layer - 1]:
        x = below.forward(x, False)
    inputs = x[0]
    w, b = dense.W[:, j], float(dense.b[j])
    z_all, a_all = dense_formula(x, dense.W, dense.b, dense.activation)   # z, a = g(z)
    z, a = float(z_all[0, j]), float(a_all[0, j])
    names = input_names(session, layer)
    is_output = layer == len(model.layers)
    name = "output" + (f"_{neuron}" if model.n_outputs > 1 else "") if is_output \
        else f"a{layer}_{neuron}"
    info = {"layer": layer, "neuron": neuron, "name": name, "inputs": names,
            "weights": w.tolist(), "bias": b, "activation": dense.activation.name,
            "grad_weights": grads[2 * (layer - 1)][:, j].tolist(),
            "grad_bias": float(grads[2 * (layer - 1) + 1][j]),
            "point": session.X_train[point].tolist(), "input_values": inputs.tolist(),
            "z": z, "a": a, "h": a}
    info["text"] = _text(info)
    return info


def _num(v):
    return f"({v:.3f})" if v < 0 else f"{v:.3f}"


def _text(info):
    terms = " + ".join(f"w{i + 1}·{n}" for i, n in enumerate(info["inputs"]))
    numbers = " ".join(f"{'+' if i and w >= 0 else '-' if w < 0 else ''}"
                       f"{' ' if i else ''}{abs(w):.3f}·{_num(v)}"
                       for i, (w, v) in enumerate(zip(info["weights"], info["input_values"])))
    f = info["activation"]
    lines = [f"{info['name']} = {f}(z),  z = {terms} + b",
             f"at the training point ({info['point'][0]:.2f}, {info['point'][1]:.2f}):",
             f"  z = {numbers} {'+' if info['bias'] >= 0 else '-'} {abs(info['bias']):.3f}"
             f" = {info['z']:.3f}",
             f"  {info['name']} = {f}({info['z']:.3f}) = {info['a']:.3f}" if f != "softmax" else
             f"  {info['name']} = e^z / (sum of e^z over all outputs) = {info['a']:.3f}",
             "weight      value    dLoss/dweight"]
    for i, (w, g) in enumerate(zip(info["weights"], info["grad_weights"])):
        lines.append(f"  w{i + 1:<8}{w:>8.3f}  {g:>12.5f}   (from {info['inputs'][i]})")
    lines.append(f"  b{'':<8}{info['bias']:>8.3f}  {info['grad_bias']:>12.5f}")
    return "\n".join(lines)


def confusion_matrix(session, split="test"):
    """Counts (k, k) of [true class, predicted class] on the 'train' or 'test' points."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', but got {split!r}")
    k = session.n_classes
    if k is None:
        raise ValueError("a confusion matrix needs classes; this dataset is a regression")
    F, y = (session.F_train, session.y_train) if split == "train" else \
        (session.F_test, session.y_test)
    out = session.model.predict(F)
    predicted = out.argmax(axis=1) if k > 2 else (out[:, 0] >= 0.5).astype(int)
    counts = np.zeros((k, k), dtype=int)
    np.add.at(counts, (y.astype(int), predicted), 1)
    return counts
