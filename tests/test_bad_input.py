"""Bad input raises ValueError/TypeError whose message names the argument."""

import numpy as np
import pytest

import nnlab
from nnlab import optimizers


@pytest.fixture
def model():
    return nnlab.MLP([2, 3, 1], seed=0).compile()


@pytest.fixture
def softmax_model():
    m = nnlab.MLP([2, 3, 3], output_activation="softmax", seed=0)
    return m.compile(loss="categorical_crossentropy")


X = np.zeros((4, 2))
Y = np.array([0.0, 1.0, 1.0, 0.0])


@pytest.mark.parametrize("call", ["fit", "evaluate", "loss_and_gradients"])
def test_feature_count_mismatch(model, call):
    with pytest.raises(ValueError, match="X has 3 features but the model expects 2"):
        getattr(model, call)(np.zeros((4, 3)), Y)


def test_predict_and_forward_check_X(model):
    with pytest.raises(ValueError, match="X has 5 features but the model expects 2"):
        model.predict(np.zeros((1, 5)))
    with pytest.raises(ValueError, match=r"X must be 2-D.*reshape"):
        model.forward(np.zeros(2))
    with pytest.raises(ValueError, match=r"X must be 2-D .*shape \(2, 2, 2\)"):
        model.predict(np.zeros((2, 2, 2)))
    with pytest.raises(TypeError, match="X must be an array of numbers"):
        model.predict([["a", "b"]])


def test_length_mismatch(model):
    with pytest.raises(ValueError, match="X and y must have the same number of samples, "
                                         "but X has 4 and y has 3"):
        model.fit(X, Y[:3])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_and_inf(model, bad):
    Xb = X.copy()
    Xb[1, 0] = bad
    with pytest.raises(ValueError, match="X contains 1 NaN or infinite"):
        model.fit(Xb, Y)
    Yb = Y.copy()
    Yb[2] = bad
    with pytest.raises(ValueError, match="y contains 1 NaN or infinite"):
        model.fit(X, Yb)


def test_bce_targets_outside_0_1(model):
    with pytest.raises(ValueError, match=r"y must lie in \[0, 1\] for binary_crossentropy, "
                                         "but its values range from -1 to 1"):
        model.fit(X, [-1.0, 1.0, 0.0, 1.0])


def test_class_labels_out_of_range(softmax_model):
    with pytest.raises(ValueError, match=r"y holds class label\(s\) \[3\] outside the "
                                         r"model's range 0..2"):
        softmax_model.fit(X, [0, 1, 2, 3])
    with pytest.raises(ValueError, match="y must hold integer class labels"):
        softmax_model.fit(X, [0, 1.5, 2, 1])
    with pytest.raises(ValueError, match="y_val holds class label"):
        softmax_model.fit(X, [0, 1, 2, 1], validation_data=(X, [0, 1, 2, -1]))


@pytest.mark.parametrize("kwargs, message", [
    ({"epochs": -1}, "epochs must be >= 0, but got -1"),
    ({"epochs": 1.5}, "epochs must be a non-negative integer"),
    ({"batch_size": 0}, "batch_size must be a positive integer, but got 0"),
    ({"batch_size": -4}, "batch_size must be a positive integer, but got -4"),
    ({"accumulation_steps": 0}, "accumulation_steps must be a positive integer"),
    ({"seed": "abc"}, "seed must be None, an int or a numpy.random.Generator"),
    ({"validation_data": (X,)}, "validation_data must be a pair"),
])
def test_bad_fit_arguments(model, kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        model.fit(X, Y, **kwargs)


def test_zero_epochs_is_allowed_and_changes_nothing(model):
    before = model.get_weights()
    history = model.fit(X, Y, epochs=0)
    assert history.epoch == []
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("lr", [0.0, -0.01])
def test_non_positive_learning_rate(lr):
    with pytest.raises(ValueError, match="learning_rate must be a positive"):
        optimizers.SGD(learning_rate=lr)
    with pytest.raises(ValueError, match="learning_rate must be a positive"):
        nnlab.Perceptron(2, learning_rate=lr)


def test_unknown_names_list_the_valid_ones():
    with pytest.raises(ValueError, match="unknown activation 'sigmoidal'; valid names are"):
        nnlab.MLP([2, 1], activation="sigmoidal")
    m = nnlab.MLP([2, 1])
    with pytest.raises(ValueError, match="unknown loss 'crossentropy'; valid names are"):
        m.compile(loss="crossentropy")
    with pytest.raises(ValueError, match="unknown optimizer 'adamw'; valid names are"):
        m.compile(optimizer="adamw")
    with pytest.raises(ValueError, match="unknown metric 'f1'; valid names are"):
        m.compile(metrics=["f1"])


@pytest.mark.parametrize("sizes, error, message", [
    ([2], ValueError, "layer_sizes must list at least the number of inputs and of outputs"),
    ([], ValueError, "layer_sizes must list at least"),
    ([2, 0, 1], ValueError, r"layer_sizes\[1\] must be a positive integer, but got 0"),
    ([2, -3, 1], ValueError, r"layer_sizes\[1\] must be a positive integer"),
    ([2, 2.5, 1], TypeError, r"layer_sizes\[1\] must be a positive integer"),
    (5, TypeError, "layer_sizes must be a list of ints"),
])
def test_bad_layer_sizes(sizes, error, message):
    with pytest.raises(error, match=message):
        nnlab.MLP(sizes)


def test_bad_regularization():
    with pytest.raises(ValueError, match="l2 must be >= 0"):
        nnlab.MLP([2, 1], l2=-0.1)


def test_backward_before_forward():
    m = nnlab.MLP([2, 1]).compile()
    with pytest.raises(RuntimeError, match="call model.forward"):
        m.backward([1.0])
