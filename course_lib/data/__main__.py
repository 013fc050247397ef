"""``python -m course_lib.data [CACHE_DIR]``: fill the MNIST cache and say from where."""

import sys

from .mnist import main

sys.exit(main())
