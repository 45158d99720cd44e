"""The console's start imports nothing its first screen does not use (issue: start-up).

Run in a fresh interpreter: this test process has long imported everything."""

from __future__ import annotations

import json
import subprocess
import sys

from frontdoor.console.start_bench import HEAVY_MODULES


def test_importing_the_console_brings_none_of_the_modules_a_call_or_report_needs():
    code = (
        "import json, sys\n"
        "import frontdoor.console.cli, frontdoor.console.app\n"
        f"print(json.dumps(sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


def test_the_console_as_the_command_makes_it_imports_only_what_its_first_screen_uses():
    """Made as `frontdoor console` makes it, up to its first screen: no settings (pydantic),
    no database (SQLAlchemy, the tables), no logging (structlog): those follow the paint.
    Of Front Door's own modules, only the app, its mixins and the getting-ready screen."""
    code = (
        "import json, sys\n"
        "from frontdoor.console.cli import console_app\n"
        "from frontdoor.console.commands.common import Asked\n"
        "app = console_app(Asked(None, None), None, None, None)\n"
        "import frontdoor.console.screens.opening\n"
        f"heavy = sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules)\n"
        "ours = sorted(m for m in sys.modules if m.startswith('frontdoor.'))\n"
        "print(json.dumps([heavy, ours]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    heavy, ours = json.loads(done.stdout)
    assert heavy == []
    domain = ("db", "directory", "interactions", "people", "referrals", "triage_scripts", "mi")
    assert [m for m in ours if m.split(".")[1] in domain] == []
    assert not {
        "frontdoor.console.wiring",
        "frontdoor.console.settings",
        "frontdoor.console.screens.ready",
        "frontdoor.console.screens.sign_in",
        "frontdoor.calls.outbox",
    } & set(ours)


def test_the_migrations_alembic_and_a_subcommand_stay_out_until_asked():
    """`frontdoor console` names no other group: their modules are imported when named."""
    code = (
        "import json, sys\n"
        "import frontdoor.console.cli\n"
        "before = 'frontdoor.console.commands.mi' in sys.modules\n"
        "from click.testing import CliRunner\n"
        "CliRunner().invoke(frontdoor.console.cli.main, ['mi', '--help'])\n"
        "print(json.dumps([before, 'frontdoor.console.commands.mi' in sys.modules,\n"
        "                  'alembic' in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == [False, True, False]


def test_the_sign_in_or_ready_screen_waits_for_nothing_a_call_needs(front):
    """What the console opens before its sign-in or ready screen (open_console), and those
    screens' own modules, import none of the library's reading and check, the calls, the
    referrals, the people or the search; nor SQLAlchemy's ORM, the tables, the audit or
    the users (the database is opened with SQLAlchemy Core): those follow that screen
    (finish_opening), and are imported then."""
    settings = front.settings
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from frontdoor.console.settings import load_settings\n"
        "from frontdoor.console.opening import open_console\n"
        f"settings = load_settings(db={settings.db!r}, journal=Path({str(settings.journal)!r}),\n"
        f"                         log_file=Path({str(settings.log_file)!r}))\n"
        "opened = open_console(settings, None)\n"
        "import frontdoor.console.screens.ready, frontdoor.console.screens.sign_in\n"
        "import frontdoor.console.widgets.no_users_banner\n"
        "before = sorted(m for m in sys.modules\n"
        "                if m.startswith(('frontdoor.', 'numpy', 'sqlalchemy.orm')))\n"
        "opened.finish()\n"
        "after = sorted(m for m in sys.modules if m.startswith(('frontdoor.', 'sqlalchemy.orm')))\n"
        "opened.front.engine.dispose()\n"
        "print(json.dumps([opened.users_exist, before, after]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    users_exist, before, after = json.loads(done.stdout)
    assert users_exist is False
    later = {
        "numpy",
        "sqlalchemy.orm",
        "frontdoor.access.tables",
        "frontdoor.access.audit",
        "frontdoor.access.users",
        "frontdoor.triage_scripts.lint",
        "frontdoor.triage_scripts.live_library",
        "frontdoor.calls.call",
        "frontdoor.referrals.making",
        "frontdoor.interactions.record",
        "frontdoor.people.index",
        "frontdoor.directory.search",
    }
    assert later & set(before) == set()
    # and all but the search (built with the index) by the time the console is ready
    assert later - {"numpy", "frontdoor.directory.search"} <= set(after)


def test_the_demo_database_opens_again_without_the_orm_before_its_first_screen(tmp_path):
    """`make run` opens the default database, which holds the demo: whether it still
    needs the demo directory was asked through the directory store, and so the ORM,
    before every start's sign-in screen. Asked with Core now; the first start loads it."""
    import os

    env = {**os.environ}
    for name in ("DATA", "STATE", "CONFIG", "CACHE"):
        env[f"XDG_{name}_HOME"] = str(tmp_path / name.lower())
    env = {k: v for k, v in env.items() if not k.startswith("FRONTDOOR_")}
    first = (
        "from frontdoor.console.settings import load_settings\n"
        "from frontdoor.console.wiring import open_front_door\n"
        "front = open_front_door(load_settings())\n"
        "print(front.directory.count(), front.users.count())\n"
        "front.engine.dispose()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", first], capture_output=True, text=True, check=True, env=env
    )
    services, users = (int(n) for n in done.stdout.split())
    assert services > 0 and users > 0  # the demo, loaded by the first start
    again = (
        "import json, sys\n"
        "from frontdoor.console.settings import load_settings\n"
        "from frontdoor.console.opening import open_console\n"
        "opened = open_console(load_settings(), None)\n"
        "print(json.dumps([opened.users_exist, 'sqlalchemy.orm' in sys.modules]))\n"
        "opened.front.engine.dispose()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", again], capture_output=True, text=True, check=True, env=env
    )
    assert json.loads(done.stdout) == [True, False]
