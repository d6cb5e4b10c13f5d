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
