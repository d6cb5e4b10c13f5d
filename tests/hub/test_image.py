"""The cluster's single-user image (hub/image/) and what hub/z2jh/values.yaml mounts, exercised
without Docker or Kubernetes: the image's exact requirements resolve with pip, the Dockerfile
copies files that exist, the nbgrader config the values mount configures the exchange, and the
exchange service starts from the files the values mount into the hub's pod."""

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from nbgrader.exchange import ExchangeFactory
from traitlets.config import Config

REPO = Path(__file__).resolve().parents[2]
IMAGE = REPO / "hub" / "image"
VALUES = REPO / "hub" / "z2jh" / "values.yaml"
SOURCE = REPO / "hub" / "z2jh" / "values.schema.SOURCE.md"


def requirements():
    lines = (IMAGE / "requirements.txt").read_text().splitlines()
    return dict(line.split("==") for line in lines if line and not line.startswith("#"))


@pytest.fixture(scope="module")
def values():
    return yaml.safe_load(VALUES.read_text())


def test_the_image_pins_everything_the_values_rely_on():
    pins = requirements()
    assert all(re.fullmatch(r"[\w.+-]+", v) for v in pins.values()), "every line is name==version"
    for name in ("nbgitpuller", "nbgrader", "jupyterlab", "ipywidgets", "ipympl", "requests",
                 "tornado", "jupyterhub"):
        assert name in pins, f"the image lacks {name}"
    # jupyterhub-singleuser must not be newer than the chart's hub (its major version).
    chart_hub = re.search(r"JupyterHub (\d+)\.", SOURCE.read_text()).group(1)
    assert pins["jupyterhub"].split(".")[0] == chart_hub
    # nnlab's course extra is in it (the image installs nnlab with --no-deps).
    pyproject = (REPO / "pyproject.toml").read_text()
    course = re.search(r"^course = \[(.*?)\]", pyproject, re.S | re.M).group(1)
    for spec in re.findall(r'"([^"]+)"', course):
        name = re.match(r"[\w.-]+", spec).group(0)
        assert any(n.lower().replace("_", "-") == name.lower().replace("_", "-") for n in pins), \
            f"the course extra's {name} is not in the image"


def test_the_dockerfile_installs_the_requirements_and_copies_what_exists():
    text = (IMAGE / "Dockerfile").read_text()
    assert "pip install --no-cache-dir -r /tmp/requirements.txt" in text
    assert "COPY hub/image/requirements.txt /tmp/requirements.txt" in text
    for line in re.findall(r"^COPY (.+)$", text, re.M):
        for source in line.split()[:-1]:
            assert (REPO / source).exists(), f"the Dockerfile copies {source}, which is missing"
    assert "PYTHONPATH=/opt/nnlab-exchange" in text and "postBuild" in text


def test_the_image_requirements_resolve(tmp_path):
    report = tmp_path / "report.json"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
         "--disable-pip-version-check", "--report", str(report),
         "-r", str(IMAGE / "requirements.txt")],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    installed = {i["metadata"]["name"].lower().replace("_", "-"): i["metadata"]["version"]
                 for i in json.loads(report.read_text())["install"]}
    pinned = {n.lower().replace("_", "-"): v for n, v in requirements().items()}
    assert set(installed) == set(pinned), "pip adds or drops packages: pin them all"
    assert all(installed[n] == v for n, v in pinned.items())


def test_the_mounted_nbgrader_config_configures_the_exchange(values, monkeypatch):
    from hub.exchange.client import ServiceExchange
    from hub.image_venv import mounted_nbgrader_config

    mounted = values["singleuser"]["extraFiles"]["nbgrader-config"]
    assert mounted_nbgrader_config() == (mounted["mountPath"], mounted["stringData"])
    c = Config()
    exec(compile(mounted["stringData"], "nbgrader_config.py", "exec"), {"get_config": lambda: c})
    factory = ExchangeFactory(config=c)
    for role in ("release_assignment", "fetch_assignment", "submit", "collect",
                 "release_feedback", "fetch_feedback", "list"):
        cls = getattr(factory, role)
        assert cls.__module__ == "hub.exchange.client", f"{role} is {cls}"
    # The address is every pod's NNLAB_EXCHANGE_URL (singleuser.extraEnv), through the proxy.
    address = values["singleuser"]["extraEnv"]["NNLAB_EXCHANGE_URL"]
    assert address == "http://proxy-public/services/nnlab-exchange/"
    monkeypatch.setenv("NNLAB_EXCHANGE_URL", address)
    assert ServiceExchange(config=c).url == address
    assert c.CourseDirectory.course_id == "nnlab"


def test_the_image_and_its_venv_turn_the_same_instructor_tools_off():
    """hub/image_venv.py (the hub term's users) makes the Dockerfile's steps: the same files
    for nnlab, postBuild, and the same server extensions off."""
    from hub import image_venv

    text = (IMAGE / "Dockerfile").read_text()
    assert "COPY postBuild /tmp/postBuild" in text and "bash postBuild" in text
    for extension in image_venv.STUDENT_OFF:
        assert f"jupyter server extension disable --sys-prefix {extension}" in text
    copied = re.search(r"^COPY (.+) /tmp/nnlab/$", text, re.M).group(1).split()
    copied += re.findall(r"^COPY (\S+) /tmp/nnlab/\S+$", text, re.M)
    assert sorted(copied) == sorted(image_venv.NNLAB_FILES)


def helm_set_files():
    """The `--set-file hub.extraFiles.NAME.stringData=PATH` options in values.yaml's header."""
    return dict(re.findall(r"--set-file hub\.extraFiles\.([\w-]+)\.stringData=(\S+)",
                           VALUES.read_text()))


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_exchange_service_starts_from_what_the_values_mount(values, tmp_path):
    hub = values["hub"]
    files = hub["extraFiles"]
    set_files = helm_set_files()
    assert set_files, "values.yaml's header names the --set-file options"
    for name, spec in files.items():
        content = ((REPO / set_files[name]).read_text() if name in set_files
                   else spec["stringData"])
        target = tmp_path / "pod" / spec["mountPath"].lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    service = hub["services"]["nnlab-exchange"]
    assert service["command"][:3] == ["python3", "-m", "hub.exchange.service"]
    assert hub["loadRoles"]["nnlab-exchange"]["services"] == ["nnlab-exchange"]
    port = free_port()
    pythonpath = tmp_path / "pod" / service["environment"]["PYTHONPATH"].lstrip("/")
    command = [sys.executable, *service["command"][1:]]
    command = [a.replace("/srv/jupyterhub", str(tmp_path)) for a in command]
    env = dict(os.environ, PYTHONPATH=str(pythonpath),
               JUPYTERHUB_API_URL="http://127.0.0.1:9/hub/api", JUPYTERHUB_API_TOKEN="x",
               JUPYTERHUB_SERVICE_URL=f"http://127.0.0.1:{port}",
               JUPYTERHUB_SERVICE_PREFIX="/services/nnlab-exchange/")
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/services/nnlab-exchange/api/courses"
        for _ in range(50):
            try:
                urllib.request.urlopen(url, timeout=2)
            except urllib.error.HTTPError as answer:
                assert answer.code == 401  # no token: refused, as every request without one
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()
                time.sleep(0.1)
        else:
            pytest.fail("the service did not answer")
    finally:
        process.terminate()
        process.wait(10)
    assert (tmp_path / "nnlab-exchange").stat().st_mode & 0o777 == 0o700
