"""The OpenMetrics exposition, checked by prometheus_client's own parser."""

from __future__ import annotations

import math
import os
import resource
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prometheus_client.openmetrics.parser import text_string_to_metric_families

from mittnite.metrics.mittnite import CONTENT_TYPE, JOB_STATES, MittniteMetrics
from mittnite.metrics.openmetrics import format_value, render
from mittnite.metrics.process import process_families
from mittnite.metrics.registry import Registry


def parse(text: bytes) -> dict[str, object]:
    """Family name → parsed family; the parser raises on any format error."""
    return {family.name: family for family in text_string_to_metric_families(text.decode())}


def samples(families: dict[str, object], name: str) -> dict[tuple[tuple[str, str], ...], float]:
    family = families[name]
    return {
        tuple(sorted(sample.labels.items())): sample.value
        for sample in family.samples  # type: ignore[attr-defined]
    }


def test_content_type_and_eof() -> None:
    assert CONTENT_TYPE == "application/openmetrics-text; version=1.0.0; charset=utf-8"
    text = MittniteMetrics(jobs=["web"]).render()
    assert text.endswith(b"# EOF\n")
    assert text.count(b"# EOF") == 1


def test_issue_metrics_parse_and_track_events() -> None:
    metrics = MittniteMetrics(
        jobs=["db", "app"], probes=["redis"], listeners=[("web", "127.0.0.1:8080")]
    )
    metrics.add_job("web")
    metrics.job_state("db", "started")
    metrics.job_started("db")
    metrics.job_ready("db", True)
    metrics.job_exited("app", -9)
    metrics.job_restarted("app", liveness=True)
    metrics.job_restarted("app")
    metrics.job_state("app", "crashLooping")
    metrics.probe_checked("redis", "failure")
    metrics.probe_checked("redis", "timeout")
    metrics.probe_checked("redis", "success")
    metrics.lazy_activated("web")
    metrics.listener_connection("web", "127.0.0.1:8080")
    metrics.listener_bytes_forwarded("web", "in", 120)
    metrics.listener_bytes_forwarded("web", "out", 4096)
    metrics.output_dropped_bytes("app", 77)

    families = parse(metrics.render())
    assert samples(families, "mittnite_job_up") == {
        (("job", "db"),): 1.0,
        (("job", "app"),): 0.0,
        (("job", "web"),): 0.0,
    }
    assert samples(families, "mittnite_job_ready")[(("job", "db"),)] == 1.0
    assert samples(families, "mittnite_job_restarts")[(("job", "app"),)] == 2.0
    assert samples(families, "mittnite_job_liveness_failures")[(("job", "app"),)] == 1.0
    assert samples(families, "mittnite_job_starts")[(("job", "db"),)] == 1.0
    assert samples(families, "mittnite_job_last_exit_code") == {(("job", "app"),): -9.0}
    states = samples(families, "mittnite_job_state")
    assert states[(("job", "app"), ("state", "crashLooping"))] == 1.0
    assert sum(v for k, v in states.items() if k[0] == ("job", "app")) == 1.0
    assert len(states) == 3 * len(JOB_STATES)
    assert samples(families, "mittnite_probe_up") == {(("probe", "redis"),): 1.0}
    assert samples(families, "mittnite_probe_checks") == {
        (("probe", "redis"), ("result", "success")): 1.0,
        (("probe", "redis"), ("result", "failure")): 1.0,
        (("probe", "redis"), ("result", "timeout")): 1.0,
    }
    assert samples(families, "mittnite_lazy_activations") == {(("job", "web"),): 1.0}
    assert samples(families, "mittnite_listener_connections") == {
        (("job", "web"), ("listener", "127.0.0.1:8080")): 1.0
    }
    assert samples(families, "mittnite_listener_bytes") == {
        (("direction", "in"), ("job", "web")): 120.0,
        (("direction", "out"), ("job", "web")): 4096.0,
    }
    assert families["mittnite_listener_bytes"].unit == "bytes"  # type: ignore[attr-defined]
    assert samples(families, "mittnite_output_dropped_bytes")[(("job", "app"),)] == 77.0
    for name in ("mittnite_job_restarts", "mittnite_probe_checks"):
        assert families[name].type == "counter"  # type: ignore[attr-defined]
    text = metrics.render().decode()
    assert 'mittnite_job_restarts_total{job="app"} 2\n' in text


def test_process_basics_are_plausible() -> None:
    families = {f.name: f for f in process_families()}
    cpu = families["process_cpu_seconds"].samples[0]
    assert cpu.name == "process_cpu_seconds_total" and cpu.value >= 0
    rss = families["process_resident_memory_bytes"].samples[0].value
    assert rss > 1_000_000  # a Python process holds more than 1 MB
    start = families["process_start_time_seconds"].samples[0].value
    assert start <= time.time() and start > time.time() - 7 * 86400
    assert families["process_open_fds"].samples[0].value >= 3
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    assert families["process_max_fds"].samples[0].value == soft
    # Another process (pid 1 of this namespace or our parent) can be read as well.
    other = {f.name: f for f in process_families(os.getppid())}
    assert other["process_max_fds"].samples[0].value > 0
    parsed = parse(MittniteMetrics().render())
    assert parsed["process_resident_memory_bytes"].unit == "bytes"  # type: ignore[attr-defined]


def test_real_stateset_when_the_label_is_the_family_name() -> None:
    registry = Registry()
    states = registry.state_set("door", "Door position.", ["open", "closed"], state_label="door")
    states.set_state(state="open")
    family = parse(render(registry.collect()))["door"]
    assert family.type == "stateset"  # type: ignore[attr-defined]


def test_values_are_formatted_as_openmetrics_numbers() -> None:
    assert format_value(3.0) == "3"
    assert format_value(-9) == "-9"
    assert format_value(0.25) == "0.25"
    assert format_value(math.inf) == "+Inf" and format_value(-math.inf) == "-Inf"
    assert format_value(math.nan) == "NaN"
    assert format_value(1e300) == "1e+300"


def test_registry_rejects_bad_names_and_misuse() -> None:
    registry = Registry()
    with pytest.raises(ValueError):
        registry.counter("bad name", "x")
    with pytest.raises(ValueError):
        registry.counter("jobs_total", "x")
    with pytest.raises(ValueError):
        registry.gauge("memory", "x", unit="bytes")
    with pytest.raises(ValueError):
        registry.gauge("g", "x", ["__reserved"])
    counter = registry.counter("c", "x", ["job"])
    with pytest.raises(ValueError):
        registry.counter("c", "again")
    with pytest.raises(ValueError):
        counter.inc("a", "b")
    with pytest.raises(ValueError):
        counter.inc("a", amount=-1)
    with pytest.raises(ValueError):
        MittniteMetrics().probe_checked("p", "maybe")


label_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(label_text, st.floats(allow_nan=False), st.integers(0, 10**12)), max_size=8),
    label_text.filter(lambda text: text == text.strip()),
)
def test_any_label_value_and_number_survives_a_round_trip(
    entries: list[tuple[str, float, int]], help_text: str
) -> None:
    registry = Registry()
    gauge = registry.gauge("g", help_text, ["name"])
    counter = registry.counter("c", help_text, ["name"])
    expected: dict[str, tuple[float, int]] = {}
    for name, value, count in entries:
        gauge.set(name, value=value)
        counter.inc(name, amount=count)
        expected[name] = (value, expected.get(name, (0.0, 0))[1] + count)
    families = parse(render(registry.collect()))
    assert families["g"].documentation == help_text  # type: ignore[attr-defined]
    got_gauge = {s.labels["name"]: s.value for s in families["g"].samples}  # type: ignore[attr-defined]
    got_counter = {s.labels["name"]: s.value for s in families["c"].samples}  # type: ignore[attr-defined]
    for name, (value, count) in expected.items():
        assert got_gauge[name] == value
        assert got_counter[name] == count
