"""The speed plumbing behind the taught kernels, kept out of their way.

- :mod:`.im2col`: a convolution's patch matrices, built a few images at a time, so that its
  forward and backward are one matrix product each with memory within 12x the input;
- :mod:`.threads`: long passes split between the cores, each with a one-thread BLAS
  (``COURSE_THREADS=1``: one thread).

Nothing here is taught; :mod:`course_lib.convolution` and :mod:`course_lib.pooling` call it.
"""
