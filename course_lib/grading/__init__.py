"""The instructor's side of the course, standing apart from the kernels, nn and views.

- :mod:`.checks`: the instant checks a student's notebook calls (salted hashes, hints);
- :mod:`.feedback`: the source notebooks' marker regions, and feedback without hidden tests.

Nothing here is imported by ``course_lib`` itself; a student's kernel imports only
:mod:`.checks`.
"""
