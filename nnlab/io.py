"""Saving and loading models as .npz files.

The file holds plain arrays only: a JSON description of the model under the key
``nnlab_config`` and the weights as ``W1, b1, W2, b2, ...``. Loading never unpickles
(``allow_pickle=False``), so opening a file cannot execute code. A model is written to a
temporary file first and then renamed, so a crash never leaves half a file behind.
"""

import json
import os
import tempfile
import zipfile

import numpy as np

from .network import MLP

__all__ = ["save_model", "load_model", "FORMAT"]

FORMAT = "nnlab.MLP/1"


def save_model(model, path):
    """Write `model` to `path` (".npz" is appended when there is no suffix); return the path."""
    config = {"format": FORMAT, **model.get_config()}    # refuses custom objects: nothing written
    path = os.fspath(path)
    if not os.path.splitext(path)[1]:
        path += ".npz"
    arrays = {"nnlab_config": np.array(json.dumps(config))}
    for i, layer in enumerate(model.layers, start=1):
        arrays[f"W{i}"] = layer.W
        arrays[f"b{i}"] = layer.b
    folder = os.path.dirname(os.path.abspath(path))
    handle, tmp = tempfile.mkstemp(dir=folder, prefix=".nnlab-", suffix=".npz.tmp")
    try:
        with os.fdopen(handle, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return path


def _not_a_model(path, why):
    return ValueError(f"{path!s} is not a saved nnlab model: {why}")


def load_model(path):
    """Load a model written by `MLP.save`, compiled as it was when saved.

    The optimizer comes back with its settings but fresh state (no momentum or averages).

    Raises
    ------
    ValueError
        Naming the file, when it is missing, truncated, from another program, or holds pickled
        objects.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise ValueError(f"{path} does not exist")
    if not zipfile.is_zipfile(path):
        raise _not_a_model(path, "it is not an .npz (zip) archive")
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise _not_a_model(path, f"it is not a readable .npz archive ({error})") from None
    try:
        with archive:
            if "nnlab_config" not in archive.files:
                raise _not_a_model(path, "it has no 'nnlab_config' entry")
            config = json.loads(str(archive["nnlab_config"]))
            if not isinstance(config, dict) or config.get("format") != FORMAT:
                raise _not_a_model(path, f"its format is not {FORMAT!r}")
            n_layers = len(config["layer_sizes"]) - 1
            weights = []
            for i in range(1, n_layers + 1):
                weights += [archive[f"W{i}"], archive[f"b{i}"]]
    except ValueError as error:
        if str(error).startswith(f"{path!s} is not"):
            raise
        raise _not_a_model(path, f"its contents cannot be read safely ({error})") from None
    except (KeyError, TypeError, OSError, EOFError, zipfile.BadZipFile,
            json.JSONDecodeError) as error:
        raise _not_a_model(path, f"it is incomplete or damaged ({error!r})") from None

    try:
        model = MLP.from_config(config)
        model.set_weights(weights)
    except (TypeError, ValueError, KeyError) as error:
        raise _not_a_model(path, f"its description does not fit together ({error})") from None
    return model
