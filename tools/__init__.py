"""Maintenance and instructor tools for the course: `python -m tools.release` and
`python -m tools.grade` (see INSTRUCTORS.md), and helpers that tests and lessons share."""
