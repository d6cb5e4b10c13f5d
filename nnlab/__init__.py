"""nnlab: neural networks you can touch.

A small numpy library to learn neural networks from: neurons and logic gates, the perceptron,
multi-layer perceptrons with backpropagation, and the activations, losses, metrics and optimizers
they use. Interactive widgets live in `nnlab.widgets` (which needs the "course" extra).
"""

from . import (
    activations,
    callbacks,
    datasets,
    gates,
    landscape,
    losses,
    metrics,
    model_selection,
    optimizers,
    selfcheck,
    training,
)
from . import gradcheck as gradcheck
from .layers import Dense
from .network import MLP, load_model
from .neuron import Neuron
from .perceptron import Perceptron
from .training import History

__version__ = "0.2.0"

__all__ = ["activations", "callbacks",
           "datasets", "gates", "gradcheck", "landscape", "losses", "metrics",
           "model_selection", "optimizers", "selfcheck", "training", "Dense", "History", "MLP",
           "Neuron", "Perceptron", "load_model", "__version__"]
