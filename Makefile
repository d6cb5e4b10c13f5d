# The two commands students need: `make lab` and `make test`. Everything else is for instructors
# and maintainers. Each target creates or updates .venv first, so a fresh clone needs only Python 3.

PYTHON ?= python3
VENV   := .venv
# A machine whose course environment is installed already (a JupyterHub: NNLAB_ENV is set in every
# user's session, see hub/) uses it as it is: `make grade` there installs nothing.
ifdef NNLAB_ENV
VENV   := $(NNLAB_ENV)
COURSE_ENV :=
else
COURSE_ENV := $(VENV)/.course-installed
endif
BIN    := $(VENV)/bin
# JupyterLab refuses to run as root unless told it may (containers, CI).
ROOT_FLAG := $(shell [ "$$(id -u)" = "0" ] && echo --allow-root)

.PHONY: help lab test bench release collect grade report student-edition hub dist clean jail-tool
# `make` alone lists what there is to run (it used to build .venv and stop without a word).
.DEFAULT_GOAL := help
# The first lesson: `make lab` opens it, with the repository's root served (course/,
# assignments/, solutions/ all reachable in JupyterLab's file browser).
LESSON_01 := $(firstword $(wildcard course/01_*.ipynb))

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# A stamp per set of extras: reinstalled whenever pyproject.toml changes.
$(VENV)/.course-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[course]"
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[course,test]"
	touch $@

$(VENV)/.bench-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[course,test,bench]"
	touch $@

## make help: this list (what `make` alone prints)
help:
	@echo "Students: make lab (opens lesson 01 in JupyterLab), make test (checks everything)."
	@echo "All targets:"
	@sed -n 's/^## /  /p' $(firstword $(MAKEFILE_LIST))

## make lab: set everything up and open lesson 01 in JupyterLab, the repository's root served
lab: $(COURSE_ENV)
	$(BIN)/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir=. \
		--LabApp.default_url=/lab/tree/$(LESSON_01)

# The grading jail's one system package (bubblewrap): installed with apt-get where it is missing
# and we are root (CI, a container, the hub); otherwise a line saying how to install it.
## make jail-tool: install bubblewrap, the grading jail's tool, if missing (make test and make
## grade run it first)
jail-tool:
	@command -v bwrap >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap; \
	  else echo "note: grading runs every kernel in a bubblewrap jail and bwrap is missing:" \
	    "sudo apt-get install bubblewrap (Debian/Ubuntu), sudo dnf install bubblewrap (Fedora)" >&2; \
	  fi; }

## make test: set everything up, lint, and run every test
test: $(VENV)/.test-installed jail-tool
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

## make bench: speed comparisons (prints a table, writes benchmarks/RESULTS.md); as root also
## a class arriving at the one-machine hub (benchmarks/hub_load.py: several minutes)
bench: $(VENV)/.bench-installed
	$(BIN)/python benchmarks/run.py

## make release [SET="<set> ..."]: regenerate the student notebooks in assignments/ from
## solutions/ (the sets named, default: every set)
release: $(COURSE_ENV)
	$(BIN)/python -m tools.release $(SET)

## make collect SET=<set> FROM=<zip or folder> [LMS=...] [ROSTER=...] [ALLOW_SKIPS=1]:
## an LMS download -> submitted/<student>/<set>/<set>.ipynb, listing every file not used
collect: $(COURSE_ENV)
	@test -n "$(SET)" -a -n "$(FROM)" || { echo "usage: make collect SET=<problem set> \
	FROM=<zip or folder> [LMS=canvas|moodle|blackboard|ilias|folder] [ROSTER=roster.csv] \
	[ALLOW_SKIPS=1]" >&2; exit 2; }
	$(BIN)/python -m tools.collect "$(SET)" "$(FROM)" $(if $(LMS),--lms "$(LMS)") \
		$(if $(ROSTER),--roster "$(ROSTER)") $(if $(ALLOW_SKIPS),--allow-skips)

## make grade [SET="<set> ..."] [TO_LMS=canvas|moodle] [ALLOW_UNGRADED=1] [JOBS=N]: autograde
## submitted/ (N workers, default: one per core), write feedback, export grades.csv (and the
## LMS's import file) for the sets named (default: the sets somebody handed in), then list the
## roster students with no graded submission and the answers waiting for a grader.
## Every kernel runs in a bubblewrap jail: without bwrap it stops and says how to install it;
## NO_JAIL=1 grades without a jail (trusted submissions only) and says UNJAILED in every line
grade: $(COURSE_ENV) $(if $(NO_JAIL),,jail-tool)
	$(BIN)/python -m tools.grade $(foreach s,$(SET),--assignment "$(s)") \
		$(if $(TO_LMS),--to-lms "$(TO_LMS)") $(if $(ALLOW_UNGRADED),--allow-ungraded) \
		$(if $(JOBS),--jobs $(JOBS)) $(if $(NO_JAIL),--no-jail)

## make report SET=<set>: what the grades say, after make grade: reports/<set>/report.html
## (score distribution, questions to check, question statistics, similar answers) and CSV files
report: $(COURSE_ENV)
	@test -n "$(SET)" || { echo "usage: make report SET=<problem set>" >&2; exit 2; }
	$(BIN)/python -m tools.report "$(SET)"

## make student-edition: build/student/ and the branch `student`, the course without answers
student-edition: $(COURSE_ENV)
	$(BIN)/python -m tools.student_edition

## make hub: (as root) a JupyterHub for the course on http://127.0.0.1:8000 with a demonstration
## class (INSTRUCTORS.md, "A course JupyterHub"); HUB_PORT=... picks another port
hub:
	$(PYTHON) -m hub.demo $(if $(HUB_PORT),--port $(HUB_PORT))

## make dist: build the sdist and the wheel into dist/ and check their metadata
dist: $(VENV)/.test-installed
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/python -m twine check --strict dist/*

## make clean: remove dist/, .venv and the caches
clean:
	rm -rf dist $(VENV) .pytest_cache .ruff_cache *.egg-info
