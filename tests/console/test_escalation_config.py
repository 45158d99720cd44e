"""The escalation guidance comes from config/escalations.yaml, checked when the console
opens: a fault is refused in words that name the file and what is wrong."""

from __future__ import annotations

import shutil

import pytest

from frontdoor.console.escalations import load_escalations
from frontdoor.console.locations import bundled_config_dir
from frontdoor.console.vocabulary import ConfigError, load_vocabulary
from frontdoor.console.wiring import open_front_door


@pytest.fixture
def config(tmp_path):
    folder = tmp_path / "config"
    shutil.copytree(bundled_config_dir(), folder)
    return folder


def test_the_bundled_guidance_loads_for_both_keys(config):
    guides = load_escalations(config, load_vocabulary(config))
    assert guides["escalate_safeguarding"].category == "safeguarding"
    assert guides["escalate_emergency"].category is None  # the script's own
    out_of_hours = guides["escalate_safeguarding"].suggest[0].out_of_hours
    assert out_of_hours is not None and out_of_hours.services == ("adult-social-care-duty",)


@pytest.mark.parametrize(
    ("wrong", "right", "said"),
    [
        ("  out_of_hours:", "  out_of_hour:", "escalate_emergency.suggest.1.out_of_hour"),
        ("category: safeguarding", "category: harm", "'harm' is not in categories.yaml"),
        ("escalate_safeguarding:", "escalate_safe:", "missing escalate_safeguarding"),
    ],
)
def test_a_fault_in_the_guidance_is_refused_with_where_it_is(config, wrong, right, said):
    path = config / "escalations.yaml"
    text = path.read_text()
    path.write_text(text.replace(wrong, right, 1))
    with pytest.raises(ConfigError, match=r"escalations\.yaml") as refused:
        load_escalations(config, load_vocabulary(config))
    assert said in str(refused.value)


def test_a_safeguarding_script_the_library_lacks_stops_the_console(settings):
    wrong = settings.model_copy(update={"safeguarding_script": "safeguarding"})
    with pytest.raises(ConfigError, match="safeguarding_script 'safeguarding' is not a script"):
        open_front_door(wrong, migrate=False)
