"""What every area's replies share: the base of the models, and the error every route may
answer (with a refused roster's problems)."""

from __future__ import annotations

from typing import Annotated

from msgspec import UNSET, Meta, Struct, UnsetType


class Reply(Struct, kw_only=True):
    """Base of every reply model (documentation only: replies may carry more fields)."""


class RosterProblem(Reply, kw_only=True):
    line: Annotated[
        int, Meta(description="The line of the CSV file (1: its header), or the JSON row, from 1.")
    ]
    field: str | None
    message: str


class ErrorDetail(Reply, kw_only=True):
    code: Annotated[str, Meta(examples=["invalid_input", "forbidden"])]
    message: str
    field: str | UnsetType = UNSET
    errors: (
        Annotated[
            list[RosterProblem],
            Meta(description="`invalid_roster`: every problem (the first 200), with its line."),
        ]
        | UnsetType
    ) = UNSET
    error_count: (
        Annotated[int, Meta(description="`invalid_roster`: how many problems in all.")] | UnsetType
    ) = UNSET


class Error(Reply, kw_only=True):
    error: ErrorDetail
