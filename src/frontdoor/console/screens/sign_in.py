"""Signing in: the first screen once a database has users, and the lock that covers a
console left idle (the same screen, saying whose work it keeps).

The password is checked in a thread (argon2 takes a moment, and the database is asked);
a refusal is the one sentence the access room gives. The screen covers everything under
it, notifications included: nothing of the work it keeps shows while it is up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static

if TYPE_CHECKING:
    # the users' module brings the ORM, which the console imports behind this screen
    from frontdoor.access.demo import DemoUser
    from frontdoor.access.users import User

# What the app does with a name and a password: the user, signed in, or why not.
Attempt = Callable[[str, str], "User | str"]


@dataclass(frozen=True)
class Locked:
    """A session this screen locks: whose, and whether a call is open in it."""

    user: str
    call_open: bool
    why: str  # "after 15 minutes with no key or mouse", "with ctrl+l"


def demo_text(users: list[DemoUser]) -> Text:
    if not users:
        return Text()
    names = [f"{u.name} ({u.role.value})" for u in users]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    from frontdoor.access.demo import DEMO_PASSWORD

    return Text(f"Demo: sign in as {listed}, with the password {DEMO_PASSWORD}.", style="bold cyan")


class PasswordInput(Input):
    """The password field, whose Enter starts the check where the field reads it, with
    the password as typed up to it. Input's Enter is a binding, run once the key has
    gone up to the app and back: by then the keys typed behind it (a caller's number,
    for the desk) have been read into the password."""

    def __init__(self, given: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._given = given

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self._given()
            return
        await super()._on_key(event)


class SignInScreen(Screen[None]):
    class SignedIn(Message):
        """Someone signed in (or unlocked) with a password that matched."""

        def __init__(self, user: User) -> None:
            super().__init__()
            self.user = user

    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit")]
    DEFAULT_CSS = """
    SignInScreen { align: center middle; }
    SignInScreen #sign-in { width: 76; height: auto; border: round $primary; padding: 1 2; }
    SignInScreen.-locked #sign-in { border: thick $warning; }
    SignInScreen #heading { margin-bottom: 1; }
    SignInScreen Horizontal { height: auto; }
    SignInScreen Label { width: 11; padding-top: 1; }
    SignInScreen Input { width: 1fr; }
    SignInScreen #refusal { color: $error; text-style: bold; margin-top: 1; }
    SignInScreen #demo { margin-top: 1; }
    SignInScreen ToastRack { display: none; }
    """

    def __init__(
        self,
        service_name: str,
        attempt: Attempt,
        demo_users: Callable[[], list[DemoUser]],
        *,
        user_name: str = "",
        locked: Locked | None = None,
        note: str | None = None,
        while_checking: Callable[[], None] = lambda: None,
        refused: Callable[[], None] = lambda: None,
    ) -> None:
        """`while_checking` is called as a password's check starts (the console keeps the
        keys typed after its Enter for the desk), `refused` when the check refuses it."""
        super().__init__(classes="-locked" if locked else "")
        self.while_checking = while_checking
        self.refused = refused
        self.service_name = service_name
        self.attempt = attempt
        self.demo_users = demo_users
        self.given_name = locked.user if locked else user_name
        self.locked = locked
        self.note = note
        self.checking = False

    def heading(self) -> Text:
        text = Text()
        locked = self.locked
        if locked is None:
            text.append(f"{self.service_name}\n", style="bold")
            text.append("Your name, Tab, your password, Enter.")
            if self.note:
                text.append(f"\n\n{self.note}", style="yellow")
            return text
        text.append(f"{self.service_name}: locked\n", style="bold")
        text.append(
            f"Locked {locked.why}. {locked.user}'s work is kept as it was, out of sight; "
            f"{locked.user}'s password unlocks it.\n"
        )
        if locked.call_open:
            text.append(f"A call is open: only {locked.user} may unlock it.", style="yellow")
        else:
            text.append(
                f"Someone else may sign in instead (then {locked.user} is signed out): "
                "type your name."
            )
        return text

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="sign-in"):
            yield Static(self.heading(), id="heading")
            with Horizontal():
                yield Label("Name")
                yield Input(self.given_name, id="name")
            with Horizontal():
                yield Label("Password")
                yield PasswordInput(self._password_given, password=True, id="password")
            yield Static("", id="refusal")
            yield Static("", id="demo")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#password" if self.given_name else "#name", Input).focus()
        self._look_for_demo_users()

    @work(thread=True, exclusive=True, group="demo-users", exit_on_error=False)
    def _look_for_demo_users(self) -> None:
        try:
            users = self.demo_users()
        except SQLAlchemyError:
            return  # the line is a help, not a need: the sign-in itself says what is wrong
        if self.locked is not None and self.locked.call_open:
            # only the call's user may unlock: offering the others would only mislead
            users = [u for u in users if u.name == self.locked.user]
        self.app.call_from_thread(self.query_one("#demo", Static).update, demo_text(users))

    def refuse(self, words: str) -> None:
        self.query_one("#refusal", Static).update(Text(words))

    @on(Input.Submitted, "#name")
    def _name_given(self) -> None:
        self.query_one("#password", Input).focus()

    def _password_given(self) -> None:
        if self.checking:
            return
        name = self.query_one("#name", Input).value.strip().lower()
        password = self.query_one("#password", Input).value
        if not name:
            self.refuse("Type your user name first.")
            self.query_one("#name", Input).focus()
            return
        if not password:
            self.refuse("Type your password, then Enter.")
            return
        locked = self.locked
        if locked is not None and locked.call_open and name != locked.user:
            # the call on screen is the signed-in user's: nobody else may carry it on
            self.refuse(f"A call is open here: only {locked.user} may unlock this console.")
            return
        self.checking = True
        self.while_checking()
        self.refuse("Checking...")
        self._check(name, password)

    @work(thread=True, exclusive=True, group="sign-in", exit_on_error=False)
    def _check(self, name: str, password: str) -> None:
        self.app.call_from_thread(self._answered, self.attempt(name, password))

    def _answered(self, result: User | str) -> None:
        self.checking = False
        password = self.query_one("#password", Input)
        password.value = ""
        if isinstance(result, str):
            self.refused()
            self.refuse(result)
            password.focus()
            return
        self.refuse("")
        self.post_message(self.SignedIn(result))
