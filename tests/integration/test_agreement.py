"""The certification agreement as the operator publishes it: one bilingual YAML file per version;
the newest is current unless CERTIFY_AGREEMENT_VERSION names another; a bad file is refused at
load, naming it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from certify.config import Settings
from certify.services import agreement
from certify.services.errors import Invalid

BUNDLED = Path(__file__).resolve().parents[2] / "agreement" / "2026.1.yaml"


def publish(folder: Path, name: str, **changes: object) -> None:
    """The bundled agreement as `<name>.yaml`, stating version `name` unless `changes` say otherwise."""
    text = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    (folder / f"{name}.yaml").write_text(yaml.safe_dump({**text, "version": name, **changes}), encoding="utf-8")


def test_the_bundled_agreement_is_current_and_every_clause_is_in_both_languages(tmp_path: Path) -> None:
    current = agreement.current(Settings(data_dir=tmp_path))
    assert current.version == "2026.1"
    assert all(clause.id and clause.en for clause in current.clauses)


def test_the_newest_version_is_current_unless_the_operator_names_another(tmp_path: Path) -> None:
    for version in ("2026.1", "2026.10", "2026.2"):
        publish(tmp_path, version)
    newest = Settings(data_dir=tmp_path, agreement_dir=tmp_path)
    assert agreement.current(newest).version == "2026.10"  # 10 after 2, not before
    assert list(agreement.versions(newest)) == ["2026.1", "2026.2", "2026.10"]
    with pytest.raises(Invalid, match=r"the current version is 2026\.10"):
        agreement.check_accepted(newest, "2026.2")
    pinned = Settings(data_dir=tmp_path, agreement_dir=tmp_path, agreement_version="2026.2")
    assert agreement.check_accepted(pinned, "2026.2").version == "2026.2"


def test_a_file_whose_name_disagrees_with_its_version_is_refused_naming_it(tmp_path: Path) -> None:
    publish(tmp_path, "2026.3", version="2026.4")
    with pytest.raises(ValueError, match=r"2026\.3\.yaml: states version 2026\.4"):
        agreement.current(Settings(data_dir=tmp_path, agreement_dir=tmp_path))


def test_a_clause_in_one_language_only_is_refused(tmp_path: Path) -> None:
    publish(tmp_path, "2026.5", clauses=[{"en": "only English"}])
    with pytest.raises(ValueError, match="not a certification agreement"):
        agreement.current(Settings(data_dir=tmp_path, agreement_dir=tmp_path))
