"""The issue's program with blocks (softplus and a neuron), and the same program with every call
written out: the pair the parser and the command line are checked against."""

NEURON = """\
def softplus(t):
    return log(1 + exp(t))

def neuron(x1, x2, w1, w2, b):
    z = x1*w1 + x2*w2 + b
    return tanh(z)

h1 = neuron(x1, x2, a, c, b1)
L = softplus(h1 * v)
"""

WRITTEN_OUT = """\
z = x1*a + x2*c + b1
h1 = tanh(z)
L = log(1 + exp(h1 * v))
"""

NEURON_VALUES = {"x1": 0.5, "x2": -1.0, "a": 0.3, "c": 0.8, "b1": 0.1, "v": 2.0}

NESTED = """\
def lin(x, w, b):
    return x*w + b

def unit(x, w, b):
    return tanh(lin(x, w, b))

h = unit(x, w, b)
L = h * h
"""
NESTED_VALUES = {"x": 0.4, "w": -0.7, "b": 0.2}
