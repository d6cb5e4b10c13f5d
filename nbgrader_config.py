"""nbgrader configuration for the nnlab course.

The instructor's master copies of the problem sets live in `solutions/` (nbgrader's *source*
directory); `nbgrader generate_assignment` (run by `make release`) writes the student versions
into `assignments/` (its *release* directory), which is committed. `make collect`
(tools/collect.py) gathers the students' work from an LMS download into
`submitted/<student>/<problem set>/`; `make grade` autogrades it into `autograded/`, writes
`feedback/` and exports `grades.csv` (none of these are committed).
"""

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "nnlab"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"

# Every problem set runs in a few seconds; a cell that takes longer than this is stuck (an
# infinite loop, say). It is interrupted, scores zero, and grading goes on with the next cell.
c.Execute.timeout = 10

# A student who deletes a test cell gets it back: the test runs as if it had never been touched.
# (Edited test cells are always restored from the source at autograde time.)
c.OverwriteCells.add_missing_cells = True

# Keep the students' notebooks small: a runaway print loop is cut short.
c.LimitOutput.max_lines = 500

# To collect submissions downloaded from an LMS, use `make collect SET=<set> FROM=<zip>`
# (tools/collect.py, see INSTRUCTORS.md "From an LMS download"): it knows Canvas, Moodle,
# Blackboard and ILIAS names, and lists every file it could not use and every roster student
# left without a notebook. This pattern serves only the older route, `nbgrader zip_collect <set>`,
# which still works but skips files the pattern does not match with no more than a warning (those
# students then vanish from grades.csv): files in downloaded/<set>/archive/ named
# "<student id>_<anything>_<notebook>.ipynb" go to submitted/<student id>/<set>/<notebook>.ipynb.
# The pattern is matched against the full path of each extracted file.
c.FileNameCollectorPlugin.named_regexp = (
    r".*/(?P<student_id>[^/_]+)_(?:.*_)?(?P<file_id>ps\d+_[A-Za-z0-9_]+\.ipynb)$"
)

# Feedback never shows the hidden tests (nbgrader restores them into the autograded notebook):
# tools/grading/feedback.py replaces them, and tracebacks that quote them, by what failed. If the
# course's tools cannot be imported here, feedback at least loses the hidden tests' source.
try:
    import os as _os
    import sys as _sys

    _here = _os.path.dirname(_os.path.abspath(__file__))
    if _here not in _sys.path:
        _sys.path.insert(0, _here)
    from tools.grading.feedback import configure as _redacted_feedback

    _redacted_feedback(c)
except ImportError:
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import ClearHiddenTests, GetGrades

    c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, ClearHiddenTests]
