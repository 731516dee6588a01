"""Sealed secret ballots: one length per round, tamper-evident, keys only from the secret."""

from __future__ import annotations

import json

import pytest

from convene.domain.rounds import BallotForm, Method
from convene.services.sealing import ENVELOPE, SealBroken, Sealer


def _size(form: BallotForm) -> int:
    return 2 * form.longest_stored() + ENVELOPE


@pytest.mark.parametrize(
    ("method", "ballots"),
    [
        (Method.IRV, [{"ranking": [7]}, {"ranking": [7, 1234567, 42, 9, 10, 11, 12, 13]}]),
        (Method.APPROVAL, [{"approve": []}, {"approve": [7, 42, 1234567]}]),
        (Method.SCORE, [{"scores": {"7": 0, "42": 5, "1234567": 3}}]),
        (Method.YES_NO, [{"choice": "yes"}, {"choice": "abstain"}]),
    ],
)
def test_every_sealed_ballot_of_a_round_has_the_same_length(method, ballots):
    ids = (7, 42, 1234567) if method is not Method.IRV else (7, 1234567, 42, 9, 10, 11, 12, 13)
    form = BallotForm(method, ids, True)
    sealer = Sealer("a secret")
    keys = sealer.keys(sealer.new_seal(), lambda: _size(form))
    lengths = set()
    for ballot in ballots:
        content = json.dumps(form.check(ballot), sort_keys=True, separators=(",", ":"))
        for weight, replaces in ((1, ""), (123456789, "ACDEFGHJK3")):
            tag = keys.tag("ACDEFGHJK3")
            box = keys.seal(tag, "ACDEFGHJK3", content, weight, replaces)
            lengths.add(len(box))
            assert keys.open(tag, box) == ("ACDEFGHJK3", content, weight, replaces)
            assert content.encode() not in box
    assert len(lengths) == 1


def test_a_seal_opens_only_with_its_key_and_untouched():
    form = BallotForm(Method.IRV, (1, 2, 3), True)
    old = Sealer("old secret")
    seal = old.new_seal()
    keys = old.keys(seal, lambda: _size(form))
    tag = keys.tag("ACDEFGHJK3")
    box = keys.seal(tag, "ACDEFGHJK3", '{"ranking":[1]}', 1, "")
    # the tag of a receipt depends on the secret: published receipts lead nowhere without it
    assert Sealer("old secret").keys(seal, lambda: 0).tag("ACDEFGHJK3") == tag
    with pytest.raises(SealBroken):
        Sealer("another secret").keys(seal, lambda: 0)
    rotated = Sealer("new secret", ["old secret"])  # SECRET_KEY_FALLBACKS
    assert rotated.keys(seal, lambda: 0).open(tag, box)[1] == '{"ranking":[1]}'
    with pytest.raises(SealBroken):
        keys.open(keys.tag("ACDEFGHJK4"), box)  # moved to another row
    tampered = box[:-1] + bytes([box[-1] ^ 1])
    with pytest.raises(SealBroken):
        keys.open(tag, tampered)
    assert old.new_seal() != seal, "a salt per round"


def test_roster_credentials_open_with_their_key_or_a_fallback_and_never_without():
    from convene.services.sealing import Credentials

    old = Credentials("old secret")
    sealed = old.seal("hash-1", "the-token", "K7PQMX3A")
    assert "the-token" not in sealed
    assert "K7PQMX3A" not in sealed
    assert old.open("hash-1", sealed) == ("the-token", "K7PQMX3A")
    rotated = Credentials("new secret", ["old secret"])
    assert rotated.open("hash-1", sealed) == ("the-token", "K7PQMX3A")
    assert old.tag("K7PQMX3A") in rotated.tags("K7PQMX3A")
    assert rotated.tag("K7PQMX3A") != old.tag("K7PQMX3A")
    with pytest.raises(SealBroken):
        Credentials("another secret").open("hash-1", sealed)
    with pytest.raises(SealBroken):
        old.open("hash-2", sealed)  # bound to its row's link hash
