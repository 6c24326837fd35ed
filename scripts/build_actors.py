"""Regenerate the state, government, armed-force and police rows of ``actors.tsv``.

The rows come from pycountry (ISO 3166 codes and names) and countryinfo (demonyms and alternate
spellings), corrected and extended by the tables below. Both packages are needed only here, never
at run time: the generated rows are committed in ``src/newsdesk/data/actors.tsv``. Everything
below that file's ``CURATED_MARKER`` line is hand-written and kept as it is.

    pip install pycountry countryinfo
    python scripts/build_actors.py          # rewrite the generated section
    python scripts/build_actors.py --check  # exit 1 when the file is out of date
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

import pycountry

DATA = Path(__file__).resolve().parents[1] / "src" / "newsdesk" / "data"
ACTORS_TSV = DATA / "actors.tsv"
DEMONYMS_TSV = DATA / "demonyms.tsv"
CURATED_MARKER = "# ==== curated rows: written by hand; build_actors.py keeps them as they are ===="
COLUMNS = ("id", "name", "type", "sector", "country", "aliases", "source")

HEADER = """\
# newsdesk actor knowledge base: canonical actors and the names news reports use for them.
#
# UTF-8, tab-separated, one actor per row; lines starting with '#' and blank lines are ignored.
# Columns:
#   id       stable id: ISO alpha-3 for a state (AFG), AFG.GOV / AFG.MIL / AFG.POL for its
#            government, armed forces and police, IGO.x international organisations,
#            GRP.x armed groups, NGO.x, MED.x news outlets, PTY.x parties, PERSON.x people
#   name     canonical name
#   type     spaCy entity type (records.EntityType): GPE, ORG, NORP, PERSON ...
#   sector   records.Sector: state, government, military, police, rebel, insurgent, militia,
#            terrorist, party, igo, ngo, media, civilian, business, religious, other
#   country  ISO 3166 alpha-3 code of the actor's country; empty for international actors
#   aliases  other names, separated by '|'. An alias of 4 characters or fewer, or written in
#            capitals ("IS", "US", "U.S.", "Chad"), matches only with exactly that case; so
#            does an alias written with a leading '=' ("=Amnesty": not the word "amnesty").
#   source   generated (scripts/build_actors.py from pycountry + countryinfo) or curated
#
# Every name belongs to one actor here. Where a user file gives one name to several actors,
# lookup prefers the sector listed first above (state, government, military ...), then the row
# read first.
#
# Users extend or override this file with their own files in the same columns ('source' may be
# left out): a row whose id is already known replaces the built-in row.
#
# ==== generated rows: do not edit by hand; change scripts/build_actors.py and rerun it ====
"""

# ISO 3166 entries that are not sovereign states: they get a state row (a place news names)
# and, when inhabited, a government row, but no armed forces or police of their own.
NON_SOVEREIGN = frozenset(
    {
        "ALA",
        "ASM",
        "AIA",
        "ATA",
        "ABW",
        "BMU",
        "BES",
        "BVT",
        "IOT",
        "CYM",
        "CXR",
        "CCK",
        "COK",
        "CUW",
        "FLK",
        "FRO",
        "GUF",
        "PYF",
        "ATF",
        "GIB",
        "GRL",
        "GLP",
        "GUM",
        "GGY",
        "HKG",
        "HMD",
        "IMN",
        "JEY",
        "MAC",
        "MTQ",
        "MYT",
        "MSR",
        "NCL",
        "NIU",
        "NFK",
        "MNP",
        "PCN",
        "PRI",
        "REU",
        "BLM",
        "SHN",
        "MAF",
        "SPM",
        "SXM",
        "SGS",
        "SJM",
        "TKL",
        "TCA",
        "UMI",
        "VGB",
        "VIR",
        "WLF",
        "ESH",
    }
)
# No one governs these, or their government is the one of another row (ESH: see GRP.POLISARIO).
NO_GOVERNMENT = frozenset(["ATA", "BVT", "HMD", "SGS", "UMI", "ATF", "IOT", "ESH"])

# Canonical names where pycountry's is an inverted or official form news never uses.
NAMES = {
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "PSE": "Palestine",
    "RUS": "Russia",
    "VAT": "Vatican City",
    "FSM": "Micronesia",
    "VGB": "British Virgin Islands",
    "VIR": "US Virgin Islands",
    "FLK": "Falkland Islands",
    "MAF": "Saint Martin",
    "SXM": "Sint Maarten",
    "BES": "Caribbean Netherlands",
    "SHN": "Saint Helena",
    "CPV": "Cape Verde",
    "TLS": "East Timor",
    "SWZ": "Eswatini",
    "BRN": "Brunei",
}

# Short names that take "the" inside a phrase: "government of the Netherlands".
WITH_THE = frozenset(
    {
        "USA",
        "GBR",
        "NLD",
        "GMB",
        "PHL",
        "BHS",
        "ARE",
        "CAF",
        "COD",
        "COG",
        "DOM",
        "MDV",
        "MHL",
        "COM",
        "CYM",
        "FRO",
        "FLK",
        "VGB",
        "VIR",
        "CZE",
        "SLB",
    }
)

# State aliases news uses that neither package gives, or gives in another form.
STATE_ALIASES: dict[str, list[str]] = {
    "USA": ["United States", "United States of America", "US", "U.S.", "USA", "U.S.A.", "America"],
    "GBR": ["United Kingdom", "UK", "U.K.", "Britain", "Great Britain"],
    "RUS": ["Russia", "Russian Federation"],
    "COD": [
        "DRC",
        "DR Congo",
        "D.R. Congo",
        "Congo",
        "Congo-Kinshasa",
        "Democratic Republic of Congo",
    ],
    "COG": ["Congo-Brazzaville", "Republic of Congo", "Congo Republic"],
    "CIV": ["Ivory Coast", "Côte d'Ivoire", "Cote d'Ivoire"],
    "MMR": ["Myanmar", "Burma"],
    "TUR": ["Türkiye", "Turkiye", "Turkey"],
    "CZE": ["Czechia", "Czech Republic"],
    "MKD": ["North Macedonia", "Macedonia"],
    "SWZ": ["Swaziland"],
    "CPV": ["Cabo Verde"],
    "TLS": ["Timor-Leste", "Timor Leste"],
    "KOR": ["South Korea", "Republic of Korea", "ROK"],
    "PRK": ["North Korea", "DPRK"],
    "CHN": ["China", "PRC", "People's Republic of China", "mainland China"],
    "TWN": ["Taiwan", "Republic of China"],
    "IRN": ["Iran", "Islamic Republic of Iran"],
    "SYR": ["Syria"],
    "LAO": ["Laos"],
    "VNM": ["Vietnam", "Viet Nam"],
    "PSE": ["State of Palestine", "Palestinian territories", "occupied Palestinian territories"],
    "ARE": ["UAE", "U.A.E.", "United Arab Emirates"],
    "SAU": ["Saudi Arabia", "KSA", "Kingdom of Saudi Arabia"],
    "VAT": ["Vatican", "Holy See"],
    "BIH": ["Bosnia", "Bosnia-Herzegovina"],
    "NLD": ["Holland", "the Netherlands"],
    "GMB": ["The Gambia"],
    "BHS": ["The Bahamas"],
    "STP": ["Sao Tome", "São Tomé and Príncipe"],
    "KNA": ["St Kitts and Nevis", "Saint Kitts"],
    "LCA": ["St Lucia"],
    "VCT": ["St Vincent", "St Vincent and the Grenadines"],
    "CAF": ["CAR", "Central African Republic"],
    "IRL": ["Ireland", "Republic of Ireland", "Eire"],
    "FLK": ["Malvinas", "Falklands"],
    "MAC": ["Macau"],
    "BOL": ["Bolivia"],
    "VEN": ["Venezuela"],
    "TZA": ["Tanzania"],
    "MDA": ["Moldova"],
}

# Alternate spellings from countryinfo that are English words, demonyms or surnames, or that
# news uses for another state.
DROP_SPELLINGS = frozenset(
    {
        "Island",
        "Thai",
        "Togolese",
        "Montenegrin",
        "Mann",
        "Prathet",
        "Mexicanos",
        "Portuguesa",
        "Guiana",
        "Congo",
        "Bahamas",
        "Gambia",
        "Republic of Macedonia",
        "Lao",
    }
)

# Adjectives for "<X> government", "<X> army". The first is the usual one; an empty list means
# the name itself serves ("Hong Kong government"). Set where countryinfo has none, has an odd
# form, or shares one demonym between several rows (its "French" for five territories).
DEMONYMS: dict[str, list[str]] = {
    "USA": ["American", "US", "U.S."],
    "GBR": ["British", "UK"],
    "ARE": ["Emirati", "UAE"],
    "SAU": ["Saudi", "Saudi Arabian"],
    "COD": ["Congolese", "DRC"],
    "COG": [],
    "DMA": [],
    "ARG": ["Argentine", "Argentinian", "Argentinean"],
    "TJK": ["Tajik"],
    "KGZ": ["Kyrgyz"],
    "ISL": ["Icelandic"],
    "DJI": ["Djiboutian"],
    "UZB": ["Uzbek"],
    "KAZ": ["Kazakh"],
    "CPV": ["Cape Verdean"],
    "MDV": ["Maldivian"],
    "SUR": ["Surinamese"],
    "BIH": ["Bosnian"],
    "ATG": ["Antiguan"],
    "BWA": [],
    "LSO": [],
    "NZL": [],
    "LUX": ["Luxembourgish"],
    "LIE": [],
    "KIR": [],
    "VUT": [],
    "PHL": ["Philippine", "Filipino"],
    "TLS": ["Timorese", "East Timorese"],
    "SVN": ["Slovenian", "Slovene"],
    "GNB": ["Bissau-Guinean"],
    "MMR": ["Burmese"],
    "KNA": [],
    "TTO": ["Trinidadian"],
    "CZE": ["Czech"],
    "BGD": ["Bangladeshi"],
    "NPL": ["Nepali", "Nepalese"],
    "VAT": ["Vatican"],
    "HKG": [],
    "MAC": [],
    "MNP": [],
    "SJM": [],
    "GGY": [],
    "JEY": [],
    "MTQ": [],
    "MYT": [],
    "REU": [],
    "SPM": [],
    "CXR": [],
    "IMN": ["Manx"],
    "GIB": [],
    "ESH": ["Sahrawi"],
}

# Proper names of governments, armed forces and police, keyed by generated id.
EXTRA: dict[str, list[str]] = {
    "USA.GOV": [
        "US administration",
        "White House",
        "State Department",
        "US State Department",
        "Washington administration",
    ],
    "USA.MIL": [
        "Pentagon",
        "US Army",
        "U.S. Army",
        "US Navy",
        "U.S. Navy",
        "US Air Force",
        "US Marines",
        "US Marine Corps",
        "US Central Command",
        "CENTCOM",
        "Department of Defense",
        "US Department of Defense",
    ],
    "USA.POL": ["FBI", "Federal Bureau of Investigation"],
    "GBR.GOV": ["Downing Street", "Whitehall", "Her Majesty's Government"],
    "GBR.MIL": ["British Army", "Royal Navy", "Royal Air Force", "RAF", "UK Ministry of Defence"],
    "GBR.POL": ["Metropolitan Police", "Met Police", "Scotland Yard"],
    "RUS.GOV": ["Kremlin", "Russian Foreign Ministry"],
    "RUS.MIL": [
        "Russian Armed Forces",
        "Russian Defence Ministry",
        "Russian Defense Ministry",
        "Russian Ministry of Defence",
    ],
    "UKR.MIL": ["Armed Forces of Ukraine", "Ukrainian Armed Forces", "AFU", "ZSU"],
    "UKR.POL": ["National Police of Ukraine"],
    "ISR.MIL": ["Israel Defense Forces", "Israeli Defence Forces", "Israel Defence Forces", "IDF"],
    "ISR.POL": ["Israel Police"],
    "PSE.GOV": ["Palestinian Authority", "Palestinian National Authority"],
    "CHN.MIL": [
        "People's Liberation Army",
        "Chinese People's Liberation Army",
        "PLA",
        "PLA Navy",
    ],
    "SDN.MIL": ["Sudanese Armed Forces", "SAF"],
    "AFG.MIL": [
        "Afghan National Army",
        "ANA",
        "Afghan National Defense and Security Forces",
        "Afghan National Defence and Security Forces",
        "ANDSF",
    ],
    "AFG.POL": ["Afghan National Police", "ANP"],
    "PAK.MIL": ["Pakistan Army", "Inter-Services Public Relations", "ISPR"],
    "IND.MIL": ["Indian Army"],
    "NGA.MIL": ["Nigerian Army"],
    "NGA.POL": ["Nigeria Police Force"],
    "KEN.POL": ["Kenya Police Service"],
    "ETH.MIL": ["Ethiopian National Defense Force", "ENDF"],
    "SOM.MIL": ["Somali National Army", "SNA"],
    "MLI.MIL": ["Malian Armed Forces", "FAMa"],
    "COD.MIL": ["FARDC", "Armed Forces of the Democratic Republic of the Congo"],
    "TUR.MIL": ["Turkish Armed Forces", "TSK"],
    "EGY.MIL": ["Egyptian Armed Forces"],
    "SYR.MIL": ["Syrian Arab Army"],
    "IRQ.MIL": ["Iraqi Security Forces", "Iraqi Army"],
    "IRN.GOV": ["Tehran government"],
    "IRN.MIL": [
        "Islamic Revolutionary Guard Corps",
        "Revolutionary Guards",
        "IRGC",
        "Quds Force",
        "Artesh",
    ],
    "MMR.GOV": ["State Administration Council"],
    "MMR.MIL": ["Tatmadaw", "Myanmar junta", "Burmese junta"],
    "FRA.GOV": ["Elysee", "Élysée", "Elysee Palace"],
    "FRA.POL": ["Police nationale", "Gendarmerie nationale"],
    "DEU.POL": ["Bundespolizei"],
    "DEU.MIL": ["Bundeswehr"],
    "JPN.MIL": ["Japan Self-Defense Forces", "Self-Defense Forces", "JSDF"],
    "KOR.MIL": ["Republic of Korea Armed Forces"],
    "PRK.MIL": ["Korean People's Army", "KPA"],
    "COL.MIL": ["Colombian Army"],
    "MEX.MIL": ["Mexican Army", "SEDENA"],
    "LBN.MIL": ["Lebanese Armed Forces", "LAF"],
    "YEM.GOV": [
        "Presidential Leadership Council",
        "internationally recognised government of Yemen",
    ],
}


def countryinfo_data() -> dict[str, dict[str, Any]]:
    """countryinfo's country records by ISO alpha-3."""
    out: dict[str, dict[str, Any]] = {}
    for entry in (resources.files("countryinfo") / "data").iterdir():
        if entry.name.endswith(".json"):
            record = json.loads(entry.read_text(encoding="utf-8"))
            code = record.get("ISO", {}).get("alpha3")
            if code:
                out[code] = record
    return out


def unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        name = name.strip()
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out


def usable_spelling(name: str) -> bool:
    # ASCII only keeps English and romanised forms and drops native scripts; length > 4 drops
    # the alpha-2/alpha-3 codes countryinfo lists among the spellings ("IS", "CAN", "PER").
    name = name.strip()
    return (
        name.isascii()
        and len(name) > 4
        and "," not in name
        and not name.casefold().startswith("the ")
        and name not in DROP_SPELLINGS
    )


def row(ident: str, name: str, typ: str, sector: str, country: str, aliases: list[str]) -> str:
    rest = [a for a in unique(aliases) if a != name]
    return "\t".join((ident, name, typ, sector, country, "|".join(rest), "generated"))


def state_rows(code: str, info: dict[str, Any]) -> list[str]:
    country = pycountry.countries.get(alpha_3=code)
    name = NAMES.get(code) or getattr(country, "common_name", None) or country.name
    names = [name, country.name, getattr(country, "official_name", "")]
    names += [info.get("name", ""), *list(info.get("altSpellings", []))]
    aliases = [n for n in names if n and usable_spelling(n)] + STATE_ALIASES.get(code, [])
    if code == "COG":
        aliases = [a for a in aliases if a != "Congo"]
    rows = [row(code, name, "GPE", "state", code, aliases)]

    demonyms = DEMONYMS.get(code)
    if demonyms is None:
        demonyms = [d.strip() for d in (info.get("demonym") or "").split(",")[:1] if d.strip()]
    # "Pakistan army" is as common as "Pakistani army": the name serves as an adjective too.
    adjectives = unique([*demonyms, name])
    the_name = f"the {name}" if code in WITH_THE else name

    if code not in NO_GOVERNMENT:
        gov = [f"{a} {w}" for a in adjectives for w in ("government", "authorities")]
        gov += [f"government of {the_name}", f"{demonyms[0]} officials" if demonyms else ""]
        gov += EXTRA.get(f"{code}.GOV", [])
        rows.append(
            row(
                f"{code}.GOV",
                f"Government of {the_name}",
                "ORG",
                "government",
                code,
                [g for g in gov if g],
            )
        )
    if code in NON_SOVEREIGN:
        return rows

    mil_words = (
        "army",
        "military",
        "armed forces",
        "security forces",
        "troops",
        "forces",
        "soldiers",
    )
    mil = [f"{a} {w}" for a in adjectives for w in mil_words]
    mil += [f"armed forces of {the_name}", *EXTRA.get(f"{code}.MIL", [])]
    rows.append(row(f"{code}.MIL", f"Armed forces of {the_name}", "ORG", "military", code, mil))
    pol = [f"{a} {w}" for a in adjectives for w in ("police", "police force")]
    pol += [f"police of {the_name}", *EXTRA.get(f"{code}.POL", [])]
    rows.append(row(f"{code}.POL", f"Police of {the_name}", "ORG", "police", code, pol))
    return rows


def generated_rows() -> list[str]:
    info = countryinfo_data()
    rows: list[str] = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        rows += state_rows(country.alpha_3, info.get(country.alpha_3, {}))
    unknown = {key.split(".")[0] for key in EXTRA} - {c.alpha_3 for c in pycountry.countries}
    if unknown:
        raise SystemExit(f"EXTRA names unknown states: {sorted(unknown)}")
    return rows


DEMONYMS_HEADER = """\
# Demonyms: the adjective or people of a country, and the country they point at.
# Generated by scripts/build_actors.py from countryinfo and the script's own corrections;
# do not edit by hand. Columns: demonym, ISO 3166 alpha-3, ISO 3166 alpha-2.
# The places stage reads these as hints of an article's country focus, never as places.
"""


# Adjectives that are also the everyday name of the place ("the Vatican said"): places first.
NOT_DEMONYMS = frozenset({"Vatican"})


def demonym_rows() -> list[str]:
    """One row per demonym, with its plural for the forms news reports use ("Afghans")."""
    info = countryinfo_data()
    owners: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for country in pycountry.countries:
        code = country.alpha_3
        demonyms = DEMONYMS.get(code)
        if demonyms is None:
            found = (info.get(code, {}).get("demonym") or "").split(",")[:1]
            demonyms = [d.strip() for d in found if d.strip()]
        for demonym in demonyms:
            # "US soldier", "UK officials": an abbreviation of the country's name is its name,
            # not a demonym, and the places stage must still see it as a place.
            if demonym.replace(".", "").isupper() or demonym in NOT_DEMONYMS:
                continue
            forms = [demonym]
            if demonym.endswith(("an", "i")):
                forms.append(demonym + "s")
            for form in forms:
                owners[form].add((code, country.alpha_2))
    # A demonym shared by a state and its territories ("French") points at the state; one
    # shared by several states points at none.
    rows = []
    for form, all_codes in sorted(owners.items()):
        sovereign = {pair for pair in all_codes if pair[0] not in NON_SOVEREIGN}
        codes = all_codes if len(all_codes) == 1 else sovereign
        if len(codes) == 1:
            ((alpha3, alpha2),) = codes
            rows.append(f"{form}\t{alpha3}\t{alpha2}")
    return rows


def check_collisions(rows: list[str]) -> None:
    """Fail when one generated alias names two actors: the build must decide, not the loader."""
    owners: dict[str, set[str]] = defaultdict(set)
    for line in rows:
        ident, name, *_, aliases, _source = line.split("\t")
        for alias in [name, *aliases.split("|")]:
            owners[" ".join(alias.replace("-", " ").casefold().split())].add(ident)
    clashes = {alias: ids for alias, ids in owners.items() if alias and len(ids) > 1}
    if clashes:
        raise SystemExit(f"generated aliases name several actors: {clashes}")


def render(curated: str) -> str:
    rows = generated_rows()
    check_collisions(rows)
    return HEADER + "\t".join(COLUMNS) + "\n" + "\n".join(rows) + "\n\n" + curated


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if actors.tsv is stale")
    args = parser.parse_args()
    old = ACTORS_TSV.read_text(encoding="utf-8") if ACTORS_TSV.exists() else ""
    marker = old.find(CURATED_MARKER)
    curated = old[marker:] if marker >= 0 else CURATED_MARKER + "\n"
    new = render(curated)
    demonyms = DEMONYMS_HEADER + "\n".join(demonym_rows()) + "\n"
    old_demonyms = DEMONYMS_TSV.read_text(encoding="utf-8") if DEMONYMS_TSV.exists() else ""
    if args.check:
        return 0 if new == old and demonyms == old_demonyms else 1
    ACTORS_TSV.write_text(new, encoding="utf-8")
    DEMONYMS_TSV.write_text(demonyms, encoding="utf-8")
    print(f"wrote {ACTORS_TSV} and {DEMONYMS_TSV}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
