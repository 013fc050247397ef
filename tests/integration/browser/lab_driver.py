"""Helpers that drive a notebook in JupyterLab 4.6 with Playwright (used by tests/browser).

Selectors were read from JupyterLab 4.6's DOM: code cells ``.jp-CodeCell``, their prompt
``.jp-InputPrompt`` ("[ ]:", "[*]:", "[3]:"), errors and stderr as
``.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]``, a displayed widget as
an ``.jp-OutputArea-output`` whose child is the root ``.jupyter-widgets`` view.
"""

import json
import os
import re
import shutil
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = ROOT / "build" / "screenshots"
STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
WIDGET_HINT = re.compile(r"show_widget\(|ipywidgets|interact\(")
# Python exception names at the start of a traceback's last line (SyntaxError has no header)
EXC_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning))\b")
REPORT = []  # one dict per notebook driven; the screenshots fixture writes it out
CHROMIUM_MISSING = "chromium not installed: apt-get install chromium"


def chromium_path():
    """Debian's Chromium: on PATH, else /usr/bin/chromium; None when there is none."""
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def require_chromium():
    """The Chromium path, or skip the calling test with a reason that says how to get it."""
    path = chromium_path()
    if path is None:
        pytest.skip(CHROMIUM_MISSING)
    return path


# ---------------------------------------------------------------- notebooks on disk

def course_source():
    """The course folder to test: the repository, or COURSE_BROWSER_SOURCE."""
    return Path(os.environ.get("COURSE_BROWSER_SOURCE", ROOT)).resolve()


def notebook_cells(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))["cells"]


def cell_source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def has_widget(path):
    """Whether a notebook displays a widget (a code cell calls show_widget or ipywidgets)."""
    return any(c["cell_type"] == "code" and WIDGET_HINT.search(cell_source(c))
               for c in notebook_cells(path))


def widget_cells(path):
    """Indices of the code cells that call show_widget (each must show a rendered widget)."""
    return [i for i, c in enumerate(notebook_cells(path))
            if c["cell_type"] == "code" and "show_widget(" in cell_source(c)
            and not c.get("metadata", {}).get("nbgrader", {}).get("solution")]


def discover_notebooks(source=None, widgets_only=True):
    """Source notebooks notebooks/NAME/NAME.ipynb (only those with a widget by default)."""
    source = course_source() if source is None else source
    found = [p for p in sorted((source / "notebooks").glob("*/*.ipynb"))
             if p.stem == p.parent.name and ".ipynb_checkpoints" not in p.parts]
    return [p for p in found if not widgets_only or has_widget(p)]


def solution_text(src):
    """A solution cell as the instructor wrote it, without the nbgrader and WRONG markers."""
    keep = [line for line in src.splitlines()
            if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")
            and not line.strip().startswith("# WRONG:")]
    return "\n".join(keep)


def wrong_text(src):
    """The solution region replaced by its `# WRONG:` lines, uncommented (a realistic mistake)."""
    out, inside = [], False
    for line in src.splitlines():
        stripped = line.strip()
        if stripped == "### BEGIN SOLUTION":
            inside = True
        elif stripped == "### END SOLUTION":
            inside = False
        elif not inside:
            out.append(line)
        elif stripped.startswith("# WRONG:"):
            # keep what follows "# WRONG: " as written: a wrong block's own indentation counts
            indent = line[:len(line) - len(line.lstrip())]
            out.append(indent + stripped[len("# WRONG:"):].removeprefix(" ").rstrip())
    return "\n".join(out)


def all_correct_notebook(source_nb, released_nb, out):
    """Write the released notebook with every solution cell filled in from the source."""
    by_id = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id"): c
             for c in notebook_cells(source_nb)}
    nb = json.loads(Path(released_nb).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") in by_id:
            cell["source"] = solution_text(cell_source(by_id[meta["grade_id"]]))
    Path(out).write_text(json.dumps(nb, indent=1), encoding="utf-8")


def first_exercise(source_nb):
    """(index of the first solution cell with a visible check cell, index of that check cell)."""
    cells = notebook_cells(source_nb)
    ids = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id"): i
           for i, c in enumerate(cells)}
    for i, c in enumerate(cells):
        meta = c.get("metadata", {}).get("nbgrader", {})
        if (c["cell_type"] == "code" and meta.get("solution") and "# WRONG:" in cell_source(c)
                and f"{meta.get('grade_id')}_check" in ids):
            return i, ids[f"{meta['grade_id']}_check"]
    return None


# ---------------------------------------------------------------- server

def shutdown_kernels(base, token, path=None):
    """Delete the server's sessions of one notebook path (all with None) and their kernels."""
    headers = {"Authorization": f"token {token}"}

    def call(url, method="GET"):
        req = urllib.request.Request(f"{base}{url}", method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=20) as response:
            return json.loads(response.read() or b"null")

    for s in call("/api/sessions"):
        if path is None or s.get("path") == path:
            call(f"/api/sessions/{s['id']}", "DELETE")
    if path is None:
        for k in call("/api/kernels"):
            call(f"/api/kernels/{k['id']}", "DELETE")


# ---------------------------------------------------------------- the page

_STATE_JS = """() => {
  const panel = document.querySelector('%s');
  if (!panel) return null;
  const ind = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  const cells = [...panel.querySelectorAll('.jp-Notebook .jp-Cell')];
  return {
    status: ind ? ind.dataset.status : null,
    kernel: (panel.querySelector('.jp-Toolbar-kernelName') || {}).innerText || '',
    cells: cells.map(c => {
      // textContent, not innerText: innerText lays the page out, and polling that every few
      // hundred milliseconds on a long notebook took a core from the kernel (3x slower runs)
      const lines = [...c.querySelectorAll('.cm-content .cm-line')];
      return {
        code: c.classList.contains('jp-CodeCell'),
        prompt: ((c.querySelector('.jp-InputPrompt') || {}).textContent || '').trim(),
        empty: lines.every(l => l.textContent.trim() === ''),
        stderr: !!c.querySelector('%s'),
      };
    }),
  };
}""" % (PANEL, STDERR)


def state(page):
    return page.evaluate(_STATE_JS)


def boot_lab(page, base, token, timeout=90):
    """Load JupyterLab (a fresh workspace, nothing open) and wait until the app is restored."""
    page.goto(f"{base}/lab/workspaces/browser-tests?reset&token={token}")
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=timeout * 1000)
    page.evaluate("async () => { await window.jupyterapp.restored; }")


def close_all(page, timeout=20):
    """Close every open document without saving, and any dialog left open."""
    for _ in range(5):
        if not page.locator(".jp-Dialog").count():
            break
        page.keyboard.press("Escape")
        page.wait_for_timeout(200)
    page.evaluate("""() => {
      for (const w of Array.from(window.jupyterapp.shell.widgets('main'))) {
        if (w.context && w.context.model) w.context.model.dirty = false;  // close, don't ask
        w.close();
      }
    }""")
    page.wait_for_selector(".jp-NotebookPanel", state="detached", timeout=timeout * 1000)
    assert not page.locator(".jp-Dialog").count(), "a dialog is still open"


def open_notebook(page, path, timeout=90):
    """Open ``path`` (relative to the server root) in the page and wait for an idle kernel."""
    page.evaluate("""async p => {
      await window.jupyterapp.commands.execute('docmanager:open', {path: p, factory: 'Notebook'});
    }""", path)
    page.wait_for_selector(f"{PANEL} .jp-Notebook .jp-Cell", timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    while True:
        # a "Select Kernel" dialog only appears when autoStartDefaultKernel is off: accept it
        dialog = page.locator(".jp-Dialog .jp-mod-accept")
        if dialog.count():
            dialog.first.click()
        st = state(page)
        if st and st["status"] == "idle" and "Python" in st["kernel"]:
            return st
        assert time.monotonic() < deadline, f"kernel of {path} not idle after {timeout} s: {st}"
        time.sleep(0.2)


def menu(page, label, command):
    """Click a main-menu entry: the menu bar's ``label`` then the item running ``command``."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{label}$")).click()
    page.locator(f'li.lm-Menu-item[data-command="{command}"]').click()


def _pending(st):
    return [i for i, c in enumerate(st["cells"])
            if c["code"] and not c["empty"] and c["prompt"] in ("[ ]:", "")]


def _wait_settled(page, first, before, deadline, what):
    """Wait until cell ``first`` left its prompt ``before``, no cell runs, and the kernel idles."""
    stable = 0
    while True:
        st = state(page)
        started = st["cells"][first]["prompt"] != before
        running = any(c["prompt"] == "[*]:" for c in st["cells"])
        stable = stable + 1 if started and not running and st["status"] == "idle" else 0
        if stable >= 2:
            return st
        assert time.monotonic() < deadline, f"{what}: cells still running at the deadline: {st}"
        time.sleep(0.15)


def run_all(page, timeout=240, what="notebook", until=None):
    """Run > Run All Cells; where a cell's error stops the run, go on from the next cell.

    JupyterLab stops "Run All" at the first cell that raises (a blank exercise raises
    NotImplementedError), so the rest is run with "Run Selected Cell and All Below".
    With ``until``, stop going on once every code cell before that index has run.
    Returns the number of runs it took.
    """
    deadline = time.monotonic() + timeout
    st = state(page)
    todo = _pending(st)
    if not todo:
        return 0
    menu(page, "Run", "runmenu:run-all")
    st = _wait_settled(page, todo[0], st["cells"][todo[0]]["prompt"], deadline, what)
    runs = 1
    while _pending(st) and (until is None or _pending(st)[0] < until):
        nxt = _pending(st)[0]
        assert runs <= len(st["cells"]), f"{what}: run-all made no progress at cell {nxt}"
        page.locator(f"{PANEL} .jp-Notebook .jp-Cell").nth(nxt).locator(
            ".jp-InputPrompt").click()
        menu(page, "Run", "notebook:run-all-below")
        st = _wait_settled(page, nxt, st["cells"][nxt]["prompt"], deadline, what)
        runs += 1
    return runs


def exception_name(text):
    """The exception named by a traceback's text, or None for other stderr (warnings)."""
    m = re.search(r"^\s*(\S+)\s+Traceback \(most recent call last\)", text, re.M)
    if m:
        return m.group(1)
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    m = EXC_LINE.match(lines[-1].strip()) if lines else None
    if m and not m.group(1).endswith("Warning"):
        return m.group(1)
    return None


def stderr_outputs(page):
    """[(cell index, text)] of every stderr/error output in the notebook."""
    return page.evaluate("""() => {
      const cells = [...document.querySelectorAll('%s .jp-Notebook .jp-Cell')];
      const out = [];
      cells.forEach((c, i) => c.querySelectorAll('%s').forEach(o => out.push([i, o.innerText])));
      return out;
    }""" % (PANEL, STDERR))


def notebook_text(page):
    return page.locator(f"{PANEL} .jp-Notebook").inner_text()


def _frames(page, n=2):
    """Wait for ``n`` animation frames: the layout after a change has been painted."""
    page.evaluate("n => new Promise(done => { const step = k => k ? "
                  "requestAnimationFrame(() => step(k - 1)) : done(); step(n); })", n)


def screenshot(page, path):
    """The whole notebook as students see it: grow the viewport to the notebook's height."""
    size = page.viewport_size
    js_height = """() => {
      const outer = document.querySelector('%s .jp-WindowedPanel-outer');
      if (!outer) return 0;
      outer.scrollTop = 0;
      return outer.scrollHeight + window.innerHeight - outer.clientHeight;
    }""" % PANEL
    height = page.evaluate(js_height)
    page.set_viewport_size({"width": size["width"],
                            "height": max(size["height"], min(int(height), 15000))})
    _frames(page)
    page.evaluate(js_height)  # the layout changed: back to the top
    _frames(page)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)

def cell(page, index):
    return page.locator(f"{PANEL} .jp-Notebook .jp-Cell").nth(index)


def type_into_cell(page, index, text):
    """Replace a cell's text as a student would: click into its editor, select all, type."""
    editor = cell(page, index).locator(".cm-content")
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    # insert_text types the text as one input (no auto-indent or auto-closed brackets)
    page.keyboard.insert_text(text)
    page.keyboard.press("Escape")  # back to command mode
    return editor.inner_text()


def run_cell(page, index, timeout=60):
    """Select a cell, run it (Run > Run Selected Cell), wait for it; return its output text."""
    before = state(page)["cells"][index]["prompt"]
    cell(page, index).locator(".jp-InputPrompt").click()
    menu(page, "Run", "notebook:run-cell")
    _wait_settled(page, index, before, time.monotonic() + timeout, f"cell {index}")
    return cell(page, index).locator(".jp-OutputArea").inner_text()
