"""nnlab.hidden_space: the hidden layer's picture of the plane, checked against the layer's
formula written out by hand, the model's own predictions and geometry done by hand."""

import numpy as np
import pytest

from nnlab import MLP, datasets
from nnlab.hidden_space import (
    grid_lines,
    hidden_image,
    output_boundary,
    plane_in_box,
    projection,
    separated,
)


def test_grid_lines_cover_the_box():
    lines = grid_lines((-0.5, 1.5), (0.0, 2.0), n_lines=5, n_points=11)
    assert lines.shape == (10, 11, 2)
    np.testing.assert_allclose(lines[:5, :, 0].min(axis=1), np.linspace(-0.5, 1.5, 5))
    np.testing.assert_allclose(np.ptp(lines[:5, :, 0], axis=1), 0.0)      # x1 constant
    np.testing.assert_allclose(np.ptp(lines[5:, :, 1], axis=1), 0.0)      # x2 constant
    np.testing.assert_allclose(lines[5:, [0, -1], 0], [[-0.5, 1.5]] * 5)
    with pytest.raises(ValueError, match="xlim must be"):
        grid_lines((1, 0), (0, 1))
    with pytest.raises(ValueError, match="at least 2"):
        grid_lines((0, 1), (0, 1), n_lines=1)


def test_hidden_image_is_the_hidden_layer_formula():
    model = MLP([2, 3, 1], activation="tanh", output_activation="sigmoid", seed=4)
    W1, b1, _, _ = model.get_weights()
    points = np.random.default_rng(0).normal(size=(4, 5, 2))
    expected = np.tanh(points @ W1 + b1)
    np.testing.assert_allclose(hidden_image(model, points), expected, rtol=1e-12)
    with pytest.raises(ValueError, match="points must end in 2 coordinates"):
        hidden_image(model, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="one hidden layer"):
        hidden_image(MLP([2, 3, 3, 1]), np.zeros((1, 2)))


def test_the_output_line_in_hidden_space_is_where_the_output_crosses_one_half():
    model = MLP([2, 2, 1], activation="tanh", output_activation="sigmoid", seed=1)
    X = np.random.default_rng(1).uniform(-2, 2, size=(300, 2))
    weights, bias = output_boundary(model)
    side = hidden_image(model, X) @ weights + bias >= 0
    np.testing.assert_array_equal(side, model.predict(X)[:, 0] >= 0.5)


def test_training_makes_xor_separable_in_hidden_space():
    X, y = datasets.logic_gate("xor")
    model = MLP([2, 2, 1], activation="tanh", output_activation="sigmoid", seed=0)
    model.compile("binary_crossentropy", "sgd")
    model.optimizer.learning_rate = 1.0
    seen = []
    for _ in range(40):
        model.fit(X, y, epochs=5)
        accuracy = model.evaluate(X, y)["accuracy"]
        seen.append(separated(model, X, y))
        assert seen[-1] == (accuracy == 1.0)        # separable = every point classified right
    assert not seen[0] and seen[-1]
    h = hidden_image(model, X)
    # the line splits the hidden points, though no line splits XOR's inputs
    weights, bias = output_boundary(model)
    assert ((h @ weights + bias >= 0) == (y == 1)).all()


def test_separated_checks_its_data():
    model = MLP([2, 2, 1], seed=0)
    with pytest.raises(ValueError, match="labels 0 and 1"):
        separated(model, np.zeros((2, 2)), [0, 2])
    with pytest.raises(ValueError, match="same number of samples"):
        separated(model, np.zeros((2, 2)), [0, 1, 1])


@pytest.mark.parametrize("azimuth, elevation", [(0, 0), (30, 20), (-120, 75), (200, -40)])
def test_projection_is_an_orthographic_view(azimuth, elevation):
    P = projection(azimuth, elevation)
    np.testing.assert_allclose(P.T @ P, np.eye(2), atol=1e-12)       # lengths kept
    a, e = np.radians(azimuth), np.radians(elevation)
    eye = np.array([np.cos(e) * np.cos(a), np.cos(e) * np.sin(a), np.sin(e)])
    np.testing.assert_allclose(eye @ P, 0.0, atol=1e-12)             # the eye's line is a dot
    assert P[2, 0] == 0.0 and P[2, 1] >= 0                           # h3 never sideways, up
    # the screen is right-handed as seen from the eye: right x up = towards the eye
    np.testing.assert_allclose(np.cross(P[:, 0], P[:, 1]), eye, atol=1e-12)


def test_plane_in_box_by_hand():
    # the plane through the cube's centre at right angles to its diagonal: a regular hexagon
    hexagon = plane_in_box([1.0, 1.0, 1.0], 0.0, -1.0, 1.0)
    assert hexagon.shape == (6, 3)
    np.testing.assert_allclose(hexagon.sum(axis=1), 0.0, atol=1e-12)
    sides = np.linalg.norm(np.roll(hexagon, -1, axis=0) - hexagon, axis=1)
    np.testing.assert_allclose(sides, np.sqrt(2), rtol=1e-12)         # in order around it
    corner = plane_in_box([1.0, 1.0, 1.0], -2.5, -1.0, 1.0)          # cuts off one corner
    assert corner.shape == (3, 3)
    np.testing.assert_allclose(corner.sum(axis=1), 2.5)
    assert plane_in_box([1.0, 0.0, 0.0], -5.0, -1.0, 1.0).shape == (0, 3)    # misses
    with pytest.raises(ValueError, match="three numbers"):
        plane_in_box([1.0, 0.0], 0.0, -1.0, 1.0)


def test_the_output_layer_on_hidden_points_is_the_networks_prediction():
    """output_from_hidden (the output layer alone) composed with hidden_image (the hidden layer
    alone) must give what the whole network predicts, and positive_side its class."""
    from nnlab.hidden_space import output_from_hidden, positive_side

    model = MLP([2, 3, 1], activation="tanh", output_activation="sigmoid", seed=4)
    X = np.random.default_rng(0).uniform(-2, 2, size=(50, 2))
    hidden = hidden_image(model, X)
    predicted = model.predict(X).ravel()
    assert np.allclose(output_from_hidden(model, hidden), predicted)
    assert (positive_side(model, hidden) == (predicted >= 0.5)).all()
    with pytest.raises(ValueError, match="hidden must end in 3"):
        output_from_hidden(model, np.zeros((4, 2)))
