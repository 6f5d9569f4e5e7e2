"""sprig's network function ``getHostByName``.

It asks the system resolver, so Go recorded no cases for real names (the two deterministic
ones, an address literal and the empty name, are in ``data/sprig_crypto.json``). The tests
use ``localhost`` and address literals, which resolve without a network.
"""

from __future__ import annotations

import socket

import pytest

from mittnite.gotemplate.sprig import network
from mittnite.gotemplate.sprig.network import lookup_host

from .cases import funcs, render


def _localhost_addresses() -> set[str]:
    try:
        return {str(info[4][0]) for info in socket.getaddrinfo("localhost", None)}
    except OSError:
        pytest.skip("no resolver for localhost")


def test_is_registered() -> None:
    assert funcs()["getHostByName"] is network.FUNCS["getHostByName"]


def test_localhost_resolves_to_one_of_its_addresses() -> None:
    expected = _localhost_addresses()
    assert set(lookup_host("localhost")) == expected
    for _ in range(5):
        output, error = render('{{ getHostByName "localhost" }}', {}, None)
        assert error is None
        assert output in expected


def test_result_is_a_string() -> None:
    _localhost_addresses()
    output, error = render('{{ getHostByName "localhost" | printf "%T" }}', {}, None)
    assert (output, error) == ("string", None)


def test_address_literals_resolve_to_themselves() -> None:
    output, error = render('{{ getHostByName "127.0.0.1" }} {{ getHostByName "::1" }}', {}, None)
    assert (output, error) == ("127.0.0.1 ::1", None)


def test_a_name_without_addresses_panics_like_go() -> None:
    # sprig indexes the empty address list with rand.Intn(0), which panics
    output, error = render('a{{ getHostByName "" }}b', {}, None)
    assert output == "a"
    assert error == (
        'template: t:1:4: executing "t" at <getHostByName "">: '
        "error calling getHostByName: invalid argument to Intn"
    )


def test_takes_a_string() -> None:
    _, error = render("{{ getHostByName 1 }}", {}, None)
    assert error is not None
    assert error.endswith("expected string; found 1")
