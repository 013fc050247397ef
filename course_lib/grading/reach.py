"""What a notebook's answers may reach in course_lib, from :mod:`.callees`' graph.

Switching ``softmax`` off is not enough when the code that computes it lives in a helper
(``conv2d`` calls ``im2col.conv_forward_chunks``, ``max_pool2d`` passes ``_max_taps``): an
answer could call the helper. :func:`exclusive_callees` finds the helpers that are safe to
switch off too: those whose every use in course_lib is inside a function that is switched off
already. A helper that some other function (or a module-level table) also uses stays on, so
nothing that works today breaks; those other functions are listed by :func:`other_users`.
Where the answers may use only what the setup imported, :func:`not_reached` lists the rest.
"""

from .callees import PACKAGE, call_graph

__all__ = ["exclusive_callees", "other_users", "reachable", "not_reached"]


def _users(uses):
    users = {}
    for user, targets in uses.items():
        for target in targets:
            users.setdefault(target, set()).add(user)
    return users


def exclusive_callees(taught, graph=None):
    """The course_lib functions that only switched-off code uses, the taught ones' helpers.

    Starting from the taught functions, a function they use is added when every user of it
    in course_lib is already in the set; repeated until nothing more is added.

    Parameters
    ----------
    taught : iterable of str
        Dotted names, ``course_lib.losses.softmax`` and the like.
    graph : tuple, optional
        What :func:`call_graph` returns (computed when not given).

    Returns
    -------
    list of str
        The helpers to switch off besides the taught names, sorted.
    """
    uses, functions = graph or call_graph()
    users = _users(uses)
    off = set(taught)
    grew = True
    while grew:
        grew = False
        for name in sorted({t for f in off for t in uses.get(f, ())} - off):
            if name in functions and users.get(name, set()) <= off:
                off.add(name)
                grew = True
    return sorted(off - set(taught))


def other_users(taught, graph=None):
    """The helpers of the taught functions that stay on, each with its users that are not off.

    Returns
    -------
    dict
        helper -> sorted list of the users that keep it on.
    """
    uses, _ = graph = graph or call_graph()
    off = set(taught) | set(exclusive_callees(taught, graph))
    users = _users(uses)
    return {name: sorted(users.get(name, set()) - off)
            for name in sorted({t for f in off for t in uses.get(f, ())} - off)}


def reachable(roots, graph=None, stop=()):
    """Everything that ``roots`` use, directly or not, without going through ``stop``.

    A module named in ``roots`` stands for all its definitions (a package for all of its
    modules': ``import course_lib`` leaves the whole library on); using any definition of a
    module also uses the module's own top-level code (its tables, registrations).

    Parameters
    ----------
    roots : iterable of str
        Dotted names of course_lib's definitions or modules.
    graph : tuple, optional
        What :func:`call_graph` returns.
    stop : iterable of str
        Definitions not followed (switched off: what only they use is not reached through them).

    Returns
    -------
    set of str
    """
    uses, _ = graph = graph or call_graph()
    stop = set(stop)
    todo = []
    for root in roots:
        inside = [n for n in uses if ":" not in n and (n.rpartition(".")[0] == root
                                                      or n.startswith(f"{root}."))]
        todo.extend(inside or [root])
    seen = set()
    while todo:
        name = todo.pop()
        if name in seen or name in stop:
            continue
        seen.add(name)
        todo.extend(uses.get(name, ()))
        if ":" not in name:
            todo.append(f"{name.rpartition('.')[0]}:module")
    return seen


def not_reached(roots, graph=None, stop=()):
    """course_lib's functions and classes that ``roots`` do not use, directly or not.

    What a notebook's answers may not use when they may use only what its setup cells
    imported. The grading package (the probe itself runs on it) and the command-line entry
    points (``__main__`` modules) are never in it, nor the names in ``stop``.

    Returns
    -------
    list of str
        Sorted dotted names.
    """
    uses, _ = graph = graph or call_graph()
    stop = set(stop)
    seen = reachable(roots, graph, stop)
    return sorted(n for n in uses if ":" not in n and n not in seen and n not in stop
                  and not n.startswith(f"{PACKAGE}.grading.")
                  and not n.rpartition(".")[0].endswith("__main__"))
