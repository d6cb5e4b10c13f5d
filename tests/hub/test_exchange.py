"""The exchange service (hub/exchange/) in-process: the service as a tornado app on a thread
with a fake hub identity, driven through nbgrader's exchange classes as nbgrader builds them
(ExchangeFactory from a config written by `configure`), and by plain HTTP where a student tries
what the classes would never send. Each test uses its own course id on one shared store."""

import asyncio
import io
import json
import threading
import zipfile
from pathlib import Path

import pytest
import requests
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange import ExchangeError, ExchangeFactory
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from traitlets.config import Config

from hub.exchange import archive
from hub.exchange.client import configure
from hub.exchange.service import Caller, HubIdentity, make_app

PREFIX = "/services/nnlab-exchange/"
TOKENS = {"t-teach": Caller("teach", True), "t-ada": Caller("ada", False),
          "t-bob": Caller("bob", False)}


def serve(app):
    """Serve a tornado app on a free port from a thread; returns (base url, stop)."""
    sockets = bind_sockets(0, "127.0.0.1")
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def run():
        asyncio.set_event_loop(loop)
        HTTPServer(app).add_sockets(sockets)
        loop.call_soon(started.set)
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started.wait(10)

    def stop():
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
    return f"http://127.0.0.1:{sockets[0].getsockname()[1]}", stop


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    store = tmp_path_factory.mktemp("exchange-store")

    async def identify(token):
        return TOKENS.get(token)

    base, stop = serve(make_app(store, identify, PREFIX))
    yield base + PREFIX, store
    stop()


class Person:
    """One user's nbgrader: a course folder (instructor) or a home folder (student)."""

    def __init__(self, url, token, home, course):
        self.url, self.token, self.home, self.course = url, token, Path(home), course
        self.home.mkdir(parents=True, exist_ok=True)

    def run(self, role, assignment, **traits):
        c = Config()
        configure(c, self.url, token=self.token)
        c.CourseDirectory.root = str(self.home)
        c.CourseDirectory.course_id = self.course
        c.CourseDirectory.assignment_id = assignment
        c.Exchange.assignment_dir = str(self.home)
        for name, value in traits.items():
            setattr(getattr(c, "CourseDirectory" if name == "student_id" else "Exchange"),
                    name, value)
        factory = ExchangeFactory(config=c)
        make = {"release": factory.ReleaseAssignment, "fetch": factory.FetchAssignment,
                "submit": factory.Submit, "collect": factory.Collect,
                "release_feedback": factory.ReleaseFeedback,
                "fetch_feedback": factory.FetchFeedback, "list": factory.List}[role]
        exchange = make(coursedir=CourseDirectory(config=c),
                        authenticator=Authenticator(config=c), config=c)
        for name, value in traits.items():
            if hasattr(exchange, name):
                setattr(exchange, name, value)
        return exchange.start()


def people(service, tmp_path, course):
    url, _ = service
    return [Person(url, token, tmp_path / name, course)
            for name, token in (("teach", "t-teach"), ("ada", "t-ada"), ("bob", "t-bob"))]


def released(teach, assignment="ps1", text="the question"):
    folder = teach.home / "release" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{assignment}.ipynb").write_text(json.dumps({"text": text}))
    (folder / "data.csv").write_text("x,y\n1,2\n")
    teach.run("release", assignment)


def answer(student, assignment, text):
    (student.home / assignment / f"{assignment}.ipynb").write_text(json.dumps({"text": text}))


def write_feedback(teach, student_id, assignment="ps1"):
    """What `nbgrader generate_feedback` leaves: an .html per notebook and the timestamp."""
    collected = teach.home / "submitted" / student_id / assignment
    folder = teach.home / "feedback" / student_id / assignment
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "timestamp.txt").write_text((collected / "timestamp.txt").read_text())
    (folder / f"{assignment}.html").write_text(f"<p>feedback for {student_id}</p>")


def test_a_term_release_fetch_submit_collect_feedback(service, tmp_path):
    teach, ada, bob = people(service, tmp_path, "term")
    released(teach)
    for student in (ada, bob):
        student.run("fetch", "ps1")
        assert json.loads((student.home / "ps1" / "ps1.ipynb").read_text())["text"] == \
            "the question"
        assert (student.home / "ps1" / "data.csv").read_text() == "x,y\n1,2\n"
        answer(student, "ps1", f"answer by {student.home.name}")
        student.run("submit", "ps1")

    teach.run("collect", "ps1")
    for name in ("ada", "bob"):
        collected = teach.home / "submitted" / name / "ps1"
        assert json.loads((collected / "ps1.ipynb").read_text())["text"] == f"answer by {name}"
        assert (collected / "timestamp.txt").read_text().endswith("UTC")
        write_feedback(teach, name)
    teach.run("release_feedback", "ps1")

    for student in (ada, bob):
        student.run("fetch_feedback", "ps1")
        pages = list((student.home / "ps1" / "feedback").glob("*/ps1.html"))
        assert [p.read_text() for p in pages] == [f"<p>feedback for {student.home.name}</p>"]
        listed = student.run("list", "ps1", cached=True)
        assert [(a["student_id"], len(a["submissions"])) for a in listed] == \
            [(student.home.name, 1)]
        assert listed[0]["submissions"][0]["has_local_feedback"] is True


def test_submit_as_another_student_is_recorded_as_the_caller(service, tmp_path):
    teach, ada, bob = people(service, tmp_path, "impostor")
    released(teach)
    bob.run("fetch", "ps1")
    answer(bob, "ps1", "bob's work, sent as ada")
    bob.run("submit", "ps1", student_id="ada")
    _, store = service
    assert sorted(p.name for p in (store / "impostor" / "submitted").iterdir()) == ["bob"]
    teach.run("collect", "ps1")
    assert not (teach.home / "submitted" / "ada").exists()
    assert (teach.home / "submitted" / "bob" / "ps1" / "ps1.ipynb").exists()


def test_a_student_cannot_read_another_students_submission_or_feedback(service, tmp_path):
    teach, ada, bob = people(service, tmp_path, "privacy")
    released(teach)
    ada.run("fetch", "ps1")
    answer(ada, "ps1", "ada's secret answer")
    ada.run("submit", "ps1")
    teach.run("collect", "ps1")
    write_feedback(teach, "ada")
    teach.run("release_feedback", "ps1")

    url, _ = service
    as_bob = {"Authorization": "token t-bob"}
    listed = requests.get(f"{url}api/courses/privacy/submissions", headers=as_bob).json()
    assert listed == {"submissions": []}
    stamp = (teach.home / "submitted" / "ada" / "ps1" / "timestamp.txt").read_text()
    theirs = requests.get(f"{url}api/courses/privacy/submissions/ps1/ada/{stamp}", headers=as_bob)
    assert theirs.status_code == 403 and b"secret" not in theirs.content
    for sneaky in ("..%2F..%2Fprivacy", "ada%2F..", "*"):
        probe = requests.get(f"{url}api/courses/privacy/submissions/ps1/{sneaky}/{stamp}",
                             headers=as_bob)
        assert probe.status_code in (400, 403, 404) and b"secret" not in probe.content
    # bob's feedback request returns bob's feedback only: none
    bob.run("fetch_feedback", "ps1")
    assert not list((bob.home / "ps1" / "feedback").rglob("*.html"))
    theirs = requests.get(f"{url}api/courses/privacy/feedback/ps1?student=ada", headers=as_bob)
    assert zipfile.ZipFile(io.BytesIO(theirs.content)).namelist() == []
    assert requests.get(f"{url}api/courses/privacy/submissions").status_code == 401
    wrong = requests.get(f"{url}api/courses/privacy/submissions",
                         headers={"Authorization": "token guessed"})
    assert wrong.status_code == 401


def test_students_cannot_do_the_instructors_part(service, tmp_path):
    teach, ada, bob = people(service, tmp_path, "roles")
    released(teach)
    ada.run("fetch", "ps1")
    bob.run("fetch", "ps1")
    ada.run("submit", "ps1")
    (ada.home / "release" / "ps1").mkdir(parents=True)
    (ada.home / "release" / "ps1" / "ps1.ipynb").write_text("{}")
    with pytest.raises(ExchangeError, match="403 ada is not an instructor"):
        ada.run("release", "ps1", force=True)
    bob.run("submit", "ps1")
    ada.run("collect", "ps1")  # a student's collect sees their own submissions only
    assert [p.name for p in (ada.home / "submitted").iterdir()] == ["ada"]
    write_feedback(ada, "ada")
    with pytest.raises(ExchangeError, match="403"):
        ada.run("release_feedback", "ps1")
    url, _ = service
    delete = requests.delete(f"{url}api/courses/roles/assignments/ps1",
                             headers={"Authorization": "token t-bob"})
    assert delete.status_code == 403
    assert [a["assignment_id"] for a in bob.run("list", "")] == ["ps1"]


def test_release_twice_needs_force_and_unreleased_cannot_be_submitted(service, tmp_path):
    teach, ada, _ = people(service, tmp_path, "again")
    released(teach, text="first")
    with pytest.raises(ExchangeError, match="409 .*already released.*--force"):
        released(teach, text="second")
    (teach.home / "release" / "ps1" / "ps1.ipynb").write_text(json.dumps({"text": "second"}))
    teach.run("release", "ps1", force=True)
    ada.run("fetch", "ps1")
    assert "second" in (ada.home / "ps1" / "ps1.ipynb").read_text()
    with pytest.raises(ExchangeError, match="already have a copy"):
        ada.run("fetch", "ps1")
    (ada.home / "ps2").mkdir()
    with pytest.raises(ExchangeError, match="not released"):
        ada.run("submit", "ps2")


def test_list_says_released_then_fetched_for_the_assignments_tab(service, tmp_path):
    teach, ada, _ = people(service, tmp_path, "tab")
    released(teach)
    assert [(a["assignment_id"], a["status"]) for a in ada.run("list", "")] == \
        [("ps1", "released")]
    ada.run("fetch", "ps1")
    [info] = ada.run("list", "")
    assert info["status"] == "fetched" and info["path"] == str((ada.home / "ps1").resolve())
    assert [n["notebook_id"] for n in info["notebooks"]] == ["ps1"]


@pytest.mark.parametrize("entry", ["../escape.txt", "/etc/evil", "a/../../b"])
def test_archives_with_names_outside_the_folder_are_refused_whole(tmp_path, entry):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("fine.ipynb", "{}")
        zf.writestr(entry, "x")
    with pytest.raises(archive.ArchiveError, match="expected relative file names"):
        archive.unpack(buffer.getvalue(), tmp_path / "dest")
    assert list(tmp_path.iterdir()) == []


def test_hub_identity_asks_the_hub_who_owns_the_token(tmp_path):
    """HubIdentity against a stand-in for JupyterHub's REST API (GET /user, GET /groups/G)."""
    users = {"user-token": "ada", "teach-token": "teach"}

    class User(web.RequestHandler):
        def get(self):
            name = users.get(self.request.headers["Authorization"].split()[-1])
            if name is None:
                raise web.HTTPError(403)
            self.finish({"kind": "user", "name": name})

    class Group(web.RequestHandler):
        def get(self, group):
            assert self.request.headers["Authorization"] == "token service-token"
            self.finish({"name": group, "users": ["teach"]})

    base, stop = serve(web.Application([("/hub/api/user", User),
                                        ("/hub/api/groups/([^/]+)", Group)]))
    try:
        identity = HubIdentity(base + "/hub/api", "service-token", "formgrade-nnlab")

        async def ask():
            return [await identity(t) for t in ("user-token", "teach-token", "nobody")]
        assert asyncio.run(ask()) == [Caller("ada", False), Caller("teach", True), None]
    finally:
        stop()


def test_unix_group_identity_takes_instructors_from_a_linux_group():
    """The one-machine hub's instructors are a Linux group's members (primary or not)."""
    import grp
    import os
    import pwd

    from hub.exchange.service import UnixGroupIdentity

    me = pwd.getpwuid(os.getuid()).pw_name
    mine = grp.getgrgid(os.getgid()).gr_name
    assert me in asyncio.run(UnixGroupIdentity("http://x", "t", mine).members())
    assert asyncio.run(UnixGroupIdentity("http://x", "t", "no-such-group-nnlab").members()) \
        == frozenset()
