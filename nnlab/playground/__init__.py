"""The playground without a screen: `PlaygroundSession` holds the data, the network and its
training, and everything the Playground widget shows (numpy only, no widgets).

    config     the settings, their defaults and checks
    session    PlaygroundSession: tick, reset, add_point, grid_outputs, state, history
    owndata    load your own points from a CSV file
    share      share codes (to_code / from_code)
    script     export a run as a runnable nnlab script (to_python)
    weights    export / import the network, with its features
    explain    a neuron's formula with live numbers; the confusion matrix
    grid       every neuron's output over the plane
    stopping   stop conditions: an epoch budget, a plateau of the loss
"""

from .config import (
    ACTIVATIONS,
    DATASETS,
    DEFAULTS,
    FEATURES,
    LEARNING_RATES,
    LOSSES,
    MAX_LAYERS,
    MAX_NEURONS,
    OPTIMIZERS,
    REGULARIZATION_RATES,
    REGULARIZATIONS,
)
from .grid import EXTENT
from .session import PlaygroundSession

__all__ = ["PlaygroundSession", "DEFAULTS", "DATASETS", "FEATURES", "ACTIVATIONS",
           "LEARNING_RATES", "OPTIMIZERS", "LOSSES", "REGULARIZATIONS", "REGULARIZATION_RATES",
           "MAX_LAYERS", "MAX_NEURONS", "EXTENT"]
