"""The agenda: add, edit, remove, start, end and reorder its items."""

from __future__ import annotations

from convene.web.api.common import blueprint, json_body, run
from convene.web.api.replies import agenda as r
from convene.web.api.spec import operation


@blueprint.post("/convenings/<code>/agenda")
@operation(
    "Add an agenda item at the end (facilitator).",
    command="agenda.add",
    reply=r.AgendaItem,
    status=201,
    errors=(403, 409),
)
def add_item(code: str):
    return run(code, "agenda.add", json_body()), 201


@blueprint.patch("/convenings/<code>/agenda/<int:item_id>")
@operation(
    "Edit an agenda item (facilitator).",
    command="agenda.edit",
    reply=r.AgendaItem,
    errors=(403, 409),
)
def edit_item(code: str, item_id: int):
    return run(code, "agenda.edit", {**json_body(), "item_id": item_id})


@blueprint.delete("/convenings/<code>/agenda/<int:item_id>")
@operation(
    "Remove an agenda item that is not running (facilitator).",
    command="agenda.remove",
    status=204,
    errors=(403, 409),
)
def remove_item(code: str, item_id: int):
    run(code, "agenda.remove", {"item_id": item_id})
    return "", 204


@blueprint.post("/convenings/<code>/agenda/<int:item_id>/start")
@operation(
    "Start an agenda item; a running one is ended first (facilitator).",
    command="agenda.start",
    reply=r.AgendaItem,
    errors=(403, 409),
)
def start_item(code: str, item_id: int):
    return run(code, "agenda.start", {"item_id": item_id})


@blueprint.post("/convenings/<code>/agenda/<int:item_id>/end")
@operation(
    "End the running agenda item (facilitator).",
    command="agenda.end",
    reply=r.AgendaItem,
    errors=(403, 409),
)
def end_item(code: str, item_id: int):
    return run(code, "agenda.end", {"item_id": item_id})


@blueprint.post("/convenings/<code>/agenda/reorder")
@operation(
    "Put the agenda in a new order: every item id exactly once (facilitator).",
    command="agenda.reorder",
    reply=r.AgendaOrder,
    errors=(403, 409),
)
def reorder(code: str):
    return {"order": run(code, "agenda.reorder", json_body())}
