"""A config file's text is parsed once a process, but read each time: an edited file is
parsed anew, and each reader gets a copy of its own to change."""

from __future__ import annotations

import pytest

from frontdoor.console.vocabulary import ConfigError, read_config


def test_an_edited_config_file_is_read_anew_and_each_reader_has_its_own_copy(tmp_path):
    path = tmp_path / "outcomes.yaml"
    path.write_text("outcomes:\n  advice: {label: Advice}\n", encoding="utf-8")
    first = read_config(tmp_path, "outcomes.yaml")
    first["outcomes"]["advice"]["label"] = "changed by its reader"
    assert read_config(tmp_path, "outcomes.yaml") == {"outcomes": {"advice": {"label": "Advice"}}}
    path.write_text("outcomes:\n  advise: {label: Advise}\n", encoding="utf-8")  # same size
    assert read_config(tmp_path, "outcomes.yaml") == {"outcomes": {"advise": {"label": "Advise"}}}
    path.write_text("outcomes: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="is not valid YAML"):
        read_config(tmp_path, "outcomes.yaml")
    path.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="should be a mapping of keys"):
        read_config(tmp_path, "outcomes.yaml")
