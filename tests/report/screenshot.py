"""The picture of a report in INSTRUCTORS.md ("Reading the report"), made again with

    .venv/bin/python tests/report/screenshot.py [docs/images/report.png]

A simulated ps3 class of 60 students (tests/report/simulated.py, no kernels) with a broken
hidden test in question 3 and a planted copy of the `losses` answer; its report is opened in
Chromium and the top of the page and the first similar pair are photographed, then reduced
to a palette PNG (well under 200 KB).
"""

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "grading"), str(HERE)]

PSET = "ps3_gradient_descent"


def make_report(course):
    from answers import COPIED_FROM, COPIER, COPY, INDEPENDENT, ORIGINAL
    from simulated import GeneratedClass, random_class

    from tools.report import build_report

    generated = GeneratedClass(course, PSET)
    students = random_class(generated, 60, seed=7, broken="test_accuracy",
                            pool={"losses": list(INDEPENDENT.values())})
    good = dict(students["s000"][1], test_losses=1.0)
    students[COPIED_FROM], students[COPIER] = ({"losses": ORIGINAL}, good), \
        ({"losses": COPY}, dict(good))
    errors = {(s, "test_accuracy"): "AttributeError: module 'nnlab.metrics' has no attribute "
              "'accurcy'" for s in students}
    generated.add(students, errors, late={"s003", "s017"})
    generated.add_empty_folder("s060")
    generated.flag("s021", ["numpy's comparisons were replaced while a test ran"])
    return build_report(course, PSET)["html"]


def photograph(html, target):
    from PIL import Image
    from playwright.sync_api import sync_playwright

    from tests.browser.labdriver import launch_chromium

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.goto(html.as_uri())
        every = page.locator("h2", has_text="Every question").bounding_box()["y"]
        top = page.screenshot(full_page=True,
                              clip={"x": 0, "y": 0, "width": 1100, "height": every + 330})
        pair = page.locator("h2", has_text="Similar submissions")
        y = pair.bounding_box()["y"] + page.evaluate("window.scrollY")
        bottom = page.screenshot(full_page=True,
                                 clip={"x": 0, "y": y, "width": 1100, "height": 900})
        browser.close()
    import io

    first, second = Image.open(io.BytesIO(top)), Image.open(io.BytesIO(bottom))
    picture = Image.new("RGB", (1100, first.height + second.height), "white")
    picture.paste(first, (0, 0))
    picture.paste(second, (0, first.height))
    picture = picture.resize((880, picture.height * 880 // 1100), Image.LANCZOS)
    target.parent.mkdir(parents=True, exist_ok=True)
    picture.quantize(colors=64).save(target, optimize=True)
    return target


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "images" / "report.png")
    with tempfile.TemporaryDirectory() as scratch:
        path = photograph(make_report(Path(scratch) / "course"), target.resolve())
    print(f"{path} ({path.stat().st_size // 1024} KB)")
