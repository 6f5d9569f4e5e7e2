"""Checks across directives, on the typed model: what no single value shows.

Values are checked where they are parsed (:mod:`.build`); here the model is
looked at as a whole: names defined twice, probes without a type or with
several, listen addresses that collide with each other or with the probe
server's port, ``listen`` blocks whose keys do not go together (a block either
forwards, optionally with a PROXY protocol header, or hands its socket to the
job with ``activate``), and the ``after`` graph (unknown names, cycles), each
reported at the ``after`` entry that names the other end.
"""

from __future__ import annotations

from collections.abc import Iterator

from .model import Ignition, Source
from .problems import Problem

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..core.deps import Node
    from .problems import Severity

DEFAULT_PROBE_PORT = 9102


def check(ignition: Ignition, probe_port: int | None = DEFAULT_PROBE_PORT) -> list[Problem]:
    """All cross-directive problems of a configuration, errors and warnings."""
    return [
        *_duplicates(ignition),
        *_probe_types(ignition),
        *_listen_modes(ignition),
        *_collisions(ignition, probe_port),
        *_dependencies(ignition),
    ]


def dependency_nodes(ignition: Ignition) -> list[Node]:
    """The ``after`` graph of a run: every job (first definition) and every boot job."""
    from ..core.deps import Node, NodeKind

    nodes = []
    for job in ignition.unique_jobs:
        if job.is_lazy:
            kind = NodeKind.LAZY
        elif job.one_time:
            kind = NodeKind.ONE_TIME
        else:
            kind = NodeKind.JOB
        nodes.append(Node(job.name, kind, job.after, job.readiness is not None))
    nodes.extend(Node(boot.name, NodeKind.BOOT) for boot in ignition.boot_jobs)
    return nodes


def _dependencies(ignition: Ignition) -> Iterator[Problem]:
    """Unknown names and cycles in ``after``, at the entry naming the other end."""
    jobs = {job.name: job for job in ignition.unique_jobs}
    if not any(job.after for job in jobs.values()):
        return  # the graph machinery is not even imported
    from ..core.deps import check_graph

    for problem in check_graph(dependency_nodes(ignition)):
        job = jobs.get(problem.dependent)
        where = job.after_source(problem.dependency) if job is not None else None
        hint = ""
        if problem.cycle:
            hint = "remove one of the after entries of the cycle"
        elif problem.message.endswith("no job of that name"):
            hint = "name a job, lazy job, one-time job or boot job defined in the configuration"
        severity: Severity = "error" if problem.severity == "error" else "warning"
        yield Problem(severity, problem.message, where, hint=hint)


def _duplicates(ignition: Ignition) -> Iterator[Problem]:
    first_job: dict[str, Source] = {}
    for job in ignition.jobs:
        if job.name in first_job:
            yield Problem(
                "warning",
                f'job "{job.name}" is defined again; only the first definition '
                f"({first_job[job.name]}) is used",
                job.source,
                hint="rename one of them",
            )
        else:
            first_job[job.name] = job.source
    seen: dict[str, Source] = {}
    for probe in ignition.probes:
        if probe.name in seen:
            yield Problem(
                "warning",
                f'probe "{probe.name}" is defined again; this later definition replaces the '
                f"one at {seen[probe.name]}",
                probe.source,
                hint="rename one of them",
            )
        seen[probe.name] = probe.source


def _probe_types(ignition: Ignition) -> Iterator[Problem]:
    for probe in ignition.probes:
        label = f'probe "{probe.name}"'
        kinds = probe.kinds_given
        if not kinds:
            if probe.wait:
                yield Problem(
                    "error",
                    f"{label} waits but has no type",
                    probe.source,
                    hint="add one of filesystem, mysql, redis, mongodb, amqp, http or smtp",
                )
            else:
                yield Problem(
                    "warning",
                    f"{label} has no type and is ignored",
                    probe.source,
                    hint="add one of filesystem, mysql, redis, mongodb, amqp, http or smtp",
                )
        elif len(kinds) > 1:
            yield Problem(
                "warning",
                f"{label} has several types ({', '.join(kinds)}); only {kinds[0]} is used",
                probe.source,
                hint="split it into one probe per type",
            )


def _listen_modes(ignition: Ignition) -> Iterator[Problem]:
    """Forwarding or socket activation: each ``listen`` block is one or the other."""
    for job in ignition.jobs:
        for listener in job.listeners or ():
            where = f'job "{job.name}": listen "{listener.address}"'
            if listener.activate and listener.forward:
                yield Problem(
                    "error",
                    f"{where}: activate and forward exclude each other (with activate the "
                    "job accepts on the socket itself; nothing is forwarded)",
                    listener.where("activate"),
                    hint="remove forward, or remove activate to forward connections",
                )
            if listener.proxy_protocol and listener.activate:
                yield Problem(
                    "error",
                    f"{where}: proxyProtocol needs forwarding; an activated job sees the "
                    "client's real address itself",
                    listener.where("proxy_protocol"),
                    hint="remove proxyProtocol",
                )
            if not listener.activate:
                if listener.name:
                    yield Problem(
                        "warning",
                        f"{where}: name is only used with activate = true (it names the "
                        "socket in LISTEN_FDNAMES); it is ignored",
                        listener.where("name"),
                        hint="add activate = true, or remove name",
                    )
                continue
            for field, key in (("forward_protocol", "forwardProtocol"), ("protocol", "protocol")):
                if getattr(listener, field):
                    yield Problem(
                        "warning",
                        f"{where}: {key} is ignored with activate = true (nothing is "
                        "forwarded)",
                        listener.where(field),
                        hint=f"remove {key}",
                    )
            from ..runtime.activation import fd_name_problem  # only for activated blocks

            name = listener.fd_name(job.name)
            problem = fd_name_problem(name)
            if problem is not None:
                given = "name" if listener.name else "the job's name (the default name)"
                yield Problem(
                    "error",
                    f"{where}: {given} {name!r} cannot be a LISTEN_FDNAMES entry: it {problem}",
                    listener.where("name") if listener.name else listener.source,
                    hint='set name = "..." on the listen block: printable ASCII without '
                    "':', at most 255 characters",
                )


def _collisions(ignition: Ignition, probe_port: int | None) -> Iterator[Problem]:
    """Two listeners on one address, or a listener on the probe server's port."""
    taken: dict[tuple[str, str, int], Source] = {}
    for job in ignition.unique_jobs:
        for listener in job.listeners or ():
            address = listener.listen
            if address is None:
                continue
            where = f'job "{job.name}": listen "{listener.address}"'
            if address.family.startswith("unix"):
                key = ("unix", address.path, 0)
            else:
                key = ("tcp", address.host, address.port)
                if address.port == probe_port and address.port != 0 and _overlaps(address.host):
                    yield Problem(
                        "error",
                        f"{where}: port {address.port} is the probe server's port "
                        "(--probe-listen-port)",
                        listener.source,
                        hint="use another port, or move the probe server with -p",
                    )
            if key in taken and (key[0] == "unix" or key[2] != 0):
                yield Problem(
                    "error",
                    f"{where}: the address is already used by the listener at {taken[key]}",
                    listener.source,
                    hint="give each listener its own address",
                )
            taken.setdefault(key, listener.source)
            if key[0] == "tcp" and key[2] != 0:
                for other_key, other in list(taken.items()):
                    if (
                        other_key != key
                        and other_key[0] == "tcp"
                        and other_key[2] == key[2]
                        and (_is_wildcard(other_key[1]) or _is_wildcard(key[1]))
                    ):
                        yield Problem(
                            "error",
                            f"{where}: port {key[2]} is also used by the listener at {other} "
                            "(one of them listens on every interface)",
                            listener.source,
                            hint="give each listener its own port",
                        )
                        break


def _is_wildcard(host: str) -> bool:
    return host in ("", "0.0.0.0", "::")


def _overlaps(host: str) -> bool:
    """The probe server listens on every interface, so any host collides with it."""
    return True
