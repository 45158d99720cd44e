"""One call from start to wrap-up: the use case the console, the simulation and the tests
all go through (start, answer, back, escalate, search, choose, suggest outcome and demand,
wrap up, resume, work offline). No Textual here."""
