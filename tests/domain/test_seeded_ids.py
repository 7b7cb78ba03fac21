"""Seeded ids: the same seed and sequence give the same ids; without a seed, random ones."""

from __future__ import annotations

import itertools
import re

from riconnect.domain import ids


def _draw(seed: int) -> list[str]:
    counter = itertools.count(1)
    with ids.seeded(seed, lambda: next(counter)):
        return [ids.new_id("vpc"), ids.new_id("router_interface"), str(ids.new_order_id())]


def test_a_seed_and_a_sequence_give_the_same_ids_every_time() -> None:
    first, second = _draw(5), _draw(5)
    assert first == second
    assert set(first).isdisjoint(_draw(6))
    assert re.fullmatch(r"vpc-[a-z0-9]{21}", first[0])
    assert re.fullmatch(r"ri-[a-z0-9]{21}", first[1])
    assert re.fullmatch(r"2\d{14}", first[2])


def test_outside_a_seeded_block_ids_are_random() -> None:
    assert ids.new_id("vpc") != ids.new_id("vpc")
    _draw(5)
    assert ids.new_id("vpc") not in _draw(5)


def test_seeded_request_ids_repeat_and_the_operators_do_not_shift_them() -> None:
    ids.seed_request_ids(9)
    first = [ids.request_id() for _ in range(3)]
    ids.seed_request_ids(9)
    second = [ids.request_id(), ids.unseeded_request_id(), ids.request_id(), ids.request_id()]
    ids.seed_request_ids(None)
    assert first == [second[0], second[2], second[3]]
    assert re.fullmatch(
        r"[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}", first[0]
    )
