"""The supervisor's wallboard reads the shared queue events and refreshes itself."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from frontdoor.console.app import FrontDoorApp
from frontdoor.console.screens.wallboard import WallboardScreen
from frontdoor.telephony.ingest import ingest_file
from tests.console.driving import until_worker_gone, workers_done
from tests.mi.test_referral_figures import fill as fill_referrals

LOG = Path(__file__).parents[1] / "telephony" / "queue_log"
SIZE = (120, 40)


async def settle(pilot) -> None:
    await workers_done(pilot.app)
    await pilot.pause()


async def test_the_wallboard_shows_the_queue_and_refreshes(front, clock):
    clock.now = dt.datetime(2026, 5, 12, 9, 10, tzinfo=dt.UTC)
    ingest_file(front.sessions, LOG)
    fill_referrals(front.engine)  # R4 R6 R8 R9 R13 overdue; R9 and R13 callers not told
    app = FrontDoorApp(front, handler="sup", role="supervisor")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WallboardScreen)
        referrals = str(app.screen.query_one("#referrals").render())
        assert "Referrals overdue now: 5    Follow-ups due today: 2 (2 from earlier" in referrals
        alerts = str(app.screen.query_one("#alerts").render())
        assert "Longest wait 360 s is over 120 s" in alerts
        assert "Service level 33% is below 80%" in alerts
        handlers = str(app.screen.query_one("#handlers").render())
        assert "3 signed in: 1 available, 1 on a call, 0 in wrap-up, 1 away" in handlers
        assert "a.patel" in handlers and "PJSIP" not in handlers  # agents mapped to handlers
        clock.now = dt.datetime(2026, 5, 12, 9, 5, 30, tzinfo=dt.UTC)
        await pilot.press("r")
        await settle(pilot)
        assert "1 in wrap-up" in str(app.screen.query_one("#handlers").render())


def test_wallboard_snapshot(snap_compare, front, clock):
    clock.now = dt.datetime(2026, 5, 12, 9, 10, tzinfo=dt.UTC)
    ingest_file(front.sessions, LOG)
    fill_referrals(front.engine)
    app = FrontDoorApp(front, handler="sup", role="supervisor")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


async def test_taking_a_call_shows_the_callers_earlier_contacts_at_once(front, clock):
    from frontdoor.console.screens.new_contact import NewContactScreen
    from frontdoor.interactions.model import NewContact, WrapUp
    from frontdoor.telephony.ingest import ingest_lines
    from frontdoor.telephony.taking import states

    earlier = front.record.start_contact(NewContact(handler="b.okoro", caller="01724 000555"))
    front.record.wrap_up(
        earlier, WrapUp(outcome="referred", demand="new_need", category="physical_health")
    )
    clock.now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    entered = int(clock.now.timestamp()) - 40
    ingest_lines(front.sessions, [f"{entered}|777.1|public|NONE|ENTERQUEUE||01724000555|1"])
    app = FrontDoorApp(front, handler="a.patel")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, NewContactScreen)
        assert app.screen.query_one("#caller").value == "01724000555"
        history = str(app.screen.query_one("#history").render())
        assert "1 contact in the last" in history and "Referred on" in history
        assert states(front.sessions)["a.patel"][0] == "on a call"
        app.screen.query_one("#consent_record").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("t")  # no other call waits: the handler is told so
        await settle(pilot)
    contact = next(c for c in front.record.all_contacts() if c.id != earlier)
    assert contact.queue == "public"
    assert contact.offered_at == dt.datetime.fromtimestamp(entered, dt.UTC)
    assert (contact.answered_at - contact.offered_at).total_seconds() == 40


def test_fcr_and_failure_demand_today_per_queue(front, clock):
    from frontdoor.console.live import live_figures_at
    from frontdoor.interactions.model import NewContact, WrapUp
    from frontdoor.telephony.ingest import ingest_lines

    clock.now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    at = int(clock.now.timestamp())
    ingest_lines(
        front.sessions,
        [
            f"{at - 60}|1.1|public|NONE|ENTERQUEUE||0111|1",
            f"{at - 50}|2.1|professionals|NONE|ENTERQUEUE||0222|1",
        ],
    )
    for queue, outcome, demand in [
        ("public", "signposted", "new_need"),
        ("public", "referred", "progress_chasing"),
        ("professionals", "advice", "new_need"),
    ]:
        contact = front.record.start_contact(NewContact(handler="h", queue=queue))
        front.record.wrap_up(contact, WrapUp(outcome=outcome, demand=demand))
    stats = live_figures_at(front, clock.now)
    assert stats.queues["public"].fcr_declared == 0.5
    assert stats.queues["public"].failure_demand_share == 0.5
    assert stats.queues["professionals"].fcr_declared == 1.0
    assert stats.total.fcr_declared == 0.6667


async def test_a_call_the_pbx_connects_to_the_handler_opens_with_their_history(front, clock):
    from frontdoor.console.screens.new_contact import NewContactScreen
    from frontdoor.console.screens.ready import ReadyScreen
    from frontdoor.interactions.model import NewContact, WrapUp
    from frontdoor.telephony.ingest import ingest_lines

    earlier = front.record.start_contact(NewContact(handler="c.nowak", caller="01724 000888"))
    front.record.wrap_up(earlier, WrapUp(outcome="advice", demand="new_need", category="carers"))
    clock.now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    at = int(clock.now.timestamp())
    app = FrontDoorApp(front, handler="a.patel")  # PJSIP/201 in config/queues.yaml
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ingest_lines(
            front.sessions,
            [
                f"{at - 20}|888.1|public|NONE|ENTERQUEUE||01724000888|1",
                f"{at - 5}|888.1|public|PJSIP/201|CONNECT|15|888.1|1",
            ],
        )
        ready = next(s for s in app.screen_stack if isinstance(s, ReadyScreen))
        ready._load_summary()  # the ready screen's poll, run now rather than waited for
        await settle(pilot)
        assert isinstance(app.screen, NewContactScreen)
        assert app.screen.query_one("#caller").value == "01724000888"
        assert "1 contact in the last" in str(app.screen.query_one("#history").render())
        ready._load_summary()  # and it opens only once
        await settle(pilot)
        assert len([s for s in app.screen_stack if isinstance(s, NewContactScreen)]) == 1


async def test_the_wallboard_refreshes_itself_at_the_interval_it_is_given(front, clock):
    from frontdoor.console.live import alerts, live_source

    clock.now = dt.datetime(2026, 5, 12, 9, 10, tzinfo=dt.UTC)
    ingest_file(front.sessions, LOG)
    source, refreshes = live_source(front), []

    def counted():
        refreshes.append(clock.now)
        return source()

    app = FrontDoorApp(front, handler="sup")
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(WallboardScreen(counted, alerts(front), refresh_seconds=0.01))

        async def shows(words: str) -> bool:
            # a refresh every 10 ms: wait for what it shows (at most 2 s), not for workers
            # that the next refresh cancels
            for _ in range(200):
                if words in str(app.screen.query_one("#handlers").render()):
                    return True
                await pilot.pause(0.01)
            return False

        assert await shows("0 in wrap-up")
        seen = len(refreshes)
        clock.now = dt.datetime(2026, 5, 12, 9, 5, 30, tzinfo=dt.UTC)  # 1001 in wrap-up
        assert await shows("1 in wrap-up")  # nobody pressed r
    assert len(refreshes) > seen


async def test_a_refresh_that_fails_leaves_the_wallboard_where_it_was(front):
    from sqlalchemy.exc import OperationalError

    from frontdoor.telephony.stats import Alerts

    failures = []

    def locked():
        failures.append(1)
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    app = FrontDoorApp(front, handler="sup")
    async with app.run_test(size=SIZE) as pilot:
        screen = WallboardScreen(locked, Alerts(), refresh_seconds=60)  # the first refresh
        await app.push_screen(screen)
        await until_worker_gone(app, pilot, "wallboard", lambda: bool(failures))  # it failed
        await pilot.pause()
        assert app.is_running and app.screen is screen
        assert "Reading the queue" in str(screen.query_one("#alerts").render())
