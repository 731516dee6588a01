"""Minutes: the record people take home, as a pure function of the recorded state and log.

Pure Python (no Flask, no SQLAlchemy). :func:`build_minutes` takes the convening's recorded
state (plain dicts gathered by ``convene.services.minutes.load_state``) and its event log
(``{"seq", "type", "data", "at"}`` dicts) and returns the document model: plain, JSON-ready
dicts and lists that the templates under ``templates/minutes/`` render into Markdown and
HTML/PDF, and that the JSON export carries as is. The same input always gives the same
document, so minutes can be rebuilt and checked at any time.

Action items are small domain objects too: :func:`parse_action` checks what someone typed.
"""

from __future__ import annotations

from datetime import date

from convene.domain import methods
from convene.domain.errors import N_, InvalidInput
from convene.domain.tally.explain import Explainer
from convene.domain.text import clean_block, clean_line

WHAT_MAX = 1000
WHO_MAX = 200
NOTE_MAX = 8000
DOCUMENT_VERSION = 1

#: English names, marked for translation (the methods' titles): the minutes show them in
#: their own language.
METHOD_NAMES = {record.name: record.title for record in methods.RECORDS}
#: The STV rules by name.
RULE_NAMES = {"scottish": N_("Scottish rules"), "meek": N_("Meek's method")}
#: How a tie was broken (a tie break's ``how``).
TIE_HOW_NAMES = {
    "lookback": N_("looking back"),
    "lot": N_("by lot"),
    "order": N_("by the published order"),
    "room": N_("by a lot drawn in the room"),
    "facilitator": N_("by a lot drawn in the room"),
}
EXPORT_NAMES = {
    "csv": N_("Ballots (CSV)"),
    "blt": N_("Ballots (BLT)"),
    "cvr": N_("Cast-vote records (NIST CDF JSON)"),
    "summary": N_("Round-by-round summary (RCTab JSON)"),
}
#: How a round broke ties that looking back could not (the "rules used", printed with it).
TIE_BREAK_NAMES = {
    "lot": N_("looking back at earlier rounds, then a lot drawn from the seed"),
    "order": N_("looking back at earlier rounds, then the order of the options"),
    "room": N_("looking back at earlier rounds, then a lot drawn in the room"),
}
FOLLOW_UP_PATHS = {
    "amend": N_("back to amendments"),
    "retry": N_("a new consent round"),
    "fallback": N_("a fallback vote"),
}


# -- action items ----------------------------------------------------------------------------


def parse_due(value: object) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InvalidInput(N_("The date must be written as YYYY-MM-DD."), field="due")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(N_("The date must be written as YYYY-MM-DD."), field="due") from None


def parse_action(what: object, who: object, due: object) -> dict:
    """A checked action item: ``{what, who, due}`` (``due`` a date or None)."""
    return {
        "what": clean_block(what, "what", WHAT_MAX, required=True),
        "who": clean_line(who, "who", WHO_MAX),
        "due": parse_due(due),
    }


def parse_note(text: object) -> str:
    return clean_block(text, "text", NOTE_MAX)


# -- the document ---------------------------------------------------------------------------


def _checkins(events: list[dict], anonymous: bool) -> dict:
    """Check-ins and check-outs at the desk (checkin.in / checkin.out) and the seats
    alternates took and gave back (seat.taken / seat.returned: ``seat`` is "taken" or
    "returned", ``seat_name`` the delegate's): how many were in at the end and at most, and
    each one in order (names unless anonymous)."""
    log = []
    count = peak = 0
    kinds = ("checkin.in", "checkin.out", "seat.taken", "seat.returned")
    for event in events:
        if event["type"] not in kinds:
            continue
        data = event.get("data") or {}
        count = (data.get("counts") or {}).get("checked_in", count)
        peak = max(peak, count)
        seat = event["type"].removeprefix("seat.") if event["type"].startswith("seat.") else None
        log.append(
            {
                "at": event["at"],
                "seq": event["seq"],
                "in": event["type"] == "checkin.in",
                "seat": seat,
                "seat_name": "" if anonymous or seat is None else data.get("seat_name", ""),
                "name": "" if anonymous else data.get("name", ""),
                "delegation": "" if anonymous else data.get("delegation", ""),
                "count": count,
            }
        )
    return {"at_end": count, "peak": peak, "log": log}


def _attendance(state: dict, events: list[dict]) -> dict:
    """Participants over time from participant.joined/removed; names unless anonymous."""
    members = {m["id"]: m for m in state["members"]}
    timeline: list[dict] = []
    count = 0
    for event in events:
        data = event.get("data") or {}
        if event["type"] == "participant.joined" and data.get("role", "participant") == (
            "participant"
        ):
            count += 1
        elif event["type"] == "participant.removed" and data.get("role") == "participant":
            count = max(0, count - 1)
        else:
            continue
        # The event carries the count as the server saw it: trust it over our own sum.
        count = data.get("participants", count)
        timeline.append({"at": event["at"], "count": count, "seq": event["seq"]})
    anonymous = bool(state["convening"].get("anonymous"))
    participants = [m for m in state["members"] if m["role"] == "participant"]
    present = [m for m in participants if m.get("removed_at") is None]
    delegates = [
        {"name": m["name"], "weight": m["vote_weight"]}
        for m in present
        if m.get("vote_weight", 1) != 1
    ]
    proxies = [
        {"name": m["name"], "carried_by": members.get(m["carried_by_id"], {}).get("name", "")}
        for m in present
        if m.get("carried_by_id") is not None
    ]
    return {
        "anonymous": anonymous,
        "checkins": _checkins(events, anonymous),
        "joined": len(participants),
        "present_at_end": count,
        "peak": max((p["count"] for p in timeline), default=0),
        "timeline": timeline,
        "names": None if anonymous else sorted((m["name"] for m in participants), key=str.lower),
        "delegates": [] if anonymous else delegates,
        "proxies": [] if anonymous else proxies,
    }


def _amendment_history(demand: dict, rounds_by_amendment: dict, names: dict) -> list[dict]:
    history = []
    for amendment in demand.get("amendments", []):
        voted = rounds_by_amendment.get(amendment["id"])
        if amendment["status"] == "adopted":
            how = (
                "friendly"
                if amendment.get("friendly")
                else ("vote" if voted is not None else "decision")
            )
        else:
            how = "vote" if voted is not None and amendment["status"] == "rejected" else None
        history.append(
            {
                "id": amendment["id"],
                "author": names.get(amendment["author_id"], ""),
                "passage": amendment.get("passage"),
                "body": amendment["body"],
                "old_text": amendment.get("old_text", ""),
                "new_text": amendment.get("new_text", ""),
                "rationale": amendment.get("rationale", ""),
                "status": amendment["status"],
                "how": how,
                "round": voted,
                "result_version": amendment.get("result_version"),
            }
        )
    return history


def _demand(demand: dict, rounds_by_amendment: dict, names: dict) -> dict:
    return {
        "id": demand["id"],
        "title": demand["title"],
        "body": demand["body"],
        "status": demand["status"],
        "version": demand["version"],
        "author": names.get(demand["author_id"], ""),
        "versions": [
            {"number": v["number"], "kind": v["kind"], "title": v["title"], "body": v["body"]}
            for v in demand.get("versions", [])
        ],
        "amendments": _amendment_history(demand, rounds_by_amendment, names),
    }


def _number(value: dict | None) -> str | None:
    return None if value is None else value.get("exact")


def story(result: dict) -> dict:
    """What the sentences of a count are rendered from, in the reader's language (the
    templates call :func:`convene.domain.tally.explain.Explainer` with it): the stored
    result without its bulky details (pairwise matrices, keep factors)."""
    details = result.get("details") or {}
    return {
        **{k: v for k, v in result.items() if k != "details"},
        "details": {"condorcet_winner": details.get("condorcet_winner")},
    }


def _table(round_: dict) -> dict:
    """The round-by-round table: one row per option (and exhausted), one column per round."""
    result = round_.get("result") or {}
    labels = result.get("labels") or {}
    counts = result.get("rounds") or []
    keys: list[str] = []
    for rnd in counts:
        for key in rnd.get("tallies", {}):
            if key not in keys:
                keys.append(key)
    rows = []
    for key in keys:
        cells = []
        for rnd in counts:
            value = _number(rnd["tallies"].get(key))
            mark = ""
            if key in rnd.get("elected", []):
                mark = "elected"
            elif key in rnd.get("eliminated", []):
                mark = "eliminated"
            cells.append({"count": value, "mark": mark})
        rows.append({"label": labels.get(key, key), "cells": cells})
    record = methods.named(round_["method"])
    if record is not None and record.exhausts and counts:
        rows.append(
            {
                "label": "Exhausted",
                "cells": [{"count": _number(r.get("exhausted")), "mark": ""} for r in counts],
            }
        )
    return {
        "columns": [r["number"] for r in counts],
        "rows": rows,
        "explanations": Explainer(labels).rounds(result),
    }


def _round(round_: dict, by_id: dict) -> dict:
    record = methods.named(round_["method"])
    proposal = record is not None and record.ballot.proposal
    result = round_.get("result") or {}
    labels = result.get("labels") or {}
    details = result.get("details") or {}
    quorum = round_.get("quorum")
    voted_weight = round_.get("voted_weight", 0)
    follows = by_id.get(round_.get("follows_round_id"))
    closed = round_["state"] == "closed"
    return {
        "id": round_["id"],
        "title": round_["title"],
        "method": round_["method"],
        "method_name": METHOD_NAMES.get(round_["method"], round_["method"]),
        "rule": round_.get("rule"),
        "seats": round_["seats"],
        "threshold": round_.get("threshold"),
        "stand_aside_limit": round_.get("stand_aside_limit"),
        "secret": round_["secret"],
        "state": round_["state"],
        "options": [o["label"] for o in round_["options"]],
        "opened_at": round_.get("opened_at"),
        "closed_at": round_.get("closed_at"),
        "voted": round_.get("voted", 0),
        "voted_weight": voted_weight,
        "paper": round_.get("paper", 0),
        "paper_names": list(round_.get("paper_names") or []),
        "present_at_open": round_.get("present_at_open"),
        "present_at_close": round_.get("present_at_close"),
        "quorum": quorum,
        "quorum_met": (
            None
            if quorum is None or not closed
            else bool(details.get("quorate", voted_weight >= quorum))
        ),
        "total": _number(result.get("total")),
        "quota": _number(result.get("quota")),
        "table": _table(round_) if closed else None,
        "winners": [labels.get(str(w), str(w)) for w in result.get("winners", [])],
        "passed": result.get("passed"),
        "explanation": result.get("explanation", "") if proposal else "",
        "tie_breaks": [
            {
                "round": t["round"],
                "how": t["how"],
                "tied": [labels.get(str(c), str(c)) for c in t["tied"]],
                "chosen": labels.get(str(t["chosen"]), str(t["chosen"])),
                "explanation": Explainer(labels).tie(t),
            }
            for t in result.get("tie_breaks", [])
        ],
        "story": story(result) if result.get("rounds") else None,
        "seed": round_.get("seed"),
        "exports": [
            {**e, "name": EXPORT_NAMES.get(e["kind"], e["kind"])}
            for e in round_.get("exports") or []
        ],
        "decision": round_.get("decision", ""),
        "follows": (
            {"id": follows["id"], "title": follows["title"], "path": round_.get("path")}
            if follows
            else None
        ),
        "path": round_.get("path"),
        "path_name": FOLLOW_UP_PATHS.get(round_.get("path") or ""),
        "tie_break_name": (
            None if proposal else TIE_BREAK_NAMES.get(round_.get("tie_break") or "lot")
        ),
        "follow_up": round_.get("follow_up"),
        "follow_up_name": FOLLOW_UP_PATHS.get(round_.get("follow_up") or ""),
    }


def _speaking(stats: dict | None, names: dict, anonymous: bool) -> dict | None:
    if not stats:
        return None
    return {
        "speakers": stats["speakers"],
        "speeches": stats["speeches"],
        "total_seconds": stats["total_seconds"],
        "first_time_speakers": stats["first_time_speakers"],
        "per_person": (
            []
            if anonymous
            else [
                {"name": names.get(p["member_id"], ""), "seconds": p["seconds"]}
                for p in stats["per_person"]
            ]
        ),
    }


def build_minutes(state: dict, events: list[dict]) -> dict:
    """The minutes document of a convening (see the module docstring for the inputs)."""
    convening = state["convening"]
    anonymous = bool(convening.get("anonymous"))
    names = {m["id"]: m["name"] for m in state["members"]}
    follow_ups = {
        e["data"]["round_id"]: e["data"]["path"] for e in events if e["type"] == "round.followed_up"
    }
    rounds = [
        {**r, "follow_up": follow_ups.get(r["id"])}
        for r in sorted(state["rounds"], key=lambda r: r["id"])
        if r["state"] != "draft"
    ]
    by_id = {r["id"]: r for r in rounds}
    rounds_by_amendment: dict[int, dict] = {}
    for r in rounds:
        for option in r["options"]:
            if option.get("amendment_id") is not None:
                rounds_by_amendment[option["amendment_id"]] = {"id": r["id"], "title": r["title"]}
    demands = sorted(
        (
            d
            for d in state["demands"]
            if d["status"] not in ("withdrawn", "draft") and not d["hidden"]
        ),
        key=lambda d: d["position"],
    )
    notes = {int(k): v for k, v in state.get("notes", {}).items()}
    speaking = {int(k): v for k, v in state.get("speaking", {}).items()}
    actions = sorted(state.get("actions", []), key=lambda a: a["id"])
    items = []
    for item in sorted(state["agenda"], key=lambda i: i["position"]):
        item_rounds = [_round(r, by_id) for r in rounds if r.get("agenda_item_id") == item["id"]]
        items.append(
            {
                "id": item["id"],
                "number": item["position"] + 1,
                "title": item["title"],
                "state": item["state"],
                "started_at": item.get("started_at"),
                "ended_at": item.get("ended_at"),
                "agenda_notes": item.get("notes", ""),
                "notes": notes.get(item["id"], ""),
                "demands": [
                    _demand(d, rounds_by_amendment, names)
                    for d in demands
                    if d.get("item_id") == item["id"]
                ],
                "rounds": item_rounds,
                "decisions": [r["decision"] for r in item_rounds if r["decision"]],
                "speaking": _speaking(speaking.get(item["id"]), names, anonymous),
                "actions": [_action(a) for a in actions if a.get("agenda_item_id") == item["id"]],
            }
        )
    item_ids = {i["id"] for i in state["agenda"]}
    other_rounds = [_round(r, by_id) for r in rounds if r.get("agenda_item_id") not in item_ids]
    adopted = [d for d in demands if d["status"] == "adopted"]
    titles = {i["id"]: i["title"] for i in state["agenda"]}
    return {
        "document_version": DOCUMENT_VERSION,
        "convening": {
            "code": convening["code"],
            "title": convening["title"],
            "description": convening.get("description", ""),
            "date": convening.get("date"),
            "place": convening.get("place", ""),
            "started_at": convening.get("started_at"),
            "language": convening.get("language", "en"),
        },
        "facilitators": sorted(
            (m["name"] for m in state["members"] if m["role"] == "facilitator"), key=str.lower
        ),
        "attendance": _attendance(state, events),
        "items": items,
        "other": {
            "demands": [
                _demand(d, rounds_by_amendment, names)
                for d in demands
                if d.get("item_id") not in item_ids
            ],
            "rounds": other_rounds,
            "decisions": [r["decision"] for r in other_rounds if r["decision"]],
        },
        "adopted_demands": [
            {"number": n, "id": d["id"], "title": d["title"], "body": d["body"]}
            for n, d in enumerate(adopted, 1)
        ],
        "actions": [
            {**_action(a), "agenda_item": titles.get(a.get("agenda_item_id"))} for a in actions
        ],
        "last_seq": events[-1]["seq"] if events else 0,
        "final": False,
        "version": None,
        "approved_by": None,
        "approved_at": None,
    }


def _action(action: dict) -> dict:
    return {
        "id": action["id"],
        "what": action["what"],
        "who": action["who"],
        "due": action.get("due"),
        "agenda_item_id": action.get("agenda_item_id"),
    }


def finalized(document: dict, *, version: int, approved_by: str, approved_at: str) -> dict:
    """The document as approved: marked final, with its version and who approved it when."""
    return {
        **document,
        "final": True,
        "version": version,
        "approved_by": approved_by,
        "approved_at": approved_at,
    }


def duration(seconds: float | None) -> str:
    """``754.0`` → ``"12 min 34 s"`` (for the speaking statistics)."""
    if seconds is None:
        return ""
    whole = round(seconds)
    minutes, secs = divmod(whole, 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"
