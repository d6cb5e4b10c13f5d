"""nnlab.conditioning: the quadratic loss of a linear neuron, checked against finite
differences, scikit-learn's least squares and the hand-derived curvatures 2 mean(x_j**2)."""

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression

from nnlab.conditioning import QuadraticLoss, scaled_data, standardize


@pytest.fixture(scope="module")
def raw():
    X, y = scaled_data(n=60, scales=(1.0, 10.0), seed=3)
    return QuadraticLoss(X, y)


def direct_loss(X, y, w):
    return float(np.mean((X @ w - y) ** 2))


def test_the_loss_is_the_mean_squared_error(raw):
    rng = np.random.default_rng(0)
    for w in rng.normal(size=(5, 2)):
        assert raw(w) == pytest.approx(direct_loss(raw.X, raw.y, w), rel=1e-12)
    many = rng.normal(size=(3, 4, 2))                  # many settings at once
    expected = [[direct_loss(raw.X, raw.y, w) for w in row] for row in many]
    np.testing.assert_allclose(raw(many), expected, rtol=1e-12)


def test_gradient_and_hessian_match_finite_differences(raw):
    w, eps = np.array([0.3, -0.7]), 1e-5
    unit = np.eye(2)
    numeric = [(raw(w + eps * e) - raw(w - eps * e)) / (2 * eps) for e in unit]
    np.testing.assert_allclose(raw.gradient(w), numeric, rtol=1e-6)
    h = 1e-3                         # second differences of a quadratic are exact up to rounding
    second = [[(raw(w + h * a + h * b) - raw(w + h * a - h * b) - raw(w - h * a + h * b)
                + raw(w - h * a - h * b)) / (4 * h * h) for b in unit] for a in unit]
    np.testing.assert_allclose(raw.hessian, second, rtol=1e-5, atol=1e-6)


def test_curvature_along_each_axis_is_two_mean_square_of_its_input(raw):
    # uncorrelated inputs of standard deviations 1 and 10: H = diag(2 * 1, 2 * 100)
    np.testing.assert_allclose(raw.eigenvalues, [2.0, 200.0], rtol=1e-12)
    np.testing.assert_allclose(np.diag(raw.hessian), 2 * np.mean(raw.X ** 2, axis=0))
    assert raw.max_stable_rate == pytest.approx(0.01)
    assert raw.condition_number == pytest.approx(100.0)


def test_the_minimum_is_least_squares(raw):
    reference = LinearRegression(fit_intercept=False).fit(raw.X, raw.y)
    np.testing.assert_allclose(raw.minimum, reference.coef_, rtol=1e-10)
    assert raw.min_loss == pytest.approx(direct_loss(raw.X, raw.y, reference.coef_))
    np.testing.assert_allclose(raw.gradient(raw.minimum), 0.0, atol=1e-12)


def test_two_over_lambda_max_separates_convergence_from_divergence(raw):
    start = np.array([-1.0, 0.5])
    below = raw.path(start, 0.99 * raw.max_stable_rate, steps=3000)
    assert len(below) == 3001
    assert np.linalg.norm(below[-1] - raw.minimum) < 1e-6
    above = raw.path(start, 1.02 * raw.max_stable_rate, steps=3000)
    assert len(above) < 3001                          # stopped when it flew off
    assert np.isfinite(above).all()
    assert raw.converges(0.99 * raw.max_stable_rate)
    assert not raw.converges(1.02 * raw.max_stable_rate)


def test_the_path_zigzags_across_the_valley_above_one_over_lambda_max(raw):
    steep = raw.eigenvectors[:, -1]                    # the w2 direction
    for rate, zigzag in ((0.7 / 200, False), (1.8 / 200, True)):
        path = raw.path([-1.0, 0.5], rate, steps=10)
        across = (path - raw.minimum) @ steep
        flips = np.sign(across[1:]) != np.sign(across[:-1])
        assert flips.all() == zigzag and flips.any() == zigzag


def test_the_path_follows_the_update_rule(raw):
    path = raw.path([0.0, 0.0], 0.004, steps=3)
    w = np.zeros(2)
    for point in path[1:]:
        w = w - 0.004 * 2 * raw.X.T @ (raw.X @ w - raw.y) / len(raw.y)
        np.testing.assert_allclose(point, w, rtol=1e-12)
    assert raw.path([0.0, 0.0], 0.004, steps=0).shape == (1, 2)


def test_standardising_makes_the_valley_round(raw):
    X_std, mean, std = standardize(raw.X + [5.0, -30.0])
    np.testing.assert_allclose(X_std.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(X_std.std(axis=0), 1.0)
    np.testing.assert_allclose(mean, [5.0, -30.0], atol=1e-12)
    np.testing.assert_allclose(std, [1.0, 10.0])
    bowl = QuadraticLoss(X_std, raw.y)
    assert bowl.condition_number == pytest.approx(1.0)
    assert bowl.max_stable_rate == pytest.approx(1.0)
    # the same neuron: weights on standardised inputs are the raw weights times std
    np.testing.assert_allclose(bowl.minimum, raw.minimum * std, rtol=1e-10)


def test_contraction_is_the_worst_axis_factor(raw):
    assert raw.contraction(0.001) == pytest.approx(1 - 0.001 * 2)
    assert raw.contraction(0.015) == pytest.approx(0.015 * 200 - 1)


def test_grid_rows_are_w2(raw):
    grid = raw.grid([0.0, 1.0, 2.0], [-1.0, 1.0])
    assert grid.shape == (2, 3)
    assert grid[1, 2] == pytest.approx(direct_loss(raw.X, raw.y, np.array([2.0, 1.0])))


@pytest.mark.parametrize("call, match", [
    (lambda q: q.path([0.0, 0.0], 0.0), "learning_rate must be a positive"),
    (lambda q: q.path([0.0, 0.0], 0.01, steps=-1), "steps must be >= 0"),
    (lambda q: q.path([0.0, 0.0, 0.0], 0.01), "w0 must end in 2 weights"),
    (lambda q: q.path([np.nan, 0.0], 0.01), "w0 must not contain NaN"),
    (lambda q: q([1.0]), "w must end in 2 weights"),
])
def test_bad_arguments_are_named(raw, call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call(raw)


def test_bad_data_is_named():
    with pytest.raises(ValueError, match="X must vary in every column"):
        standardize([[1.0, 2.0], [1.0, 3.0]])
    with pytest.raises(ValueError, match="linearly independent"):
        QuadraticLoss([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="y must be a 1-D"):
        QuadraticLoss([[1.0, 0.0], [0.0, 1.0]], [[1.0], [2.0]])
    with pytest.raises(ValueError, match="same number of samples"):
        QuadraticLoss([[1.0, 0.0], [0.0, 1.0]], [1.0])
    with pytest.raises(ValueError, match="scales must all be positive"):
        scaled_data(scales=(1.0, 0.0))


def test_a_contour_is_an_ellipse_at_its_level(raw):
    for level in (raw.min_loss + 0.01, raw.min_loss + 3.0):
        ring = raw.contour(level, n_points=50)
        np.testing.assert_allclose(raw(ring), level, rtol=1e-12)
        np.testing.assert_allclose(ring[0], ring[-1])
    # long along the flat axis w1, short along the steep w2: ratio sqrt(200 / 2) = 10
    ring = raw.contour(raw.min_loss + 1.0)
    spans = np.ptp(ring, axis=0)
    assert spans[0] / spans[1] == pytest.approx(10.0, rel=1e-3)
    assert raw.contour(raw.min_loss - 1.0).shape == (0, 2)
