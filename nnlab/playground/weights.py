"""Export and import a playground's network.

The file is an ordinary nnlab model (``nnlab.load_model`` opens it) with one more entry,
``playground``: a JSON record of the features the network was trained on (and the share code
of its setup), so an import can select the right features by itself.
"""

import json
import os
import tempfile
import zipfile

import numpy as np

from ..network import load_model
from .config import ACTIVATIONS, FEATURES, MAX_LAYERS, MAX_NEURONS, check_config

__all__ = ["export", "read", "fitting_config", "ENTRY"]

ENTRY = "playground.npy"


def export(session, path):
    """Write the session's network to `path` (".npz" added when missing); return the path."""
    path = os.fspath(path)
    if not os.path.splitext(path)[1]:
        path += ".npz"
    record = {"features": session.features, "share_code": session.to_code(),
              "epoch": session.epoch}
    folder = os.path.dirname(os.path.abspath(path))
    handle, tmp = tempfile.mkstemp(dir=folder, prefix=".nnlab-", suffix=".npz")
    os.close(handle)
    try:
        session.model.save(tmp)
        with zipfile.ZipFile(tmp, "a") as archive, archive.open(ENTRY, "w") as f:
            np.lib.format.write_array(f, np.array(json.dumps(record)), allow_pickle=False)
        os.replace(tmp, path)                 # never half a file under the real name
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def read(source, name=None):
    """(model, features or None) from a file name or the file's bytes (an upload)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        name = name or "the uploaded file"
        handle, tmp = tempfile.mkstemp(suffix=".npz")
        try:
            with os.fdopen(handle, "wb") as f:
                f.write(bytes(source))
            try:
                return read(tmp)
            except ValueError as error:
                raise ValueError(str(error).replace(tmp, name)) from None
        finally:
            os.remove(tmp)
    model = load_model(source)
    with np.load(source, allow_pickle=False) as archive:
        if ENTRY[:-4] not in archive.files:
            return model, None
        record = json.loads(str(archive[ENTRY[:-4]]))
    return model, record.get("features")


def fitting_config(session, model, features, name):
    """The session's settings with the file's network, or a ValueError saying what does not
    fit (the file's inputs, outputs, size or activation)."""
    name = name or "the file"
    described = model.get_config()            # plain data: sizes, activations, ...
    sizes = list(described["layer_sizes"])
    hidden = sizes[1:-1]
    if features is None:
        features = session.features
        if sizes[0] != len(features):
            raise ValueError(
                f"{name} holds a network with {sizes[0]} input(s), but {len(features)} "
                f"feature(s) are selected ({', '.join(features)}): select the features it "
                "was exported with")
    elif any(f not in FEATURES for f in features) or len(features) != sizes[0]:
        raise ValueError(f"{name} records the features {features}, which do not fit its "
                         f"{sizes[0]} input(s)")
    n_outputs = 3 if session.n_classes == 3 else 1
    if (sizes[-1], described["output_activation"]) != (n_outputs, session.output_activation):
        raise ValueError(
            f"{name} holds a network with {sizes[-1]} {described['output_activation']} "
            f"output(s), but the dataset {session.config['dataset']!r} needs {n_outputs} "
            f"{session.output_activation} output(s)")
    if len(hidden) > MAX_LAYERS or max(hidden, default=1) > MAX_NEURONS:
        raise ValueError(f"{name} holds hidden layers {hidden}, but the playground shows at "
                         f"most {MAX_LAYERS} layers of {MAX_NEURONS} neurons")
    if described["activation"] not in ACTIVATIONS:
        raise ValueError(f"{name} uses the activation {described['activation']!r}, but the "
                         f"playground offers {', '.join(ACTIVATIONS)}")
    return check_config({"features": features, "hidden": hidden,
                         "activation": described["activation"]}, base=session.config)
