"""The optional push: grades sent to Canvas through its REST API with ``canvasapi``.

For each assignment with a Canvas id it reads the assignment's submissions (``GET
/api/v1/courses/:course/assignments/:id/submissions``), compares Canvas's scores with the
gradebook's, prints what would change and, unless it is a dry run, sends only the changes in
one bulk update (``POST .../submissions/update_grades``, an asynchronous job whose progress
Canvas reports). A student without a submission is left alone (nothing is sent), unless the
export wrote 0 for them (``--missing-zero``). The token comes from an environment variable,
never from the command line (where ``ps`` and the shell's history would show it).
"""

import os
import sys

from .scores import points_text

__all__ = ["TOKEN_ENV", "URL_ENV", "plan_changes", "push_grades", "canvas_token"]

TOKEN_ENV = "CANVAS_TOKEN"
URL_ENV = "CANVAS_URL"


def canvas_token(environ=None, name=TOKEN_ENV):
    """The API token from the environment.

    Raises
    ------
    ValueError
        If the variable is unset or empty, saying where to make a token.

    Examples
    --------
    >>> canvas_token({"CANVAS_TOKEN": " abc "})
    'abc'
    """
    environ = os.environ if environ is None else environ
    token = str(environ.get(name, "")).strip()
    if not token:
        raise ValueError(f"push: no Canvas token in ${name}. Make one in Canvas (Account -> "
                         f"Settings -> New Access Token) and run: export {name}=...")
    return token


def plan_changes(ours, theirs):
    """``[(user id, Canvas's score, ours)]`` for the students whose score would change.

    Parameters
    ----------
    ours : dict of str to float
        ``{Canvas user id: points}`` from the gradebook.
    theirs : dict of str to float or None
        ``{Canvas user id: score}`` that Canvas has now (None: not graded).

    Examples
    --------
    >>> plan_changes({"1": 5.0, "2": 3.0, "3": 4.0}, {"1": 5.0, "2": None, "3": 2.0})
    [('2', None, 3.0), ('3', 2.0, 4.0)]
    """
    changes = []
    for user in sorted(ours, key=lambda u: (len(u), u)):
        now = theirs.get(user)
        if now is None or abs(float(now) - ours[user]) > 1e-9:
            changes.append((user, now, ours[user]))
    return changes


def _canvas(base_url, token):
    try:  # an optional dependency: only a push needs it
        from canvasapi import Canvas
    except ImportError:
        raise ValueError("push: the Canvas push needs canvasapi (pip install -e '.[grader]' "
                         "or pip install canvasapi).") from None
    return Canvas(base_url.rstrip("/"), token)


def push_grades(export, base_url, course_id, token, dry_run=True, out=None):
    """Send the export's points to Canvas, or (``dry_run``) print what would change.

    Parameters
    ----------
    export : CanvasExport
        :func:`~.canvas.canvas_export`'s result: its ``scores`` (by Canvas user id, the
        roster's ID column) and ``canvas_ids``.
    base_url : str
        The Canvas instance (``https://canvas.example.edu``), without ``/api/v1``.
    course_id : int or str
    token : str
        The API token (:func:`canvas_token`).
    dry_run : bool, default True
    out : file, optional
        Where the changes are printed (default ``sys.stdout``).

    Returns
    -------
    dict of str to list
        ``{assignment: [(user id, Canvas's score, ours), ...]}``: the changes (sent unless a
        dry run).

    Raises
    ------
    ValueError
        If an assignment has no Canvas id (the roster's header has none and none was given).
    """
    out = sys.stdout if out is None else out
    missing = [a for a in export.assignments if a not in export.canvas_ids]
    if missing:
        raise ValueError(f"push: {missing[0]!r} has no Canvas id: the roster's header has no "
                         f"column '{missing[0]} (ID)'. Give --canvas-id {missing[0]}=ID (the "
                         "number in the assignment's URL).")
    course = _canvas(base_url, token).get_course(course_id)
    done = {}
    for name in export.assignments:
        assignment = course.get_assignment(export.canvas_ids[name])
        theirs = {str(s.user_id): getattr(s, "score", None) for s in assignment.get_submissions()}
        ours = {user: points[name] for user, points in export.scores.items() if name in points}
        changes = done[name] = plan_changes(ours, theirs)
        verb = "would change" if dry_run else "changing"
        print(f"{name} (Canvas {export.canvas_ids[name]}): {verb} {len(changes)} of "
              f"{len(ours)} score(s)", file=out)
        for user, now, new in changes:
            print(f"  user {user}: {points_text(now) or '-'} -> {points_text(new)}", file=out)
        if changes and not dry_run:
            progress = assignment.submissions_bulk_update(grade_data={
                user: {"posted_grade": points_text(new)} for user, _now, new in changes})
            print(f"  sent; Canvas job {getattr(progress, 'id', '?')}: "
                  f"{getattr(progress, 'workflow_state', '?')}", file=out)
    return done
