"""Teaching mode: step through the forward pass, backpropagation and forward mode in front of a
class, take gradients apart into paths, check them numerically and present on a projector.

The walk itself (`walk`, `view_state`) is pure Python so it can be tested without a window; the
Qt side (`stepper`, panels, `canvas_layer`, `presentation`) only shows it.
"""
