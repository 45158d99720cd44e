"""How a simulated handler answers a script's questions: red flags rarely, the rest with
weights that give each category the shape the seeds report (social care resolved at
first contact far more often than health)."""

from __future__ import annotations

import random

from frontdoor.triage_scripts.model import Question

# Answers a caller gives, by the question they answer; anything else is weighted evenly,
# with the first option of a choice (most often the red flag) rare.
WEIGHTS: dict[str, dict[str, float]] = {
    "urgent_signs": {"Yes": 0.04, "No": 0.96},
    "on_floor": {"Yes": 0.05, "No": 0.95},
    "cannot_get_up": {"Yes": 0.08, "No": 0.92},
    "blackout": {"Yes": 0.08, "No": 0.92},
    "needed_treatment": {"Yes": 0.3, "No": 0.7},
    "unsteady": {"Yes": 0.55, "No": 0.45},
    "medicines": {"Yes": 0.5, "No": 0.5},
    "lives_alone": {"Yes": 0.45, "No": 0.55},
    "alarm": {"Yes": 0.35, "No": 0.65},
    "at_risk_tonight": {"Yes": 0.04, "No": 0.96},
    "breaking_point": {"Yes": 0.05, "No": 0.95},
    "harm_or_plan": {
        "Yes, and they are in danger now": 0.02,
        "They have taken an overdose or injured themselves": 0.02,
        "Yes, but they are safe right now": 0.08,
        "No": 0.88,
    },
    "sudden_confusion": {"Yes": 0.25, "No": 0.75},
    "help_needed": {
        "Personal care (washing, dressing, meals)": 0.14,
        "Getting back on their feet after hospital or illness": 0.08,
        "Equipment or adaptations at home": 0.22,
        "Company, activities or feeling lonely": 0.28,
        "Money, benefits or paying for care": 0.28,
    },
    "something_changed": {"Yes": 0.35, "No": 0.65},
    "main_struggle": {
        "Low mood, anxiety or stress": 0.5,
        "Loneliness, money or housing worries": 0.25,
        "Hearing or seeing things, odd beliefs, or very out of character": 0.04,
        "Drinking or drug use": 0.07,
        "Something else": 0.14,
    },
    "young_carer": {"Yes": 0.03, "No": 0.97},
    "what_would_help": {
        "Someone to talk to, or other carers to meet": 0.3,
        "A break from caring": 0.2,
        "Information and advice": 0.2,
        "Money, benefits or work": 0.12,
        "Activities or company for the person they look after": 0.12,
        "A plan for emergencies (if the carer is taken ill)": 0.06,
    },
    "offer_assessment": {"Yes": 0.4, "No": 0.6},
    "has_carer": {"Yes": 0.5, "No": 0.5},
    "wound": {"Yes": 0.4, "No": 0.6},
    "on_caseload": {"Yes": 0.7, "No": 0.3},
    "housebound": {"Yes": 0.85, "No": 0.15},
    "need": {
        "A wound or dressing": 0.43,
        "Insulin or blood sugar": 0.33,
        "Catheter or continence": 0.19,
        "Care at the end of life": 0.05,
    },
    "end_of_life": {"Yes": 0.3, "No": 0.7},
    # chasing: "where is my nurse?" most of all (seed 001:3610)
    "chasing_what": {
        "A district nurse who has not come": 0.35,
        "A home care worker who has not come": 0.25,
        "A referral or assessment": 0.25,
        "Equipment": 0.15,
    },
    "got_worse": {"Yes": 0.15, "No": 0.85},
    "very_unwell": {"Yes": 0.04, "No": 0.96},
    "visit_for": {
        "A wound or dressing (leg ulcer, pressure sore)": 0.45,
        "Insulin or a blood sugar check": 0.2,
        "A catheter": 0.1,
        "Care at the end of life": 0.05,
        "Something else (injection, eye drops, blood test, medicines)": 0.2,
    },
    "wound_changed": {"Yes": 0.3, "No": 0.7},
    "hurt_or_unwell": {"Yes": 0.04, "No": 0.96},
    "without_care": {"Yes": 0.3, "No": 0.7},
    "missed_before": {"Yes": 0.3, "No": 0.7},
    "harmed": {"Yes": 0.1, "No": 0.9},
    "under_a_team": {"Yes": 0.15, "No": 0.85},
    "continence": {"Yes": 0.5, "No": 0.5},
}
YES_RATE = 0.4
# each option of a check-all-that-apply question is ticked this often
TICK_RATE = 0.3


def _ticked(question: Question, rng: random.Random) -> list[str]:
    """A check-all-that-apply answer: each option now and then; "None of these" (an
    `only` option) when nothing else is ticked, or the first option if there is none."""
    options = question.options or []
    ticked = [o.answer for o in options if not o.only and rng.random() < TICK_RATE]
    if ticked:
        return ticked
    alone = [o.answer for o in options if o.only]
    return alone[:1] or [options[0].answer]


def answer_for(name: str, question: Question, rng: random.Random) -> object:
    if question.input == "many":
        return _ticked(question, rng)
    weights = WEIGHTS.get(name)
    labels = [o.answer for o in question.options] if question.options else []
    if question.input == "yes_no" and not labels:
        labels = ["Yes", "No"]
    if labels:
        if weights:
            return rng.choices(labels, [weights.get(label, 0.0) or 0.01 for label in labels])[0]
        if question.input == "yes_no":
            return rng.choices(labels, [YES_RATE if x == "Yes" else 1 - YES_RATE for x in labels])[
                0
            ]
        first = 0.04 if len(labels) > 1 else 1.0
        return rng.choices(labels, [first] + [1.0] * (len(labels) - 1))[0]
    if question.input == "number":
        if name == "age":
            return rng.choices([22, 34, 45, 52, 58, 67, 79, 86], [2, 3, 3, 2, 2, 1, 1, 1])[0]
        return rng.choices([0, 1, 2, 3], [3, 4, 2, 1])[0]
    if question.input == "date":
        return "2026-01-15"
    return "as the caller described"


# the progress-chasing script's answer to "Which team was the referral to?", by the
# directory service the referral went to
TEAMS: dict[str, str] = {
    "district-nursing": "District nursing",
    "adult-social-care-assessment": "Adult social care (assessment or review)",
    "adult-social-care-duty": "Adult social care (assessment or review)",
    "home-care-brokerage": "Adult social care (assessment or review)",
    "enablement-care-team": "Adult social care (assessment or review)",
    "falls-prevention-service": "Falls prevention",
    "community-mental-health-team": "Mental health",
    "older-adults-mental-health": "Mental health",
    "memory-assessment-service": "Mental health",
    "mental-health-crisis-team": "Mental health",
}
OTHER_TEAM = "Another team, or not sure"


def chase_answers(service_id: str, waiting: bool) -> dict[str, str]:
    """What a caller chasing a referral says: a referral still waiting for its team is
    chased as a referral; one under way is asked about as the visit, the care or the
    equipment that has not come (the weights above). Either way it went to its team."""
    said = {"referral_team": TEAMS.get(service_id, OTHER_TEAM)}
    if waiting:
        said["chasing_what"] = "A referral or assessment"
    return said
