"""Share codes: a playground's setup in one short line of text.

A code is ``pg1-`` followed by URL-safe base64 of a small JSON object holding the settings that
differ from the defaults (the seed always), the regenerate / reset counts and points added by
hand. It fits in a link (``...?playground=pg1-...``) and restores the same setup; with the seed,
training it gives the same run. Loaded CSV data is not in the code (it may be large): pass the
file again to `from_code`.
"""

import base64
import binascii
import json
import re
import urllib.parse

import numpy as np

from .config import DEFAULTS, check_config

__all__ = ["encode", "decode", "PREFIX"]

PREFIX = "pg1-"


def encode(session):
    """The share code of a session."""
    config = session.config
    data = {k: v for k, v in config.items() if v != DEFAULTS[k] or k == "seed"}
    if config["dataset"] == "csv":
        data["kind"] = session.own_data[2]
        data.pop("n_points", None)
    if session.data_draws:
        data["data_draws"] = session.data_draws
    if session.weight_draws:
        data["weight_draws"] = session.weight_draws
    if len(session.added_y):
        data["added"] = np.column_stack([session.added_X, session.added_y]).tolist()
    text = json.dumps(data, separators=(",", ":"))
    return PREFIX + base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _payload(text):
    if not isinstance(text, str):
        raise TypeError(f"a share code must be a str, but got {type(text).__name__}")
    text = text.strip()
    if "playground=" in text:                    # a whole link
        query = urllib.parse.urlsplit(text)
        params = urllib.parse.parse_qs(query.query) or urllib.parse.parse_qs(query.fragment)
        if "playground" not in params:
            params = urllib.parse.parse_qs(text.split("?", 1)[-1].split("#", 1)[-1])
        text = params.get("playground", [""])[0]
    match = re.fullmatch(r"pg1-([A-Za-z0-9_-]+)", text)
    if not match:
        raise ValueError(f"{text[:40]!r} is not a playground share code (it starts with "
                         f"{PREFIX!r})")
    body = match.group(1)
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("the share code is damaged (was it copied completely?)") from None
    if not isinstance(data, dict):
        raise ValueError("the share code is damaged (was it copied completely?)")
    return data


def decode(cls, text, csv=None):
    """The session a share code describes (`cls` is PlaygroundSession)."""
    data = _payload(text)
    extras = {k: data.pop(k) for k in ("kind", "data_draws", "weight_draws", "added")
              if k in data}
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
        session._make_data()
    for x, y, label in extras.get("added", []):
        session.add_point(x, y, label)
    session._build_model()
    return session
