"""What of a graded notebook may reach the instructor's browser: text and images, never markup
or script (course_grader.inert), checked on every output type a student's code can print."""

import base64

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_grader.inert import ALT_LIMIT, KEPT_TYPES, REMOVED_NOTE, InertOutputs, inert_output

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n fake").decode()
SCRIPT = "<script>window.pwned = 1</script>"


def _display(data, metadata=None):
    return new_output("display_data", data=data, metadata=metadata or {})


@pytest.mark.parametrize("kind", ["text/html", "application/javascript", "image/svg+xml",
                                  "text/latex", "application/json",
                                  "application/vnd.jupyter.widget-view+json"])
def test_markup_and_script_outputs_become_a_visible_note(kind):
    out = inert_output(_display({kind: SCRIPT}))
    assert out == new_output("stream", name="stdout",
                             text=REMOVED_NOTE.format(types=kind) + "\n")


def test_markdown_is_kept_as_its_plain_text():
    """A check's Markdown message stays readable, as text: its source, never rendered."""
    out = inert_output(_display({"text/markdown": "**Not yet** " + SCRIPT,
                                 "text/plain": "<IPython.core.display.Markdown object>"}))
    assert out["data"] == {"text/plain": "**Not yet** " + SCRIPT}
    out = inert_output(_display({"text/markdown": "*x*", "text/plain": "a real repr"}))
    assert out["data"] == {"text/plain": "a real repr"}


def test_text_and_images_are_kept_with_their_size():
    out = inert_output(_display({"text/html": SCRIPT, "text/plain": "<Figure>",
                                 "image/png": PNG},
                                metadata={"image/png": {"width": 300, "onload": "x()"},
                                          "text/html": {"isolated": False}}))
    assert out["data"] == {"text/plain": "<Figure>", "image/png": PNG}
    assert out["metadata"] == {"image/png": {"width": 300}}


def test_an_images_alt_text_is_kept_and_reaches_the_feedback_escaped():
    alt = 'loss curves, lowest 0.060 at epoch 7" onerror="x()'
    out = inert_output(_display({"image/png": PNG, "text/html": f'<img alt="{alt}">'},
                                metadata={"image/png": {"alt": alt, "width": 300}}))
    assert out["metadata"] == {"image/png": {"alt": alt, "width": 300}}
    assert inert_output(_display({"image/png": PNG}, {"image/png": {"alt": ["x"]}}))[
        "metadata"] == {}
    long = inert_output(_display({"image/png": PNG}, {"image/png": {"alt": "a" * 9000}}))
    assert len(long["metadata"]["image/png"]["alt"]) == ALT_LIMIT
    # nbgrader's feedback template extends nbconvert's classic one, which writes the alt
    nb = new_notebook(cells=[new_code_cell("plot()", outputs=[out])])
    body = HTMLExporter(template_name="classic", sanitize_html=True).from_notebook_node(nb)[0]
    (img,) = BeautifulSoup(body, "html.parser").select("img")
    assert img.attrs == {"alt": alt, "src": f"data:image/png;base64,{PNG}", "width": "300"}


def test_an_image_whose_data_is_not_base64_is_dropped():
    forged = PNG + '" onerror="alert(1)'
    out = inert_output(_display({"image/png": forged, "text/plain": "an image"}))
    assert out["data"] == {"text/plain": "an image"}
    out = inert_output(_display({"image/jpeg": forged}))
    assert out["text"].startswith("[an output of type image/jpeg was removed")


def test_execute_results_streams_and_errors_stay():
    result = new_output("execute_result", data={"text/plain": "42", "text/html": SCRIPT},
                        execution_count=3)
    assert inert_output(result) == new_output("execute_result", data={"text/plain": "42"},
                                              metadata={}, execution_count=3)
    stream = new_output("stream", name="stdout", text=SCRIPT)
    assert inert_output(stream) == stream  # text: every renderer escapes it
    error = new_output("error", ename="ValueError", evalue=SCRIPT, traceback=[SCRIPT])
    assert inert_output(error) == error


def test_the_preprocessor_cleans_every_cell_and_keeps_image_attachments():
    nb = new_notebook(cells=[
        new_code_cell("display(HTML(...))", outputs=[_display({"text/html": SCRIPT})]),
        new_markdown_cell("![a](attachment:a.png) ![b](attachment:b.html)",
                          attachments={"a.png": {"image/png": PNG},
                                       "b.html": {"text/html": SCRIPT}}),
    ])
    nb, _ = InertOutputs().preprocess(nb, {})
    assert nb.cells[0].outputs[0]["text"].startswith("[an output of type text/html was")
    assert nb.cells[1].attachments == {"a.png": {"image/png": PNG}}
    nbformat.validate(nb)
    assert set(KEPT_TYPES) == {"text/plain", "image/png", "image/jpeg", "image/gif"}
