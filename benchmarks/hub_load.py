"""A class arriving at the one-machine hub (hub/): N simulated students, measured.

Each student, at their own moment within ARRIVAL seconds (a class coming in), logs in on the
hub's page, waits for their JupyterLab server, pulls the course with nbgitpuller, runs every
code cell of lesson 01 through a kernel (as Run All would) and fetches and submits ps1 through
nbgrader's Assignments API (the exchange service). Measured: success rate, p50/p95 server start
and cell execution, the machine's memory in use (peak over the run, above the hub alone), for
each class size in NNLAB_LOAD_STUDENTS (default 5,10,20,30).

    sudo .venv/bin/python benchmarks/hub_load.py              # or: make bench (as root)

Needs what the hub term needs (root, useradd, npm, /usr/bin/python3; tests/hub/hubterm.py says
what is missing): without it the section says "not run" and why. Users nnl-sNN are created and
removed again. A class of 30 takes a few minutes.
"""

import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "hub"))

PSET = "ps1_neurons_and_gates"
ARRIVAL = float(os.environ.get("NNLAB_LOAD_ARRIVAL", "60"))
PREFIX = Path(os.environ.get("NNLAB_HUB_TEST_PREFIX") or "/opt/nnlab-hub-test")


def counts():
    return [int(n) for n in os.environ.get("NNLAB_LOAD_STUDENTS", "5,10,20,30").split(",")]


def memory_in_use_mb():
    info = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
    kb = lambda key: int(info[key].split()[0])  # noqa: E731
    return (kb("MemTotal") - kb("MemAvailable")) / 1024


class Sampler(threading.Thread):
    """The machine's memory in use, once a second, until stopped."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples, self.running = [], True

    def run(self):
        while self.running:
            self.samples.append(memory_in_use_mb())
            time.sleep(1)


def log_in(url, name, password):
    import requests

    session = requests.Session()
    session.get(f"{url}/hub/login", timeout=60)
    session.post(f"{url}/hub/login?next=", timeout=120, data={
        "username": name, "password": password, "_xsrf": session.cookies.get("_xsrf", "")})
    return session


def wait_for_server(session, url, name, timeout=180):
    """Ask the hub to start `name`'s server (as the spawn page does), wait until it answers."""
    hub_xsrf = next((c.value for c in session.cookies if c.name == "_xsrf"
                     and c.path.startswith("/hub")), "")
    r = session.post(f"{url}/hub/api/users/{name}/server", headers={"X-XSRFToken": hub_xsrf},
                     timeout=120)
    if r.status_code not in (201, 202, 400):
        raise RuntimeError(f"the hub refused to start {name}'s server: {r.status_code} "
                           f"{r.text[:200]}")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # A page, not the API: the server sends a browser through the hub's OAuth (cookie).
        r = session.get(f"{url}/user/{name}/lab", timeout=60)
        if r.status_code == 200 and r.url.split("?")[0].endswith(f"/user/{name}/lab"):
            return
        time.sleep(0.5)
    raise TimeoutError(f"{name}'s server did not start within {timeout} s "
                       f"(last answer {r.status_code} from {r.url})")


def xsrf(session, name):
    return next((c.value for c in session.cookies if c.name == "_xsrf"
                 and c.path.startswith(f"/user/{name}")), "")


def pull(session, url, name, upstream):
    query = urllib.parse.urlencode({"repo": str(upstream), "branch": "main",
                                    "targetpath": "nnlab"})
    with session.get(f"{url}/user/{name}/git-pull/api?{query}", stream=True,
                     timeout=300) as r:
        for line in r.iter_lines(decode_unicode=True):
            if line and '"phase": "finished"' in line:
                return
            if line and '"phase": "error"' in line:
                raise RuntimeError(f"pull failed: {line[:300]}")
    raise RuntimeError("the pull's event stream ended without 'finished'")


def run_cells(session, url, name, cells, timeout=300):
    """Every code cell through one kernel; returns each cell's seconds."""
    import websocket

    headers = {"X-XSRFToken": xsrf(session, name)}
    r = session.post(f"{url}/user/{name}/api/kernels", json={"name": "python3",
                     "path": "nnlab/course"}, headers=headers, timeout=120)
    r.raise_for_status()
    kernel = r.json()["id"]
    cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    ws_url = url.replace("http://", "ws://") + f"/user/{name}/api/kernels/{kernel}/channels"
    ws = websocket.create_connection(ws_url, header=[f"Cookie: {cookie}"], origin=url,
                                     timeout=timeout)
    times = []
    try:
        for source in cells:
            msg_id = uuid.uuid4().hex
            ws.send(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": name,
                           "session": "load", "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": source, "silent": False, "store_history": True,
                            "user_expressions": {}, "allow_stdin": False,
                            "stop_on_error": True}}))
            started, failed = time.monotonic(), None
            while True:
                msg = json.loads(ws.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "error":
                    failed = msg["content"]["ename"] + ": " + msg["content"]["evalue"]
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    break
            times.append(time.monotonic() - started)
            if failed:
                raise RuntimeError(f"a cell of lesson 01 failed: {failed}")
    finally:
        ws.close()
    return times


def submit(session, url, name):
    headers = {"X-XSRFToken": xsrf(session, name)}
    for action in ("fetch", "submit"):
        r = session.post(f"{url}/user/{name}/assignments/{action}", headers=headers, timeout=300,
                         data=json.dumps({"course_id": "nnlab", "assignment_id": PSET}))
        if r.status_code != 200 or not r.json().get("success"):
            raise RuntimeError(f"{action} failed: {r.status_code} {r.text[:300]}")


def student(room, name, delay, cells, out):
    time.sleep(delay)
    record = {"name": name}
    try:
        started = time.monotonic()
        session = log_in(room.url, name, room.passwords[name])
        wait_for_server(session, room.url, name)
        record["start"] = time.monotonic() - started
        pull(session, room.url, name, room.upstream)
        record["cells"] = run_cells(session, room.url, name, cells)
        submit(session, room.url, name)
        record["ok"] = True
    except Exception as error:  # a failed student is a result, not the end of the run
        record["ok"], record["error"] = False, f"{type(error).__name__}: {error}"
        traceback.print_exc()
    out.append(record)


def percentile(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def run_class(n):
    import nbformat
    from hubterm import INSTRUCTOR, Classroom, build_student_edition

    from hub import classroom
    from tests.browser.labdriver import free_port

    names = [f"nnl-s{i:02d}" for i in range(1, n + 1)]
    root = Path(tempfile.mkdtemp(prefix="nnlab-hub-load-"))
    root.chmod(0o755)
    room = Classroom(root, PREFIX, free_port())
    quiet = lambda line: None  # noqa: E731
    try:
        build_student_edition(room.upstream)
        classroom.install(PREFIX, exchange=room.exchange, safe_directories=[room.upstream],
                          log=quiet)
        for name in (INSTRUCTOR, *names):
            classroom.remove_user(name, log=quiet)
        classroom.add_instructor(INSTRUCTOR, room.passwords[INSTRUCTOR], repo=REPO, log=quiet)
        for name in names:
            room.passwords[name] = uuid.uuid4().hex[:12]
            classroom.add_student(name, room.passwords[name], log=quiet)
        room.start()
        teacher = log_in(room.url, INSTRUCTOR, room.passwords[INSTRUCTOR])
        wait_for_server(teacher, room.url, INSTRUCTOR)
        release = room.as_user(INSTRUCTOR, f"nbgrader release_assignment {PSET}", cwd="~/nnlab")
        assert release.returncode == 0, release.stdout + release.stderr
        lesson = sorted((room.upstream / "course").glob("01_*.ipynb"))[0]
        cells = [c.source for c in nbformat.read(lesson, as_version=4).cells
                 if c.cell_type == "code"]
        time.sleep(3)
        baseline = memory_in_use_mb()
        sampler = Sampler()
        sampler.start()
        records, threads = [], []
        began = time.monotonic()
        for i, name in enumerate(names):
            t = threading.Thread(target=student, args=(room, name, i * ARRIVAL / n, cells,
                                                       records))
            t.start()
            threads.append(t)
        for t in threads:
            t.join()
        elapsed = time.monotonic() - began
        sampler.running = False
        sampler.join()
        return {"n": n, "records": records, "baseline": baseline, "elapsed": elapsed,
                "peak": max(sampler.samples), "hub_mb": room.memory_mb("jupyterhub")}
    finally:
        room.stop()
        for name in (INSTRUCTOR, *names):
            classroom.remove_user(name, log=quiet)
        shutil.rmtree(root, ignore_errors=True)


def summary(result):
    ok = [r for r in result["records"] if r["ok"]]
    starts = [r["start"] for r in result["records"] if "start" in r]
    cells = [t for r in result["records"] for t in r.get("cells", [])]
    per_student = (result["peak"] - result["baseline"]) / max(1, result["n"])
    errors = sorted({re.sub(r"nnl-s\d+", "S", r["error"])[:80] for r in result["records"]
                     if not r["ok"]})
    return (f"| {result['n']} | {len(ok)}/{result['n']} | {percentile(starts, 50):.1f} / "
            f"{percentile(starts, 95):.1f} | {percentile(cells, 50):.2f} / "
            f"{percentile(cells, 95):.2f} / {max(cells, default=float('nan')):.2f} | "
            f"{result['peak'] / 1024:.1f} | {per_student:.0f} | {result['elapsed']:.0f} | "
            f"{'; '.join(errors) or '-'} |")


def markdown_rows():
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        return ["not run: the hub load test creates Linux users and runs the hub (run "
                "`make bench` as root)"]
    from hubterm import missing_pieces

    missing = missing_pieces()
    if missing:
        return ["not run: " + "; ".join(missing)]
    rows = [f"N students arrive over {ARRIVAL:.0f} s; each logs in, waits for their server, "
            "pulls the course (nbgitpuller), runs lesson 01's code cells through a kernel and "
            f"fetches and submits {PSET} (the exchange service). Memory: the machine's in use "
            "at the peak, and that peak above the idle hub divided by N.", "",
            "| N | all steps done | server start p50 / p95 (s) | cell p50 / p95 / max (s) | "
            "memory peak (GiB) | per student (MB) | wall (s) | failures |",
            "|---|---|---|---|---|---|---|---|"]
    for n in counts():
        result = run_class(n)
        rows.append(summary(result))
        print(rows[-1], flush=True)
    return rows


if __name__ == "__main__":
    print("\n".join(markdown_rows()))
