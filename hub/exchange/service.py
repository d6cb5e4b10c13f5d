"""The exchange service: releases, submissions and feedback, kept where only it can read them.

Run by JupyterHub as a hub-managed service (hub/jupyterhub_config.py, hub/z2jh/values.yaml):

    python -m hub.exchange.service --root /srv/nnlab/exchange-service --instructors formgrade-nnlab

Every request carries the caller's JupyterHub API token (`Authorization: token ...`; each user's
server has one as JUPYTERHUB_API_TOKEN). The service asks the hub whose token it is, and whether
that user is in the instructors' group; a student may only read the releases, submit as
themselves, list and download their own submissions and fetch their own feedback. What is stored:

    ROOT/<course>/released/<assignment>/...                         (instructor writes)
    ROOT/<course>/submitted/<student>/<assignment>/<timestamp>/...  (the student writes, by token)
    ROOT/<course>/feedback/<student>/<assignment>/<timestamp>/*.html (instructor writes)

The timestamp of a submission is the service's clock, written into its `timestamp.txt`.

API (under the service's prefix, e.g. /services/nnlab-exchange/):

    GET    api/courses                                        course ids with releases
    GET    api/courses/C/assignments                          released assignments
    PUT    api/courses/C/assignments/A[?force=1]              release (zip body)      instructor
    DELETE api/courses/C/assignments/A                        unrelease               instructor
    GET    api/courses/C/assignments/A                        the release as zip
    POST   api/courses/C/submissions/A                        submit as the caller (zip body)
    GET    api/courses/C/submissions[?assignment_id=A]        the caller's (instructor: all)
    GET    api/courses/C/submissions/A/S/T                    one submission (zip)    S, instructor
    PUT    api/courses/C/feedback/A/S/T                       feedback (zip of .html) instructor
    GET    api/courses/C/feedback/A                           the caller's own feedback as zip
"""

import argparse
import asyncio
import datetime
import grp
import hashlib
import json
import os
import pwd
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlparse

from tornado import httpclient, web

from hub.exchange import archive

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$")
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"  # nbgrader's, in UTC
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} UTC$")


@dataclass(frozen=True)
class Caller:
    """Who sent a request: a hub user name, and whether they are in the instructors' group."""
    name: str
    instructor: bool


class HubIdentity:
    """Asks JupyterHub's REST API whose token this is, and who is in the instructors' group.

    The user's own token answers `GET /user` (its owner's name: every token may read that);
    the group's members come with the service's token (role scope `read:groups`). Answers are
    kept for `ttl` seconds so that a class's requests do not each cost a hub request.
    """

    def __init__(self, api_url, service_token, group, ttl=60):
        self.api_url, self.token = api_url.rstrip("/"), service_token
        self.group, self.ttl = group, ttl
        self._users, self._members = {}, (0.0, frozenset())

    async def _get(self, path, token):
        response = await httpclient.AsyncHTTPClient().fetch(
            f"{self.api_url}{path}", headers={"Authorization": f"token {token}"}, raise_error=False)
        return response.code, (json.loads(response.body) if response.code == 200 else None)

    async def __call__(self, token):
        now = time.monotonic()
        cached = self._users.get(token)
        if cached is None or now - cached[0] > self.ttl:
            code, model = await self._get("/user", token)
            if code != 200 or model.get("kind", "user") != "user":
                return None
            cached = self._users[token] = (now, model["name"])
        if now - self._members[0] > self.ttl:
            self._members = (now, await self.members())
        return Caller(cached[1], cached[1] in self._members[1])

    async def members(self):
        """The instructors' hub group's members."""
        code, model = await self._get(f"/groups/{quote(self.group)}", self.token)
        return frozenset(model["users"]) if code == 200 else frozenset()


class UnixGroupIdentity(HubIdentity):
    """The same, with the instructors taken from a Linux group: for the one-machine hub, whose
    users are the machine's (PAM) and whose instructors are in `nnlab-instructors`."""

    async def members(self):
        try:
            group = grp.getgrnam(self.group)
        except KeyError:
            return frozenset()
        primary = {u.pw_name for u in pwd.getpwall() if u.pw_gid == group.gr_gid}
        return frozenset(group.gr_mem) | primary


class Store:
    """The files on disk; every name is checked before it becomes part of a path."""

    def __init__(self, root):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o700)

    @staticmethod
    def check(kind, value, pattern=NAME):
        if not pattern.match(value or ""):
            raise web.HTTPError(400, reason=f"{kind}: expected a name like 'ps1' "
                                f"(letters, digits, _.@-), got {value!r}")
        return value

    def released(self, course, assignment=""):
        path = self.root / self.check("course_id", course) / "released"
        return path / self.check("assignment_id", assignment) if assignment else path

    def submission(self, course, assignment, student, timestamp=""):
        path = (self.root / self.check("course_id", course) / "submitted" /
                self.check("student_id", student) / self.check("assignment_id", assignment))
        return path / self.check("timestamp", timestamp, TIMESTAMP) if timestamp else path

    def feedback(self, course, assignment, student, timestamp=""):
        path = (self.root / self.check("course_id", course) / "feedback" /
                self.check("student_id", student) / self.check("assignment_id", assignment))
        return path / self.check("timestamp", timestamp, TIMESTAMP) if timestamp else path


def _listing(folder, pattern="*"):
    return sorted(p.name for p in folder.glob(pattern)) if folder.is_dir() else []


def _md5(path):
    return hashlib.md5(path.read_bytes()).hexdigest()


class Handler(web.RequestHandler):
    """Identifies the caller from their token before anything else."""

    def initialize(self, store, identify):
        self.store, self.identify = store, identify

    async def prepare(self):
        header = self.request.headers.get("Authorization", "")
        token = header[len("token "):].strip() if header.startswith("token ") else ""
        self.caller = await self.identify(token) if token else None
        if self.caller is None:
            raise web.HTTPError(401, reason="a JupyterHub API token is required "
                                "(header 'Authorization: token ...')")

    def require_instructor(self):
        if not self.caller.instructor:
            raise web.HTTPError(403, reason=f"{self.caller.name} is not an instructor")

    def require_self_or_instructor(self, student):
        if student != self.caller.name and not self.caller.instructor:
            raise web.HTTPError(403, reason=f"{self.caller.name} may only read their own work")

    def write_error(self, status_code, **kwargs):
        self.finish({"error": self._reason})

    def send_zip(self, data):
        self.set_header("Content-Type", "application/zip")
        self.finish(data)

    def unpack_body(self, dest, **kwargs):
        try:
            return archive.unpack(self.request.body, dest, **kwargs)
        except archive.ArchiveError as error:
            raise web.HTTPError(400, reason=str(error)) from None


class Courses(Handler):
    def get(self):
        self.finish({"courses": [c for c in _listing(self.store.root)
                                 if (self.store.root / c / "released").is_dir()]})


class Assignments(Handler):
    def get(self, course):
        folder = self.store.released(course)
        self.finish({"assignments": [
            {"assignment_id": a, "notebooks": [n[:-6] for n in _listing(folder / a, "*.ipynb")]}
            for a in _listing(folder) if not a.startswith(".")]})


class Assignment(Handler):
    def get(self, course, assignment):
        folder = self.store.released(course, assignment)
        if not folder.is_dir():
            raise web.HTTPError(404, reason=f"assignment {assignment!r} is not released "
                                f"in course {course!r}")
        self.send_zip(archive.pack(folder, skip=()))

    def put(self, course, assignment):
        self.require_instructor()
        folder = self.store.released(course, assignment)
        if folder.exists() and self.get_argument("force", "") != "1":
            raise web.HTTPError(409, reason=f"assignment {assignment!r} is already released "
                                "(release again with --force to replace it)")
        staging = folder.with_name(f".{assignment}-new")
        shutil.rmtree(staging, ignore_errors=True)
        self.unpack_body(staging)
        if folder.exists():
            old = folder.with_name(f".{assignment}-old")
            shutil.rmtree(old, ignore_errors=True)
            os.rename(folder, old)
            os.rename(staging, folder)
            shutil.rmtree(old)
        else:
            os.rename(staging, folder)
        self.set_status(201)
        self.finish({"assignment_id": assignment})

    def delete(self, course, assignment):
        self.require_instructor()
        shutil.rmtree(self.store.released(course, assignment), ignore_errors=True)
        self.finish({"assignment_id": assignment})


class Submissions(Handler):
    def get(self, course):
        wanted = self.get_argument("assignment_id", "") or "*"
        everyone = self.store.root / self.store.check("course_id", course) / "submitted"
        students = _listing(everyone) if self.caller.instructor else [self.caller.name]
        found = []
        for student in students:
            for assignment in _listing(everyone / student, wanted):
                for timestamp in _listing(self.store.submission(course, assignment, student)):
                    if not TIMESTAMP.match(timestamp):
                        continue
                    folder = self.store.submission(course, assignment, student, timestamp)
                    feedback = self.store.feedback(course, assignment, student, timestamp)
                    found.append({
                        "student_id": student, "assignment_id": assignment, "timestamp": timestamp,
                        "notebooks": [n[:-6] for n in _listing(folder, "*.ipynb")],
                        "feedback": {f[:-5]: _md5(feedback / f)
                                     for f in _listing(feedback, "*.html")},
                    })
        self.finish({"submissions": found})

    def post(self, course, assignment):
        if not self.store.released(course, assignment).is_dir():
            raise web.HTTPError(404, reason=f"assignment {assignment!r} is not released "
                                f"in course {course!r}")
        timestamp = datetime.datetime.now(datetime.timezone.utc).strftime(TIMESTAMP_FORMAT)
        folder = self.store.submission(course, assignment, self.caller.name, timestamp)
        self.unpack_body(folder)
        (folder / "timestamp.txt").write_text(timestamp)  # the service's clock, not the student's
        self.set_status(201)
        self.finish({"student_id": self.caller.name, "assignment_id": assignment,
                     "timestamp": timestamp})


class Submission(Handler):
    def get(self, course, assignment, student, timestamp):
        self.require_self_or_instructor(student)
        folder = self.store.submission(course, assignment, student, timestamp)
        if not folder.is_dir():
            raise web.HTTPError(404, reason="no such submission")
        self.send_zip(archive.pack(folder, skip=()))


class Feedback(Handler):
    def put(self, course, assignment, student, timestamp):
        self.require_instructor()
        if not self.store.submission(course, assignment, student, timestamp).is_dir():
            raise web.HTTPError(404, reason=f"no submission of {assignment!r} by {student!r} "
                                f"at {timestamp!r} to give feedback on")
        try:
            names = archive.names(self.request.body)
        except archive.ArchiveError as error:
            raise web.HTTPError(400, reason=str(error)) from None
        if not names or any("/" in n or not n.endswith(".html") for n in names):
            raise web.HTTPError(400, reason=f"feedback: expected .html files, got {names}")
        folder = self.store.feedback(course, assignment, student, timestamp)
        if folder.exists():
            self._replace(folder)
        else:
            self.unpack_body(folder)
        self.set_status(201)
        self.finish({"student_id": student, "timestamp": timestamp, "notebooks": names})

    def _replace(self, folder):
        new = folder.with_name(folder.name + ".new")
        shutil.rmtree(new, ignore_errors=True)
        self.unpack_body(new)
        shutil.rmtree(folder)
        os.rename(new, folder)

    def get(self, course, assignment):
        folder = self.store.feedback(course, assignment, self.caller.name)
        others = {t for t in _listing(folder) if not TIMESTAMP.match(t)}
        self.send_zip(archive.pack(folder, skip=others) if folder.is_dir() else archive.EMPTY)


def make_app(root, identify, prefix="/"):
    """The service as a tornado application: files under `root`; `identify(token)` is an
    async callable returning a `Caller` or None (`HubIdentity` on a hub, a fake in tests)."""
    store = Store(root)
    p = prefix.rstrip("/") + "/api/courses"
    part, stamp = r"([^/]+)", r"([^/]+)"
    args = {"store": store, "identify": identify}
    return web.Application([
        (p, Courses, args),
        (rf"{p}/{part}/assignments", Assignments, args),
        (rf"{p}/{part}/assignments/{part}", Assignment, args),
        (rf"{p}/{part}/submissions", Submissions, args),
        (rf"{p}/{part}/submissions/{part}", Submissions, args),
        (rf"{p}/{part}/submissions/{part}/{part}/{stamp}", Submission, args),
        (rf"{p}/{part}/feedback/{part}", Feedback, args),
        (rf"{p}/{part}/feedback/{part}/{part}/{stamp}", Feedback, args),
    ], max_body_size=archive.MAX_BYTES)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m hub.exchange.service",
        description="nbgrader's exchange as a JupyterHub service (run by the hub, which sets "
                    "JUPYTERHUB_API_URL, JUPYTERHUB_API_TOKEN, JUPYTERHUB_SERVICE_URL and "
                    "JUPYTERHUB_SERVICE_PREFIX).")
    parser.add_argument("--root", required=True, help="where the files are kept (made 0700)")
    parser.add_argument("--instructors", default="formgrade-nnlab",
                        help="the hub group whose members are instructors (default: %(default)s)")
    parser.add_argument("--unix-group", action="store_true",
                        help="--instructors names a Linux group, not a hub group (one machine)")
    parser.add_argument("--address", default="127.0.0.1",
                        help="the interface to listen on, at JUPYTERHUB_SERVICE_URL's port "
                             "(0.0.0.0 on Kubernetes, where the proxy runs in another pod)")
    args = parser.parse_args(argv)
    env = os.environ
    kind = UnixGroupIdentity if args.unix_group else HubIdentity
    identify = kind(env["JUPYTERHUB_API_URL"], env["JUPYTERHUB_API_TOKEN"], args.instructors)
    app = make_app(args.root, identify, env.get("JUPYTERHUB_SERVICE_PREFIX", "/"))
    port = urlparse(env.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101")).port

    async def serve():
        app.listen(port, address=args.address)  # inside the running loop, or nobody answers
        await asyncio.Event().wait()
    asyncio.run(serve())


if __name__ == "__main__":
    main()
