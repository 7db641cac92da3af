"""A hypothesis state machine over submit / replay / decide / read by different users: the API
must agree at every step with a plain model of who submitted, decided and may see what."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from certify.rulebook import Rulebook
from certify.store.database import Database
from tests.api.conftest import CERTIFIED_FURNITURE, REFUSED_FURNITURE, World, build_world, inspection_body

INSPECTORS = ("inspector", "inspector2")
CERTIFIERS = ("certifier", "certifier2")
VIEWERS = ("admin", "certifier", "inspector", "inspector2", "artisan", "artisan2")
PRODUCTS = ("jepara_furniture", "bali_furniture")


@dataclass
class Submitted:
    id: int
    inspector: str
    holder: str
    certified: bool
    answer: dict[str, Any]
    key: str | None
    body: dict[str, Any]
    decision: str | None = None


def may_see(viewer: str, item: Submitted) -> bool:
    if viewer in ("admin", "certifier"):
        return True
    if viewer in INSPECTORS:
        return viewer == item.inspector
    return (viewer == "artisan") == (item.holder == "jepara")


def make_machine(client: TestClient, database: Database, rulebook: Rulebook) -> type[RuleBasedStateMachine]:
    class Inspections(RuleBasedStateMachine):
        submitted = Bundle("submitted")

        def __init__(self) -> None:
            super().__init__()
            self.world: World = build_world(database)
            self.run = uuid.uuid4().hex[:8]
            self.items: list[Submitted] = []
            self.keys: dict[tuple[str, str], Submitted] = {}
            self.serials: list[str] = []

        def post(self, who: str, url: str, body: dict[str, Any], key: str | None = None) -> Any:
            headers = dict(self.world[who].headers)
            if key is not None:
                headers["Idempotency-Key"] = key
            return client.post(url, json=body, headers=headers)

        @rule(
            target=submitted,
            inspector=st.sampled_from(INSPECTORS),
            product=st.sampled_from(PRODUCTS),
            example=st.sampled_from((CERTIFIED_FURNITURE, REFUSED_FURNITURE)),
            key=st.none() | st.sampled_from(("a", "b", "c")),
        )
        def submit(self, inspector: str, product: str, example: int, key: str | None) -> Submitted:
            body = inspection_body(self.world, rulebook, self.world.products[product], example, inspector=inspector)
            full_key = None if key is None else f"{self.run}-{key}"
            answer = self.post(inspector, "/api/v1/inspections", body, full_key)
            earlier = self.keys.get((inspector, full_key)) if full_key else None
            if earlier is not None:
                if earlier.body == body:
                    assert answer.status_code == 201 and answer.json() == earlier.answer
                else:
                    assert answer.status_code == 409
                return earlier
            assert answer.status_code == 201, answer.json()
            item = Submitted(
                id=answer.json()["id"],
                inspector=inspector,
                holder=product.split("_")[0],
                certified=answer.json()["certified"],
                answer=answer.json(),
                key=full_key,
                body=body,
            )
            assert item.certified is (example == CERTIFIED_FURNITURE)
            self.items.append(item)
            if full_key:
                self.keys[(inspector, full_key)] = item
            return item

        @rule(item=submitted)
        def replay(self, item: Submitted) -> None:
            answer = self.post(item.inspector, "/api/v1/inspections", item.body, item.key)
            if item.key is None:  # no key: the same sampling plan again is refused, nothing is made
                assert answer.status_code == 409, answer.json()
                assert f"already the plan of inspection {item.id}" in answer.json()["detail"]
            else:
                assert answer.status_code == 201 and answer.json() == item.answer

        @rule(item=submitted, certifier=st.sampled_from(CERTIFIERS), outcome=st.sampled_from(("issue", "refuse")))
        def decide(self, item: Submitted, certifier: str, outcome: str) -> None:
            answer = self.post(certifier, f"/api/v1/inspections/{item.id}/decision", {"decision": outcome})
            if item.decision is not None or (outcome == "issue" and not item.certified):
                assert answer.status_code == 409
                return
            assert answer.status_code == 201, answer.json()
            item.decision = outcome
            if outcome == "issue":
                self.serials.append(answer.json()["serial"])

        @rule(item=submitted, viewer=st.sampled_from(VIEWERS))
        def read(self, item: Submitted, viewer: str) -> None:
            answer = client.get(f"/api/v1/inspections/{item.id}", headers=self.world[viewer].headers)
            if not may_see(viewer, item):
                assert answer.status_code == 404
                return
            assert answer.status_code == 200
            decision = answer.json()["decision"]
            assert (decision and decision["decision"]) == item.decision
            assert (answer.json()["certificate"] is not None) == (item.decision == "issue")

        @invariant()
        def serials_are_distinct_and_of_this_year(self) -> None:
            assert len(set(self.serials)) == len(self.serials)
            assert all(s.startswith(f"{date.today().year}-") for s in self.serials)

        @invariant()
        def the_admin_sees_every_inspection_of_this_run(self) -> None:
            seen = set()
            for holder in self.world.holders.values():
                answer = client.get(
                    "/api/v1/inspections",
                    params={"holder_id": holder, "limit": 500},
                    headers=self.world["admin"].headers,
                )
                seen |= {i["id"] for i in answer.json()}
            assert seen == {item.id for item in self.items}

    return Inspections


def test_submit_replay_decide_and_read_agree_with_the_model(
    client: TestClient, database: Database, rulebook: Rulebook
) -> None:
    """Random sequences of the four actions by six people never contradict the model."""
    run_state_machine_as_test(
        lambda: make_machine(client, database, rulebook)(),
        settings=settings(max_examples=8, stateful_step_count=15, deadline=None),
    )
