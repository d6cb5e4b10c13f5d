import numpy as np
import pytest

from nnlab import datasets

GENERATORS = [datasets.circle, datasets.xor, datasets.gauss, datasets.spiral,
              datasets.three_class, datasets.plane, datasets.gauss_regression]


@pytest.mark.parametrize("make", GENERATORS)
def test_shapes_seeds_and_noise(make):
    X, y = make(n=101, seed=3)
    assert X.shape == (101, 2) and y.shape == (101,)
    assert X.dtype == np.float64 and np.isfinite(X).all() and np.isfinite(y).all()
    X2, y2 = make(n=101, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    Xn, yn = make(n=101, noise=0.3, seed=3)
    assert np.isfinite(Xn).all()
    assert not np.array_equal(make(n=101, noise=0.3, seed=4)[0], Xn)   # the seed matters
    with pytest.raises(ValueError, match="noise must be >= 0"):
        make(noise=-0.1)
    with pytest.raises(ValueError, match="n must be a positive integer"):
        make(n=0)


@pytest.mark.parametrize("make", [datasets.circle, datasets.xor, datasets.gauss,
                                  datasets.spiral])
def test_binary_sets_are_balanced_0_1_labels_on_the_playground_square(make):
    X, y = make(n=400, seed=0)
    assert set(np.unique(y)) == {0.0, 1.0}
    assert 0.3 < y.mean() < 0.7
    assert np.abs(X).max() <= 6.5


def test_clean_sets_follow_their_rules():
    X, y = datasets.circle(300, seed=1)
    np.testing.assert_array_equal(y, np.hypot(X[:, 0], X[:, 1]) < 2.5)
    X, y = datasets.xor(300, seed=1)
    np.testing.assert_array_equal(y, X[:, 0] * X[:, 1] >= 0)
    X, y = datasets.plane(50, seed=1)
    np.testing.assert_allclose(y, X.sum(axis=1) / 10)
    X, y = datasets.gauss_regression(500, seed=1)
    assert y.min() >= -1 and y.max() <= 1 and (y > 0.5).any() and (y < -0.5).any()


def test_three_class_labels():
    _, y = datasets.three_class(90, seed=0)
    np.testing.assert_array_equal(np.bincount(y.astype(int)), [30, 30, 30])


def test_blobs_is_the_seed_example():
    X, y = datasets.blobs(200, seed=0)
    assert X.shape == (200, 2) and y[:100].sum() == 0 and y[100:].sum() == 100
    np.testing.assert_allclose(X[:100].mean(axis=0), [10, 10], atol=0.3)
    np.testing.assert_allclose(X[100:].mean(axis=0), [0, 0], atol=0.3)


def test_logic_gates():
    X, y = datasets.logic_gate("NAND")
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, [1, 1, 1, 0])
    with pytest.raises(ValueError, match="unknown gate 'nxor'"):
        datasets.logic_gate("nxor")


def test_iris_ships_with_the_package():
    X, y, features, classes = datasets.iris()
    assert X.shape == (150, 4) and y.shape == (150,)
    assert np.bincount(y).tolist() == [50, 50, 50]
    assert features == ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    assert classes == ["setosa", "versicolor", "virginica"]
    np.testing.assert_allclose(X[0], [5.1, 3.5, 1.4, 0.2])


def test_features():
    X = np.array([[1.0, 2.0], [-0.5, 3.0]])
    F = datasets.features(X, ["x1", "x2^2", "x1*x2", "sin(x1)"])
    np.testing.assert_allclose(F, [[1, 4, 2, np.sin(1)], [-0.5, 9, -1.5, np.sin(-0.5)]])
    with pytest.raises(ValueError, match="unknown feature 'cos'"):
        datasets.features(X, ["cos"])
    with pytest.raises(ValueError, match="X has 3 features but the model expects 2"):
        datasets.features(np.ones((2, 3)))


def test_the_grid_lists_rows_of_the_plane_bottom_up():
    xs, ys, points = datasets.grid((-1.0, 1.0), (0.0, 4.0), 3)
    assert xs.tolist() == [-1.0, 0.0, 1.0] and ys.tolist() == [0.0, 2.0, 4.0]
    image = points[:, 1].reshape(3, 3)              # y of each pixel: rows go up in y
    assert image[:, 0].tolist() == [0.0, 2.0, 4.0] and points[:, 0].reshape(3, 3)[0].tolist() \
        == [-1.0, 0.0, 1.0]


def test_every_generated_set_is_registered_with_its_problem():
    for name, (problem, make) in datasets.GENERATED.items():
        X, y = make(n=40, noise=0.1, seed=0)
        assert X.shape == (40, 2) and y.shape == (40,)
        is_classes = bool(np.all(y == np.round(y)))
        assert (problem == "classification") == is_classes, name
