"""The Qt-free side of teaching: chain-rule narration, path decomposition, forward mode,
numeric probes (finite differences, nudges, descent) and the step-through walk.

The editor's teaching panels only show what these compute, and `cgeditor explain` prints it.
"""
