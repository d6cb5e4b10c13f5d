"""Take the formgrader screenshots of INSTRUCTORS.md (section 5) in Chromium.

    .venv/bin/python docs/formgrader_screenshots.py        # writes docs/images/formgrader-*.png
    .venv/bin/python docs/formgrader_screenshots.py /tmp/nnlab-formgrader-xxxx   # the same course

A scratch course (ps1, a roster of four, a Canvas download in which one student wrote her
written answer) is collected and graded with the real tools, then JupyterLab is started at its
root as an instructor has it (no extension disabled) and the steps of section 5 are taken:
the Nbgrader menu, the formgrader's first page, the submissions of a set, the written answer
waiting for points. Each picture is cut to what the text talks about and saved as a palette
PNG (a few tens of KB).
"""

import contextlib
import io
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "grading"), str(ROOT / "tests" / "browser")]

from harness import ProblemSet  # noqa: E402
from labdriver import JupyterLabServer, launch_chromium  # noqa: E402

from tools import collect, grade  # noqa: E402

SET = "ps1_neurons_and_gates"
IMAGES = ROOT / "docs" / "images"
ROSTER = ('student_id,name,email,lms_id\n'
          's01,"Lee, Ann",alee@uni.example,1001\n'
          's02,"Oneal, Alice",aoneal@uni.example,1002\n'
          's03,Bob Smith,bsmith@uni.example,1003\n'
          's04,Chloé Dubois,cdubois@uni.example,1004\n')


def course():
    """A graded scratch course; its folder."""
    ps = ProblemSet(SET)
    root = Path(tempfile.mkdtemp(prefix="nnlab-formgrader-"))
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "solutions" / SET, root / "solutions" / SET)
    (root / "roster.csv").write_text(ROSTER, encoding="utf-8")
    written = ps.student()
    for cell in written.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "why_not_parity":
            cell.source = ("One step neuron draws one straight line. The inputs with odd parity "
                           "sit at opposite corners of the cube, so no plane separates them.")
    download = root.parent / f"{root.name}-ps1.zip"
    with zipfile.ZipFile(download, "w") as z:
        z.writestr(f"leeann_1001_900105_{SET}.ipynb", nbformat.writes(ps.student()))
        z.writestr(f"onealalice_1002_900120_{SET}.ipynb", nbformat.writes(written))
        z.writestr(f"smithbob_1003_900130_{SET}.ipynb", nbformat.writes(ps.released()))
    with contextlib.redirect_stdout(io.StringIO()):
        collect.main([SET, str(download), "--course-dir", str(root)])
        grade.main(["--course-dir", str(root), "--jobs", "2"])
    download.unlink()
    return root


def save(page, name, clip=None, locator=None):
    """A screenshot of `locator` (or the clip, or the page), as a small palette PNG."""
    from PIL import Image

    path = IMAGES / f"formgrader-{name}.png"
    raw = io.BytesIO(locator.screenshot() if locator is not None else
                     page.screenshot(clip=clip))
    image = Image.open(raw).convert("RGB").quantize(colors=64)
    image.save(path, optimize=True)
    print(f"{path.relative_to(ROOT)}: {image.size[0]}x{image.size[1]}, "
          f"{path.stat().st_size // 1024} KB")


def main(argv=None):
    from playwright.sync_api import sync_playwright

    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0]) if argv else course()  # a scratch course graded before, to retake
    server = JupyterLabServer(root)
    server.start()
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{server.url}/lab?reset")
            page.wait_for_selector(".jp-LabShell", timeout=60_000)
            page.wait_for_timeout(2000)
            # 1. the Nbgrader menu: Formgrader and Formgrader (local)
            page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").first.click()
            menu = page.locator(".lm-Menu").last
            menu.wait_for()
            page.wait_for_timeout(300)
            box = menu.bounding_box()
            save(page, "menu", clip={"x": 0, "y": 0, "width": box["x"] + box["width"] + 20,
                                     "height": box["y"] + box["height"] + 20})
            page.locator(".lm-Menu-itemLabel", has_text="Formgrader").first.click()
            # 2. the formgrader's first page, in a JupyterLab tab (an iframe), and its warning
            frame = page.frame_locator("iframe").first
            frame.get_by_text(SET).first.wait_for(timeout=60_000)
            page.goto(f"{server.url}/formgrader/manage_assignments")
            page.get_by_text(SET).first.wait_for(timeout=30_000)
            page.wait_for_timeout(800)
            save(page, "assignments", locator=page.locator("body"))
            # 3. Manual Grading -> the set -> its notebook: anonymous until "Show All Names"
            page.goto(f"{server.url}/formgrader/gradebook/{SET}/{SET}")
            button = page.locator("#toggle_names")
            button.wait_for(timeout=30_000)
            page.wait_for_timeout(800)
            save(page, "submissions", locator=page.locator("body"))
            button.click()
            page.wait_for_timeout(500)
            save(page, "submissions-names", locator=page.locator("body"))
            # 4. the written answer waiting for points
            row = page.locator("tr", has_text="Alice").first
            print("Alice's row:", " | ".join(row.inner_text().split()))
            href = row.locator("a[href*='submission']").first.get_attribute("href")
            page.goto(href if href.startswith("http") else f"{server.url}{href}")
            page.get_by_text("opposite corners").first.wait_for(timeout=30_000)
            page.wait_for_timeout(1000)
            cell = page.locator(".nbgrader_cell", has_text="opposite corners").first
            cell.scroll_into_view_if_needed()
            save(page, "written-answer", locator=cell)
            browser.close()
    finally:
        server.stop()
        print(f"scratch course kept in {root} (delete it when done)")


if __name__ == "__main__":
    main()
