"""What a student reads when their code raises: the error's type and message, with NumPy's
shape errors said in words (an instant check and the grader's feedback say the same)."""

__all__ = ["error_text", "MATMUL_HELP"]

MATMUL_HELP = ("(NumPy's words for a matrix product whose shapes do not fit: A @ B needs A's "
               "last axis as long as B's first. Print the shapes, e.g. W.shape and x.shape.)")


def error_text(kind, message):
    """An exception as a student reads it: ``kind: message``, with NumPy's matrix-product
    error ("mismatch in its core dimension ... gufunc signature") said in words.

    Examples
    --------
    >>> error_text("KeyError", "'w'")
    "KeyError: 'w'"
    >>> print(error_text("ValueError", "matmul: Input operand 1 has a mismatch in its core "
    ...                  "dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 2 is "
    ...                  "different from 3)"))  # doctest: +ELLIPSIS
    ValueError: matmul: ... (NumPy's words for a matrix product whose shapes do not fit: ...
    """
    text = f"{kind}: {message}"
    return f"{text} {MATMUL_HELP}" if "core dimension" in message else text
