"""Colours a colour-blind student tells apart, and the second cue that goes with each meaning.

The qualitative colours are Okabe and Ito's (2008), chosen to stay distinct with deuteranopia
and protanopia; :func:`simulate` shows what such a reader sees (Machado, Oliveira and
Fernandes, 2009) and the tests measure the distances. Colour is never the only cue: a
negative weight is also dashed, the predicted bar also hatched, each model's curve also has its
own marker, a signed map also has a colorbar.
"""

import numpy as np

__all__ = ["OKABE_ITO", "POSITIVE", "NEGATIVE", "ZERO", "SIGN_STYLE", "TRUE", "PREDICTED",
           "OTHER", "PREDICTED_HATCH", "MARKERS", "DIVERGING", "series_colour", "add_colorbar",
           "simulate"]

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442",
             "#000000")
"""Blue, orange, bluish green, vermillion, sky blue, reddish purple, yellow, black."""

POSITIVE, NEGATIVE, ZERO = "#0072B2", "#D55E00", "#BBBBBB"
"""A positive value blue, a negative one vermillion, zero grey (01's layer diagram)."""

SIGN_STYLE = {"positive": "-", "negative": "--", "zero": ":"}
"""The line style that repeats a sign's colour."""

TRUE, PREDICTED, OTHER = "#0072B2", "#D55E00", "#BBBBBB"
"""Bars of the true class, the predicted class and the others (07's mistakes, the pads)."""

PREDICTED_HATCH = "//"
"""The predicted class's bar is hatched as well as coloured."""

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
"""One marker per series, in the order of :data:`OKABE_ITO`."""

DIVERGING = "RdBu_r"
"""Signed maps: ColorBrewer's red-blue, which stays two-sided for deuteranopes and protanopes
(blue and orange-brown), always drawn with a colorbar."""

_MACHADO = {  # severity 1.0, applied to linear RGB
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
}


def series_colour(i):
    """Colour and marker of series ``i`` (a model's curves): ``(colour, marker)``.

    Examples
    --------
    >>> series_colour(0), series_colour(9)
    (('#0072B2', 'o'), ('#E69F00', 's'))
    """
    return OKABE_ITO[i % len(OKABE_ITO)], MARKERS[i % len(MARKERS)]


def add_colorbar(ax, image, label):
    """A colorbar beside ``ax`` for ``image`` (what ``imshow`` returned), labelled."""
    bar = ax.get_figure(root=True).colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    bar.set_label(label, fontsize=7)
    bar.ax.tick_params(labelsize=6)
    return bar


def simulate(colour, kind):
    """The colour as a reader with ``kind`` colour blindness sees it, as sRGB in [0, 1].

    Parameters
    ----------
    colour : str
        A hex colour such as ``"#D55E00"``.
    kind : {"deuteranopia", "protanopia"}

    Returns
    -------
    ndarray, shape (3,)

    Examples
    --------
    >>> simulate("#000000", "protanopia").tolist()
    [0.0, 0.0, 0.0]
    """
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    seen = np.clip(_MACHADO[kind] @ linear, 0, 1)
    return np.where(seen <= 0.0031308, 12.92 * seen, 1.055 * seen ** (1 / 2.4) - 0.055)
