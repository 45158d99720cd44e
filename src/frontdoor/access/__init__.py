"""Who uses Front Door and what they did: named users with roles, sign-in with lock-out,
and the append-only audit trail (spec: docs/access.md).

A domain room below interactions, the directory, the scripts and the referrals, so each
of them writes its audit rows in the same transaction as the change they record."""
