"""Referrals made in calls: their states (FHIR R4 Task status codes), due times, history,
chases, follow-ups and handovers (the team's answer to "where is my nurse?")."""
