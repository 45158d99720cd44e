"""Correct a directory entry. Lists are typed with commas; a number that is not a valid
UK phone number is kept as typed and marked, so nothing the lead types is lost."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select, Static, TextArea

from frontdoor.directory.model import Service

STATUSES = [
    ("active", "active"),
    ("inactive", "inactive"),
    ("defunct", "defunct"),
    ("temporarily closed", "temporarily closed"),
]
TEXT_FIELDS = [
    ("name", "Name"),
    ("organisation", "Organisation"),
    ("url", "Web"),
    ("email", "Email"),
    ("eligibility", "Eligibility"),
]
LIST_FIELDS = [
    ("phones", "Phones"),
    ("tags", "Tags"),
    ("areas", "Areas"),
    ("caller_types", "Who may use it"),
]


OTHER_LABELS = [
    ("min_age", "Minimum age"),
    ("max_age", "Maximum age"),
    ("respond_within", "Respond within"),
    ("status", "Status"),
]


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _age(text: str, label: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise ValueError(f"{label}: a whole number of years, or leave it empty")
    return int(text)


def error_words(error: ValidationError) -> str:
    """The model's first complaint, led by the box it is about ("Respond within: ..."),
    without pydantic's own prefix."""
    first = error.errors(include_url=False)[0]
    field = str(first["loc"][0]) if first["loc"] else ""
    label = dict([*TEXT_FIELDS, *LIST_FIELDS, *OTHER_LABELS]).get(field, field)
    words = first["msg"].removeprefix("Value error, ")
    return f"{label}: {words}" if label else words


class EditServiceScreen(ModalScreen[Service | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    DEFAULT_CSS = """
    EditServiceScreen { align: center middle; }
    EditServiceScreen > VerticalScroll { width: 100; height: 90%; border: thick $accent;
                                         background: $surface; padding: 0 1; }
    EditServiceScreen Grid { grid-size: 2; grid-columns: 16 1fr; height: auto; }
    EditServiceScreen Label { padding-top: 1; }
    EditServiceScreen TextArea { height: 6; }
    EditServiceScreen #edit-error { color: $error; height: auto; }
    """

    def __init__(self, service: Service) -> None:
        super().__init__()
        self.service = service

    def compose(self) -> ComposeResult:
        s = self.service
        with VerticalScroll():
            yield Static(Text(f"Correct: {s.name}", style="bold"))
            with Grid():
                for field, label in TEXT_FIELDS:
                    yield Label(label)
                    yield Input(getattr(s, field) or "", id=f"edit-{field}")
                for field, label in LIST_FIELDS:
                    values = getattr(s, field)
                    shown = [p.number for p in values] if field == "phones" else values
                    yield Label(label)
                    yield Input(
                        ", ".join(shown), placeholder="separate with commas", id=f"edit-{field}"
                    )
                yield Label("Minimum age")
                yield Input("" if s.min_age is None else str(s.min_age), id="edit-min_age")
                yield Label("Maximum age")
                yield Input("" if s.max_age is None else str(s.max_age), id="edit-max_age")
                yield Label("Respond within")
                yield Input(
                    s.respond_within or "",
                    placeholder="how soon it answers a referral: 4h, 2 working days; "
                    "empty: the category's default",
                    id="edit-respond_within",
                )
                yield Label("Status")
                status = s.status if s.status in dict(STATUSES) else "active"
                yield Select(STATUSES, value=status, allow_blank=False, id="edit-status")
            yield Label("Description")
            yield TextArea(s.description, id="edit-description")
            yield Static("", id="edit-error")
        yield Footer()

    def _value(self, field: str) -> str:
        return self.query_one(f"#edit-{field}", Input).value

    def corrected(self) -> Service:
        values: dict[str, Any] = self.service.model_dump()
        for field, _ in TEXT_FIELDS:
            values[field] = self._value(field).strip() or None
        for field, _ in LIST_FIELDS:
            values[field] = _split(self._value(field))
        values["phones"] = [{"number": n} for n in values["phones"]]
        values["min_age"] = _age(self._value("min_age"), "Minimum age")
        values["max_age"] = _age(self._value("max_age"), "Maximum age")
        values["respond_within"] = self._value("respond_within").strip() or None
        values["status"] = str(self.query_one("#edit-status", Select).value)
        values["description"] = self.query_one("#edit-description", TextArea).text.strip()
        if not values["name"]:
            raise ValueError("Name: an entry needs a name")
        return Service.model_validate(values)

    def action_save(self) -> None:
        try:
            service = self.corrected()
        except (ValueError, ValidationError) as exc:
            message = error_words(exc) if isinstance(exc, ValidationError) else str(exc)
            self.query_one("#edit-error", Static).update(Text(message))
            return
        self.dismiss(service)

    def action_cancel(self) -> None:
        self.dismiss(None)
