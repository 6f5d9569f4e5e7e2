"""The fatal lines of a configuration that cannot be loaded: the original's text, then advice."""

from __future__ import annotations

from mittnite.config.model import Source
from mittnite.config.problems import ConfigError, Problem
from mittnite.logs.messages import config_failure_renderfiles, config_failure_up


def test_a_missing_default_directory_names_the_flag() -> None:
    error = ConfigError([Problem("error", "lstat /etc/mittnite.d: no such file or directory")])
    assert config_failure_up("/etc/mittnite.d", error) == (
        "failed while trying to generate ignition config from dir '/etc/mittnite.d': "
        "lstat /etc/mittnite.d: no such file or directory (/etc/mittnite.d is the default "
        "configuration directory; give yours with -c/--config-dir)"
    )


def test_a_missing_given_directory_and_an_empty_one() -> None:
    missing = ConfigError([Problem("error", "lstat /srv/conf: no such file or directory")])
    assert config_failure_up("/srv/conf/", missing).endswith(
        "lstat /srv/conf: no such file or directory (check the directory given with "
        "-c/--config-dir)"
    )
    empty = ConfigError([Problem("error", "could not find any configuration files in /srv/e")])
    assert "files whose names end in 'hcl'" in config_failure_up("/srv/e", empty)


def test_parse_errors_keep_the_originals_prefix_and_count_the_rest() -> None:
    error = ConfigError(
        [
            Problem("error", 'job "x": canFail: expected true or false', Source("c/a.hcl", 3, 12)),
            Problem("warning", "unknown key 'foo' is ignored", Source("c/a.hcl", 4, 2)),
            Problem("error", "second", Source("c/b.hcl", 1, 1)),
            Problem("error", "third", Source("c/b.hcl", 2, 1)),
        ]
    )
    assert config_failure_renderfiles("c", error) == (
        "failed while trying to generate ignition config from dir 'c', err: 'could not parse "
        'configuration file c/a.hcl: At 3:12: job "x": canFail: expected true or false '
        "(and 2 more errors, each logged above)'"
    )
    one_more = ConfigError(error.problems[:3])
    assert "(and 1 more error, each logged above)" in config_failure_up("c", one_more)
