"""cgeditor: a desktop editor for computational graphs that shows forward values, gradients and
backpropagation on the canvas, with a command line for scripts and grading."""

__version__ = "0.1.0"
