"""The permissions table's cells for the person's rights: `people consent`, `people
export` and `records purge` are for admins only. Each role signs in with its password
(FRONTDOOR_PASSWORD): the admin's command runs, every other role is refused in one
sentence with exit 2. One database, users added once; argon2id at its lowest cost here
(tests/access/hashing.py), since each sign-in otherwise takes a tenth of a second.

    command          handler  supervisor  lead  admin
    people consent   no       no          no    yes
    people export    no       no          no    yes
    records purge    no       no          no    yes
"""

from __future__ import annotations

from click.testing import CliRunner

from frontdoor.access.roles import Role
from frontdoor.console.cli import main
from frontdoor.interactions.model import NewContact
from tests.access.hashing import quick_argon2

PASSWORD = "a password of twelve or more"
SECRET = "a site secret of the tests, thirty-two characters or more"


@quick_argon2()
def test_only_an_admin_may_withdraw_consent_export_a_person_or_purge(front, tmp_path):
    contact = front.call_service().start(NewContact(handler="h.jones", subject_name="Ada Lovelace"))
    for role in Role:
        front.users.add(f"a.{role.value}", role, PASSWORD)
    commands = {
        "people consent": ["people", "consent", contact.contact_id],
        "people export": ["people", "export", contact.contact_id, "--out", str(tmp_path / "o")],
        "records purge": ["records", "purge", "--before", "2000-01-01", "--dry-run"],
    }
    env = {"FRONTDOOR_PASSWORD": PASSWORD, "FRONTDOOR_SITE_SECRET": SECRET}
    ran = {}
    for name, args in commands.items():
        for role in Role:
            result = CliRunner(env=env).invoke(
                main, [*args, "--as", f"a.{role.value}", "--db", front.settings.db]
            )
            ran[name, role] = result.exit_code
            if role != Role.ADMIN:
                assert result.output == (
                    f"frontdoor: a.{role.value} is a {role.value}, and {name} is for admin "
                    "users only\n"
                ), result.output
    assert ran == {
        (name, role): 0 if role == Role.ADMIN else 2 for name in commands for role in Role
    }

    nobody = CliRunner(env={"FRONTDOOR_SITE_SECRET": SECRET}).invoke(
        main, [*commands["records purge"], "--db", front.settings.db]
    )
    assert nobody.exit_code == 2 and "records purge needs a user: give --as NAME" in nobody.output
