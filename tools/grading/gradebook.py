"""nbgrader's configuration and gradebook, as the grading steps use them."""

import os
import tempfile
import warnings
from pathlib import Path

from tools.release import nbgrader_env

__all__ = ["students", "config", "gradebook", "cell_scores", "record_zero",
           "record_problem_sets", "expected_notebooks"]


def students(course_dir):
    """Student ids: the folders of <course_dir>/submitted/."""
    submitted = Path(course_dir) / "submitted"
    if not submitted.is_dir():
        return []
    return sorted(p.name for p in submitted.iterdir() if p.is_dir() and not p.name.startswith("."))


def config(course_dir):
    """The course's nbgrader configuration, rooted at course_dir."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    path = Path(course_dir) / "nbgrader_config.py"
    loaded = PyFileConfigLoader(path.name, path=str(path.parent)).load_config() \
        if path.exists() else Config()
    loaded.CourseDirectory.root = str(Path(course_dir).resolve())
    return loaded


def gradebook(course_dir):
    """nbgrader's Gradebook of the course (use it as a context manager)."""
    from nbgrader.api import Gradebook
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=config(course_dir))
    return Gradebook(coursedir.db_url, coursedir.course_id)


def cell_scores(course_dir, assignment, student):
    """Scores of the autograded cells of one submission: {grade_id: score}, or None."""
    from nbgrader.api import MissingEntry

    with gradebook(course_dir) as gb:
        try:
            submission = gb.find_submission(assignment, student)
        except MissingEntry:
            return None
        return {grade.name: float(grade.auto_score or 0.0)
                for notebook in submission.notebooks for grade in notebook.grades
                if grade.cell.cell_type == "code"}


def record_zero(course_dir, assignment, student):
    """A submission folder without the notebook: every cell scores 0 and needs no grading."""
    with gradebook(course_dir) as gb, warnings.catch_warnings():
        # nbgrader's own session handling warns here (SQLAlchemy autoflush); it is harmless
        warnings.simplefilter("ignore")
        submission = gb.update_or_create_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0.0
                grade.needs_manual_grade = False
        gb.db.commit()


def record_problem_sets(course_dir, assignments):
    """Run generate_assignment into a scratch folder: the gradebook learns each set's cells."""
    from nbgrader.apps import NbGraderAPI

    for assignment in assignments:
        if not (Path(course_dir) / "solutions" / assignment).is_dir():
            raise ValueError(f"assignments: no problem set {assignment!r} in "
                             f"{Path(course_dir) / 'solutions'}")
    path = os.environ.get("PATH")
    with tempfile.TemporaryDirectory() as scratch:
        loaded = config(course_dir)
        loaded.CourseDirectory.release_directory = scratch
        api = NbGraderAPI(config=loaded)
        os.environ["PATH"] = nbgrader_env()["PATH"]  # nbgrader runs `alembic` from there
        try:
            results = [(a, api.generate_assignment(a, force=True, create=True))
                       for a in assignments]
        finally:
            if path is None:
                del os.environ["PATH"]
            else:
                os.environ["PATH"] = path
        for assignment, result in results:
            if not result["success"]:
                raise RuntimeError(f"nbgrader generate_assignment {assignment} failed:\n"
                                   f"{result.get('error') or result.get('log')}")


def expected_notebooks(course_dir, assignment):
    """File names of the set's notebooks (those of solutions/<set>/)."""
    return sorted(p.name for p in (Path(course_dir) / "solutions" / assignment).glob("*.ipynb"))
