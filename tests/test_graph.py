"""nnlab.graph: every node's value and gradient, checked against an independent forward pass
written here by hand and central differences through it."""

import numpy as np
import pytest

from nnlab.graph import BACKWARD_STEPS, FORWARD_STEPS, NODES, NetworkGraph

WEIGHTS = [np.array([[0.6, -0.4], [0.9, 0.3]]), np.array([-0.2, 0.1]),
           np.array([[1.2], [-0.8]]), np.array([0.3])]
F = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh,
     "relu": lambda z: max(z, 0.0)}


def leaves(weights, x, y):
    (w11, w12), (w21, w22) = weights[0]
    return {"x1": x[0], "x2": x[1], "y": y, "w11": w11, "w12": w12, "w21": w21, "w22": w22,
            "b1": weights[1][0], "b2": weights[1][1], "w_out1": weights[2][0, 0],
            "w_out2": weights[2][1, 0], "b_out": weights[3][0]}


def forward(v, f, loss, fixed=None):
    """Every node's value by hand; `fixed` pins nodes (a nudged node keeps its nudged value)."""
    v, fixed = dict(v), fixed or {}
    v.update(fixed)

    def put(name, value):
        v[name] = fixed.get(name, value)

    for j in ("1", "2"):
        put(f"x1*w1{j}", v["x1"] * v[f"w1{j}"])
        put(f"x2*w2{j}", v["x2"] * v[f"w2{j}"])
        put(f"z_h{j}", v[f"x1*w1{j}"] + v[f"x2*w2{j}"] + v[f"b{j}"])
        put(f"a_h{j}", F[f](v[f"z_h{j}"]))
        put(f"a_h{j}*w_out{j}", v[f"a_h{j}"] * v[f"w_out{j}"])
    put("z_out", v["a_h1*w_out1"] + v["a_h2*w_out2"] + v["b_out"])
    put("y_hat", F["sigmoid"](v["z_out"]))
    p, y = v["y_hat"], v["y"]
    put("L", (p - y) ** 2 if loss == "mse" else -(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return v


@pytest.mark.parametrize("f, loss, x, y", [("sigmoid", "binary_crossentropy", (1.0, 0.0), 1.0),
                                           ("tanh", "mse", (0.7, -1.3), 0.0),
                                           ("relu", "binary_crossentropy", (1.5, 0.5), 0.0)])
def test_every_value_and_gradient_matches_a_hand_forward_pass_and_central_differences(
        f, loss, x, y):
    g = NetworkGraph(WEIGHTS, x, y, activation=f, loss=loss)
    values = forward(leaves(WEIGHTS, x, y), f, loss)
    eps = 1e-6
    for name, kind, _ in NODES:
        assert g[name].value == pytest.approx(values[name], abs=1e-12), name
        if kind == "target":
            assert g[name].grad is None
            continue
        up = forward(values, f, loss, {name: values[name] + eps})["L"]
        down = forward(values, f, loss, {name: values[name] - eps})["L"]
        assert g[name].grad == pytest.approx((up - down) / (2 * eps), rel=1e-6, abs=1e-9), name


def test_the_chain_rule_holds_at_every_node_and_the_order_is_topological():
    g = NetworkGraph(WEIGHTS, (0.4, -0.9), 1.0, activation="tanh")
    for name in BACKWARD_STEPS[1:]:                  # L's gradient is 1 by definition
        terms = g.chain(name)
        assert terms, name
        assert g[name].grad == pytest.approx(sum(g[c].grad * d for c, d in terms), rel=1e-12)
        # a node's gradient comes after the gradients of all the nodes computed from it
        assert all(BACKWARD_STEPS.index(c) < BACKWARD_STEPS.index(name) for c, _ in terms)
    for name in FORWARD_STEPS:
        assert all(FORWARD_STEPS.index(p) < FORWARD_STEPS.index(name)
                   for p in g[name].parents if p in FORWARD_STEPS)
    assert (len(FORWARD_STEPS), len(BACKWARD_STEPS)) == (13, 24)
    # the parameters' gradients are loss_and_gradients' own arrays, entry by entry
    assert g["w21"].grad == g.gradients[0][1, 0] and g["b_out"].grad == g.gradients[3][0]


@pytest.mark.parametrize("kwargs, message", [({"x": [1.0, 2.0, 3.0]}, "x must hold the two"),
                                             ({"target": 2.0}, "target must lie in"),
                                             ({"target": [0.0, 1.0]}, "target must be one")])
def test_bad_input_names_the_argument(kwargs, message):
    args = {"x": [1.0, 0.0], "target": 1.0} | kwargs
    with pytest.raises(ValueError, match=message):
        NetworkGraph(WEIGHTS, **args)
