"""The mysql probe against the system MariaDB, with a dedicated user and database."""

from __future__ import annotations

from typing import Any

from mittnite.config.model import Credentials, Host, MySQLProbe, ProbeConfig

from .conftest import (
    LogCapture,
    TcpForwarder,
    free_port,
    make_probe,
    ready_after,
    require_port,
    run,
)


def mysql_probe(
    account: dict[str, Any],
    *,
    password: str | None = None,
    database: str | None = None,
    native: str = "true",
    port: int = 3306,
) -> ProbeConfig:
    return ProbeConfig(
        "db",
        wait=True,
        mysql=MySQLProbe(
            Credentials(account["user"], account["password"] if password is None else password),
            Host("127.0.0.1", port),
            native,
            account["database"] if database is None else database,
        ),
    )


def test_good_credentials_select_one(mysql_account: dict[str, Any], logs: LogCapture) -> None:
    probe = make_probe(mysql_probe(mysql_account), logs)
    assert run(probe.result()) is None
    assert logs.matching('msg= host="127.0.0.1:3306" kind=probe name=mysql status=alive')
    assert mysql_account["password"] not in logs.stream.getvalue()


def test_native_password_is_refused_unless_allowed(
    mysql_account: dict[str, Any], logs: LogCapture
) -> None:
    """The original's driver refused mysql_native_password unless allowNativePassword = true."""

    async def results() -> list[str | None]:
        return [
            await make_probe(mysql_probe(mysql_account, native=value), logs).result()
            for value in ("", "false", "no", "1", "TRUE", "t")
        ]

    refused = (
        f"mysql: user {mysql_account['user']!r} signs in with mysql_native_password, which this "
        "probe refuses unless allowNativePassword = true"
    )
    assert run(results()) == [refused, refused, refused, None, None, None]


def test_wrong_password(mysql_account: dict[str, Any], logs: LogCapture) -> None:
    error = run(make_probe(mysql_probe(mysql_account, password="not-the-password"), logs).result())
    assert error == f"mysql: access denied for user {mysql_account['user']!r}"


def test_missing_database(mysql_account: dict[str, Any], logs: LogCapture) -> None:
    missing = mysql_account["database"] + "_missing"
    error = run(make_probe(mysql_probe(mysql_account, database=missing), logs).result())
    # MariaDB answers "no access" before "no such database" for a user without global rights.
    assert error == (
        f"mysql: access denied for user {mysql_account['user']!r} to database {missing!r}"
    )
    root = {"user": "root", "password": "", "database": missing}
    error = run(make_probe(mysql_probe(root), logs).result())
    assert error == f"mysql: database {missing!r} does not exist"


def test_no_database_given_connects_without_one(
    mysql_account: dict[str, Any], logs: LogCapture
) -> None:
    assert run(make_probe(mysql_probe(mysql_account, database=""), logs).result()) is None


def test_connection_refused(logs: LogCapture) -> None:
    port = free_port()
    account = {"user": "u", "password": "secret-pw", "database": ""}
    error = run(make_probe(mysql_probe(account, port=port), logs).result())
    assert error == f"mysql: connection refused at 127.0.0.1:{port}"


def test_server_coming_up_after_the_wait_started(
    mysql_account: dict[str, Any], logs: LogCapture
) -> None:
    require_port("MariaDB", 3306)
    port = free_port()
    probe = make_probe(mysql_probe(mysql_account, port=port), logs)
    forwarder = TcpForwarder(port, 3306)

    async def scenario() -> float:
        try:
            return await ready_after(probe, forwarder.start, logs)
        finally:
            await forwarder.stop()

    assert run(scenario()) < 1.0
    # err: the original's Go text; reason: the same in plain words
    assert logs.matching(f'err="dial tcp 127.0.0.1:{port}: connect: connection refused"')
    assert logs.matching(f'reason="mysql: connection refused at 127.0.0.1:{port}"')
