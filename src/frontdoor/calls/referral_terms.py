"""The terms of a referral as the library and the directory give them: what the script
end that named the service said and how soon it asked for an answer, and the service's
own response time. The referrals' maker looks them up when a contact is wrapped up."""

from __future__ import annotations

from collections.abc import Callable

from frontdoor.calls.library import ScriptSource
from frontdoor.directory.model import Service
from frontdoor.referrals.making import EndTerms
from frontdoor.response_times import ResponseTime, read_response_time
from frontdoor.triage_scripts.model import End
from frontdoor.triage_scripts.wording import worded
from frontdoor.words import in_words


class LibraryTerms:
    def __init__(self, library: ScriptSource, service: Callable[[str], Service | None]) -> None:
        self.library = library
        self.service = service

    def end_terms(self, script: str, version: int, node: str) -> EndTerms | None:
        found = self.library.version(script, version) or self.library.current().get(script)
        end = found.nodes.get(node) if found is not None else None
        if found is None or not isinstance(end, End):
            return None
        said = worded(end.say, False)[0] if end.say is not None else None
        return EndTerms(
            reason=f"{found.title}: {in_words(node)}",
            said=said,
            refer_to=end.refer_to,
            respond_within=end.respond_within,
        )

    def service_respond_within(self, service_id: str) -> ResponseTime | None:
        service = self.service(service_id)
        if service is None or service.respond_within is None:
            return None
        return read_response_time(service.respond_within)
