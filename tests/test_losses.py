"""Losses: values, gradients against finite differences, target checks."""

import numpy as np
import pytest

import nnlab
from nnlab import activations, losses


def numeric_gradient(loss, y, p, eps=1e-6):
    g = np.zeros_like(p)
    for idx in np.ndindex(p.shape):
        up, down = p.copy(), p.copy()
        up[idx] += eps
        down[idx] -= eps
        g[idx] = (loss(y, up) - loss(y, down)) / (2 * eps)
    return g


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def test_mse_value_and_gradient(rng):
    y, p = rng.normal(size=(6, 2)), rng.normal(size=(6, 2))
    assert losses.mse(y, p) == pytest.approx(np.mean((p - y) ** 2))
    np.testing.assert_allclose(losses.mse.gradient(y, p), numeric_gradient(losses.mse, y, p),
                               atol=1e-8)


def test_bce_value_and_gradient(rng):
    y = rng.integers(0, 2, size=(8, 1)).astype(float)
    p = rng.uniform(0.05, 0.95, size=(8, 1))
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert losses.binary_crossentropy(y, p) == pytest.approx(expected)
    bce = losses.binary_crossentropy
    np.testing.assert_allclose(bce.gradient(y, p), numeric_gradient(bce, y, p), atol=1e-7)


def test_bce_accepts_1d_and_clips_certain_mistakes():
    y = np.array([1.0, 0.0])
    assert losses.binary_crossentropy(y, np.array([0.0, 1.0])) == pytest.approx(-np.log(1e-7))
    assert losses.binary_crossentropy(y, np.array([1.0, 0.0])) < 1e-6
    assert losses.binary_crossentropy.gradient(y, np.array([0.3, 0.6])).shape == (2,)


def test_cce_with_labels_equals_cce_with_one_hot(rng):
    labels = np.array([0, 2, 1, 2])
    one_hot = np.eye(3)[labels]
    p = rng.dirichlet(5 * np.ones(3), size=4)      # well inside (0, 1)
    cce = losses.categorical_crossentropy
    expected = -np.mean(np.log(p[np.arange(4), labels]))
    assert cce(labels, p) == pytest.approx(expected)
    assert cce(one_hot, p) == pytest.approx(expected)
    np.testing.assert_allclose(cce.gradient(labels, p), numeric_gradient(cce, one_hot, p),
                               atol=1e-6)


def test_softmax_plus_cce_gradient_is_p_minus_y(rng):
    """The Jacobian of softmax times the CCE gradient collapses to (p - y) / N."""
    from nnlab.activations import get

    z = rng.normal(size=(5, 3))
    y = np.eye(3)[rng.integers(0, 3, size=5)]
    softmax = get("softmax")
    p = softmax(z)
    chained = softmax.backward(z, p, losses.categorical_crossentropy.gradient(y, p))
    np.testing.assert_allclose(chained, (p - y) / 5, atol=1e-12)

    def loss_of_z(zz):
        return losses.categorical_crossentropy(y, softmax(zz))

    np.testing.assert_allclose(chained, numeric_gradient(lambda _, zz: loss_of_z(zz), y, z),
                               atol=1e-8)


def test_bad_targets_are_named():
    p = np.full((3, 1), 0.5)
    with pytest.raises(ValueError, match=r"y_true must lie in \[0, 1\].*binary_crossentropy"):
        losses.binary_crossentropy(np.array([0.0, 2.0, 1.0]), p)
    with pytest.raises(ValueError, match=r"class label\(s\) \[3\] outside the model's range 0..2"):
        losses.categorical_crossentropy(np.array([0, 3, 1]), np.full((3, 3), 1 / 3))
    with pytest.raises(ValueError, match="y_true contains 1 NaN"):
        losses.mse(np.array([0.0, np.nan, 1.0]), p)
    with pytest.raises(ValueError, match="y_true and y_pred must have the same number"):
        losses.mse(np.zeros(4), p)


def test_get():
    assert losses.get("MSE") is losses.mse
    with pytest.raises(ValueError, match="valid names are: 'mse', 'binary_crossentropy'"):
        losses.get("hinge")


# ---------------------------------------------------------------- categorical cross-entropy targets
@pytest.mark.parametrize("y, row", [
    (np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 0.0]]), 0),          # two classes at once
    (np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]), 1),          # no class
    (np.array([[0.0, 1.0, 0.0], [0.5, 0.2, 0.2]]), 1),          # probabilities summing to 0.9
])
def test_cce_targets_whose_rows_do_not_sum_to_one_are_refused(y, row):
    p = np.full((2, 3), 1 / 3)
    with pytest.raises(ValueError, match=f"row {row} sums to"):
        losses.categorical_crossentropy(y, p)
    model = nnlab.MLP([2, 3], output_activation="softmax", seed=0)
    model.compile(loss="categorical_crossentropy")
    with pytest.raises(ValueError, match=f"y must hold integer class labels, one-hot rows or "
                                         f"rows of probabilities that sum to 1.*row {row}"):
        model.loss_and_gradients(np.zeros((2, 2)), y)


def test_smoothed_labels_are_accepted_and_their_gradients_are_right():
    """Rows summing to 1 (label smoothing): the softmax shortcut a - y is then exact."""
    from nnlab.gradcheck import gradcheck
    rng = np.random.default_rng(3)
    y = np.eye(3)[rng.integers(0, 3, size=6)] * 0.9 + 0.1 / 3
    model = nnlab.MLP([2, 4, 3], output_activation="softmax", seed=1)
    model.compile(loss="categorical_crossentropy")
    assert gradcheck(model, rng.normal(size=(6, 2)), y) < 1e-7


def test_the_loss_checks_the_shortcut_precondition_itself():
    softmax = activations.get("softmax")
    z = np.zeros((1, 3))
    with pytest.raises(ValueError, match="sums to 2"):
        losses.categorical_crossentropy.output_delta(np.array([[1.0, 1.0, 0.0]]), z, softmax(z),
                                                     softmax)
