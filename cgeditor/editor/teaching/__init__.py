"""Teaching mode: step through the forward pass, backpropagation and forward mode in front of a
class, take gradients apart into paths, check them numerically and present on a projector.

The walk itself is pure Python (`cgeditor.model.teaching`) so it can be tested without a
window; this Qt side (`stepper`, panels, `canvas_layer`, `presentation`) only shows it.
"""
