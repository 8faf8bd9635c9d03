"""The week lock lives in the entry write functions (services/timesheet/entries.py), so every
interface meets it. Here: each write function refuses a locked week; a new write function
there fails a guard until it is tested here; and a property test (Hypothesis): any sequence of
create / edit / move / delete around a week, with the approval somewhere in between, leaves the
approved week's rows byte for byte as they were when it was approved."""

from __future__ import annotations

import inspect
import itertools
from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from extensions import db
from models import Project, Task, TimeEntry, User
from services.timesheet import approvals, entries
from services.timesheet.entries import EntryError, EntryInput
from tests.conftest import make_user
from tests.team_support import add_member, team_of

LOCKED_MONDAY = date(2026, 11, 16)
NEXT_MONDAY = LOCKED_MONDAY + timedelta(days=7)
DAYS = [LOCKED_MONDAY + timedelta(days=n) for n in range(14)]  # the locked week and the next
# Every function of services/timesheet/entries.py that writes (commits); each one is tried below.
WRITERS = {"create_entry", "create_entries", "update_entry", "apply_changes", "delete_entry"}
counter = itertools.count()


def writing_functions() -> set[str]:
    return {
        name
        for name, function in inspect.getmembers(entries, inspect.isfunction)
        if function.__module__ == entries.__name__
        and not name.startswith("_")
        and "commit()" in inspect.getsource(function)
    }


def test_every_entry_writer_is_covered_by_the_lock_tests() -> None:
    assert writing_functions() == WRITERS, (
        "a new function writes entries: make it call ensure_open (services/timesheet/locks.py) "
        "and add it to WRITERS and to test_each_writer_refuses_a_locked_week"
    )


def setup_people(app: Flask) -> dict[str, int]:
    """A member and a manager in one team (two tasks), and a second team of the member's."""
    n = next(counter)
    manager = make_user(app, email=f"boss{n}@example.com", name="Boss")
    team = team_of(app, manager)
    member = make_user(app, email=f"mia{n}@example.com", name="Mia", team=False)
    add_member(app, team, member, "member")
    own_team = team_of(app, member)  # the member's personal team: not locked by the approval
    with app.app_context():
        tasks = []
        for team_id, name in ((team, "A"), (team, "B"), (own_team, "C")):
            project = Project(team_id=team_id, name=f"P{name}")
            task = Task(project=project, name=name)
            db.session.add(task)
            db.session.flush()
            tasks.append(task.id)
        db.session.commit()
    return {"manager": manager, "member": member, "team": team, "tasks": tasks}


def approve(people: dict[str, int]) -> None:
    member = db.session.get(User, people["member"])
    manager = db.session.get(User, people["manager"])
    approvals.submit_week(member, people["team"], LOCKED_MONDAY)
    approvals.approve_week(manager, people["team"], people["member"], LOCKED_MONDAY)


def locked_rows(people: dict[str, int]) -> list[tuple]:
    """The approved week's rows: the member's entries on the team's tasks in that week, every
    column (ids, times, notes, timestamps)."""
    table = TimeEntry.__table__
    team_tasks = select(Task.id).join(Project).where(Project.team_id == people["team"])
    rows = db.session.execute(
        select(table)
        .where(
            table.c.user_id == people["member"],
            table.c.task_id.in_(team_tasks),
            table.c.spent_on.between(LOCKED_MONDAY, LOCKED_MONDAY + timedelta(days=6)),
        )
        .order_by(table.c.id)
    ).all()
    return [tuple(row) for row in rows]


def data(task_id: int, day: date, minutes: int = 30, note: str = "") -> EntryInput:
    return EntryInput(task_id=task_id, day=day, start=time(9, 0), minutes=minutes, note=note)


def test_each_writer_refuses_a_locked_week(app: Flask) -> None:
    people = setup_people(app)
    task, _, other_team_task = people["tasks"]
    with app.app_context():
        member = db.session.get(User, people["member"])
        inside = entries.create_entry(member, data(task, LOCKED_MONDAY))
        outside = entries.create_entry(member, data(task, NEXT_MONDAY))
        elsewhere = entries.create_entry(member, data(other_team_task, LOCKED_MONDAY))
        approve(people)
        before = locked_rows(people)
        attempts = {
            "create_entry": lambda: entries.create_entry(member, data(task, LOCKED_MONDAY)),
            "update_entry (change)": lambda: entries.update_entry(
                member, inside, data(task, LOCKED_MONDAY, minutes=99)
            ),
            "update_entry (move out)": lambda: entries.update_entry(
                member, inside, data(task, NEXT_MONDAY)
            ),
            "update_entry (move in)": lambda: entries.update_entry(
                member, outside, data(task, LOCKED_MONDAY)
            ),
            "update_entry (move in from another team)": lambda: entries.update_entry(
                member, elsewhere, data(task, LOCKED_MONDAY)
            ),
            "delete_entry": lambda: entries.delete_entry(member, inside),
            # The timer's days and the grid's save.
            "create_entries": lambda: entries.create_entries(
                member, [data(task, NEXT_MONDAY), data(task, LOCKED_MONDAY)]
            ),
            "apply_changes (create)": lambda: entries.apply_changes(
                member, entries.Changes(creates=[data(task, LOCKED_MONDAY)])
            ),
            "apply_changes (update)": lambda: entries.apply_changes(
                member, entries.Changes(updates=[(inside, data(task, LOCKED_MONDAY, minutes=5))])
            ),
            "apply_changes (delete)": lambda: entries.apply_changes(
                member, entries.Changes(deletes=[inside])
            ),
            # Not a writer of its own (it goes through create_entries), tried all the same.
            "restore_entry": lambda: entries.restore_entry(
                member,
                entries.DeletedEntry(
                    task_id=task,
                    day=LOCKED_MONDAY,
                    start=time(13, 0),
                    minutes=15,
                    note="",
                    deleted_at=datetime.now(UTC),
                ),
            ),
        }
        for name, attempt in attempts.items():
            with pytest.raises(EntryError, match="is locked"):
                attempt()
            db.session.expire_all()
            assert locked_rows(people) == before, name
        assert {name.split(" ")[0] for name in attempts} >= WRITERS
        # create_entries stored nothing, not even its day in the open week.
        assert (
            db.session.scalar(
                select(func.count()).select_from(TimeEntry).where(TimeEntry.spent_on == NEXT_MONDAY)
            )
            == 1
        )
        # The other team's week is not locked by this approval.
        entries.update_entry(member, elsewhere, data(other_team_task, LOCKED_MONDAY, minutes=45))


ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.integers(0, 2), st.sampled_from(DAYS), st.integers(1, 240)),
        st.tuples(
            st.just("edit"),
            st.integers(0, 50),
            st.integers(0, 2),
            st.sampled_from(DAYS),
            st.integers(1, 240),
        ),
        st.tuples(st.just("delete"), st.integers(0, 50)),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=ACTIONS, approve_after=st.integers(0, 12))
def test_an_approved_week_never_changes(
    app: Flask, actions: list[tuple], approve_after: int
) -> None:
    people = setup_people(app)
    with app.app_context():
        member = db.session.get(User, people["member"])
        frozen = None
        for step, action in enumerate([*actions, ("noop",)]):
            if step == min(approve_after, len(actions)):
                approve(people)
                frozen = locked_rows(people)
            mine = list(db.session.scalars(select(TimeEntry).where(TimeEntry.user_id == member.id)))
            try:
                if action[0] == "create":
                    _, task, day, minutes = action
                    entries.create_entry(member, data(people["tasks"][task], day, minutes))
                elif action[0] == "edit" and mine:
                    _, which, task, day, minutes = action
                    entry = mine[which % len(mine)]
                    entries.update_entry(
                        member, entry, data(people["tasks"][task], day, minutes, note=f"s{step}")
                    )
                elif action[0] == "delete" and mine:
                    entries.delete_entry(member, mine[action[1] % len(mine)])
            except EntryError:
                db.session.rollback()
            db.session.expire_all()
            if frozen is not None:
                assert locked_rows(people) == frozen, f"changed by step {step}: {action}"
        assert frozen is not None
