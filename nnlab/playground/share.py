"""Share codes: a playground's setup in one short line of text.

A code lists the settings that differ from the defaults (the seed always), one field each,
separated by "_": a one-letter key, then the value. For example

    pg1_dspiral_h8x8_oAdam_l0.01_s0     spiral, hidden layers 8 and 8, Adam at 0.01, seed 0

Features are their positions in FEATURES ("f04": x1 and x1*x2), hidden layers are joined by
"x", a point added by hand is a field "A<x1>x<x2>x<label>". Only URL-safe characters are used,
so a code fits in a link (``...?playground=pg1_...``). It restores the same setup and, with the
seed, training it gives the same run. Loaded CSV data is not in the code (it may be large):
pass the file again to `from_code`.
"""

import re
import urllib.parse

from .config import DEFAULTS, FEATURES, check_config

__all__ = ["encode", "decode", "PREFIX"]

PREFIX = "pg1_"
#: one-letter key -> setting (or one of the session's counters)
KEYS = {"d": "dataset", "n": "noise", "r": "train_ratio", "p": "n_points", "f": "features",
        "h": "hidden", "a": "activation", "b": "batch_size", "l": "learning_rate",
        "o": "optimizer", "c": "loss", "g": "regularization", "q": "regularization_rate",
        "e": "max_epochs", "t": "patience", "m": "min_delta", "w": "monitor", "s": "seed",
        "k": "kind", "G": "data_draws", "W": "weight_draws"}
NAMES = {v: k for k, v in KEYS.items()}
#: dataset names without "_" (the field separator)
SHORT = {"three_class": "three", "gauss_regression": "gaussreg"}
LONG = {v: k for k, v in SHORT.items()}
_FLOAT = {"learning_rate", "regularization_rate", "min_delta"}
_INT = {"noise", "train_ratio", "n_points", "batch_size", "max_epochs", "patience", "seed",
        "data_draws", "weight_draws"}


def _text(name, value):
    if name == "dataset":
        return SHORT.get(value, value)
    if name == "features":
        return "".join(str(FEATURES.index(f)) for f in value)
    if name == "hidden":
        return "x".join(map(str, value))
    if name == "monitor":
        return value.replace("_", "")            # test_loss -> testloss
    return repr(value) if name in _FLOAT else str(value)


def _value(name, text):
    if name == "dataset":
        return LONG.get(text, text)
    if name == "features":
        return [FEATURES[int(i)] for i in text]
    if name == "hidden":
        return [int(n) for n in text.split("x")] if text else []
    if name == "monitor":
        return "test_loss" if text == "testloss" else text
    if name in _FLOAT:
        return float(text)
    if name in _INT:
        return int(text)
    return text


def encode(session):
    """The share code of a session.

    >>> from nnlab.playground import PlaygroundSession
    >>> PlaygroundSession(dataset='spiral', hidden=[8, 8], optimizer='Adam', seed=0).to_code()
    'pg1_dspiral_h8x8_oAdam_s0'
    """
    config = session.config
    values = {k: v for k, v in config.items() if v != DEFAULTS[k] or k == "seed"}
    if config["dataset"] == "csv":
        values["kind"] = session.own_data[2]
        values.pop("n_points", None)
    if session.data_draws:
        values["data_draws"] = session.data_draws
    if session.weight_draws:
        values["weight_draws"] = session.weight_draws
    fields = [NAMES[name] + _text(name, value) for name, value in values.items()]
    fields += ["A" + "x".join(repr(float(v)) for v in (*point, label))
               for point, label in zip(session.added_X, session.added_y)]
    return PREFIX + "_".join(fields)


def _damaged(why):
    return ValueError(f"the share code is damaged ({why}); was it copied completely?")


def _payload(text):
    if not isinstance(text, str):
        raise TypeError(f"a share code must be a str, but got {type(text).__name__}")
    text = text.strip()
    if "playground=" in text:                    # a whole link
        text = urllib.parse.unquote(re.search(r"playground=([^&#\s]*)", text).group(1))
    if not text.startswith(PREFIX):
        raise ValueError(f"{text[:40]!r} is not a playground share code (it starts with "
                         f"{PREFIX!r})")
    values, added = {}, []
    for field in text[len(PREFIX):].split("_"):
        key, body = field[:1], field[1:]
        if key not in KEYS and key != "A":
            raise _damaged(f"unknown field {field!r}")
        try:
            if key == "A":
                x, y, label = (float(v) for v in body.split("x"))
                added.append((x, y, label))
            else:
                values[KEYS[key]] = _value(KEYS[key], body)
        except (ValueError, IndexError):
            raise _damaged(f"cannot read the field {field!r}") from None
    return values, added


def decode(cls, text, csv=None):
    """The session a share code describes (`cls` is PlaygroundSession)."""
    data, added = _payload(text)
    extras = {k: data.pop(k) for k in ("kind", "data_draws", "weight_draws") if k in data}
    config = check_config(data)           # names the bad setting if the code was edited
    dataset = config["dataset"]
    if dataset == "csv" and csv is None:
        raise ValueError("this share code is for a playground trained on a CSV file: pass "
                         "the file as csv=...")
    session = cls(**dict(config, dataset="circle" if dataset == "csv" else dataset))
    session.data_draws = int(extras.get("data_draws", 0))
    session.weight_draws = int(extras.get("weight_draws", 0))
    if dataset == "csv":
        session.load_csv(csv, kind=extras.get("kind", "binary"))
    elif session.data_draws:
        session.make_data()
    for x, y, label in added:
        session.add_point(x, y, label)
    session.build_model()
    return session
