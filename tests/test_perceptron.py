import numpy as np
import pytest

import nnlab
from nnlab import datasets
from nnlab.model_selection import train_test_split


@pytest.mark.parametrize("gate", ["and", "or", "nand", "nor"])
def test_learns_linearly_separable_gates(gate):
    X, y = datasets.logic_gate(gate)
    p = nnlab.Perceptron(2, seed=0).fit(X, y)
    assert p.converged_ and p.errors_[-1] == 0
    np.testing.assert_array_equal(p.predict(X), y)


def test_two_blob_example_reaches_full_accuracy():
    X, y = datasets.blobs(200, seed=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=42)
    p = nnlab.Perceptron(2, seed=0).fit(X_train, y_train, epochs=100)
    assert p.converged_
    assert p.score(X_test, y_test) == 1.0


def test_xor_never_converges():
    X, y = datasets.logic_gate("xor")
    p = nnlab.Perceptron(2, seed=0).fit(X, y, epochs=200)
    assert not p.converged_
    assert len(p.errors_) == 200 and min(p.errors_) > 0


def test_update_is_the_perceptron_rule():
    p = nnlab.Perceptron(2, learning_rate=0.5, seed=1)
    w, b = p.weights.copy(), p.bias
    x = np.array([1.0, 2.0])
    predicted = float(x @ w + b >= 0)
    target = 1.0 - predicted                       # force a mistake
    assert p.update(x, target) == 1
    np.testing.assert_allclose(p.weights, w + 0.5 * (target - predicted) * x)
    assert p.bias == pytest.approx(b + 0.5 * (target - predicted))
    assert p.update(x, target) in (0, 1)


def test_same_seed_same_training_and_reset():
    X, y = datasets.blobs(60, seed=3)
    a = nnlab.Perceptron(2, seed=5).fit(X, y)
    b = nnlab.Perceptron(2, seed=5).fit(X, y)
    np.testing.assert_array_equal(a.weights, b.weights)
    assert a.errors_ == b.errors_
    initial = nnlab.Perceptron(2, seed=5).weights
    np.testing.assert_array_equal(a.reset().weights, initial)


def test_bad_input():
    p = nnlab.Perceptron(2)
    with pytest.raises(ValueError, match="y must contain only the labels 0 and 1"):
        p.fit([[0, 0], [1, 1]], [0, 2])
    with pytest.raises(ValueError, match="X has 3 features but the model expects 2"):
        p.predict([[1, 2, 3]])
    with pytest.raises(ValueError, match="X and y must have the same number of samples"):
        p.fit([[0, 0], [1, 1]], [0, 1, 1])
    with pytest.raises(ValueError, match="learning_rate must be a positive"):
        nnlab.Perceptron(2, learning_rate=0)
    with pytest.raises(ValueError, match="epochs must be >= 0"):
        p.fit([[0, 0], [1, 1]], [0, 1], epochs=-1)


# ---------------------------------------------------------------- stepping
def test_partial_fit_is_one_epoch_of_the_rule_recorded_by_the_perceptron():
    X, y = datasets.blobs(40, seed=2)
    p = nnlab.Perceptron(2, learning_rate=0.7, seed=4)
    w, b = p.weights.copy(), p.bias
    mistakes = 0
    for x, target in zip(X, y):                  # the rule, by hand
        y_hat = float(x @ w + b >= 0)
        w, b = w + 0.7 * (target - y_hat) * x, b + 0.7 * (target - y_hat)
        mistakes += y_hat != target
    assert p.partial_fit(X, y) == mistakes
    np.testing.assert_allclose(p.weights, w)
    assert p.bias == pytest.approx(b)
    assert p.errors_ == [mistakes] and p.converged_ == (mistakes == 0)
    second = p.partial_fit(X, y)                 # continues from the current weights
    assert p.errors_ == [mistakes, second]


def test_learn_one_then_end_epoch_equals_partial_fit():
    X, y = datasets.logic_gate("or")
    stepped, whole = nnlab.Perceptron(2, seed=1), nnlab.Perceptron(2, seed=1)
    for _ in range(4):
        flags = [stepped.learn_one(x, target) for x, target in zip(X, y)]
        assert all(isinstance(f, bool) for f in flags)
        assert stepped.mistakes_this_epoch_ == sum(flags)
        assert stepped.end_epoch() == whole.partial_fit(X, y) == sum(flags)
        assert stepped.mistakes_this_epoch_ == 0
    assert stepped.errors_ == whole.errors_ and stepped.converged_ == whole.converged_
    np.testing.assert_array_equal(stepped.weights, whole.weights)
    with pytest.raises(RuntimeError, match="no sample was learned"):
        stepped.end_epoch()
    # an epoch begun one sample at a time is completed by partial_fit's samples
    stepped.learn_one(X[0], y[0])
    stepped.partial_fit(X[1:], y[1:])
    whole.partial_fit(X, y)
    assert stepped.errors_ == whole.errors_


def test_learn_one_and_learning_rate_check_their_input():
    p = nnlab.Perceptron(2, seed=0)
    with pytest.raises(ValueError, match="y must be the label 0 or 1, but got 2"):
        p.learn_one([0.0, 1.0], 2)
    with pytest.raises(ValueError, match="x has 3 features but the perceptron expects 2"):
        p.learn_one([0.0, 1.0, 2.0], 1)
    with pytest.raises(ValueError, match="learning_rate must be a positive finite number"):
        p.set_learning_rate(-1)
    assert p.set_learning_rate(0.25).learning_rate == 0.25
    with pytest.raises(AttributeError):
        p.learning_rate = 3.0                    # one way to change it: set_learning_rate
