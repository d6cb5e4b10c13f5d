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


# ---------------------------------------------------------------- stratified splits
# scikit-learn is the reference for the class counts per fold (used only in the tests).
from sklearn.model_selection import StratifiedKFold  # noqa: E402


def test_stratified_split_keeps_the_rare_class_in_the_test_set():
    """18 negatives and 2 positives, test_size 0.25: without stratification most seeds leave no
    positive in the test set; with it, every seed keeps 1 (2 * 5 / 20 = 0.5, rounded up because
    it ties with the negatives' 4.5 and is the rarer class)."""
    X = np.arange(40).reshape(20, 2)
    y = np.array([0] * 18 + [1] * 2)
    for seed in range(30):
        X_train, X_test, y_train, y_test = train_test_split(X, y, seed=seed, stratify=y)
        assert (len(y_test), int(y_test.sum()), int(y_train.sum())) == (5, 1, 1)
        np.testing.assert_array_equal(y[X_test[:, 0] // 2], y_test)        # rows stay together
        assert sorted(np.concatenate([X_train[:, 0], X_test[:, 0]])) == list(range(0, 40, 2))


@pytest.mark.parametrize("counts, test_size", [((50, 30, 20), 0.3), ((7, 5, 3, 1), 0.25),
                                               ((100, 3), 0.2), ((9, 9), 5)])
def test_stratified_split_gives_each_class_its_share(counts, test_size):
    y = np.repeat(np.arange(len(counts)), counts)
    X = np.arange(len(y)).reshape(-1, 1)
    n_test = test_size if isinstance(test_size, int) else int(np.ceil(test_size * len(y)))
    _, X_test, _, y_test = train_test_split(X, y, test_size=test_size, seed=1, stratify=y)
    assert len(y_test) == n_test
    np.testing.assert_array_equal(y[X_test[:, 0]], y_test)
    got = np.bincount(y_test, minlength=len(counts))
    exact = n_test * np.array(counts) / len(y)
    assert np.all(np.abs(got - exact) < 1), (got, exact)     # rounded to a neighbour
    # the one-hot form of the labels gives the same split
    one_hot = train_test_split(X, y, test_size=test_size, seed=1, stratify=np.eye(len(counts))[y])
    np.testing.assert_array_equal(one_hot[3], y_test)


@pytest.mark.parametrize("counts, k", [((18, 2), 5), ((50, 30, 20), 4), ((7, 5, 3, 1), 3),
                                       ((10, 10, 10), 10), ((13, 6, 4), 5)])
@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.filterwarnings("ignore:The least populated class:UserWarning")
def test_stratified_kfold_matches_sklearn_class_counts(counts, k, shuffle):
    rng = np.random.default_rng(0)
    y = rng.permutation(np.repeat(np.arange(len(counts)), counts))
    ours = list(kfold(len(y), k=k, shuffle=shuffle, seed=3, stratify=y))
    reference = StratifiedKFold(n_splits=k, shuffle=shuffle,
                                random_state=3 if shuffle else None).split(np.zeros(len(y)), y)
    for (train, test), (_, ref_test) in zip(ours, reference, strict=True):
        np.testing.assert_array_equal(np.bincount(y[test], minlength=len(counts)),
                                      np.bincount(y[ref_test], minlength=len(counts)))
        assert len(np.intersect1d(train, test)) == 0 and len(train) + len(test) == len(y)
    assert sorted(np.concatenate([test for _, test in ours])) == list(range(len(y)))


def test_stratify_must_hold_one_label_per_sample():
    with pytest.raises(ValueError, match=r"stratify must hold one class label per sample \(4\)"):
        list(kfold(4, k=2, stratify=[0, 1, 0]))
    with pytest.raises(ValueError, match="stratify"):
        train_test_split(np.zeros((4, 1)), np.zeros(4), test_size=2, stratify=[0, 1])


def test_cross_validate_can_stratify_its_folds():
    # 18 samples of class 0 and 2 of class 1 in 2 folds: stratified, each test fold holds one
    # sample of class 1 (StratifiedKFold's counts, checked above for kfold itself).
    X = np.arange(20.0).reshape(-1, 1)
    y = np.array([0] * 18 + [1] * 2)
    seen = []

    class Recorder:
        def fit(self, X, y, **kwargs):
            return self

        def evaluate(self, X, y):
            seen.append(int(y.sum()))
            return {"positives": float(y.sum())}

    cross_validate(Recorder, X, y, k=2, seed=3, stratify=y)
    assert seen == [1, 1]
