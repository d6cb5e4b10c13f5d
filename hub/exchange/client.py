"""nbgrader's exchange classes for the exchange service (hub/exchange/service.py).

Every user's nbgrader config names them (hub/classroom.py writes it on one machine; the image's
config does on Kubernetes):

    from hub.exchange.client import configure
    configure(c, "http://127.0.0.1:8000/services/nnlab-exchange/")

The token is the user server's JUPYTERHUB_API_TOKEN: the service takes the caller's name from
it, so `nbgrader submit --student=OTHER` submits as the caller (and says so), and nobody can
list, download or fetch the feedback of another student's submission.
"""

import glob
import hashlib
import json
import os
import shutil
from pathlib import Path
from urllib.parse import quote

import requests
from nbgrader.exchange import abc
from traitlets import Bool, Float, Unicode, default

from hub.exchange import archive


def configure(c, url=None, token=None):
    """Point nbgrader's config `c` at the exchange service at `url` (all seven classes); without
    a url, the environment's NNLAB_EXCHANGE_URL is used when nbgrader runs."""
    if url is not None:
        c.ServiceExchange.url = url
    if token is not None:
        c.ServiceExchange.token = token
    for role, cls in CLASSES.items():
        setattr(c.ExchangeFactory, role, f"hub.exchange.client.{cls.__name__}")


class ServiceExchange(abc.Exchange):
    """What every exchange class shares: the service's address, the token, one request."""

    url = Unicode(help="The exchange service's address, e.g. "
                  "http://127.0.0.1:8000/services/nnlab-exchange/").tag(config=True)
    token = Unicode(help="The caller's JupyterHub API token").tag(config=True)
    timeout = Float(60.0, help="Seconds to wait for the service").tag(config=True)
    path_includes_course = Bool(False, help="Whether assignment folders sit under a folder "
                                "named after the course").tag(config=True)

    @default("url")
    def _url_default(self):
        return os.environ.get("NNLAB_EXCHANGE_URL", "")

    @default("token")
    def _token_default(self):
        return os.environ.get("JUPYTERHUB_API_TOKEN", "")

    def request(self, method, path, expect=(200, 201), **kwargs):
        if not self.url:
            self.fail("The exchange service's address is not set "
                      "(c.ServiceExchange.url or NNLAB_EXCHANGE_URL).")
        address = self.url.rstrip("/") + "/api/courses" + path
        try:
            response = requests.request(method, address, timeout=self.timeout,
                                        headers={"Authorization": f"token {self.token}"}, **kwargs)
        except requests.RequestException as error:
            self.fail(f"The exchange service at {self.url} did not answer: {error}")
        if response.status_code not in expect:
            try:
                reason = response.json()["error"]
            except (ValueError, KeyError):
                reason = response.reason
            self.fail(f"The exchange service refused {method} {path}: "
                      f"{response.status_code} {reason}")
        return response

    def course(self):
        if not self.coursedir.course_id:
            self.fail("No course id specified. Re-run with --course flag.")
        return quote(self.coursedir.course_id, safe="")

    def assignment(self):
        if not self.coursedir.assignment_id:
            self.fail("No assignment specified (e.g. `nbgrader fetch_assignment ps1`).")
        return quote(self.coursedir.assignment_id, safe="")

    def local_folder(self, assignment_id, course_id=None):
        parts = ([course_id or self.coursedir.course_id] if self.path_includes_course else [])
        return Path(self.assignment_dir, *parts, assignment_id)

    def init_src(self):
        pass

    def init_dest(self):
        pass


class ReleaseAssignment(ServiceExchange, abc.ExchangeReleaseAssignment):
    def copy_files(self):
        src = Path(self.coursedir.format_path(self.coursedir.release_directory, ".",
                                              self.coursedir.assignment_id))
        if not src.is_dir():
            self.fail(f"Assignment not found: {src} (run generate_assignment first)")
        self.request("PUT", f"/{self.course()}/assignments/{self.assignment()}",
                     params={"force": "1"} if self.force else {}, data=archive.pack(src))
        self.log.info(f"Released {self.coursedir.assignment_id} to the exchange service")


class FetchAssignment(ServiceExchange, abc.ExchangeFetchAssignment):
    def copy_files(self):
        dest = self.local_folder(self.coursedir.assignment_id)
        if dest.exists() and not self.replace_missing_files:
            self.fail(f"You already have a copy of the assignment in {dest}: move it away or "
                      "use --replace to add only the missing files.")
        data = self.request("GET", f"/{self.course()}/assignments/{self.assignment()}").content
        written = archive.unpack(data, dest,
                                 existing="keep" if self.replace_missing_files else "refuse")
        self.log.info(f"Fetched {len(written)} files into {dest}")


class Submit(ServiceExchange, abc.ExchangeSubmit):
    def copy_files(self):
        if self.coursedir.student_id not in ("", "*"):
            self.log.warning(f"--student={self.coursedir.student_id} is ignored: the exchange "
                             "service records you as the user you are logged in as.")
        src = self.local_folder(self.coursedir.assignment_id)
        if not src.is_dir():
            self.fail(f"Assignment not found: {src}")
        released = self.request("GET", f"/{self.course()}/assignments").json()["assignments"]
        notebooks = next((a["notebooks"] for a in released
                          if a["assignment_id"] == self.coursedir.assignment_id), None)
        if notebooks is None:
            self.fail(f"Assignment {self.coursedir.assignment_id} is not released in "
                      f"{self.coursedir.course_id}")
        missing = sorted(set(notebooks) - {p.stem for p in src.glob("*.ipynb")})
        if missing:
            message = f"Notebooks missing from your submission: {', '.join(missing)}"
            if self.strict:
                self.fail(message + " (strict mode: nothing was submitted)")
            self.log.warning(message)
        answer = self.request("POST", f"/{self.course()}/submissions/{self.assignment()}",
                              data=archive.pack(src)).json()
        self.timestamp = answer["timestamp"]
        self.log.info(f"Submitted as {answer['student_id']}: {self.coursedir.course_id} "
                      f"{self.coursedir.assignment_id} {self.timestamp}")


class Collect(ServiceExchange, abc.ExchangeCollect):
    def copy_files(self):
        found = self.request("GET", f"/{self.course()}/submissions",
                             params={"assignment_id": self.coursedir.assignment_id}).json()
        latest = {}
        for sub in sorted(found["submissions"], key=lambda s: s["timestamp"]):
            if self.coursedir.student_id in ("", "*", sub["student_id"]):
                latest[sub["student_id"]] = sub
        if self.before_duedate:
            self.log.warning("--before-duedate is not supported by the exchange service: "
                             "collecting each student's latest submission")
        if not latest:
            self.log.warning(f"No submissions of '{self.coursedir.assignment_id}' for course "
                             f"'{self.coursedir.course_id}' to collect")
        for student, sub in sorted(latest.items()):
            dest = Path(self.coursedir.format_path(self.coursedir.submitted_directory, student,
                                                   self.coursedir.assignment_id))
            if dest.is_dir():
                existing = self.coursedir.get_existing_timestamp(str(dest))
                newer = existing is None or sub["timestamp"] > _stamp(existing)
                if not (self.update and newer):
                    why = ("No newer submission" if self.update else
                           "Submission already exists, use --update to update")
                    self.log.info(f"{why}: {student}")
                    continue
            path = "/".join(quote(p, safe="") for p in (
                self.coursedir.assignment_id, student, sub["timestamp"]))
            data = self.request("GET", f"/{self.course()}/submissions/{path}").content
            staging = dest.with_name(f".{dest.name}-collecting")
            archive.unpack(data, staging)
            if dest.exists():
                shutil.rmtree(dest)
            os.rename(staging, dest)
            self.log.info(f"Collected submission: {student} {self.coursedir.assignment_id}")


def _stamp(when):
    """nbgrader's parsed timestamp written back in the service's format (both UTC)."""
    return when.strftime("%Y-%m-%d %H:%M:%S.%f UTC")


class ReleaseFeedback(ServiceExchange, abc.ExchangeReleaseFeedback):
    def copy_files(self):
        student = self.coursedir.student_id or "*"
        excluded = set(filter(None, self.coursedir.student_id_exclude.split(",")))
        pattern = self.coursedir.format_path(self.coursedir.feedback_directory, student,
                                             self.coursedir.assignment_id)
        for folder in map(Path, sorted(glob.glob(pattern))):
            student_id = folder.parent.name
            if student_id in excluded or not (folder / "timestamp.txt").is_file():
                continue
            timestamp = (folder / "timestamp.txt").read_text().strip()
            path = "/".join(quote(p, safe="") for p in (
                self.coursedir.assignment_id, student_id, timestamp))
            data = archive.pack_files(folder, [p.name for p in sorted(folder.glob("*.html"))])
            self.request("PUT", f"/{self.course()}/feedback/{path}", data=data)
            self.log.info(f"Released feedback for {student_id} on {self.coursedir.assignment_id}")


class FetchFeedback(ServiceExchange, abc.ExchangeFetchFeedback):
    def copy_files(self):
        data = self.request("GET", f"/{self.course()}/feedback/{self.assignment()}").content
        dest = self.local_folder(self.coursedir.assignment_id) / "feedback"
        written = archive.unpack(data, dest, existing="replace")
        self.log.info(f"Fetched {len(written)} feedback files into {dest}" if written
                      else f"No feedback for {self.coursedir.assignment_id} yet")


class List(ServiceExchange, abc.ExchangeList):
    def copy_files(self):
        pass  # listing moves no files: start() calls list_files or remove_files after this

    def courses(self):
        if self.coursedir.course_id:
            return [self.coursedir.course_id]
        return self.request("GET", "").json()["courses"]

    def released(self):
        found = []
        for course in self.courses():
            listed = self.request("GET", f"/{quote(course, safe='')}/assignments").json()
            for a in listed["assignments"]:
                if self.coursedir.assignment_id not in ("", "*", a["assignment_id"]):
                    continue
                local = self.local_folder(a["assignment_id"], course)
                fetched = local.is_dir()
                path = (str(local.resolve()) if fetched else
                        f"{self.url.rstrip('/')}/{course}/{a['assignment_id']}")
                found.append({
                    "course_id": course, "assignment_id": a["assignment_id"],
                    "status": "fetched" if fetched else "released", "path": path,
                    "notebooks": [{"notebook_id": n, "path": f"{path}/{n}.ipynb"}
                                  for n in a["notebooks"]]})
        return found

    def submitted(self):
        groups = {}
        for course in self.courses():
            listed = self.request("GET", f"/{quote(course, safe='')}/submissions",
                                  params={"assignment_id": self.coursedir.assignment_id}).json()
            for sub in listed["submissions"]:
                info = self._submission(course, sub)
                key = (course, sub["student_id"], sub["assignment_id"])
                groups.setdefault(key, []).append(info)
        return [{"course_id": c, "student_id": s, "assignment_id": a, "status": "submitted",
                 "submissions": sorted(subs, key=lambda i: i["timestamp"])}
                for (c, s, a), subs in sorted(groups.items())]

    def _submission(self, course, sub):
        local = self.local_folder(sub["assignment_id"], course) / "feedback" / sub["timestamp"]
        notebooks = []
        for name in sub["notebooks"]:
            here = local / f"{name}.html"
            remote = sub["feedback"].get(name)
            mine = hashlib.md5(here.read_bytes()).hexdigest() if here.is_file() else None
            notebooks.append({
                "notebook_id": name, "path": name, "has_local_feedback": mine is not None,
                "has_exchange_feedback": remote is not None,
                "local_feedback_path": str(here) if mine else None,
                "feedback_updated": bool(mine and remote and mine != remote)})
        has_local = bool(notebooks) and all(n["has_local_feedback"] for n in notebooks)
        return {
            "course_id": course, "student_id": sub["student_id"],
            "assignment_id": sub["assignment_id"], "timestamp": sub["timestamp"],
            "status": "submitted", "path": sub["timestamp"], "notebooks": notebooks,
            "has_local_feedback": has_local,
            "has_exchange_feedback": bool(notebooks) and all(
                n["has_exchange_feedback"] for n in notebooks),
            "feedback_updated": any(n["feedback_updated"] for n in notebooks),
            "local_feedback_path": str(local) if has_local else None}

    def list_files(self):
        found = self.submitted() if (self.inbound or self.cached) else self.released()
        self.log.info(json.dumps(found, indent=1) if self.log.isEnabledFor(10) else
                      f"{len(found)} {'submitted' if self.inbound or self.cached else 'released'}"
                      " assignments")
        return found

    def remove_files(self):
        if self.inbound or self.cached:
            self.fail("Submissions cannot be removed through the exchange service.")
        found = self.released()
        for info in found:
            self.request("DELETE", f"/{quote(info['course_id'], safe='')}/assignments/"
                         f"{quote(info['assignment_id'], safe='')}")
            info["status"] = "removed"
        return found


CLASSES = {"exchange": ServiceExchange, "release_assignment": ReleaseAssignment,
           "fetch_assignment": FetchAssignment, "submit": Submit, "collect": Collect,
           "release_feedback": ReleaseFeedback, "fetch_feedback": FetchFeedback, "list": List}
