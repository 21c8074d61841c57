"""The joint inspections of services for children: their tables, then the questions asked of them.

- :mod:`helpers.joint.tables` (layer 1): load and validate ``data/joint-inspections``, cached;
- :mod:`helpers.joint.questions` (layer 2): counts, shares, standings, what is known of grades;
- :mod:`helpers.joint.findings` (layer 2): what inspectors found, themes, progress reviews and
  national reviews.

The care side mirrors it (the registered services' tables, then their questions). Nothing is
re-exported here: the package spans two layers (see :mod:`helpers.layers`); the functions
notebooks call most are re-exported by :mod:`helpers` itself.
"""
