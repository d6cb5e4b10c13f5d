"""Model files: a config and arrays in an .npz file.

The file holds plain arrays only: a JSON description of the model under the key
``nnlab_config`` and the weights as ``W1, b1, W2, b2, ...``. Loading never unpickles
(``allow_pickle=False``), so opening a file cannot execute code. A file is written to a
temporary file first and then renamed, so a crash never leaves half a file behind.

This module knows files, not networks: `write` takes a config (a dict of plain data) and the
weights, `read` gives them back. `MLP.save` and `nnlab.load_model` (in `nnlab.network`) turn a
model into those and back.
"""

import json
import os
import tempfile
import zipfile

import numpy as np

__all__ = ["write", "read", "save_model", "not_a_model", "FORMAT"]

FORMAT = "nnlab.MLP/1"


def write(path, config, weights):
    """Write a model's `config` (plain data) and `weights` [W1, b1, W2, b2, ...] to `path`.

    ".npz" is appended when `path` has no suffix; returns the path written.

    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> path = write(os.path.join(folder, 'm'), {'layer_sizes': [1, 1]},
    ...              [np.ones((1, 1)), np.zeros(1)])
    >>> config, weights = read(path)
    >>> config['format'], [w.shape for w in weights]
    ('nnlab.MLP/1', [(1, 1), (1,)])
    """
    config = {"format": FORMAT, **config}
    path = os.fspath(path)
    if not os.path.splitext(path)[1]:
        path += ".npz"
    arrays = {"nnlab_config": np.array(json.dumps(config))}
    for i, (W, b) in enumerate(zip(weights[0::2], weights[1::2]), start=1):
        arrays[f"W{i}"] = W
        arrays[f"b{i}"] = b
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


def save_model(model, path):
    """Write `model` to `path` (".npz" is appended when there is no suffix); return the path.

    The same as ``model.save(path)``.
    """
    return model.save(path)


def not_a_model(path, why):
    """The ValueError for a file that is not a saved nnlab model, naming it and why."""
    return ValueError(f"{path!s} is not a saved nnlab model: {why}")


def read(path):
    """(config, weights) from a file written by `write`; the config includes 'format'.

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
        raise not_a_model(path, "it is not an .npz (zip) archive")
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise not_a_model(path, f"it is not a readable .npz archive ({error})") from None
    try:
        with archive:
            if "nnlab_config" not in archive.files:
                raise not_a_model(path, "it has no 'nnlab_config' entry")
            config = json.loads(str(archive["nnlab_config"]))
            if not isinstance(config, dict) or config.get("format") != FORMAT:
                raise not_a_model(path, f"its format is not {FORMAT!r}")
            n_layers = len(config["layer_sizes"]) - 1
            weights = []
            for i in range(1, n_layers + 1):
                weights += [archive[f"W{i}"], archive[f"b{i}"]]
    except ValueError as error:
        if str(error).startswith(f"{path!s} is not"):
            raise
        raise not_a_model(path, f"its contents cannot be read safely ({error})") from None
    except (KeyError, TypeError, OSError, EOFError, zipfile.BadZipFile,
            json.JSONDecodeError) as error:
        raise not_a_model(path, f"it is incomplete or damaged ({error!r})") from None
    return config, weights
