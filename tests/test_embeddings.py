"""The sentence model loads from its wheel with the network blocked, and tells paraphrase from subject."""

from __future__ import annotations

import socket

import pytest

from generator.embeddings import DIMENSIONS, embed, similarity

from .conftest import run_offline


def test_model_loads_with_the_network_blocked() -> None:
    """A fresh process whose sockets refuse to connect still loads the model (nothing is downloaded)."""
    out = run_offline('from generator.embeddings import embed\nprint(embed(["Iran fired missiles at two bases."]).shape)\n')
    assert out.strip() == f"(1, {DIMENSIONS})"


def test_refusing_sockets_is_what_the_load_test_relies_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """The blocking trick really stops a connection, so the load test above can fail."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError("network blocked by the test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", 9))


def test_reworded_statement_is_closer_than_another_statement_on_the_subject() -> None:
    scores = similarity(
        ["There were no U.S. casualties"],
        ["not seeing any American casualties", "The base houses about 1,500 troops"],
    )
    assert scores[0, 0] > 0.6 > 0.3 > scores[0, 1]


def test_no_texts_give_an_empty_matrix() -> None:
    assert embed([]).shape == (0, DIMENSIONS)


def test_loading_the_model_leaves_logging_as_it_was() -> None:
    """wordllama's import configures the root logger; a build then printed MkDocs' INFO lines raw."""
    out = run_offline(
        "import logging\nfrom generator.embeddings import sentence_model\nsentence_model()\nprint(logging.getLogger().handlers)\n"
    )
    assert out.strip() == "[]"
