import numpy as np
import pytest

import nnlab
from nnlab import datasets, optimizers
from nnlab.model_selection import cross_validate, kfold, train_test_split


def test_train_test_split_partitions_the_data():
    X = np.arange(40).reshape(20, 2)
    y = np.arange(20)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=0)
    assert len(X_test) == 5 and len(X_train) == 15
    assert sorted(np.concatenate([y_train, y_test])) == list(range(20))
    np.testing.assert_array_equal(X_train[:, 0] // 2, y_train)       # rows stay together
    again = train_test_split(X, y, test_size=0.25, seed=0)
    np.testing.assert_array_equal(again[3], y_test)
    assert len(train_test_split(X, y, test_size=3)[1]) == 3


@pytest.mark.parametrize("test_size", [0, 1.0, 1.5, 20, -2])
def test_bad_test_size(test_size):
    with pytest.raises(ValueError, match="test_size"):
        train_test_split(np.zeros((20, 2)), np.zeros(20), test_size=test_size)


def test_kfold_covers_every_index_once():
    folds = list(kfold(23, k=5, seed=0))
    assert len(folds) == 5
    tests = np.concatenate([test for _, test in folds])
    assert sorted(tests) == list(range(23))
    for train, test in folds:
        assert len(np.intersect1d(train, test)) == 0 and len(train) + len(test) == 23
        assert len(test) in (4, 5)
    with pytest.raises(ValueError, match="k must be between 2 and n_samples=3"):
        list(kfold(3, k=4))


def test_cross_validate_returns_k_scores():
    X, y, _, _ = datasets.iris()
    X = (X - X.mean(axis=0)) / X.std(axis=0)

    def build():
        m = nnlab.MLP([4, 8, 3], output_activation="softmax", seed=0)
        return m.compile(loss="categorical_crossentropy", optimizer=optimizers.Adam(0.02))

    result = cross_validate(build, X, y, k=4, fit_kwargs={"epochs": 60, "batch_size": 16},
                            seed=0)
    assert set(result) == {"scores", "mean", "std"}
    assert result["scores"]["accuracy"].shape == (4,)
    assert result["mean"]["accuracy"] == pytest.approx(result["scores"]["accuracy"].mean())
    assert result["std"]["loss"] == pytest.approx(result["scores"]["loss"].std())
    assert result["mean"]["accuracy"] > 0.85
    with pytest.raises(TypeError, match="build_model must be a function"):
        cross_validate(None, X, y)
