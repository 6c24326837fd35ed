"""Tests for the actor knowledge base (newsdesk/data/actors.tsv and its loader)."""

from __future__ import annotations

from collections import defaultdict
from importlib import resources
from pathlib import Path

import pytest

from newsdesk.data.knowledge_base import (
    REQUIRED_COLUMNS,
    KnowledgeBase,
    _case_sensitive,
    _normalise,
    load_knowledge_base,
)
from newsdesk.errors import DataError

HEADER = "\t".join(REQUIRED_COLUMNS)


def write(path: Path, *rows: str, header: str = HEADER) -> Path:
    path.write_text("\n".join(["# a user's actors", header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.mark.parametrize(
    ("name", "actor_id"),
    [
        ("Islamic Emirate", "GRP.TALIBAN"),
        ("Islamic Emirate of Afghanistan", "GRP.TALIBAN"),
        ("Mujahideen of the Islamic Emirate", "GRP.TALIBAN"),
        ("the Taliban", "GRP.TALIBAN"),
        ("The Taliban's", "GRP.TALIBAN"),
        ("NRF", "GRP.NRF"),
        ("National Resistance Front of Afghanistan", "GRP.NRF"),
        ("Al Qaeda", "GRP.ALQAEDA"),
        ("al-Qaeda", "GRP.ALQAEDA"),
        ("al‑Qaida", "GRP.ALQAEDA"),
        ("ISIS-K", "GRP.ISKP"),
        ("Daesh", "GRP.ISIS"),
        ("IS", "GRP.ISIS"),
        ("Ansar Allah", "GRP.HOUTHIS"),
        ("RSF", "GRP.RSF"),
        ("U.S.", "USA"),
        ("the US", "USA"),
        ("America", "USA"),
        ("Britain", "GBR"),
        ("Russian Federation", "RUS"),
        ("DR Congo", "COD"),
        ("Ivory Coast", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("Burma", "MMR"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("Afghan security forces", "AFG.MIL"),
        ("afghan  security   forces", "AFG.MIL"),
        ("Afghan government", "AFG.GOV"),
        ("government of Afghanistan", "AFG.GOV"),
        ("Afghan National Police", "AFG.POL"),
        ("Pakistani authorities", "PAK.GOV"),
        ("IDF", "ISR.MIL"),
        ("People's Liberation Army", "CHN.MIL"),
        ("Sudanese Armed Forces", "SDN.MIL"),
        ("UN Security Council", "IGO.UNSC"),
        ("Red Cross", "NGO.ICRC"),
        ("Reuters", "MED.REUTERS"),
        ("Agence France-Presse", "MED.AFP"),
        ("BBC Radio 4", "MED.BBC"),
    ],
)
def test_knowledge_base_lookup_resolves_aliases(
    kb: KnowledgeBase, name: str, actor_id: str
) -> None:
    actor = kb.lookup(name)
    assert actor is not None, name
    assert actor.id == actor_id


@pytest.mark.parametrize(
    "name", ["is", "Is", "us", "ap", "amnesty", "an amnesty", "", "  ", "Panjshir"]
)
def test_knowledge_base_lookup_ignores_words_and_unknown_names(
    kb: KnowledgeBase, name: str
) -> None:
    assert kb.lookup(name) is None


@pytest.mark.parametrize(
    "name", ["Reuters", "AFP", "Associated Press", "BBC", "Al Jazeera", "Tolo News"]
)
def test_knowledge_base_outlets_are_media(kb: KnowledgeBase, name: str) -> None:
    actor = kb.lookup(name)
    assert actor is not None
    assert actor.sector == "media"
    assert actor.outlet


@pytest.mark.parametrize(
    ("alias", "exact"),
    [
        ("IS", True),
        ("U.S.", True),
        ("Chad", True),
        ("NATO", True),
        ("Hamas", False),
        ("Reuters", False),
    ],
)
def test_knowledge_base_short_and_capital_aliases_are_case_sensitive(
    alias: str, exact: bool
) -> None:
    assert _case_sensitive(alias) is exact


@pytest.mark.parametrize(
    ("a", "b"),
    [("al-Qaeda", "al Qaeda"), ("Côte d’Ivoire", "Cote d'Ivoire"), ("the Houthis'", "Houthis")],
)
def test_knowledge_base_normalise_unifies_spellings(a: str, b: str) -> None:
    assert _normalise(a) == _normalise(b)


def test_knowledge_base_has_every_iso_state(kb: KnowledgeBase) -> None:
    pycountry = pytest.importorskip("pycountry")
    states = {a.id for a in kb if a.sector == "state"}
    iso = {c.alpha_3 for c in pycountry.countries}
    assert iso <= states
    assert len(iso) >= 249


@pytest.mark.parametrize("state", ["AFG", "USA", "RUS", "UKR", "SDN", "MMR", "ISR", "PSE"])
def test_knowledge_base_states_have_government_and_armed_forces(
    kb: KnowledgeBase, state: str
) -> None:
    for suffix, sector in ((".GOV", "government"), (".MIL", "military"), (".POL", "police")):
        actor = kb.get(state + suffix)
        assert actor is not None
        assert actor.sector == sector
        assert actor.country == state


def test_knowledge_base_covers_armed_groups_and_outlets(kb: KnowledgeBase) -> None:
    groups = [a for a in kb if a.id.startswith("GRP.")]
    assert len(groups) >= 60
    assert {a.sector for a in groups} <= {"rebel", "insurgent", "militia", "terrorist", "other"}
    assert sum(a.sector == "media" for a in kb) >= 40


def test_knowledge_base_builtin_ids_and_names_are_unique() -> None:
    text = (resources.files("newsdesk.data") / "actors.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    ids = [row[0] for row in rows[1:]]
    assert len(ids) == len(set(ids))


def test_knowledge_base_builtin_names_name_one_actor_each(kb: KnowledgeBase) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for actor in kb:
        for alias in kb.aliases_of(actor.id):
            key = _normalise(alias)
            owners[key if _case_sensitive(alias) else key.casefold()].add(actor.id)
    assert {key: ids for key, ids in owners.items() if len(ids) > 1} == {}


def test_knowledge_base_aliases_of(kb: KnowledgeBase) -> None:
    assert kb.aliases_of("GRP.TALIBAN")[0] == "Taliban"
    assert "Islamic Emirate" in kb.aliases_of("GRP.TALIBAN")
    with pytest.raises(KeyError):
        kb.aliases_of("GRP.NOBODY")


def test_knowledge_base_actors_are_read_only(kb: KnowledgeBase) -> None:
    with pytest.raises(TypeError):
        kb.actors["X"] = kb.actors["AFG"]  # type: ignore[index]


def test_knowledge_base_user_file_overrides_and_adds(tmp_path: Path) -> None:
    path = write(
        tmp_path / "mine.tsv",
        "GRP.NRF\tNational Resistance Front\tORG\trebel\tAFG\tNRF|Panjshir resistance",
        "GRP.PANJSHIR\tPanjshir elders\tORG\tcivilian\tAFG\t",
    )
    kb = load_knowledge_base([path])
    assert kb.get("GRP.NRF") is not None
    assert kb.get("GRP.NRF").name == "National Resistance Front"  # type: ignore[union-attr]
    assert kb.lookup("Panjshir resistance").id == "GRP.NRF"  # type: ignore[union-attr]
    assert kb.lookup("National Resistance Front of Afghanistan") is None
    assert kb.lookup("panjshir elders").id == "GRP.PANJSHIR"  # type: ignore[union-attr]
    assert len(kb) == len(load_knowledge_base()) + 1


def test_knowledge_base_is_cached(tmp_path: Path) -> None:
    path = write(tmp_path / "a.tsv", "GRP.X\tX group\tORG\tmilitia\t\t")
    assert load_knowledge_base([path]) is load_knowledge_base([str(path)])
    assert load_knowledge_base() is load_knowledge_base(())


def test_knowledge_base_shared_alias_prefers_sector_then_order(tmp_path: Path) -> None:
    path = write(
        tmp_path / "shared.tsv",
        "MED.PANJ\tPanjshir Post\tORG\tmedia\tAFG\tPanjshir",
        "GRP.PANJ\tPanjshir fighters\tORG\tmilitia\tAFG\tPanjshir",
        "GRP.PANJ2\tPanjshir guard\tORG\tmilitia\tAFG\tPanjshir",
        "PANJ.GOV\tPanjshir council\tORG\tgovernment\tAFG\tPanjshir",
    )
    kb = load_knowledge_base([path])
    assert kb.lookup("Panjshir").id == "PANJ.GOV"  # type: ignore[union-attr]
    path2 = write(
        tmp_path / "shared2.tsv",
        "GRP.PANJ\tP1\tORG\tmilitia\t\tPanjshir",
        "GRP.PANJ2\tP2\tORG\tmilitia\t\tPanjshir",
    )
    assert load_knowledge_base([path2]).lookup("Panjshir").id == "GRP.PANJ"  # type: ignore[union-attr]


def test_knowledge_base_exact_mark_makes_alias_case_sensitive(tmp_path: Path) -> None:
    path = write(tmp_path / "exact.tsv", "NGO.HOPE\tHope Foundation\tORG\tngo\t\t=Hope|Hope Fdn")
    kb = load_knowledge_base([path])
    assert kb.lookup("Hope").id == "NGO.HOPE"  # type: ignore[union-attr]
    assert kb.lookup("hope") is None
    assert kb.aliases_of("NGO.HOPE") == ("Hope Foundation", "Hope", "Hope Fdn")


def test_knowledge_base_source_column_is_optional(tmp_path: Path) -> None:
    header = HEADER + "\tsource"
    path = write(tmp_path / "src.tsv", "GRP.Y\tY group\tORG\tmilitia\t\t\tuser", header=header)
    assert load_knowledge_base([path]).get("GRP.Y") is not None


@pytest.mark.parametrize(
    ("row", "detail"),
    [
        ("GRP.X\tX\tORG\tmilitia\t", "fields"),
        ("GRP.X\tX\tORG\tmilitia\t\t\textra", "fields"),
        ("GRP.X\tX\tGROUP\tmilitia\t\t", "type"),
        ("GRP.X\tX\tORG\tgang\t\t", "sector"),
        ("GRP.X\tX\tORG\tmilitia\tafg\t", "country"),
        ("GRP.X\tX\tORG\tmilitia\tAF\t", "country"),
        ("GRP.X\t\tORG\tmilitia\t\t", "empty name"),
        ("GRP X\tX\tORG\tmilitia\t\t", "id"),
        ("GRP.X\tX\tORG\tmilitia\t\ta||b", "empty alias"),
    ],
)
def test_knowledge_base_bad_row_names_file_and_line(tmp_path: Path, row: str, detail: str) -> None:
    path = write(tmp_path / "bad.tsv", "GRP.OK\tFine\tORG\tmilitia\t\t", row)
    with pytest.raises(DataError, match=r"\[E301\]") as info:
        load_knowledge_base([path])
    message = str(info.value)
    assert f"{path.resolve()}, line 4:" in message
    assert detail in message


def test_knowledge_base_duplicate_id_in_one_file(tmp_path: Path) -> None:
    path = write(tmp_path / "dup.tsv", "GRP.X\tX\tORG\tmilitia\t\t", "GRP.X\tX2\tORG\tmilitia\t\t")
    with pytest.raises(DataError, match=r"line 4: id GRP.X is already used on line 3"):
        load_knowledge_base([path])


@pytest.mark.parametrize(
    "header", ["id\tname\ttype\tsector\tcountry", "id\tname\ttype\tsector\tcountry\taliases\tnotes"]
)
def test_knowledge_base_bad_header(tmp_path: Path, header: str) -> None:
    path = write(tmp_path / "header.tsv", header=header)
    with pytest.raises(DataError, match=r"line 2: the header"):
        load_knowledge_base([path])


def test_knowledge_base_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"\[E302\].*nowhere\.tsv"):
        load_knowledge_base([tmp_path / "nowhere.tsv"])
