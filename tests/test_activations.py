"""Activations: values, derivatives against finite differences, names."""

import numpy as np
import pytest

from nnlab import activations

ELEMENTWISE = ["step", "linear", "sigmoid", "tanh", "relu", "leaky_relu"]


def central_difference(f, z, eps=1e-6):
    return (f(z + eps) - f(z - eps)) / (2 * eps)


@pytest.mark.parametrize("name", ["linear", "sigmoid", "tanh", "relu", "leaky_relu"])
def test_derivative_matches_finite_differences(name):
    act = activations.get(name)
    rng = np.random.default_rng(0)
    z = rng.uniform(-4, 4, size=200)
    z = z[np.abs(z) > 1e-3]          # relu-type kinks at 0 have no derivative
    np.testing.assert_allclose(act.derivative(z), central_difference(act, z), atol=1e-8)


def test_step_fires_at_zero_and_has_zero_slope():
    step = activations.get("step")
    np.testing.assert_array_equal(step(np.array([-1.0, -1e-12, 0.0, 2.0])), [0, 0, 1, 1])
    np.testing.assert_array_equal(step.derivative(np.array([-1.0, 0.5])), [0.0, 0.0])


def test_sigmoid_does_not_overflow():
    z = np.array([-1e4, -800.0, 0.0, 800.0, 1e4])
    with np.errstate(all="raise"):
        out = activations.sigmoid(z)
    np.testing.assert_allclose(out, [0.0, 0.0, 0.5, 1.0, 1.0])
    assert activations.sigmoid(-30.0) > 0          # tiny but still positive


def test_known_values():
    np.testing.assert_allclose(activations.sigmoid(np.log(3.0)), 0.75)
    np.testing.assert_allclose(activations.relu([-2.0, 3.0]), [0.0, 3.0])
    np.testing.assert_allclose(activations.leaky_relu([-2.0, 3.0]), [-0.02, 3.0])
    np.testing.assert_allclose(activations.leaky_relu([-2.0], alpha=0.5), [-1.0])
    np.testing.assert_allclose(activations.tanh(0.5), np.tanh(0.5))


def test_softmax_rows_are_probabilities_and_shift_invariant():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(5, 4))
    p = activations.softmax(z)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(activations.softmax(z + 1000.0), p)   # no overflow
    np.testing.assert_allclose(activations.softmax(z.T, axis=0), p.T)


def test_softmax_backward_is_the_jacobian_vector_product():
    rng = np.random.default_rng(2)
    z = rng.normal(size=(3, 4))
    g = rng.normal(size=(3, 4))                   # some upstream dL/da
    act = activations.get("softmax")
    analytic = act.backward(z, act(z), g)
    numeric = np.zeros_like(z)
    eps = 1e-6
    for idx in np.ndindex(z.shape):
        up, down = z.copy(), z.copy()
        up[idx] += eps
        down[idx] -= eps
        numeric[idx] = np.sum(g * (act(up) - act(down))) / (2 * eps)
    np.testing.assert_allclose(analytic, numeric, atol=1e-8)


@pytest.mark.parametrize("name", ELEMENTWISE + ["softmax"])
def test_get_accepts_names_case_insensitively_and_objects(name):
    act = activations.get(name.upper())
    assert act.name == name
    assert activations.get(act) is act


def test_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match="unknown activation 'sigmod'.*'sigmoid'"):
        activations.get("sigmod")
    with pytest.raises(TypeError, match="activation must be a name"):
        activations.get(3)
