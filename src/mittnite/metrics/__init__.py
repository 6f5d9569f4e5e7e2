"""Metrics for ``GET /metrics`` and ``mittnitectl metrics``, in OpenMetrics text.

* :mod:`.registry`    counters, gauges and state sets with labels, fed by events
* :mod:`.openmetrics` the text format (escaping, TYPE/HELP/UNIT, ``# EOF``)
* :mod:`.process`     ``process_*`` basics read from ``/proc`` at scrape time
* :mod:`.mittnite`    the ``mittnite_*`` families and one method per supervisor event

Standard library only, imported when the probe server first serves ``/metrics`` or the
supervisor creates :class:`~.mittnite.MittniteMetrics`.
"""
