"""The route table: matches, 404, 405 and clean-path redirects."""

from __future__ import annotations

import pytest

from mittnite.api.routes import Match, NoMatch, clean_path, route, split_target


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/v1/jobs", Match("list")),
        ("GET", "/v1/metrics", Match("metrics")),
        ("POST", "/v1/metrics", NoMatch(405)),
        ("GET", "/v1/metrics/", NoMatch(404)),
        ("GET", "/v1/job/web/status", Match("status", "web")),
        ("POST", "/v1/job/web/start", Match("start", "web")),
        ("POST", "/v1/job/web/restart", Match("restart", "web")),
        ("POST", "/v1/job/web/stop", Match("stop", "web")),
        ("GET", "/v1/job/web/logs", Match("logs", "web")),
        ("GET", "/v1/job/my job/status", Match("status", "my job")),
        ("POST", "/v1/jobs", NoMatch(405)),
        ("HEAD", "/v1/jobs", NoMatch(405)),
        # the original's job sub-router answers a wrong method with 404 page not found
        ("GET", "/v1/job/web/start", NoMatch(404)),
        ("POST", "/v1/job/web/status", NoMatch(404)),
        ("HEAD", "/v1/job/web/logs", NoMatch(404)),
        # a name holding "/" is one percent-encoded segment
        ("GET", "/v1/job/a%2Fb/status", Match("status", "a/b")),
        ("POST", "/v1/job/a%2fb/stop", Match("stop", "a/b")),
        ("GET", "/v1/job/my%20job/logs", Match("logs", "my job")),
        ("GET", "/v1/job/web%2Fstatus", NoMatch(404)),
        ("GET", "/v1/job/web/nothing", NoMatch(404)),
        ("GET", "/v1/job/web", NoMatch(404)),
        ("GET", "/v1/job/a/b/status", NoMatch(404)),
        ("GET", "/", NoMatch(404)),
        ("GET", "/v1/jobs/", NoMatch(404)),
        ("GET", "//v1/jobs", NoMatch(301, "/v1/jobs")),
        ("GET", "/v1/./jobs", NoMatch(301, "/v1/jobs")),
        ("GET", "/v1/job/x/../y/status", NoMatch(301, "/v1/job/y/status")),
    ],
)
def test_route(method: str, path: str, expected: Match | NoMatch) -> None:
    assert route(method, path) == expected


def test_split_target_keeps_the_path_encoded() -> None:
    assert split_target("/v1/job/a%20b/logs?follow=true&taillen=5") == (
        "/v1/job/a%20b/logs",
        "follow=true&taillen=5",
    )


def test_clean_path_keeps_a_trailing_slash() -> None:
    assert clean_path("/a//b/") == "/a/b/"
    assert clean_path("") == "/"
