"""Synthetic directories of any size, from realistic names and descriptions, for
benchmarks and load tests. Seeded: the same seed gives the same directory."""

from __future__ import annotations

import random
from dataclasses import dataclass

from frontdoor.directory.model import Service

KINDS = [
    ("Carers Support Group", "support for unpaid carers looking after a family member", ["carers"]),
    (
        "Dementia Cafe",
        "a relaxed cafe for people living with dementia and their carers",
        ["dementia", "memory"],
    ),
    ("Lunch Club", "a hot two-course lunch and company for older people", ["older people"]),
    ("Food Bank", "emergency food parcels for people in crisis, with a voucher", ["food"]),
    ("Community Pantry", "a low-cost weekly food shop for members", ["food"]),
    ("Befriending Service", "a volunteer who phones or visits each week", ["loneliness"]),
    ("Community Meals", "hot meals delivered to the homes of older and disabled people", ["meals"]),
    ("Podiatry Clinic", "foot care for people with diabetes or poor circulation", ["foot care"]),
    ("Falls Prevention Class", "strength and balance exercise to prevent falls", ["falls"]),
    ("Walking Group", "short led health walks for all abilities", ["walking", "exercise"]),
    ("Debt Advice", "free confidential advice on debt, budgeting and bailiffs", ["money"]),
    (
        "Welfare Rights Advice",
        "help to claim benefits such as attendance allowance and PIP",
        ["benefits"],
    ),
    ("Housing Support", "help to keep a tenancy and avoid homelessness", ["housing"]),
    ("Mental Health Peer Support", "groups run by people with lived experience", ["mental health"]),
    ("Counselling Service", "talking therapy for anxiety, depression and stress", ["counselling"]),
    ("Stroke Club", "exercise and communication practice for stroke survivors", ["stroke"]),
    (
        "Parkinson's Support Group",
        "meetings and exercise for people with Parkinson's",
        ["parkinsons"],
    ),
    (
        "Sight Loss Support",
        "advice and equipment for people with visual impairment",
        ["sight loss"],
    ),
    ("Hearing Aid Clinic", "hearing aid batteries, tubing and maintenance", ["hearing"]),
    ("Men's Shed", "a workshop where men meet, make and mend", ["men", "loneliness"]),
    ("Digital Skills Session", "help with phones, tablets and the internet", ["digital"]),
    ("Young Carers Project", "activities and breaks for children who care", ["young carers"]),
    (
        "Bereavement Support",
        "counselling and groups after the death of someone close",
        ["bereavement"],
    ),
    (
        "Drug and Alcohol Service",
        "treatment and recovery support for addiction",
        ["alcohol", "drugs"],
    ),
    ("Stop Smoking Clinic", "support and nicotine replacement to quit smoking", ["smoking"]),
    ("Weight Management Group", "a twelve week healthy weight programme", ["weight"]),
    ("Toddler Group", "play and songs for under fives with their parents", ["children"]),
    ("Youth Club", "evening activities for young people aged 11 to 18", ["young people"]),
    ("Art Club", "painting and drawing for adults of all abilities", ["arts"]),
    ("Community Choir", "singing for fun, no auditions", ["singing"]),
    ("Tai Chi Class", "gentle exercise for balance and wellbeing", ["exercise"]),
    ("Chair Exercise Class", "seated exercise for people with limited mobility", ["exercise"]),
    ("Warm Space", "a warm place to spend the day with a hot drink", ["cost of living"]),
    ("Repair Cafe", "volunteers mend household items for free", ["community"]),
    (
        "Library Home Service",
        "books delivered to people who cannot get to a library",
        ["housebound"],
    ),
    ("Volunteer Drivers", "lifts to GP and hospital appointments", ["transport"]),
    ("Dial-a-Ride", "door-to-door accessible minibus", ["transport", "wheelchair"]),
    ("Handyperson Service", "small repairs, grab rails and key safes", ["home safety"]),
    (
        "Occupational Therapy",
        "assessment for equipment and adaptations at home",
        ["OT", "adaptations"],
    ),
    ("Equipment Loan", "short-term loan of wheelchairs and mobility aids", ["equipment"]),
    ("Continence Clinic", "assessment and products for bladder and bowel problems", ["continence"]),
    ("Diabetes Education", "courses on living well with type 2 diabetes", ["diabetes"]),
    (
        "Domestic Abuse Support",
        "safety planning and refuge for people experiencing abuse",
        ["domestic abuse"],
    ),
    ("Citizens Advice Drop-in", "advice on benefits, debt, housing and work", ["advice"]),
    (
        "Hospice Day Service",
        "day therapies for people with a life-limiting illness",
        ["palliative care"],
    ),
    ("Breastfeeding Group", "peer support for breastfeeding parents", ["breastfeeding"]),
    ("Autism Support Group", "peer support for autistic adults and families", ["autism"]),
    ("Veterans Breakfast Club", "a monthly breakfast for armed forces veterans", ["veterans"]),
    ("English Classes (ESOL)", "English for speakers of other languages", ["language"]),
    ("Gardening Group", "community allotment and gardening for wellbeing", ["gardening"]),
]
_FRONT = [
    "Ash",
    "Bar",
    "Brad",
    "Chel",
    "Dun",
    "East",
    "Fair",
    "Green",
    "High",
    "Kings",
    "Lang",
    "Mill",
    "North",
    "Oak",
    "Red",
    "South",
    "Stan",
    "West",
    "Whit",
    "Wood",
    "Elm",
    "Fern",
    "Hol",
    "Lit",
    "Mor",
]
_BACK = [
    "by",
    "ton",
    "field",
    "ham",
    "ley",
    "wick",
    "ford",
    "bury",
    "well",
    "thorpe",
    "mere",
    "stow",
]
_ORGS = [
    "{place} Community Trust",
    "Age Well {place}",
    "{place} Council",
    "Friends of {place}",
    "{place} Methodist Church",
    "{place} Health Centre",
    "Mind {place}",
    "{place} Carers' Centre",
    "{place} Volunteer Centre",
    "{place} Community Association",
]
_VENUES = [
    "village hall",
    "library",
    "community centre",
    "church hall",
    "health centre",
    "leisure centre",
    "children's centre",
]
_SURNAMES = [
    "Abbott",
    "Barker",
    "Cartwright",
    "Dawson",
    "Ellis",
    "Fletcher",
    "Gibson",
    "Harrison",
    "Ingram",
    "Jackson",
    "Kirkby",
    "Lambert",
    "Marshall",
    "Newton",
    "Oldfield",
    "Parkin",
    "Quinn",
    "Robinson",
    "Sutcliffe",
    "Thornton",
    "Underwood",
    "Varley",
    "Walker",
    "Yates",
    "Ackroyd",
    "Bramley",
    "Crossley",
    "Dyson",
    "Earnshaw",
    "Foster",
    "Greaves",
    "Hepworth",
    "Illingworth",
    "Jagger",
    "Kershaw",
    "Lockwood",
    "Mellor",
    "Naylor",
    "Ogden",
    "Pickles",
    "Ramsden",
    "Shackleton",
    "Tattersall",
    "Uttley",
    "Waddington",
    "Appleyard",
    "Binns",
    "Clegg",
    "Drury",
    "Exley",
]
_STREETS = ["Road", "Street", "Lane", "Avenue", "Close", "Terrace", "Grove", "Crescent"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
_EXTRA = [
    "Everyone is welcome and there is no need to book.",
    "Refreshments are provided.",
    "The venue is accessible for wheelchair users.",
    "Please phone before your first visit.",
    "Run by trained volunteers.",
    "Free of charge; donations welcome.",
    "Transport can sometimes be arranged.",
    "Carers are welcome to come along too.",
]


@dataclass(frozen=True)
class SyntheticDirectory:
    services: list[Service]
    places: list[str]


def places() -> list[str]:
    return [f + b for f in _FRONT for b in _BACK]


def build(size: int, seed: int = 7) -> SyntheticDirectory:
    rng = random.Random(seed)
    towns = places()
    services = []
    for number in range(size):
        kind, what, tags = KINDS[rng.randrange(len(KINDS))]
        place = towns[rng.randrange(len(towns))]
        organisation = rng.choice(_ORGS).format(place=place)
        name = f"{kind} - {place}" if rng.random() < 0.6 else f"{place} {kind}"
        street = f"{rng.choice(_SURNAMES)} {rng.choice(_STREETS)}"
        description = (
            f"{what.capitalize()}. Meets every {rng.choice(_DAYS)} at the "
            f"{rng.choice(_VENUES)}, {street}, {place}. Ask for {rng.choice(_SURNAMES)}. "
            + " ".join(rng.sample(_EXTRA, 2))
        )
        services.append(
            Service(
                id=f"syn-{number:06d}",
                name=name,
                organisation=organisation,
                description=description,
                tags=list(tags),
                source="synthetic",
            )
        )
    return SyntheticDirectory(services, towns)


def queries(directory: SyntheticDirectory, count: int, seed: int = 11) -> list[str]:
    """What a handler might type: kind words, places, typos and the caller's own words."""
    rng = random.Random(seed)
    callers_words = [
        "meals on wheels",
        "chiropody",
        "OT",
        "memory problems",
        "lonely",
        "food parcel",
        "benefits help",
        "quit smoking",
        "carer support",
        "lift to hospital",
    ]
    made = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.2:
            made.append(rng.choice(callers_words))
            continue
        kind = rng.choice(KINDS)[0]
        words = [w for w in kind.replace("-", " ").split() if len(w) > 2]
        text = " ".join(rng.sample(words, min(len(words), rng.choice([1, 2]))))
        if roll < 0.5:
            text = _typo(text, rng)
        if roll > 0.8:
            text = f"{text} {rng.choice(directory.places)}"
        made.append(text.lower())
    return made


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 5:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return text[:i] + text[i + 1 :]  # a letter left out
    if kind == 1:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]  # two letters swapped
    return text[:i] + text[i] + text[i:]  # a letter doubled
