"""A tiny metrics registry fed by events: counters, gauges and state sets with labels.

The supervisor updates these the moment something happens (a job started, a check
failed, bytes were forwarded); a scrape only renders what is already there. Nothing is
polled or parsed from logs. Memory is bounded by the configuration: label values are
job, probe and listener names and small fixed vocabularies (results, directions,
states), never request data.

Names follow OpenMetrics: a counter family ``mittnite_job_restarts`` is exposed as the
sample ``mittnite_job_restarts_total``; a family with a unit ends with it
(``process_resident_memory_bytes``, unit ``bytes``).
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

__all__ = [
    "Counter",
    "Family",
    "Gauge",
    "Registry",
    "Sample",
    "StateSet",
]

_METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*\Z")
_LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*\Z")

Labels = tuple[str, ...]


class Sample:
    """One line of the exposition: ``name{labels} value``.

    (Plain slotted classes rather than dataclasses: the registry is created on every
    ``mittnite up``, and defining dataclasses costs start-up time.)
    """

    __slots__ = ("labels", "name", "value")

    def __init__(self, name: str, labels: tuple[tuple[str, str], ...], value: float) -> None:
        self.name = name
        self.labels = labels
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sample) and (self.name, self.labels, self.value) == (
            other.name,
            other.labels,
            other.value,
        )

    def __hash__(self) -> int:
        return hash((self.name, self.labels, self.value))

    def __repr__(self) -> str:
        return f"Sample({self.name!r}, {self.labels!r}, {self.value!r})"


class Family:
    """A metric family ready to render: its metadata and its samples."""

    __slots__ = ("help", "name", "samples", "type", "unit")

    def __init__(
        self, name: str, type: str, help: str, unit: str, samples: tuple[Sample, ...]
    ) -> None:
        self.name = name
        self.type = type
        self.help = help
        self.unit = unit
        self.samples = samples

    def __repr__(self) -> str:
        return f"Family({self.name!r}, {self.type!r}, {len(self.samples)} samples)"


class _Metric:
    type = ""

    def __init__(self, name: str, help: str, labels: Iterable[str] = (), unit: str = "") -> None:
        if not _METRIC_NAME.match(name):
            raise ValueError(f"invalid metric name {name!r}")
        if unit and not name.endswith("_" + unit):
            raise ValueError(f"metric {name!r} with unit {unit!r} must end in _{unit}")
        self.labelnames: Labels = tuple(labels)
        for label in self.labelnames:
            if not _LABEL_NAME.match(label) or label.startswith("__"):
                raise ValueError(f"invalid label name {label!r}")
        if len(set(self.labelnames)) != len(self.labelnames):
            raise ValueError(f"metric {name!r} repeats a label name")
        self.name = name
        self.help = help
        self.unit = unit
        self._values: dict[Labels, float] = {}

    def _key(self, labels: Labels) -> Labels:
        if len(labels) != len(self.labelnames):
            raise ValueError(
                f"{self.name} takes labels {self.labelnames}, got {len(labels)} values"
            )
        return tuple(str(value) for value in labels)

    def value(self, *labels: str) -> float:
        """The current value for these label values (0 when never set)."""
        return self._values.get(self._key(labels), 0.0)

    def remove(self, *labels: str) -> None:
        """Forget a label combination (e.g. a job that no longer exists)."""
        self._values.pop(self._key(labels), None)

    def _pairs(self, key: Labels) -> tuple[tuple[str, str], ...]:
        return tuple(zip(self.labelnames, key, strict=True))

    def collect(self) -> Family:
        suffix = "_total" if self.type == "counter" else ""
        samples = tuple(
            Sample(self.name + suffix, self._pairs(key), value)
            for key, value in self._values.items()
        )
        return Family(self.name, self.type, self.help, self.unit, samples)


class Counter(_Metric):
    """Only goes up (restarts, bytes, checks); exposed as ``<name>_total``."""

    type = "counter"

    def __init__(self, name: str, help: str, labels: Iterable[str] = (), unit: str = "") -> None:
        if name.endswith("_total"):
            raise ValueError(f"counter family {name!r}: leave out _total, it is added")
        super().__init__(name, help, labels, unit)

    def inc(self, *labels: str, amount: float = 1.0) -> None:
        if amount < 0:
            raise ValueError("a counter cannot go down")
        key = self._key(labels)
        self._values[key] = self._values.get(key, 0.0) + amount

    def touch(self, *labels: str) -> None:
        """Make the series exist at 0, so a rate() has a start point."""
        self._values.setdefault(self._key(labels), 0.0)


class Gauge(_Metric):
    """Any value that goes up and down (ready, exit code, open fds)."""

    type = "gauge"

    def set(self, *labels: str, value: float) -> None:
        self._values[self._key(labels)] = float(value)

    def inc(self, *labels: str, amount: float = 1.0) -> None:
        key = self._key(labels)
        self._values[key] = self._values.get(key, 0.0) + amount


class StateSet(_Metric):
    """Exactly one of a fixed list of states is current, per label combination.

    Each state is one sample, 1 for the current state and 0 for the others. With
    ``state_label`` equal to the family name this is an OpenMetrics ``stateset``;
    with another label name (``state``, as dashboards expect) the spec requires
    rendering it as a ``gauge`` with the same samples, which is what happens.
    """

    def __init__(
        self,
        name: str,
        help: str,
        states: Iterable[str],
        labels: Iterable[str] = (),
        *,
        state_label: str = "state",
    ) -> None:
        super().__init__(name, help, (*tuple(labels), state_label))
        self.states = tuple(states)
        if not self.states or len(set(self.states)) != len(self.states):
            raise ValueError(f"{name}: states must be a non-empty list without repeats")
        self.type = "stateset" if state_label == name else "gauge"
        self._current: dict[Labels, str] = {}

    def set_state(self, *labels: str, state: str) -> None:
        if state not in self.states:
            raise ValueError(f"{self.name}: unknown state {state!r}")
        key = tuple(str(value) for value in labels)
        if len(key) != len(self.labelnames) - 1:
            raise ValueError(f"{self.name} takes labels {self.labelnames[:-1]}")
        self._current[key] = state

    def state(self, *labels: str) -> str | None:
        return self._current.get(tuple(labels))

    def remove(self, *labels: str) -> None:
        self._current.pop(tuple(labels), None)

    def collect(self) -> Family:
        samples = []
        for key, current in self._current.items():
            for state in self.states:
                pairs = self._pairs((*key, state))
                samples.append(Sample(self.name, pairs, 1.0 if state == current else 0.0))
        return Family(self.name, self.type, self.help, self.unit, tuple(samples))


class Registry:
    """The metrics of one run, in registration order; plus collectors run at scrape time."""

    def __init__(self) -> None:
        self._metrics: dict[str, _Metric] = {}
        self._collectors: list[Callable[[], Iterable[Family]]] = []

    def _add(self, metric: _Metric) -> None:
        if metric.name in self._metrics:
            raise ValueError(f"metric {metric.name!r} is registered twice")
        self._metrics[metric.name] = metric

    def counter(self, name: str, help: str, labels: Iterable[str] = (), unit: str = "") -> Counter:
        metric = Counter(name, help, labels, unit)
        self._add(metric)
        return metric

    def gauge(self, name: str, help: str, labels: Iterable[str] = (), unit: str = "") -> Gauge:
        metric = Gauge(name, help, labels, unit)
        self._add(metric)
        return metric

    def state_set(
        self,
        name: str,
        help: str,
        states: Iterable[str],
        labels: Iterable[str] = (),
        *,
        state_label: str = "state",
    ) -> StateSet:
        metric = StateSet(name, help, states, labels, state_label=state_label)
        self._add(metric)
        return metric

    def add_collector(self, collector: Callable[[], Iterable[Family]]) -> None:
        """Families computed at scrape time (``process_*`` read from ``/proc``)."""
        self._collectors.append(collector)

    def collect(self) -> Iterator[Family]:
        for metric in self._metrics.values():
            yield metric.collect()
        for collector in self._collectors:
            yield from collector()
