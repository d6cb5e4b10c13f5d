"""A whole term on the course's JupyterHub, in Chromium, with real Linux users.

The steps run in order and build on each other (a failing step fails the ones after it):

1. a student logs in on the hub's login page, clicks an nbgitpuller link to the student edition
   (a local git repository) and lands in lesson 01, whose widgets answer;
2. a second click, after an upstream change, pulls it and keeps the student's own edit;
3. the instructor releases ps1; two students fetch it from the Assignments tab, one completes it
   (the solution's answers written in), one leaves it unfinished, both submit from the tab;
4. the instructor collects, runs `make grade`, grades the written answer in the formgrader (its
   web page, in Chromium) and releases the feedback;
5. each student fetches their feedback from the tab and sees their own score, no hidden test;
6. a student can read neither another student's work nor the instructor's, through the hub, on
   disk or through the exchange service (hub/exchange/, which also records a `--student=OTHER`
   submission under the caller's own name), and has none of the instructor's tools.

What students and the instructor type into notebooks (answers) is written through the
notebook server's contents API with the user's own session, as JupyterLab's editor would save
it; everything that the issue names as a click (login, the link, Fetch, Submit, Fetch Feedback,
the formgrader's score box) is clicked in the browser.
"""

import json
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest
from hubterm import INSTRUCTOR, STUDENTS, VIEWPORT, git

from tests.browser.labdriver import Notebook, canvas_pixels, move_slider, wait_canvas_change

PSET = "ps1_neurons_and_gates"
ADA, BOB = STUDENTS
REPO = Path(__file__).resolve().parents[2]
SOLUTION = REPO / "solutions" / PSET / f"{PSET}.ipynb"
#: The lesson that trains the largest network (the digits), measured for INSTRUCTORS.md's sizing.
HEAVIEST_LESSON = "13_"
INSTRUCTOR_PLUGINS = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"]
WRITTEN_ANSWER = "A single step neuron draws one straight line; XOR's classes need two."

#: What the steps hand on to the next ones (pages stay open across steps).
term = {}


# ------------------------------------------------------------------ independent expectations
def nbgrader(cell):
    return cell.metadata.get("nbgrader", {})


def solution():
    return nbformat.read(SOLUTION, as_version=4)


def autograded_points():
    """{test grade_id: points} of the autograded tests, read from the source notebook."""
    return {nbgrader(c)["grade_id"]: float(nbgrader(c)["points"]) for c in solution().cells
            if c.cell_type == "code" and nbgrader(c).get("grade")
            and not nbgrader(c).get("solution")}


def written_points():
    return {nbgrader(c)["grade_id"]: float(nbgrader(c)["points"]) for c in solution().cells
            if c.cell_type == "markdown" and nbgrader(c).get("grade")}


def checks_of(answer_id):
    """The test cells between answer `answer_id` and the next answer cell."""
    found, inside = [], False
    for cell in solution().cells:
        meta = nbgrader(cell)
        if meta.get("solution") and not meta.get("grade"):
            inside = meta["grade_id"] == answer_id
        elif inside and meta.get("grade") and cell.cell_type == "code":
            found.append(meta["grade_id"])
    return found


def hidden_test_lines():
    """Lines of the hidden tests (between BEGIN/END HIDDEN TESTS) that students must not see:
    those of some length that the released notebook does not show anyway, even as part of a
    line (a visible test may share `warnings.simplefilter("error")` with a hidden one)."""
    released = REPO / "assignments" / PSET / f"{PSET}.ipynb"
    seen = {line.strip() for cell in nbformat.read(released, as_version=4).cells
            for line in cell.source.splitlines()}
    lines = []
    for cell in solution().cells:
        for block in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS",
                                cell.source, re.S):
            lines += [line.strip() for line in block.splitlines()
                      if len(line.strip()) > 12 and not any(line.strip() in v for v in seen)]
    return lines


def answered(released, answers, written=None):
    """The released notebook with some answer cells replaced by the solution's."""
    sources = {nbgrader(c)["grade_id"]: c.source for c in solution().cells
               if nbgrader(c).get("solution") and not nbgrader(c).get("grade")}
    for cell in released.cells:
        meta = nbgrader(cell)
        if meta.get("solution") and cell.cell_type == "code" and meta["grade_id"] in answers:
            cell.source = sources[meta["grade_id"]]
        if meta.get("solution") and cell.cell_type == "markdown" and written:
            cell.source = written
    return released


# ------------------------------------------------------------------ browser helpers
def log_in(hub, browser, name, screenshot=None):
    """A new browser session for `name`, logged in through the hub's login page."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(hub.url + "/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", hub.passwords[name])
    if screenshot:
        screenshot(page, "01-login-page")
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf".*/user/{name}/lab.*"), timeout=90_000)
    page.wait_for_selector(".jp-LabShell", timeout=60_000)
    return page


def api(page, method, path, data=None):
    """A call to the user's own notebook server with their browser session (cookies + XSRF)."""
    name = re.search(r"/user/([^/]+)/", page.url).group(1)
    base = page.url.split(f"/user/{name}/")[0] + f"/user/{name}/"
    # The hub and the user's server each set an _xsrf cookie: the server's has its path.
    xsrf = [c["value"] for c in page.context.cookies()
            if c["name"] == "_xsrf" and c["path"].startswith(f"/user/{name}")]
    headers = {"X-XSRFToken": xsrf[0] if xsrf else ""}
    kwargs = {"headers": headers}
    if data is not None:
        kwargs["data"] = json.dumps(data)
        headers["Content-Type"] = "application/json"
    return page.context.request.fetch(base + path.lstrip("/"), method=method, **kwargs)


def pull_link(hub, notebook):
    """The link `make hub` prints (hub.demo.pull_link, tools.links' nbgitpuller link)."""
    from hub.demo import pull_link as demo_link

    return demo_link(hub.url, hub.upstream, notebook)


def open_assignments_tab(page):
    """Nbgrader > Assignment List, as a student finds it in the menu bar."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
    page.wait_for_selector("#released_assignments_list", timeout=30_000)


def row(page, listing, text):
    return page.locator(f"#{listing} .list_item", has_text=text).first


def click_in_row(page, listing, text, button, timeout=60_000):
    item = row(page, listing, text)
    item.wait_for(timeout=timeout)
    item.locator("button", has_text=button).first.click()


def lesson_01(hub):
    return sorted((hub.upstream / "course").glob("01_*.ipynb"))[0].relative_to(hub.upstream)


class HubNotebook(Notebook):
    """labdriver's Notebook for a page that is already open (nbgitpuller opened it)."""

    def __init__(self, page, path):
        super().__init__(page, server=None, path=path)

    def ready(self, timeout=90_000):
        self.page.wait_for_selector(".jp-Notebook", timeout=timeout)
        self.wait_idle(timeout)
        self._listen_to_widget_callbacks()
        return self


# ------------------------------------------------------------------ the term
def test_student_pulls_lesson_01_with_working_widgets(hub, browser, screenshot):
    start = time.monotonic()
    term["start"] = start
    page = log_in(hub, browser, ADA, screenshot)
    term[ADA] = page
    notebook_path = lesson_01(hub)
    page.goto(pull_link(hub, notebook_path))
    page.wait_for_url(re.compile(rf".*/user/{ADA}/lab/tree/nnlab/.*01_.*"), timeout=120_000)
    notebook = HubNotebook(page, notebook_path).ready()
    assert (hub.home(ADA) / "nnlab" / notebook_path).exists()
    assert not (hub.home(ADA) / "nnlab" / "solutions").exists(), "the students got the solutions"
    screenshot(page, "02-lesson-01-opened-by-nbgitpuller")

    notebook.run_all()
    assert notebook.problems() == [], "\n\n".join(notebook.problems())
    widgets = notebook.widgets()
    assert widgets, "lesson 01 shows no nnlab widget"
    widget = next(w for w in widgets if w.locator(".widget-slider").count())
    widget.scroll_into_view_if_needed()
    before = canvas_pixels(widget)
    old, new = move_slider(widget.locator(".widget-slider").first)
    assert old != new
    if before is not None:
        assert wait_canvas_change(widget, before), "the figure did not change with the slider"
    screenshot(page, "03-lesson-01-widgets-answer")
    term["session_memory_mb"] = session_rss_mb(ADA)
    print(f"memory of {ADA}'s session (server + kernel) after lesson 01: "
          f"{term['session_memory_mb']:.0f} MB")


def test_the_students_server_runs_the_cluster_images_environment(hub):
    """Ada's server (running since the first step) is the cluster image's: started from the
    venv of hub/image_venv.py, which holds exactly hub/image/requirements.txt and nnlab (pip's
    own list), jupyterhub-singleuser at the image's pin under the hub's own JupyterHub, and
    the nbgrader config hub/z2jh/values.yaml mounts in every pod."""
    import yaml

    pins = {n.lower().replace("_", "-"): v for n, v in re.findall(
        r"^([\w.-]+)==(\S+)$", (REPO / "hub" / "image" / "requirements.txt").read_text(), re.M)}
    listed = subprocess.run([hub.user_venv / "bin" / "python", "-m", "pip", "list",
                             "--format=json", "--disable-pip-version-check"],
                            capture_output=True, text=True, check=True).stdout
    installed = {p["name"].lower().replace("_", "-"): p["version"] for p in json.loads(listed)}
    assert installed.pop("nnlab") and installed.pop("pip")
    assert installed == pins
    (command,) = [line for line in hub.as_user(ADA, "ps -o args= -u $USER").stdout.splitlines()
                  if "jupyterhub-singleuser" in line]
    assert str(hub.user_venv / "bin" / "jupyterhub-singleuser") in command
    versions = {}
    for where, python in (("users", hub.user_venv), ("hub", hub.prefix / "venv")):
        versions[where] = subprocess.run(
            [python / "bin" / "python", "-c", "import jupyterhub; print(jupyterhub.__version__)"],
            capture_output=True, text=True, check=True).stdout.strip()
    assert versions["users"] == pins["jupyterhub"]
    print(f"hub term: JupyterHub {versions['hub']} (hub), jupyterhub-singleuser "
          f"{versions['users']} (users, the image's)")
    values = yaml.safe_load((REPO / "hub" / "z2jh" / "values.yaml").read_text())
    mounted = values["singleuser"]["extraFiles"]["nbgrader-config"]["stringData"]
    read = hub.as_user(ADA, "cat $NNLAB_ENV/etc/jupyter/nbgrader_config.py")
    assert read.stdout == mounted


def session_rss_mb(user):
    from hubterm import session_memory

    return session_memory(user) / 2**20


def test_second_click_pulls_updates_and_keeps_the_students_edit(hub, browser, screenshot):
    page = term[ADA]
    path = lesson_01(hub)
    # The student writes a note of her own into lesson 01 and saves it, in JupyterLab.
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:insert-cell-below')")
    page.keyboard.press("Enter")
    page.keyboard.type("# Ada's note: the bias moves the line")
    page.keyboard.press("Escape")
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    mine = hub.home(ADA) / "nnlab" / path
    deadline = time.monotonic() + 20
    while "Ada's note" not in mine.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "Ada's note" in mine.read_text()

    # Upstream, the instructor fixes lesson 02 and adds a file.
    lesson_02 = sorted((hub.upstream / "course").glob("02_*.ipynb"))[0]
    nb = nbformat.read(lesson_02, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("**Update:** a clearer figure below."))
    nbformat.write(nb, lesson_02)
    (hub.upstream / "course" / "ERRATA.md").write_text("Lesson 02: the figure was redrawn.\n")
    git(hub.upstream, "add", "--all")
    git(hub.upstream, "commit", "--quiet", "-m", "Lesson 02: clearer figure; errata")

    page.goto(pull_link(hub, path))
    page.wait_for_url(re.compile(rf".*/user/{ADA}/lab/tree/nnlab/.*01_.*"), timeout=120_000)
    HubNotebook(page, path).ready()
    screenshot(page, "04-second-pull-keeps-the-students-note")
    assert "Ada's note" in mine.read_text(), "the pull lost the student's edit"
    theirs = hub.home(ADA) / "nnlab" / lesson_02.relative_to(hub.upstream)
    assert "a clearer figure below" in theirs.read_text(), "the upstream change did not arrive"
    assert (hub.home(ADA) / "nnlab" / "course" / "ERRATA.md").exists()


def test_students_fetch_and_submit_ps1_from_the_assignments_tab(hub, browser, screenshot):
    # The instructor works in a terminal of their JupyterLab: it holds their hub token, which
    # the exchange service (hub/exchange/) asks for.
    term[INSTRUCTOR] = log_in(hub, browser, INSTRUCTOR)
    release = hub.as_user(INSTRUCTOR, f"nbgrader release_assignment {PSET}", cwd="~/nnlab")
    assert release.returncode == 0, release.stdout + release.stderr
    term[BOB] = log_in(hub, browser, BOB)
    for name, answers in ((ADA, None), (BOB, ["weighted_sum"])):
        page = term[name]
        page.goto(f"{hub.url}/user/{name}/lab")
        page.wait_for_selector(".jp-LabShell")
        open_assignments_tab(page)
        click_in_row(page, "released_assignments_list", PSET, "Fetch")
        row(page, "fetched_assignments_list", PSET).wait_for(timeout=60_000)
        screenshot(page, f"05-{name}-fetched-ps1")
        # The student's work, saved as JupyterLab saves a notebook.
        notebook = f"{PSET}/{PSET}.ipynb"
        response = api(page, "GET", f"api/contents/{notebook}")
        assert response.ok, response.text()
        released = nbformat.from_dict(response.json()["content"])
        complete = answers is None
        work = answered(released, answers or [nbgrader(c)["grade_id"] for c in released.cells
                                              if nbgrader(c).get("solution")],
                        written=WRITTEN_ANSWER if complete else None)
        response = api(page, "PUT", f"api/contents/{notebook}",
                       {"type": "notebook", "format": "json", "content": work})
        assert response.ok, response.text()
        # Submit, from the tab.
        page.reload()
        page.wait_for_selector(".jp-LabShell")
        open_assignments_tab(page)
        click_in_row(page, "fetched_assignments_list", PSET, "Submit")
        row(page, "submitted_assignments_list", PSET).wait_for(timeout=60_000)
        screenshot(page, f"06-{name}-submitted-ps1")
    # In the exchange service's store, each under the name their hub token says.
    submitted = hub.exchange / "nnlab" / "submitted"
    assert sorted(p.name for p in submitted.iterdir()) == sorted([ADA, BOB])


def test_instructor_collects_grades_and_releases_feedback(hub, browser, screenshot):
    run = hub.as_user(INSTRUCTOR, f"nbgrader collect {PSET}", cwd="~/nnlab")
    assert run.returncode == 0, run.stdout + run.stderr
    course = hub.home(INSTRUCTOR) / "nnlab"
    for name in (ADA, BOB):
        assert (course / "submitted" / name / PSET / f"{PSET}.ipynb").exists()
    run = hub.as_user(INSTRUCTOR, "make grade", cwd="~/nnlab")
    assert run.returncode == 0, run.stdout + run.stderr
    # every kernel ran in a jail (tools/grading/jail.py): make grade stops when it cannot make
    # one, and says UNJAILED in every line and in grades.csv when told to grade without
    assert "UNJAILED" not in run.stdout + (course / "grades.csv").read_text()
    term["grade_output"] = run.stdout

    # The written answer, graded in the formgrader (the instructor's JupyterLab has it).
    page = term[INSTRUCTOR]
    written = written_points()
    (written_id, full), = written.items()
    marks = {ADA: full, BOB: 0.0}
    for name, mark in marks.items():
        grade_written_answer(hub, page, name, written_id, mark, screenshot)

    run = hub.as_user(INSTRUCTOR, "make grade", cwd="~/nnlab")  # feedback with the new marks
    assert run.returncode == 0, run.stdout + run.stderr
    run = hub.as_user(INSTRUCTOR, f"nbgrader release_feedback {PSET}", cwd="~/nnlab")
    assert run.returncode == 0, run.stdout + run.stderr
    points = autograded_points()
    term["expected"] = {
        ADA: sum(points.values()) + marks[ADA],
        BOB: sum(points[t] for t in checks_of("weighted_sum")) + marks[BOB],
        "max": sum(points.values()) + full,
    }


def grade_written_answer(hub, page, student, grade_id, mark, screenshot):
    """Open the student's submission in the formgrader and type the mark for the written
    answer into its score box (the page saves it when the box loses focus)."""
    base = f"{hub.url}/user/{INSTRUCTOR}/formgrader"
    page.goto(f"{base}/manage_students/{student}/{PSET}")
    link = page.locator("a", has_text=PSET).last
    link.wait_for(timeout=30_000)
    link.click()
    score = page.locator(f"input.score#{grade_id}")
    score.wait_for(timeout=30_000)
    # The page's script binds the box once the grades have loaded, and then renders them into
    # it: a mark typed before is wiped and never saved (seen on a loaded machine). Its view
    # gives the extra-credit box a placeholder when it binds: wait for that.
    page.locator(f"input.extra-credit#{grade_id}_extra_credit[placeholder]").wait_for(
        state="attached", timeout=60_000)
    score.scroll_into_view_if_needed()
    with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url
                              and r.request.method == "PUT") as saved:
        score.fill(str(mark))
        score.press("Tab")
    assert saved.value.ok, saved.value.text()
    assert float(saved.value.json()["manual_score"]) == mark
    screenshot(page, f"07-formgrader-{student}-written-answer")


def test_each_student_sees_only_their_own_feedback(hub, browser, screenshot):
    expected = term["expected"]
    term["feedback"] = {}
    for name in (ADA, BOB):
        page = term[name]
        page.goto(f"{hub.url}/user/{name}/lab")
        page.wait_for_selector(".jp-LabShell")
        open_assignments_tab(page)
        click_in_row(page, "submitted_assignments_list", PSET, "Fetch Feedback")
        feedback_dir = hub.home(name) / PSET / "feedback"
        deadline = time.monotonic() + 30
        while not list(feedback_dir.glob("*/*.html")) and time.monotonic() < deadline:
            time.sleep(0.3)
        (html,) = list(feedback_dir.glob("*/*.html"))
        url_path = urllib.parse.quote(str(html.relative_to(hub.home(name))))
        page.goto(f"{hub.url}/user/{name}/files/{url_path}")
        page.wait_for_load_state()
        screenshot(page, f"08-{name}-feedback")
        text = page.inner_text("body")
        score = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", text)
        assert score, text[:2000]
        assert float(score.group(1)) == pytest.approx(expected[name])
        assert float(score.group(2)) == pytest.approx(expected["max"])
        term["feedback"][name] = text


def test_feedback_shows_no_hidden_test():
    """The hidden tests stay hidden: no line of them in either student's feedback (what
    `make grade` writes; nbgrader's own feedback would show them)."""
    hidden = hidden_test_lines()
    assert hidden, "the solution has no hidden tests: this step would check nothing"
    for name, text in term["feedback"].items():
        shown = [line for line in hidden if line in text]
        assert not shown, f"{name}'s feedback shows hidden tests: {shown[:3]}"


def test_students_cannot_read_others_work(hub, browser, screenshot):
    bob = term[BOB]
    # Through the hub, with Bob's session: Ada's server and the instructor's are not his.
    for other in (ADA, INSTRUCTOR):
        response = bob.context.request.get(f"{hub.url}/user/{other}/api/contents/",
                                           max_redirects=0)
        assert response.status in (302, 403, 404), (other, response.status)
        if response.status == 302:
            assert f"/user/{other}/" not in response.headers.get("location", "")
    response = api(bob, "GET", "formgrader/")
    assert response.status == 404, "a student has the formgrader"
    # The formgrader and create-assignment plugins: the instructor's JupyterLab has them, a
    # student's does not.
    plugins = {}
    for name in (BOB, INSTRUCTOR):
        page = term[name]
        page.goto(f"{hub.url}/user/{name}/lab")
        page.wait_for_selector(".jp-LabShell", timeout=60_000)
        page.wait_for_function("() => !!window.jupyterapp", timeout=60_000)
        plugins[name] = page.evaluate(
            "names => names.map(n => window.jupyterapp.hasPlugin(n))", INSTRUCTOR_PLUGINS)
    assert plugins == {BOB: [False, False], INSTRUCTOR: [True, True]}, plugins
    screenshot(term[BOB], "09-student-without-instructor-tools")
    # On disk, as Bob.
    ada_work = hub.home(ADA) / PSET / f"{PSET}.ipynb"
    secrets_ = [ada_work, hub.home(INSTRUCTOR) / "nnlab" / "solutions" / PSET / f"{PSET}.ipynb",
                hub.home(INSTRUCTOR) / "nnlab" / "submitted" / ADA / PSET / f"{PSET}.ipynb",
                hub.home(INSTRUCTOR) / "nnlab" / "gradebook.db"]
    for path in secrets_:
        assert path.exists(), path
        run = hub.as_user(BOB, f"cat {path}")
        assert run.returncode != 0, f"{BOB} could read {path}"
    run = hub.as_user(BOB, f"ls {hub.exchange}")
    assert run.returncode != 0, f"{BOB} could list the exchange's store"
    # Through the exchange service with Bob's own token: his submissions only; Ada's refused.
    env = hub.server_env(BOB)
    submissions = env["NNLAB_EXCHANGE_URL"] + "api/courses/nnlab/submissions"
    auth = {"Authorization": f"token {env['JUPYTERHUB_API_TOKEN']}"}
    with urllib.request.urlopen(urllib.request.Request(submissions, headers=auth)) as answer:
        listed = json.load(answer)["submissions"]
    assert {s["student_id"] for s in listed} == {BOB}
    ada_folder = hub.exchange / "nnlab" / "submitted" / ADA / PSET
    (stamp,) = [p.name for p in ada_folder.iterdir()]
    theirs = f"{submissions}/{PSET}/{ADA}/{urllib.parse.quote(stamp)}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(urllib.request.Request(theirs, headers=auth))
    assert refused.value.code == 403
    # `--student=` is no disguise: Bob's submission is recorded as his, Ada's stays one.
    run = hub.as_user(BOB, f"nbgrader submit {PSET} --student={ADA}")
    assert run.returncode == 0, run.stdout + run.stderr
    assert [p.name for p in ada_folder.iterdir()] == [stamp]
    assert len(list((hub.exchange / "nnlab" / "submitted" / BOB / PSET).iterdir())) == 2


def test_memory_of_one_student_session_on_the_heaviest_lesson(hub, browser, screenshot):
    """Not a check but the measurement behind INSTRUCTORS.md's sizing: the resident memory of
    all of a student's processes (JupyterLab server + kernel) after running the lesson that
    trains the largest network, its figures and widgets drawn in the browser."""
    page = term[ADA]
    lessons = sorted((hub.home(ADA) / "nnlab" / "course").glob(f"{HEAVIEST_LESSON}*.ipynb"))
    assert lessons, f"no lesson {HEAVIEST_LESSON} in the student edition"
    path = lessons[0].relative_to(hub.home(ADA))
    kernels = api(page, "GET", "api/kernels").json()  # lesson 01's: measured before
    for kernel in kernels:
        assert api(page, "DELETE", f"api/kernels/{kernel['id']}").ok
    page.goto(f"{hub.url}/user/{ADA}/lab/tree/{path}?reset")
    notebook = HubNotebook(page, path).ready()
    notebook.run_all(timeout=300_000)
    assert notebook.problems() == [], "\n\n".join(notebook.problems())
    screenshot(page, "10-heaviest-lesson")
    memory = session_rss_mb(ADA)
    duration = time.monotonic() - term["start"]
    print(f"\nhub term: {duration:.0f} s from the first login to the last step; memory of "
          f"{ADA}'s session (server + one kernel): {term['session_memory_mb']:.0f} MB running "
          f"lesson 01, {memory:.0f} MB running {path.name}")
    assert memory > term["session_memory_mb"] * 0.5  # sanity: the processes were counted
    home_mb = sum(f.stat().st_size for f in hub.home(ADA).rglob("*") if f.is_file()) / 2**20
    print(f"hub term: the hub itself {hub.memory_mb('jupyterhub'):.0f} MB, its proxy "
          f"{hub.memory_mb('configurable-http-proxy'):.0f} MB; {ADA}'s home {home_mb:.0f} MB")
