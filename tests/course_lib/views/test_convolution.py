"""Tests of the convolution views module: its own plots and the names notebook 04 imports."""

import matplotlib.pyplot as plt
import numpy as np

from course_lib.views import conv_geometry, conv_step, convolution
from course_lib.views.convolution import plot_image_grid, plot_strides, plot_volumes


def test_notebook_04_imports_one_module():
    assert convolution.conv_step_explorer is conv_step.conv_step_explorer
    assert convolution.plot_positions is conv_geometry.plot_positions
    assert convolution.predict_reveal_explorer is conv_geometry.predict_reveal_explorer


def test_plot_helpers_return_titled_figures():
    figs = [plot_strides(),
            plot_image_grid([np.zeros((4, 4)), -np.eye(4)], ["a", "b"], "maps", ncols=1),
            plot_volumes([(32, 32, 3), (28, 28, 6)], ["conv"])]
    assert len(figs[0].axes) == 3
    assert [ax.get_title() for ax in figs[1].axes[:2]] == ["a", "b"]
    assert [ax.get_ylabel() for ax in figs[1].axes[2:]] == ["value", "value"], "colorbars"
    assert "ConvNet" in figs[2].axes[0].get_title()
    for fig in figs:
        plt.close(fig)


