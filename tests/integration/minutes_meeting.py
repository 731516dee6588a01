"""A scripted meeting for the minutes tests: agenda, demands, amendments, five rounds.

Times come from the ``clock`` fixture and the lot's seeds are fixed, so the minutes are the
same on every run (tests/data/minutes/expected.md is the hand-written expected document).
"""

from __future__ import annotations

from itertools import count

from convene.services import agenda, convenings, demands, floor, minutes, rounds


def fixed_seeds(monkeypatch) -> None:
    seeds = (f"5eed{n:012d}" for n in count(1))
    monkeypatch.setattr(
        "convene.services.rounds.commands.secrets.token_hex", lambda _n: next(seeds)
    )


def run_meeting(services, clock) -> dict:
    """Run the meeting; returns the actors, tokens and ids the tests need."""
    created = convenings.create_convening(
        services,
        title="Tenants' assembly",
        place="Library, room 2",
        date="2026-11-23",
        facilitator_name="Fran",
    )
    fac = services.authenticate(created.facilitator_token)
    people, tokens = {}, {}
    for name in ("Ana", "Ben", "Cy", "Dee", "Eve", "Fay"):
        clock.advance(minutes=1)
        admission = convenings.join(services, code=created.code, name=name)
        people[name] = services.authenticate(admission.token)
        tokens[name] = admission.token
    convenings.set_vote_weight(services, fac, member_id=people["Dee"].member_id, vote_weight=2)
    for sid, name in enumerate(("Ana", "Ben", "Cy", "Dee", "Eve")):
        services.presence.connect(fac.convening_id, people[name].member_id, "participant", str(sid))

    rent = agenda.add_item(services, fac, title="Rent")["id"]
    first = agenda.add_item(services, fac, title="What comes first")["id"]
    committee = agenda.add_item(services, fac, title="Committee and strike")["id"]

    # 1. Rent: two speakers, a demand with a friendly amendment and one adopted by consent.
    clock.now = clock.now.replace(minute=10)
    agenda.start_item(services, fac, item_id=rent)
    floor.raise_hand(services, people["Ana"])
    floor.raise_hand(services, people["Ben"])
    clock.advance(minutes=1)
    floor.next_speaker(services, fac)  # Ana: 18:11 to 18:13
    clock.advance(minutes=2)
    floor.next_speaker(services, fac)  # Ben: 18:13 to 18:14:30
    clock.advance(seconds=90)
    floor.next_speaker(services, fac)
    demand = demands.propose(
        services,
        people["Ana"],
        title="Freeze rents",
        body="We demand a rent freeze for two years.",
        agenda_item_id=rent,
    )["id"]
    demands.open_demand(services, fac, demand_id=demand)
    demands.support(services, people["Ben"], demand_id=demand)
    friendly = demands.amend(
        services,
        people["Ben"],
        demand_id=demand,
        passage="a rent freeze",
        body="a rent freeze on every flat",
        rationale="Include the new block.",
    )["id"]
    demands.accept(services, people["Ana"], amendment_id=friendly)
    longer = demands.amend(
        services,
        people["Cy"],
        demand_id=demand,
        passage="two years",
        body="three years",
        rationale="Two years is too short.",
    )["id"]
    clock.advance(minutes=1)
    r1 = rounds.create_round(
        services,
        fac,
        title="Three years instead of two?",
        method="consent",
        options=[{"amendment_id": longer}],
        agenda_item_id=rent,
    )["id"]
    rounds.open_round(services, fac, round_id=r1)
    for name, choice in (("Ana", "agree"), ("Ben", "agree"), ("Cy", "stand_aside")):
        rounds.cast_ballot(services, people[name], round_id=r1, choice=choice)
    for name in ("Dee", "Eve"):
        rounds.cast_ballot(services, people[name], round_id=r1, choice="agree")
    clock.advance(minutes=2)
    rounds.close_round(services, fac, round_id=r1)
    r2 = rounds.create_round(
        services,
        fac,
        title="Adopt “Freeze rents”?",
        method="consent",
        options=[{"demand_id": demand}],
        agenda_item_id=rent,
    )["id"]
    rounds.open_round(services, fac, round_id=r2)
    for name in ("Ana", "Ben", "Cy", "Dee", "Eve"):
        rounds.cast_ballot(services, people[name], round_id=r2, choice="agree")
    clock.advance(minutes=2)
    rounds.close_round(services, fac, round_id=r2)
    minutes.add_action(
        services,
        fac,
        what="Write to the landlord",
        who="Ana",
        due="2026-12-01",
        agenda_item_id=rent,
    )
    clock.now = clock.now.replace(minute=30)
    agenda.end_item(services, fac, item_id=rent)

    # Fay leaves.
    clock.advance(minutes=1)
    convenings.remove_member(services, fac, member_id=people["Fay"].member_id)

    # 2. What comes first: an IRV round (Security out in round 1, Repairs wins in round 2).
    clock.now = clock.now.replace(minute=35)
    agenda.start_item(services, fac, item_id=first)
    r3 = rounds.create_round(
        services,
        fac,
        title="What do we campaign on first?",
        method="irv",
        options=[{"label": "Heating"}, {"label": "Repairs"}, {"label": "Security"}],
        agenda_item_id=first,
    )
    r3, (heating, repairs, security) = r3["id"], [o["id"] for o in r3["options"]]
    rounds.open_round(services, fac, round_id=r3)
    for name, ranking in (
        ("Dee", [heating]),
        ("Ana", [repairs, heating]),
        ("Ben", [repairs, security]),
        ("Cy", [security, repairs]),
        ("Eve", [repairs]),
    ):
        rounds.cast_ballot(services, people[name], round_id=r3, ranking=ranking)
    clock.advance(minutes=5)
    rounds.close_round(services, fac, round_id=r3)
    clock.now = clock.now.replace(minute=45)
    agenda.end_item(services, fac, item_id=first)

    # 3. Committee (STV, two seats; named ballots) and a strike vote that fails its 2/3.
    agenda.start_item(services, fac, item_id=committee)
    r4 = rounds.create_round(
        services,
        fac,
        title="Tenants' committee",
        method="stv",
        seats=2,
        secret=False,
        options=[{"label": "Ana"}, {"label": "Ben"}, {"label": "Cy"}],
        agenda_item_id=committee,
    )
    r4, (c_ana, c_ben, c_cy) = r4["id"], [o["id"] for o in r4["options"]]
    rounds.open_round(services, fac, round_id=r4)
    for name, ranking in (
        ("Dee", [c_ana, c_ben]),
        ("Ana", [c_ana, c_ben]),
        ("Ben", [c_ben]),
        ("Cy", [c_cy, c_ben]),
        ("Eve", [c_cy, c_ben]),
    ):
        rounds.cast_ballot(services, people[name], round_id=r4, ranking=ranking)
    clock.advance(minutes=4)
    rounds.close_round(services, fac, round_id=r4)
    r5 = rounds.create_round(
        services,
        fac,
        title="Call a rent strike",
        method="yes_no",
        threshold="2/3",
        quorum=4,
        options=[{"label": "Rent strike from January"}],
        agenda_item_id=committee,
    )["id"]
    rounds.open_round(services, fac, round_id=r5)
    for name, choice in (
        ("Ana", "yes"),
        ("Ben", "yes"),
        ("Eve", "yes"),
        ("Dee", "no"),
        ("Cy", "abstain"),
    ):
        rounds.cast_ballot(services, people[name], round_id=r5, choice=choice)
    clock.advance(minutes=3)
    rounds.close_round(services, fac, round_id=r5)
    minutes.add_action(services, fac, what="Book the hall for January", who="Ben")
    clock.now = clock.now.replace(minute=58)
    agenda.end_item(services, fac, item_id=committee)
    minutes.add_note(services, fac, agenda_item_id=rent, text="The landlord's letter was read out.")
    return {
        "created": created,
        "facilitator": fac,
        "people": people,
        "tokens": tokens,
        "items": (rent, first, committee),
        "rounds": (r1, r2, r3, r4, r5),
        "demand": demand,
    }
