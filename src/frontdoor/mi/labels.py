"""What the report's codes are called in words, for the people who read the report.

The JSON and CSV keep the codes (programs read them); the Markdown and HTML reports and the
console's MI screen show these words. The labels come from the service's config and the
script library, which only the composition root reads: it hands them in. A code with no
label (a script end, a channel, a category added since) is put in words by `in_words`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from frontdoor.words import in_words


def _short(label: str) -> str:
    """A label without its explanation in brackets: "Progress chasing (where is my
    nurse?)" is "Progress chasing" where a chart has one line for it."""
    return label.split(" (", 1)[0].strip() or label


@dataclass(frozen=True)
class Labels:
    categories: Mapping[str, str] = field(default_factory=dict)
    outcomes: Mapping[str, str] = field(default_factory=dict)
    demand: Mapping[str, str] = field(default_factory=dict)
    caller_types: Mapping[str, str] = field(default_factory=dict)
    scripts: Mapping[str, str] = field(default_factory=dict)  # script id -> its title

    def category(self, code: str | None) -> str:
        if code is None:
            return "No category"
        return self.categories.get(code) or in_words(code)

    def outcome(self, code: str) -> str:
        return self.outcomes.get(code) or in_words(code)

    def outcome_list(self, codes: Iterable[str]) -> str:
        return ", ".join(self.outcome(c) for c in sorted(codes))

    def demand_code(self, code: str) -> str:
        return _short(self.demand_label(code))

    def demand_label(self, code: str) -> str:
        """The demand type with its explanation, where there is room for it."""
        return self.demand.get(code) or in_words(code)

    def caller_type(self, code: str) -> str:
        return self.caller_types.get(code) or in_words(code)

    def script(self, key: str) -> str:
        """A script by id, or by "id@version" as the report keys them."""
        script_id, _, version = key.partition("@")
        title = self.scripts.get(script_id) or in_words(script_id)
        return f"{title} (version {version})" if version else title

    @staticmethod
    def node(code: str) -> str:
        """A script's question or end, by its id (scripts give no other name for ends)."""
        return in_words(code)


WORDS = Labels()  # codes put in words, where no config is at hand (benchmarks, tests)
