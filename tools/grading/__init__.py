"""The parts of `make grade` (tools/grade.py runs them in order).

- `limits`: resource limits of the grading processes and the kernels they start;
- `gradebook`: nbgrader's configuration and gradebook, as the grading steps need them;
- `worker`: the limited worker processes that autograde, one after another or in parallel;
- `feedback`: feedback that shows scores, visible tests and failure messages, never hidden tests;
- `integrity` and `guard`: grading that a student's code cannot tamper with (the guard runs
  inside each student's kernel, `integrity` checks its signed record from outside).
"""
