"""One place for "does this check pass?": http, tcp, exec and notify.

A probe (before jobs), a job's readiness and its liveness all ask the same question
of the same kinds of check, so each kind is implemented once here (:mod:`.http`,
:mod:`.tcp`, :mod:`.exec`, :mod:`.notify`) behind the small :class:`~.base.Check`
interface. *When* to ask and what a failure means is decided elsewhere: by the pure
:class:`mittnite.core.health.HealthMachine`, driven on the event loop by
:class:`.monitor.HealthMonitor`.

Modules are imported on first use (``from mittnite.checks.http import HttpCheck``):
an init that configures no check pays nothing for this package.
"""
