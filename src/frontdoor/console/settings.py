"""Settings, layered: defaults < settings.yaml in the config folder < FRONTDOOR_* variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

from frontdoor.console.locations import (
    bundled_config_dir,
    default_db_url,
    journal_dir,
    log_dir,
    site_secret_path,
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FRONTDOOR_", extra="ignore")

    db: str = Field(default_factory=default_db_url)
    config: Path = Field(default_factory=bundled_config_dir)
    # a folder of scripts brought into the database instead of the bundled library:
    # published into a new database, as drafts into one that has a library; it is
    # lint-checked when it brings a text the database lacks
    library: Path | None = None
    service_name: str = "Front Door SPA"
    # who a team rings back about a referral: printed on every handover summary (the
    # demo's number is one of Ofcom's drama numbers, which never reach anyone)
    spa_contact_name: str = "North East Lincolnshire SPA"
    spa_contact_phone: str = "01632 960000"
    time_zone: str = "Europe/London"
    repeat_window_days: int = 7
    short_abandon_seconds: int = 5
    service_level_seconds: int = 20
    history_days: int = 30
    # the library's script that F9 (safeguarding) hands the call on to, at its start
    safeguarding_script: str = "safeguarding-concern"
    log_file: Path = Field(default_factory=lambda: log_dir() / "frontdoor.log")
    # where a console keeps writes the database has not taken yet (see calls/journal.py)
    journal: Path = Field(default_factory=journal_dir)
    user: str | None = None
    # a console left this long with no key or mouse locks and asks for the password again
    idle_lock_minutes: float = Field(default=15.0, gt=0)
    # the bundled demo directory and the demo users (one password, on the sign-in screen)
    # go into the default database on its first use; a real site sets it false
    seed_demo: bool = True
    # how long a contact is kept whole (the NHS records code: 8 years for adult records);
    # `records purge` removes the personal data of older ones. 0: no schedule (a training
    # or demo database)
    retention_years: int = Field(default=8, ge=0)
    # the secret pseudonyms are made under (records purge, contacts export --pseudonymise),
    # kept outside the database: FRONTDOOR_SITE_SECRET, else this file, made on first need
    site_secret: SecretStr | None = None
    site_secret_file: Path = Field(default_factory=site_secret_path)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        yaml_file = _config_dir_from(init_settings, env_settings) / "settings.yaml"
        return (
            init_settings,
            env_settings,
            YamlConfigSettingsSource(settings_cls, yaml_file=yaml_file),
        )


def _config_dir_from(init: PydanticBaseSettingsSource, env: PydanticBaseSettingsSource) -> Path:
    for source in (init, env):
        value = source().get("config")
        if value:
            return Path(value)
    return bundled_config_dir()


def load_settings(**overrides: object) -> Settings:
    """Settings with command-line values on top (None means not given)."""
    given = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**given)  # type: ignore[arg-type]
