import numpy as np
import pytest

from nnlab import metrics


def test_binary_accuracy_thresholds_at_one_half():
    y = np.array([0, 1, 1, 0])
    assert metrics.accuracy(y, np.array([0.2, 0.5, 0.9, 0.7])) == 0.75
    assert metrics.accuracy(y, np.array([[0.2], [0.5], [0.9], [0.1]])) == 1.0


def test_multiclass_accuracy_with_labels_or_one_hot():
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3]])
    assert metrics.accuracy(np.array([0, 2, 0]), p) == pytest.approx(2 / 3)
    assert metrics.accuracy(np.eye(3)[[0, 2, 1]], p) == 1.0


def test_mse_metric():
    assert metrics.mse([1.0, 2.0], [[1.0], [4.0]]) == 2.0
    with pytest.raises(ValueError, match="same number of samples"):
        metrics.mse([1.0, 2.0, 3.0], [1.0, 2.0])


# ---------------------------------------------------------------- accuracy is accuracy_score
# scikit-learn's accuracy_score is the reference; it is used only here, in the tests.
from sklearn.metrics import accuracy_score  # noqa: E402


def test_integer_labels_of_any_number_of_classes_are_compared_exactly():
    assert metrics.accuracy([0, 1, 2], [0, 1, 2]) == 1.0          # was 0.667 (thresholded)
    rng = np.random.default_rng(0)
    for n_classes in (2, 3, 10):
        y, p = rng.integers(0, n_classes, size=(2, 50))
        assert metrics.accuracy(y, p) == accuracy_score(y, p)
        assert metrics.accuracy(y.astype(float), p.astype(float)) == accuracy_score(y, p)
        assert metrics.accuracy(y.reshape(-1, 1), p.reshape(-1, 1)) == accuracy_score(y, p)


def test_what_students_write_for_several_classes():
    rng = np.random.default_rng(1)
    scores = rng.random((40, 4))
    y = rng.integers(0, 4, size=40)
    expected = accuracy_score(y, scores.argmax(1))
    assert metrics.accuracy(y, scores.argmax(1)) == expected
    assert metrics.accuracy(y, scores) == expected
    assert metrics.accuracy(np.eye(4)[y], scores) == expected
    assert metrics.accuracy(np.eye(4)[y], scores.argmax(1)) == expected


def test_probabilities_are_thresholded_like_sklearn_after_rounding():
    rng = np.random.default_rng(2)
    prob = rng.random(60)
    prob[:3] = [0.5, 0.49999, 0.50001]
    y = rng.integers(0, 2, size=60)
    expected = accuracy_score(y, (prob >= 0.5).astype(int))
    assert metrics.accuracy(y, prob) == expected
    assert metrics.accuracy(y.reshape(-1, 1), prob.reshape(-1, 1)) == expected


@pytest.mark.parametrize("y_true, y_pred, words", [
    (np.eye(3)[[0, 1, 2, 0]], np.random.default_rng(0).random((4, 2)), "3 columns"),
    ([0, 1, 3], np.random.default_rng(0).random((3, 3)), "label 3"),
    ([0, 1, 2], [0.2, 0.7, 0.9], "two classes"),
    (np.eye(3)[[0, 1]], [0.2, 0.7], "one-hot"),
    (np.eye(2)[[0, 1]], [0, 2], "outside 0..1"),
    ([0, 1], [0, 1, 1], "same number of samples"),
])
def test_mismatches_raise_naming_both_arguments(y_true, y_pred, words):
    with pytest.raises(ValueError, match=words) as error:
        metrics.accuracy(y_true, y_pred)
    assert "y_true" in str(error.value) and "y_pred" in str(error.value)


def test_y_true_must_hold_labels():
    with pytest.raises(ValueError, match="y_true must hold class labels"):
        metrics.accuracy([0.3, 1.0], [0.2, 0.9])
