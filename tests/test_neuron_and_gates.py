import numpy as np
import pytest

import nnlab
from nnlab import datasets, gates


def test_or_neuron_from_the_seed():
    """h = -1 + x1 + x2 with g(0) = 1 gives OR."""
    neuron = nnlab.Neuron([1, 1], bias=-1, activation="step")
    X, _ = gates.truth_table("or")
    np.testing.assert_array_equal(neuron.weighted_sum(X), [-1, 0, 0, 1])
    np.testing.assert_array_equal(neuron(X), [0, 1, 1, 1])
    assert neuron([1, 0]) == 1.0 and isinstance(neuron([1, 0]), float)


@pytest.mark.parametrize("name", ["AND", "OR", "NAND", "NOR", "XOR"])
def test_gates_match_their_truth_tables(name):
    X, y = gates.truth_table(gates.GATES[name])
    X_ref, y_ref = datasets.logic_gate(name)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)


def test_xor_is_two_layers_of_gates():
    assert len(gates.XOR.layers) == 2
    hidden = gates.XOR.hidden(gates.INPUTS)[0]
    np.testing.assert_array_equal(hidden[:, 0], gates.OR(gates.INPUTS))
    np.testing.assert_array_equal(hidden[:, 1], gates.NAND(gates.INPUTS))
    assert gates.XOR([1, 0]) == 1.0 and gates.XOR([1, 1]) == 0.0


def test_no_single_step_neuron_computes_xor():
    """A brute-force search over a grid of weights never finds XOR."""
    X, y = datasets.logic_gate("xor")
    grid = np.linspace(-3, 3, 25)
    for w1 in grid:
        for w2 in grid:
            for b in grid:
                assert not np.array_equal(nnlab.Neuron([w1, w2], b)(X), y)


def test_gate_names_are_case_insensitive():
    assert gates.get("nAnD") is gates.NAND
    with pytest.raises(ValueError, match="unknown gate 'xand'"):
        gates.get("xand")


def test_neuron_with_linear_activation_is_linear_regression():
    neuron = nnlab.Neuron([2.0, -1.0], bias=0.5, activation="linear")
    X = np.array([[1.0, 1.0], [0.0, 3.0]])
    np.testing.assert_allclose(neuron(X), X @ [2.0, -1.0] + 0.5)


def test_neuron_rejects_bad_input():
    neuron = nnlab.Neuron([1.0, 1.0])
    with pytest.raises(ValueError, match="X has 3 features but the neuron expects 2"):
        neuron([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="X contains 1 NaN"):
        neuron([np.nan, 1.0])
    with pytest.raises(ValueError, match="bias must be a single number"):
        nnlab.Neuron([1.0], bias=[1.0, 2.0])
    with pytest.raises(ValueError, match="weights must be a 1-D array"):
        nnlab.Neuron([[1.0, 2.0]])


def test_the_gates_cannot_be_changed_so_xor_cannot_be_broken():
    X, y = gates.truth_table("xor")
    with pytest.raises(ValueError, match="read-only"):
        gates.OR.weights[0] = -5
    with pytest.raises(AttributeError, match="gates.OR cannot be changed"):
        gates.OR.bias = 3.0
    with pytest.raises(AttributeError, match="gates.NAND cannot be changed"):
        gates.NAND.weights = np.array([5.0, 5.0])
    with pytest.raises(AttributeError, match="gates.XOR cannot be changed"):
        gates.XOR.layers = ()
    with pytest.raises(TypeError):
        gates.XOR.layers[0] = (gates.AND, gates.AND)
    with pytest.raises(TypeError):
        gates.GATES["OR"] = gates.AND
    with pytest.raises(ValueError, match="read-only"):
        gates.INPUTS[0, 0] = 1.0
    np.testing.assert_array_equal(gates.XOR(X), y)
    np.testing.assert_array_equal(y, [0, 1, 1, 0])


def test_a_neuron_made_from_a_gate_is_free_to_change():
    mine = nnlab.Neuron(gates.OR.weights, gates.OR.bias)
    mine.weights[0] = -5.0
    mine.bias = 2.0
    np.testing.assert_array_equal(gates.OR.weights, [1.0, 1.0])
    np.testing.assert_array_equal(gates.truth_table("or")[1], [0, 1, 1, 1])
    network = gates.GateNetwork([[gates.OR, gates.NAND], [gates.AND]])
    network.layers = ((gates.NOR,),)            # the user's own network can be rewired
