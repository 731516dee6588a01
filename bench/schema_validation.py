"""What checking a ballot's arguments costs: msgspec (what the commands use) against pydantic.

    .venv/bin/python bench/schema_validation.py [--repeat 7]

The arguments of `rounds.cast` as a phone sends them (an 8-option ranking, a receipt), checked
against the same rules in both libraries: a positive 32-bit round id, a list of at most 5,000
such ids, text fields, no unknown fields, no coercion ("10" is not a number). Also the cost of
our whole `schemas.parse` (fields left out dropped, keyword arguments built) and of parsing
the JSON of a socket message (bounded depth, no lone surrogates) against the standard
library's json.loads. Each figure: best of --repeat runs of enough calls to take ~0.2 s.
"""

from __future__ import annotations

import argparse
import json
import sys
import timeit
from pathlib import Path
from typing import Annotated

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import msgspec  # noqa: E402
import pydantic  # noqa: E402
from pydantic import BaseModel, ConfigDict, Field  # noqa: E402

from convene.services import schemas  # noqa: E402
from convene.web.jsonbody import parse_json  # noqa: E402

INT_MAX = schemas.INT_MAX
PId = Annotated[int, Field(ge=1, le=INT_MAX, strict=True)]
PInt = Annotated[int, Field(ge=-INT_MAX - 1, le=INT_MAX, strict=True)]
PText = Annotated[str, Field(strict=True)]


class PydanticBallot(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    round_id: PId
    ranking: Annotated[list[PId], Field(max_length=5000)] | None = None
    approve: Annotated[list[PId], Field(max_length=5000)] | None = None
    scores: Annotated[dict[str, PInt], Field(max_length=1000)] | None = None
    choice: PText | PInt | None = None
    receipt: PText | None = None
    replaces: PText | None = None


BALLOT = {"round_id": 4187, "ranking": [31, 29, 35, 30, 33, 32, 34, 36], "receipt": "7KQ2MX9P4TVA"}
MESSAGE = json.dumps({"name": "rounds.cast", "args": BALLOT})


def best(function, repeat: int) -> float:
    """Seconds per call, best of ``repeat`` runs."""
    timer = timeit.Timer(function)
    number, _ = timer.autorange()
    number = max(number, int(number * 0.2 / max(timer.timeit(number), 1e-9)))
    return min(timer.repeat(repeat, number)) / number


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    # Both refuse what the schema refuses, or the comparison would be unfair.
    for bad in ({**BALLOT, "round_id": "4187"}, {**BALLOT, "round_id": 2**63}, {**BALLOT, "x": 1}):
        try:
            msgspec.convert(bad, schemas.CastBallot)
            raise SystemExit(f"msgspec accepted {bad}")
        except msgspec.ValidationError:
            pass
        try:
            PydanticBallot.model_validate(bad)
            raise SystemExit(f"pydantic accepted {bad}")
        except pydantic.ValidationError:
            pass

    figures = {
        "msgspec.convert(args, CastBallot)": best(
            lambda: msgspec.convert(BALLOT, schemas.CastBallot), args.repeat
        ),
        "pydantic CastBallot.model_validate(args)": best(
            lambda: PydanticBallot.model_validate(BALLOT), args.repeat
        ),
        "schemas.parse(CastBallot, args) (what run_command does)": best(
            lambda: schemas.parse(schemas.CastBallot, BALLOT), args.repeat
        ),
        "parse_json(socket message) (depth check + msgspec)": best(
            lambda: parse_json(MESSAGE), args.repeat
        ),
        "json.loads(socket message) (before)": best(lambda: json.loads(MESSAGE), args.repeat),
    }
    python = sys.version.split()[0]
    print(f"msgspec {msgspec.__version__}, pydantic {pydantic.VERSION}, Python {python}")
    for name, seconds in figures.items():
        print(f"{seconds * 1e6:8.2f} µs  {name}")


if __name__ == "__main__":
    main()
