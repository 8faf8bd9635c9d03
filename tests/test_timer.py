"""The timer: one running per user (held by the database), stop logs entries through the entries
service, the rule for a run over midnight or past the daily limit, the top bar after a reload."""

from __future__ import annotations

import contextlib
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from extensions import db
from models import Task, TimeEntry, Timer, User
from services.timesheet import timer as timer_service
from services.timesheet.timer import TimerError, split_by_day
from tests.timesheet_support import add_entry, add_project, add_task, signed_in


@pytest.fixture
def setup(app: Flask):
    client, user_id = signed_in(app, timezone=zone_at_midday())
    project_id = add_project(app, user_id, "Apollo")
    task_id = add_task(app, project_id, "Design")
    return client, user_id, task_id


def zone_at_midday() -> str:
    """A fixed-offset zone where it is now about noon: a timer of up to two hours that stops now
    never crosses the user's midnight, whenever the suite runs (the split over midnight has tests
    of its own, with fixed moments). With UTC these tests failed between 00:00 and 01:30 UTC."""
    offset = (12 - datetime.now(UTC).hour) % 24
    if offset > 12:
        offset -= 24  # the Etc zones run from UTC-12 to UTC+14
    # POSIX-style names: Etc/GMT-5 is five hours *ahead* of UTC.
    return "UTC" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


def start_form(task_id: int, note: str = "", next_path: str = "/week") -> dict[str, str]:
    return {"timer_task": str(task_id), "timer_note": note, "next": next_path}


def add_timer(app: Flask, user_id: int, task_id: int, started_at: datetime, note: str = "") -> int:
    with app.app_context():
        timer = Timer(user_id=user_id, task_id=task_id, started_at=started_at, note=note)
        db.session.add(timer)
        db.session.commit()
        return timer.id


def entries_of(app: Flask) -> list[tuple[date, int, str]]:
    with app.app_context():
        rows = db.session.scalars(select(TimeEntry).order_by(TimeEntry.started_at))
        return [(entry.spent_on, entry.minutes, entry.note) for entry in rows]


def running_count(app: Flask) -> int:
    with app.app_context():
        return len(list(db.session.scalars(select(Timer).where(Timer.stopped_at.is_(None)))))


def test_start_shows_the_timer_on_every_page_after_a_reload(setup, app: Flask) -> None:
    client, _, task_id = setup
    response = client.post("/timer/start", data=start_form(task_id, "Sketches", "/projects/"))
    assert response.status_code == 302 and response.headers["Location"] == "/projects/"
    for url in ("/week", "/projects/", "/entries/", "/reports/"):
        page = client.get(url).get_data(as_text=True)
        assert 'id="timer-elapsed"' in page, url
        assert "Apollo — Design" in page and "Stop timer" in page, url
    assert running_count(app) == 1


def test_the_elapsed_time_is_rendered_by_the_server(setup, app: Flask) -> None:
    client, user_id, task_id = setup
    add_timer(app, user_id, task_id, datetime.now(UTC) - timedelta(hours=1, minutes=2))
    page = client.get("/week").get_data(as_text=True)
    assert ">1:02:" in page  # right without JavaScript; static/timer.js only ticks on


def test_stop_logs_an_entry_through_the_entries_service(setup, app: Flask) -> None:
    client, user_id, task_id = setup
    add_timer(app, user_id, task_id, datetime.now(UTC) - timedelta(minutes=90), note="Review")
    response = client.post("/timer/stop", data={"next": "/week"}, follow_redirects=True)
    assert "Timer stopped: logged 1:30" in response.get_data(as_text=True)
    [(_, minutes, note)] = entries_of(app)
    assert (minutes, note) == (90, "Review")
    assert running_count(app) == 0


def test_a_second_start_is_refused_with_a_message(setup, app: Flask) -> None:
    client, _, task_id = setup
    client.post("/timer/start", data=start_form(task_id))
    response = client.post("/timer/start", data=start_form(task_id), follow_redirects=True)
    assert "A timer is already running on Apollo — Design" in response.get_data(as_text=True)
    assert running_count(app) == 1


def test_the_database_refuses_a_second_running_timer(any_app: Flask) -> None:
    """The partial unique index itself, without the service's friendly check in front."""
    _, user_id = signed_in(any_app)
    task_id = add_task(any_app, add_project(any_app, user_id))
    now = datetime.now(UTC)
    add_timer(any_app, user_id, task_id, now)
    with pytest.raises(IntegrityError):
        add_timer(any_app, user_id, task_id, now)
    # A stopped timer is a record, not a running one: any number of them may exist.
    with any_app.app_context():
        db.session.rollback()
        db.session.execute(db.update(Timer).values(stopped_at=now))
        db.session.commit()
    add_timer(any_app, user_id, task_id, now)
    assert running_count(any_app) == 1


@pytest.mark.postgres
def test_two_concurrent_starts_leave_one_running_timer(pg_app: Flask) -> None:
    """Two threads, two connections, both past the service's check before either inserts: the
    index lets one commit and the other gets the already-running message, never a 500."""
    _, user_id = signed_in(pg_app)
    task_id = add_task(pg_app, add_project(pg_app, user_id))
    both_checked = threading.Barrier(2, timeout=10)
    original = timer_service.running_timer
    outcomes: list[str] = []

    def check_then_wait(uid: int):
        found = original(uid)
        if found is None:
            with contextlib.suppress(threading.BrokenBarrierError):
                both_checked.wait()  # both threads saw "no timer running"
        return found

    def start() -> None:
        with pg_app.app_context():
            user = db.session.get(User, user_id)
            try:
                timer_service.start_timer(user, task_id)
                outcomes.append("started")
            except TimerError as error:
                outcomes.append(str(error))

    timer_service.running_timer = check_then_wait  # type: ignore[assignment]
    try:
        threads = [threading.Thread(target=start) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
    finally:
        timer_service.running_timer = original  # type: ignore[assignment]
    assert sorted(outcomes, key=lambda text: text != "started")[0] == "started"
    assert outcomes.count("started") == 1, outcomes
    [refused] = [text for text in outcomes if text != "started"]
    assert "already running" in refused or "same moment" in refused
    assert running_count(pg_app) == 1


def test_stopping_twice_logs_the_time_once(setup, app: Flask) -> None:
    client, user_id, task_id = setup
    add_timer(app, user_id, task_id, datetime.now(UTC) - timedelta(minutes=30))
    client.post("/timer/stop", data={"next": "/week"})
    response = client.post("/timer/stop", data={"next": "/week"}, follow_redirects=True)
    assert "No timer is running" in response.get_data(as_text=True)
    assert len(entries_of(app)) == 1


def test_a_concurrent_stop_that_lost_the_claim_logs_nothing(setup, app: Flask) -> None:
    """The stop claims the row with a conditional UPDATE: a stop that read the timer as running
    but finds it already stopped (another tab won) writes no entry."""
    _, user_id, task_id = setup
    timer_id = add_timer(app, user_id, task_id, datetime.now(UTC) - timedelta(minutes=30))
    with app.app_context():
        user = db.session.get(User, user_id)
        timer = timer_service.running_timer(user_id)
        assert timer is not None and timer.id == timer_id
        with db.engine.begin() as other_tab:
            other_tab.execute(db.update(Timer).values(stopped_at=datetime.now(UTC)))
        original = timer_service.running_timer
        timer_service.running_timer = lambda uid: timer  # type: ignore[assignment]
        try:
            with pytest.raises(TimerError, match="stopped elsewhere"):
                timer_service.stop_timer(user)
        finally:
            timer_service.running_timer = original  # type: ignore[assignment]
    assert entries_of(app) == []


def test_under_a_minute_logs_nothing(setup, app: Flask) -> None:
    client, user_id, task_id = setup
    add_timer(app, user_id, task_id, datetime.now(UTC) - timedelta(seconds=20))
    response = client.post("/timer/stop", data={"next": "/week"}, follow_redirects=True)
    assert "nothing was logged" in response.get_data(as_text=True)
    assert entries_of(app) == [] and running_count(app) == 0


def test_a_run_over_midnight_is_split_per_local_day(app: Flask) -> None:
    _, user_id = signed_in(app, timezone="Europe/Paris")
    task_id = add_task(app, add_project(app, user_id))
    started = datetime(2026, 11, 18, 22, 30, tzinfo=UTC)  # 23:30 in Paris
    add_timer(app, user_id, task_id, started, note="Release")
    with app.app_context():
        user = db.session.get(User, user_id)
        stopped = timer_service.stop_timer(user, now=started + timedelta(minutes=105))
        assert stopped.capped_minutes == 0
    assert entries_of(app) == [
        (date(2026, 11, 18), 30, "Release"),
        (date(2026, 11, 19), 75, "Release"),
    ]


def test_split_by_day_counts_real_minutes_across_a_clock_change() -> None:
    # Paris, 25 Oct 2026: clocks go back at 03:00; 00:00 to 04:00 local is five real hours.
    start = datetime(2026, 10, 24, 22, 0, tzinfo=UTC)  # 00:00 Paris (summer time)
    parts = split_by_day(start, start + timedelta(hours=5), "Europe/Paris")
    assert [(part.day, part.minutes) for part in parts] == [(date(2026, 10, 25), 300)]


def test_past_the_daily_limit_the_time_is_capped_and_flagged(setup, app: Flask) -> None:
    _, user_id, task_id = setup
    with app.app_context():  # fixed moments, read in UTC
        db.session.get(User, user_id).timezone = "UTC"
        db.session.commit()
    day = date(2026, 11, 18)
    add_entry(app, user_id, task_id, day, start="00:00", minutes=23 * 60 + 50)
    started = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
    add_timer(app, user_id, task_id, started)
    with app.app_context():
        user = db.session.get(User, user_id)
        stopped = timer_service.stop_timer(user, now=started + timedelta(minutes=40))
        assert stopped.capped_minutes == 30
    assert sorted(minutes for _, minutes, _ in entries_of(app)) == [10, 23 * 60 + 50]
    assert running_count(app) == 0


def test_a_task_closed_while_the_timer_ran_still_gets_the_time(setup, app: Flask) -> None:
    client, user_id, task_id = setup
    add_timer(app, user_id, task_id, datetime.now(UTC) - timedelta(minutes=15))
    with app.app_context():
        db.session.get(Task, task_id).closed = True
        db.session.commit()
    client.post("/timer/stop", data={"next": "/week"})
    assert [minutes for _, minutes, _ in entries_of(app)] == [15]


def test_start_refuses_a_foreign_or_closed_task_and_an_offsite_next(setup, app: Flask) -> None:
    client, _, task_id = setup
    _, other_id = signed_in(app, email="bob@example.com")
    foreign = add_task(app, add_project(app, other_id, "Secret"))
    response = client.post("/timer/start", data=start_form(foreign), follow_redirects=True)
    assert "Choose one of your open tasks" in response.get_data(as_text=True)
    response = client.post("/timer/start", data=start_form(task_id, next_path="//evil.example"))
    assert response.headers["Location"] == "/week"
    assert running_count(app) == 1


def test_discard_logs_nothing(setup, app: Flask) -> None:
    client, user_id, task_id = setup
    add_timer(app, user_id, task_id, datetime.now(UTC) - timedelta(minutes=30))
    response = client.post("/timer/discard", data={"next": "/week"}, follow_redirects=True)
    assert "Timer discarded" in response.get_data(as_text=True)
    assert entries_of(app) == [] and running_count(app) == 0
