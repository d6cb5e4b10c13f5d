"""hub/z2jh/values.yaml: valid for the Zero to JupyterHub chart, and the course's settings.

Helm validates a release's values (the chart's defaults with the user's values merged over
them) against the chart's values.schema.json; these tests do the same with the two files
committed from the chart (hub/z2jh/values.schema.SOURCE.md says which version). They need no
cluster and no root: they run everywhere.
"""

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

Z2JH = Path(__file__).resolve().parents[2] / "hub" / "z2jh"


def load(name):
    return yaml.safe_load((Z2JH / name).read_text())


def merged(defaults, values):
    """Helm's merge of user values over chart defaults: maps merged key by key, anything else
    (lists, scalars) replaced; a null removes the default."""
    out = copy.deepcopy(defaults)
    for key, value in values.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        elif value is None:
            out.pop(key, None)
        else:
            out[key] = copy.deepcopy(value)
    return out


@pytest.fixture(scope="module")
def validator():
    schema = json.loads((Z2JH / "values.schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


@pytest.fixture(scope="module")
def values():
    return load("values.yaml")


def errors(validator, values):
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(merged(load("chart-defaults.yaml"), values))]


def test_the_chart_defaults_alone_are_valid(validator):
    # The reference point: if this fails, the two chart files do not belong together.
    assert errors(validator, {}) == []


def test_values_yaml_is_valid_for_the_chart(validator, values):
    assert errors(validator, values) == []


@pytest.mark.parametrize("mistake", [
    {"singleuser": {"memroy": {"limit": "1G"}}},   # a typo in a key
    {"cull": {"timeout": "an hour"}},               # a wrong type
    {"singleuser": {"cpu": {"limit": "one"}}},
])
def test_the_validation_catches_mistakes(validator, values, mistake):
    assert errors(validator, merged(values, mistake)), f"{mistake} was accepted"


def test_the_course_settings(values):
    single = values["singleuser"]
    assert single["defaultUrl"] == "/lab"
    assert values["cull"]["enabled"] is True and values["cull"]["timeout"] > 0
    # Limits: a memory guarantee below the limit, both above one measured session (309 MB).
    guarantee, limit = (_bytes(single["memory"][k]) for k in ("guarantee", "limit"))
    assert 309 * 2**20 < guarantee <= limit
    # nbgrader's exchange for course nnlab, through the course's exchange service (a service of
    # the hub; tests/hub/test_image.py runs the config and the service from what is mounted).
    config = single["extraFiles"]["nbgrader-config"]
    assert config["mountPath"] == "/etc/jupyter/nbgrader_config.py"
    assert 'course_id = "nnlab"' in config["stringData"]
    assert "from hub.exchange.client import configure" in config["stringData"]
    assert "nnlab-exchange" in values["hub"]["services"]
    assert "ngshare" not in json.dumps(values)
    compile(config["stringData"], "nbgrader_config.py", "exec")
    compile(values["hub"]["extraConfig"]["nnlab-profiles"], "extraConfig", "exec")


def _bytes(quantity):
    """A Kubernetes memory quantity ('512M', '1G', '1Gi') in bytes."""
    number, unit = re.fullmatch(r"([\d.]+)([KMGT]i?)?", str(quantity)).groups()
    powers = {"K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12,
              "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}
    return float(number) * powers.get(unit, 1)
