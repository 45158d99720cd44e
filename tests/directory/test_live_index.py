"""The shared search index: built once however many ask at once, replaced whole, and
kept the same as the database's directory on every workstation."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.exc import OperationalError

from frontdoor.console.cli import main
from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import FrontDoor, open_front_door
from frontdoor.directory.live_index import LiveIndex
from frontdoor.directory.model import Service
from frontdoor.directory.search import SearchIndex, stem
from frontdoor.directory.synthetic import build

PATIENCE = 30.0  # seconds: only a broken build waits this long


def ids(index: SearchIndex, query: str) -> list[str]:
    return [r.service.id for r in index.search(query, limit=20)]


def test_many_requests_at_once_build_the_index_once(front):
    asked = 24
    start = threading.Barrier(asked)
    got: list[tuple[int, list[str]]] = []

    def ask(n: int) -> None:
        start.wait()
        # what the console's screens, workers and the CLI do, all at the same moment
        if n % 3 == 0:
            front.start_index()
        elif n % 3 == 1:
            front.directory_index.check()
        index = front.index
        got.append((id(index), ids(index, "carers support")))

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(asked)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(PATIENCE)
    front.stop_index()
    assert front.directory_index.builds == 1
    assert len(got) == asked and len(set(got[0][1])) > 1
    assert all(g == got[0] for g in got)  # the same index object, the same answers


def test_stems_are_right_from_many_threads_at_once():
    # a Snowball stemmer shared between threads raised IndexError or stemmed wrongly
    vocabulary = sorted({w for s in build(3000, seed=3).services for w in s.description.split()})
    words = [w.lower().strip(".,") for w in vocabulary] * 3
    expected = {w: stem.__wrapped__(w) for w in words}  # type: ignore[attr-defined]
    wrong: list[str] = []

    def stem_all() -> None:
        try:
            wrong.extend(w for w in words if stem.__wrapped__(w) != expected[w])  # type: ignore[attr-defined]
        except IndexError as exc:
            wrong.append(repr(exc))

    threads = [threading.Thread(target=stem_all) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(PATIENCE)
    assert wrong == []


def test_searches_see_the_old_index_until_the_new_one_is_complete():
    first = SearchIndex([Service(id="meals", name="Community Meals")])
    second = SearchIndex([Service(id="meals", name="Meals on Wheels")])
    release = threading.Event()
    built = iter([first, second])

    def slow_second_build() -> SearchIndex:
        index = next(built)
        if index is second:
            release.wait(PATIENCE)
        return index

    live = LiveIndex(slow_second_build)
    assert live.wait() is first
    live.refresh()
    assert live.current() is first and live.wait() is first  # rebuilding: the old one
    release.set()
    assert live.wait_for_builds(2, PATIENCE)
    assert live.current() is second and ids(second, "wheels") == ["meals"]


def test_a_change_during_a_build_is_built_once_more_after_it():
    release = threading.Event()
    calls: list[int] = []

    def build_index() -> SearchIndex:
        calls.append(1)
        if len(calls) == 1:
            release.wait(PATIENCE)
        return SearchIndex([Service(id=f"s{len(calls)}", name="Meals")])

    live = LiveIndex(build_index)
    live.start()
    live.refresh()
    live.refresh()  # two changes while the first build runs: one more build, not two
    release.set()
    assert live.wait_for_builds(2, PATIENCE)
    assert ids(live.wait(), "meals") == ["s2"]
    assert not live.wait_for_builds(3, 0.05) and len(calls) == 2


def test_a_failed_build_is_said_and_tried_again_by_the_next_check():
    answers = iter([OperationalError("select", {}, Exception("database is locked")), None])

    def build_index() -> SearchIndex:
        failure = next(answers)
        if failure is not None:
            raise failure
        return SearchIndex([Service(id="meals", name="Meals")])

    live = LiveIndex(build_index)
    with pytest.raises(OperationalError):
        live.wait()
    assert live.current() is None and live.failure == "OperationalError"
    assert live.wait_for_index(0.01) is None
    assert live.check()  # the watcher's next look builds again
    assert live.wait_for_index(PATIENCE) is not None and live.failure is None


# --- every workstation sees the same directory ---------------------------------------


@pytest.fixture
def workstations(db_url: str, tmp_path: Path, clock) -> Iterator[tuple[FrontDoor, FrontDoor]]:
    """Two consoles on one database, each with its own index."""
    settings = load_settings(db=db_url, log_file=tmp_path / "frontdoor.log")
    here = open_front_door(settings, clock=clock)
    here.load_demo_directory()
    there = open_front_door(settings, clock=clock)
    yield here, there
    for front in (here, there):
        front.stop_index()
        front.engine.dispose()


def test_a_correction_here_reaches_the_other_workstations_index(workstations, clock):
    here, there = workstations
    assert "community-meals" not in ids(there.index, "allotment")
    assert not there.directory_index.check()  # nothing changed: no rebuild
    assert there.directory_index.builds == 1
    meals = here.directory.get("community-meals")
    assert meals is not None
    here.directory.update(
        meals.model_copy(update={"tags": [*meals.tags, "allotment"]}), clock(), by="s.lead"
    )
    assert there.directory_index.check()
    assert there.directory_index.wait_for_builds(2, PATIENCE)
    assert ids(there.index, "allotment")[0] == "community-meals"
    # marking an entry checked is a change too
    here.directory.mark_checked("hearing-loops", clock(), by="s.lead", today=clock().date())
    assert there.directory_index.check()
    assert there.directory_index.wait_for_builds(3, PATIENCE)
    assert there.index.by_id["hearing-loops"].assured_by == "s.lead"


def test_an_import_from_the_command_line_reaches_a_watching_console(workstations, db_url, tmp_path):
    _, there = workstations
    there.start_index(check_every=0.01)  # the console's watcher, in milliseconds
    assert there.directory_index.wait_for_builds(1, PATIENCE)
    exported = tmp_path / "directory.json"
    run = CliRunner().invoke
    done = run(main, ["directory", "export", "--out", str(exported), "--db", db_url])
    assert done.exit_code == 0, done.output
    page = json.loads(exported.read_text())
    meals = next(s for s in page["contents"] if s["id"] == "community-meals")
    meals["name"] = "Meals at Home (Wheels to You)"
    exported.write_text(json.dumps(page))
    done = run(main, ["directory", "import", str(exported), "--db", db_url, "--json"])
    assert done.exit_code == 0 and json.loads(done.output)["updated"] == 1, done.output
    assert there.directory_index.wait_for_builds(2, PATIENCE)
    assert ids(there.index, "wheels to you")[0] == "community-meals"


def test_the_stamp_moves_with_every_kind_of_write(front, clock):
    store = front.directory
    stamps = [store.stamp()]
    new = Service(id="new-service", name="A New Service")
    store.save([new], clock(), by="import")
    stamps.append(store.stamp())
    store.save([new], clock(), by="import")  # the same again: nothing changed
    assert store.stamp() == stamps[-1]
    store.update(new.model_copy(update={"name": "Renamed"}), clock(), by="s.lead")
    stamps.append(store.stamp())
    store.mark_checked("new-service", clock(), by="s.lead", today=clock().date())
    stamps.append(store.stamp())
    assert len(set(stamps)) == len(stamps)


def test_the_paint_bench_says_its_figures_in_words():
    from frontdoor.console.paint_bench import PaintFigures

    text = PaintFigures(baseline_ms=[170.0, 320.0, 90.0], ours_ms=[50.0, 70.0, 60.0]).describe()
    assert "baseline (the index built before `d`)" in text
    assert "median 170 milliseconds, worst 320 milliseconds, over 3 starts" in text
    assert "median 60 milliseconds, worst 70 milliseconds" in text
    assert "ours / baseline, medians: 0.35" in text


def test_a_worker_waiting_for_the_index_starts_its_build_if_nobody_has():
    """A screen's worker that waits for the index (the ready screen's summary, the
    directory panel) before the console's warm-up started it must not wait forever."""
    calls: list[int] = []

    def build_index() -> SearchIndex:
        calls.append(1)
        return SearchIndex([Service(id="meals", name="Meals")])

    live = LiveIndex(build_index)  # never started
    found = live.wait_for_index(PATIENCE)
    assert found is not None and ids(found, "meals") == ["meals"]
    live.start()  # the warm-up, later: nothing built twice
    assert live.wait_for_index(PATIENCE) is found and len(calls) == 1
