"""The narration lines of the linear-regression example's walk, as a student reads them."""

LINEAR_FORWARD = [
    "Forward pass. Given x = 2, w = 3, b = 1, y = 5",
    "(x·w) = x × w = 2 × 3 = 6",
    "ŷ = (x·w) + b = 6 + 1 = 7",
    "(ŷ − y) = ŷ − y = 7 − 5 = 2",
    "L = (ŷ − y)² = 2² = 4",
]
LINEAR_BACKWARD = [
    "Backward pass. ∂L/∂L = 1",
    "∂L/∂(ŷ − y) += ∂L/∂L · ∂[(ŷ − y)²]/∂(ŷ − y) = 1 · 4 = 4",
    "∂L/∂ŷ += ∂L/∂(ŷ − y) · ∂(ŷ − y)/∂ŷ = 4 · 1 = 4",
    "∂L/∂y += ∂L/∂(ŷ − y) · ∂(ŷ − y)/∂y = 4 · (-1) = -4",
    "∂L/∂(x·w) += ∂L/∂ŷ · ∂ŷ/∂(x·w) = 4 · 1 = 4",
    "∂L/∂b += ∂L/∂ŷ · ∂ŷ/∂b = 4 · 1 = 4",
    "∂L/∂x += ∂L/∂(x·w) · ∂(x·w)/∂x = 4 · 3 = 12",
    "∂L/∂w += ∂L/∂(x·w) · ∂(x·w)/∂w = 4 · 2 = 8",
]
