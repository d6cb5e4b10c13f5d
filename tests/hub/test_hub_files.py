"""hub/'s files agree with the rest of the repository (no root, no hub needed: runs everywhere).

The term (test_term.py) shows that the hub works; these catch drift between runs of it: a
course dependency added to pyproject.toml but not pinned for the hub, a configuration that no
longer loads, a plugin postBuild hides that the hub would show.
"""

import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from traitlets.config.loader import PyFileConfigLoader

from hub import classroom

REPO = Path(__file__).resolve().parents[2]
HUB = REPO / "hub"


def pins():
    found = {}
    for line in (HUB / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            found[re.sub(r"[-_.]+", "-", name).lower()] = version
    return found


def test_every_course_dependency_is_pinned_for_the_hub():
    tomllib = pytest.importorskip("tomllib", reason="Python 3.11+ reads pyproject.toml")
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    needed = project["dependencies"] + project["optional-dependencies"]["course"]
    pinned = pins()
    for spec in needed:
        requirement = Requirement(spec)
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        assert name in pinned, f"{name} (pyproject.toml) is not pinned in hub/requirements.txt"
        assert requirement.specifier.contains(pinned[name]), \
            f"hub/requirements.txt pins {name}=={pinned[name]}, pyproject.toml wants {spec}"
    for name in ("jupyterhub", "nbgitpuller", "jupyterhub-idle-culler", "nbgrader"):
        assert name in pinned, f"the hub needs {name}"


def test_the_proxy_is_pinned_exactly():
    import json

    package = json.loads((HUB / "package.json").read_text())
    lock = json.loads((HUB / "package-lock.json").read_text())
    version = package["dependencies"]["configurable-http-proxy"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert lock["packages"]["node_modules/configurable-http-proxy"]["version"] == version


def test_the_hub_configuration(monkeypatch, tmp_path):
    monkeypatch.setenv("NNLAB_HUB_PREFIX", "/opt/somewhere")
    monkeypatch.setenv("NNLAB_HUB_STATE", str(tmp_path))
    monkeypatch.setenv("NNLAB_HUB_PORT", "8123")
    monkeypatch.setenv("NNLAB_IDLE_TIMEOUT", "600")
    monkeypatch.setenv("NNLAB_EXCHANGE", str(tmp_path / "store"))
    config = PyFileConfigLoader("jupyterhub_config.py", path=str(HUB)).load_config()
    hub, spawner = config.JupyterHub, config.Spawner
    assert hub.ip == hub.hub_ip == spawner.ip == "127.0.0.1" and hub.port == 8123
    assert config.ConfigurableHTTPProxy.api_url.startswith("http://127.0.0.1:")
    assert config.ConfigurableHTTPProxy.command == [
        "/opt/somewhere/proxy/node_modules/.bin/configurable-http-proxy"]
    assert hub.authenticator_class == "pam" and hub.spawner_class == "localprocess"
    assert config.PAMAuthenticator.allowed_groups == {classroom.STUDENTS_GROUP,
                                                      classroom.INSTRUCTORS_GROUP}
    assert spawner.cmd == ["/opt/somewhere/venv/bin/jupyterhub-singleuser"]
    assert spawner.environment["NNLAB_ENV"] == "/opt/somewhere/venv"
    assert spawner.environment["PATH"].startswith("/opt/somewhere/venv/bin:")
    assert hub.db_url == f"sqlite:///{tmp_path / 'jupyterhub.sqlite'}"
    culler, exchange = hub.services
    assert culler["name"] == "idle-culler" and "--timeout=600" in culler["command"]
    # nbgrader's exchange: the course's service, its store in NNLAB_EXCHANGE, instructors by
    # Linux group; every user's server is told its public address.
    assert exchange["name"] == "nnlab-exchange" and exchange["url"].startswith("http://127.0.0.1:")
    assert exchange["command"][1:3] == ["-m", "hub.exchange.service"]
    assert f"--root={tmp_path / 'store'}" in exchange["command"]
    assert {f"--instructors={classroom.INSTRUCTORS_GROUP}", "--unix-group"} <= set(
        exchange["command"])
    assert spawner.environment["NNLAB_EXCHANGE_URL"] == \
        "http://127.0.0.1:8123/services/nnlab-exchange/"
    (role,) = hub.load_roles
    assert role["services"] == ["idle-culler"] and "delete:servers" in role["scopes"]


def test_students_lose_exactly_what_postbuild_hides():
    hidden = classroom.instructor_plugins()
    assert hidden == ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"]
    assert "nbgrader.server_extensions.formgrader" in classroom.INSTRUCTOR_SERVER_EXTENSIONS
    assert not any("assignment_list" in e or "validate" in e
                   for e in classroom.INSTRUCTOR_SERVER_EXTENSIONS)


def test_bad_user_names_are_refused_before_anything_happens():
    for name in ("Root", "a b", "", "-x", "../etc"):
        with pytest.raises(ValueError, match="user name"):
            classroom._check_name(name)
