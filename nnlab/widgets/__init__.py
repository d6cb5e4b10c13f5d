"""Interactive widgets for JupyterLab (needs the "course" extra: ipywidgets, anywidget).

The kernel computes (nnlab), the browser draws: every widget's figure is a `canvas.Canvas`,
painted in the browser from the numbers the kernel sends. In a notebook, e.g.::

    from nnlab.widgets import NeuronExplorer
    NeuronExplorer(gate='OR')

| widget              | what a student does with it                                       |
|---------------------|-------------------------------------------------------------------|
| NeuronExplorer      | move w1, w2, b and the activation; make the neuron a logic gate   |
| ActivationExplorer  | see f(z), f'(z) and the tangent; softmax on three scores          |
| PerceptronTrainer   | step the perceptron rule sample by sample, epoch by epoch         |
| DescentExplorer     | race full-batch GD, SGD and mini-batch, and the optimizers        |
| BackpropStepper     | walk through the forward and backward pass of a 2-2-1 network     |
| Playground          | the TensorFlow Playground, inside Jupyter, and beyond it          |
| LearningCurves      | training and validation loss while training; early stopping, L2   |
| DigitPad            | draw a digit on an 8x8 grid, watch the class probabilities        |
| GraphExplorer       | the computation graph of a 2-2-1 network, value and grad per node |
| LayerHealth         | per-layer activations, gradients and updates of a deep network    |
| HiddenSpace         | watch the hidden layer bend the plane until a line splits XOR     |
| Conditioning        | gradient descent in an elongated valley; standardise the inputs   |
"""

import importlib

_MODULES = {
    "NeuronExplorer": "neuron_explorer",
    "ActivationExplorer": "activation_explorer",
    "PerceptronTrainer": "perceptron_trainer",
    "DescentExplorer": "descent_explorer",
    "BackpropStepper": "backprop_stepper",
    "Playground": "playground",
    "LearningCurves": "learning_curves",
    "DigitPad": "digit_pad",
    "GraphExplorer": "graph_explorer",
    "LayerHealth": "layer_health",
    "HiddenSpace": "hidden_space",
    "Conditioning": "conditioning",
    "accessible": "accessibility",       # the nnlab widgets' accessibility for plain ipywidgets
}

__all__ = list(_MODULES)

#: What the widgets import from the "course" extra (pyproject.toml).
_COURSE_EXTRA = {"ipywidgets", "ipympl", "matplotlib", "anywidget", "traitlets", "IPython",
                 "contourpy"}


def __getattr__(name):
    # Each widget is imported when first used, so `import nnlab.widgets` stays quick.
    if name in _MODULES:
        try:
            module = importlib.import_module(f".{_MODULES[name]}", __name__)
        except ModuleNotFoundError as error:
            if error.name not in _COURSE_EXTRA:
                raise
            raise ModuleNotFoundError(
                f"nnlab.widgets.{name} needs {error.name}, which is not installed: install the "
                f'course extra with  pip install "nnlab[course]"  (in a clone of the course: '
                f'pip install -e ".[course]"), then restart the kernel', name=error.name) from error
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
