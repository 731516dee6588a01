"""Schemathesis against the generated OpenAPI document, with a real convening and real tokens.

Every operation gets schema-conforming and schema-violating requests (a bounded, seeded number
of each), as the facilitator, a participant or nobody, on the real join code and, half the
time, on ids that exist. Whatever it sends: no 5xx, only documented statuses, and every reply
matches its documented schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from tests.integration.test_api import bearer

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
#: Examples per operation and mode (schema-conforming, schema-violating): 59 operations × 2
#: × this many requests, about 40 s on SQLite.
EXAMPLES = 12


def _meeting(client) -> tuple[str, dict[str, str], dict[str, int]]:
    """A convening with a participant, a running agenda item, a demand and an open round."""
    created = client.post(
        "/api/convenings", json={"title": "Asamblea de barrio: presupuesto participativo 2027"}
    ).get_json()
    code, staff = created["code"], bearer(created["facilitator_token"])
    ana = client.post(f"/api/convenings/{code}/participants", json={"name": "Ana Núñez"})
    ana = ana.get_json()
    base = f"/api/convenings/{code}"
    item = client.post(f"{base}/agenda", json={"title": "Rent strike"}, headers=staff).get_json()
    client.post(f"{base}/agenda/{item['id']}/start", headers=staff)
    demand = client.post(
        f"{base}/demands",
        json={"title": "Freeze rents for two years", "body": "All rents in the district."},
        headers=bearer(ana["token"]),
    ).get_json()
    round_ = client.post(
        f"{base}/rounds",
        json={
            "title": "Which campaign first?",
            "method": "irv",
            "options": [{"label": f"Campaign {i}"} for i in range(1, 9)],
        },
        headers=staff,
    ).get_json()
    client.post(f"{base}/rounds/{round_['id']}/open", headers=staff)
    hand = client.post(f"{base}/queue", json={}, headers=bearer(ana["token"])).get_json()
    tokens = {"facilitator": created["facilitator_token"], "participant": ana["token"]}
    ids = {
        "item_id": item["id"],
        "demand_id": demand["id"],
        "round_id": round_["id"],
        "member_id": ana["id"],
        "request_id": hand["id"],
        "amendment_id": 1,
    }
    return code, tokens, ids


# Every operation of the API in one test: 180 s at load 19 on 2 cores, so a longer limit than
# the suite's (pyproject.toml) for this one.
@pytest.mark.timeout(900)
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_request_breaks_the_api(app, client):
    code, tokens, ids = _meeting(client)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    failures: list[str] = []
    operations = set()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations.add(operation.label)
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(
                case=strategy,
                real_ids=st.booleans(),
                who=st.sampled_from([*tokens.values(), None]),
            )
            def fuzz(case, real_ids, who):
                path = case.path_parameters
                if path is not None:
                    if "code" in path:
                        path["code"] = code
                    if real_ids:
                        path.update({k: v for k, v in ids.items() if k in path})
                headers = bearer(who) if who else {}
                try:
                    case.call_and_validate(headers=headers, checks=CHECKS)
                except Exception as error:  # collected: every operation gets its turn
                    if len(failures) < 30:
                        failures.append(f"{case.operation.label}: {type(error).__name__}: {error}")

            fuzz()
    document = client.get("/api/openapi.json").get_json()
    documented = {f"{m.upper()} {p}" for p, ops in document["paths"].items() for m in ops}
    assert operations == documented - {"GET /api/openapi.json"}  # the loader skips its own
    assert failures == []
