"""The course's data: real MNIST from the standard IDX files (:mod:`.mnist`, :mod:`.idx`).

``python -m course_lib.data`` (``make data``) fills the cache; :func:`load_mnist` reads it.
This package stands apart from the kernels, the framework and the views: it imports none of them.
"""

from .mnist import MNISTDownloadError, default_cache_dir, fetch_mnist, load_mnist

__all__ = ["MNISTDownloadError", "default_cache_dir", "fetch_mnist", "load_mnist"]
