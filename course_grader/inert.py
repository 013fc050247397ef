"""Inert student content: what of a graded notebook may reach the instructor's browser.

The formgrader and the feedback render the autograded notebook as HTML in the instructor's
(and the student's) browser, with the instructor's session. A student's code can print any
output type (``display(HTML(...))``, ``Javascript``, SVG, widget views, an image whose
"base64" holds a quote), so :class:`InertOutputs`, an nbgrader preprocessor right after the
execution, keeps only output that is data, never markup:

- streams and errors (text, escaped by every renderer);
- ``text/plain``, and ``image/png`` / ``image/jpeg`` / ``image/gif`` whose data is base64;
- of an output's metadata, only a numeric ``width`` and ``height`` and a string ``alt`` (the
  image's text alternative, which course_lib's figures carry and nbgrader's feedback and
  formgrader templates write, escaped, into the ``<img>``), cut to :data:`ALT_LIMIT` characters.

Everything else (HTML, Markdown, LaTeX, JavaScript, SVG, JSON, widget views) is dropped; an
output left with nothing to show becomes :data:`REMOVED_NOTE`, visible to the grader.

Markdown answers stay as written; the renderers sanitize them. nbgrader's formgrade and
feedback templates render Markdown without nbconvert's ``sanitize_html`` branch, so the course
replaces their ``markdown2html`` filter by :func:`sanitized_markdown` (``HTMLExporter.filters``
in ``nbgrader_config.py`` for the feedback, :mod:`course_grader.formgrader_guard` for the
formgrader).
"""

import re

import bleach
from nbconvert.filters import markdown2html
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor

__all__ = ["InertOutputs", "inert_output", "sanitized_markdown", "REMOVED_NOTE", "KEPT_TYPES",
           "MARKDOWN_FILTER", "MARKDOWN_TAGS", "MARKDOWN_ATTRIBUTES", "ALT_LIMIT"]

MARKDOWN_FILTER = {"markdown2html": "course_grader.inert.sanitized_markdown"}

KEPT_TYPES = ("text/plain", "image/png", "image/jpeg", "image/gif")
MARKDOWN_TAGS = ["p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "b", "i",
                 "u", "s", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a", "img",
                 "table", "thead", "tbody", "tr", "th", "td", "span", "div", "sup", "sub", "kbd"]
MARKDOWN_ATTRIBUTES = {"a": ["href", "title"], "img": ["src", "alt", "title", "width", "height"],
                       "th": ["align"], "td": ["align"], "*": ["class"]}
ALT_LIMIT = 2000
"""Characters of an image's ``alt`` text kept (course_lib's longest is about 700)."""
REMOVED_NOTE = "[an output of type {types} was removed: grading keeps only text and images]"
_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*")


_REPR = re.compile(r"<IPython\.core\.display\.\w+ object>")


def _inert_data(data):
    kept = {}
    markdown = data.get("text/markdown")
    if isinstance(markdown, str | list) and not (
            isinstance(data.get("text/plain"), str | list)
            and not _REPR.fullmatch("".join(data["text/plain"]).strip())):
        data = {**data, "text/plain": markdown}  # the check's message, as plain text
    for kind in KEPT_TYPES:
        value = data.get(kind)
        if isinstance(value, list):
            value = "".join(str(v) for v in value)
        if not isinstance(value, str):
            continue
        if kind.startswith("image/") and not _BASE64.fullmatch(value):
            continue
        kept[kind] = value
    return kept


def _inert_metadata(metadata):
    out = {}
    for image, meta in metadata.items():
        if image in KEPT_TYPES and isinstance(meta, dict):
            sizes = {k: v for k, v in meta.items() if k in ("width", "height")
                     and isinstance(v, int | float) and not isinstance(v, bool)}
            if isinstance(meta.get("alt"), str) and meta["alt"].strip():
                sizes["alt"] = meta["alt"][:ALT_LIMIT]  # text: the templates escape it
            if sizes:
                out[image] = sizes
    return out


def inert_output(output):
    """The inert version of one output of a code cell.

    Parameters
    ----------
    output : dict
        An nbformat output.

    Returns
    -------
    dict
        A stream or error unchanged (their text is escaped when rendered); a
        ``display_data`` / ``execute_result`` with only :data:`KEPT_TYPES`, or a stream
        with :data:`REMOVED_NOTE` when none is left; any other output type as that note.

    Examples
    --------
    >>> out = {"output_type": "display_data", "metadata": {},
    ...        "data": {"text/html": "<script>x()</script>", "text/plain": "<HTML>"}}
    >>> inert_output(out)["data"]
    {'text/plain': '<HTML>'}
    >>> inert_output({"output_type": "display_data", "metadata": {},
    ...               "data": {"application/javascript": "x()"}})["text"]
    '[an output of type application/javascript was removed: grading keeps only text and images]\\n'
    """
    kind = output.get("output_type")
    if kind == "stream":
        text = output.get("text", "")
        text = "".join(text) if isinstance(text, list) else str(text)
        return new_output("stream", name="stderr" if output.get("name") == "stderr"
                          else "stdout", text=text)
    if kind == "error":
        return new_output("error", ename=str(output.get("ename", "")),
                          evalue=str(output.get("evalue", "")),
                          traceback=[str(line) for line in output.get("traceback", [])])
    data = output.get("data") if isinstance(output.get("data"), dict) else {}
    kept = _inert_data(data)
    if kind in ("display_data", "execute_result") and kept:
        extra = {"execution_count": output.get("execution_count")} \
            if kind == "execute_result" else {}
        return new_output(kind, data=kept,
                          metadata=_inert_metadata(output.get("metadata") or {}), **extra)
    types = ", ".join(sorted(str(k) for k in data)) or str(kind)
    return new_output("stream", name="stdout", text=REMOVED_NOTE.format(types=types) + "\n")


def sanitized_markdown(source):
    """Markdown to HTML without script: nbconvert's renderer, then bleach with the tags and
    attributes Markdown makes (:data:`MARKDOWN_TAGS`, :data:`MARKDOWN_ATTRIBUTES`; no
    ``<script>``, event handler, ``id``, ``javascript:`` link, iframe or form).

    Parameters
    ----------
    source : str
        A Markdown cell's text.

    Returns
    -------
    str
        HTML.

    Examples
    --------
    >>> sanitized_markdown("**yes** <script>x()</script><img src=a onerror=x()>")
    '<p><strong>yes</strong> &lt;script&gt;x()&lt;/script&gt;<img src="a"></p>'
    >>> sanitized_markdown("[a](javascript:x()) [b](https://example.org)")
    '<p><a>a</a> <a href="https://example.org">b</a></p>'
    """
    html = bleach.clean(markdown2html(source), tags=MARKDOWN_TAGS,
                        attributes=MARKDOWN_ATTRIBUTES, strip_comments=True)
    return html.strip()


class InertOutputs(NbGraderPreprocessor):
    """After execution: every code cell's outputs made inert (:func:`inert_output`), and the
    attachments of markdown cells kept only when they are images."""

    def preprocess_cell(self, cell, resources, index):
        """Replace ``cell``'s outputs (code) or attachments (markdown) by inert ones."""
        if cell.cell_type == "code":
            cell.outputs = [inert_output(o) for o in cell.get("outputs", [])]
        attachments = cell.get("attachments")
        if attachments:
            cell.attachments = {name: _inert_data(files) for name, files in attachments.items()
                                if isinstance(files, dict) and _inert_data(files)}
        return cell, resources
