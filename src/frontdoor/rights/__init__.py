"""The person's rights over what the SPA holds about them, and what leaves it: the subject
access export, the purge under the retention schedule, and contacts exported
pseudonymised or with consent honoured (spec: docs/rights.md).

A domain room beside the MI: it reads and changes the record, the referrals, the person
index and the queue's events (each through that room's own functions), and audits what
it does. It knows nothing of the console, where the site secret lives or which file is
written."""
