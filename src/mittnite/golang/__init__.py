"""Go compatibility helpers shared by every layer of mittnite.

Templates, configuration, supervisor and probes all need pieces of Go's standard
library to behave exactly as the original does: ``time`` (durations, layouts,
zones), ``strconv``-style number parsing and Go's error texts. They live here,
below both :mod:`mittnite.gotemplate` and :mod:`mittnite.config`, and import
nothing else from mittnite.
"""
