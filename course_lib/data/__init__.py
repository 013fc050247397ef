"""The course's data: real MNIST from the standard IDX files (:mod:`.mnist`, :mod:`.idx`), and
digits drawn by hand made MNIST-like (:mod:`.drawn`).

``python -m course_lib.data`` (``make data``) fills the cache; :func:`load_mnist` reads it.
This package stands apart from the kernels, the framework and the views: it imports none of them.
"""

from .drawn import SAMPLE_STROKES, center_of_mass, preprocess_digit, rgba_to_ink, strokes_to_ink
from .mnist import MNISTDownloadError, default_cache_dir, fetch_mnist, load_mnist

__all__ = ["MNISTDownloadError", "SAMPLE_STROKES", "center_of_mass", "default_cache_dir",
           "fetch_mnist", "load_mnist", "preprocess_digit", "rgba_to_ink", "strokes_to_ink"]
