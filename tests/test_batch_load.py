"""Tests for newsdesk.batch.load and newsdesk.batch.parquet: shard files into the store, once.

Shard files are written here from articles made by hand (no spaCy), on SQLite and on a real
PostgreSQL server; the Parquet files are also read without newsdesk, with pandas, polars and
DuckDB, in a process that cannot import it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsdesk.batch.load import load, load_shards, shard_files
from newsdesk.batch.parquet import SCHEMA, ShardWriter, article_row, read_records, rejected_row
from newsdesk.corpus.store import Added, Store
from newsdesk.errors import BatchError
from newsdesk.records import Article, Rejected
from newsdesk.settings import Settings
from test_store import DISPUTED, GOMA, HISTORY, PANJSHIR, store_url  # noqa: F401 - a fixture

BINARY = Rejected(code="R103", reason="The input looks binary (NUL bytes), not text or HTML.")


def _write(out: Path, name: str, records: list[tuple[Article, str] | Rejected]) -> Path:
    """A shard file as ``process_shard`` writes it, from ready records."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{name}.parquet"
    meta = {"shard": name, "name": name, "order": [f"inputs/{name}", 0], "extractor": "test"}
    with ShardWriter(target, meta=meta) as writer:
        writer.write(
            [
                rejected_row(record, shard=name)
                if isinstance(record, Rejected)
                else article_row(record[0], source=record[1], shard=name)
                for record in records
            ]
        )
        writer.commit(articles=sum(not isinstance(r, Rejected) for r in records), reasons={})
    return target


def _job(out: Path) -> None:
    """Two shards: three articles and a rejection, then a shard with a copy of the first."""
    _write(
        out,
        "a",
        [
            (PANJSHIR, "inputs/a/1.txt"),
            BINARY.model_copy(update={"source": "inputs/a/2.bin"}),
            (GOMA, "inputs/a/3.txt"),
            (HISTORY, "inputs/a/4.txt"),
        ],
    )
    _write(out, "b", [(DISPUTED, "inputs/b.jsonl:1"), (PANJSHIR, "inputs/b.jsonl:2")])


def test_parquet_round_trips_every_record(tmp_path: Path) -> None:
    _job(tmp_path)
    records = [record for path in shard_files(tmp_path) for record in read_records(path)]
    assert records[0] == (PANJSHIR, "inputs/a/1.txt")
    assert isinstance(records[1], Rejected) and records[1].source == "inputs/a/2.bin"
    assert [r[0].id for r in records if not isinstance(r, Rejected)] == [
        PANJSHIR.id,
        GOMA.id,
        HISTORY.id,
        DISPUTED.id,
        PANJSHIR.id,
    ]
    table = pq.read_table(tmp_path / "a.parquet")
    assert table.schema.equals(SCHEMA)
    event = table.column("events")[0][0].as_py()
    assert event["type"] == "MOBILIZE" and event["place_name"] == "Panjshir"
    assert event["trigger"]["text"] == "advanced"
    assert PANJSHIR.text[event["trigger"]["start"] : event["trigger"]["end"]] == "advanced"


def test_parquet_a_failed_write_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "c.parquet"
    with pytest.raises(pa.ArrowException), ShardWriter(target, meta={}) as writer:
        writer.write([{"kind": "article", "events": "not a list"}])
    assert list(tmp_path.iterdir()) == []


def test_load_into_the_store_once(store_url: str, tmp_path: Path, settings: Settings) -> None:  # noqa: F811
    _job(tmp_path / "out")
    with Store(store_url) as store:
        counts, corpus = load(tmp_path / "out", store, settings=settings)
        assert (counts.shards, counts.articles, counts.duplicate, counts.rejected) == (2, 4, 1, 1)
        assert corpus.stories >= 1
        before = store.counts()
        assert before["articles"] == 4
        rejected = store.rejected()
        assert [r.source for r in rejected] == ["inputs/a/2.bin"]
        # The copy of PANJSHIR from the second shard is recorded as done, not stored again.
        assert "inputs/b.jsonl:2" in store.known_sources()
        again, _ = load(tmp_path / "out", store, settings=settings)
        assert (again.shards, again.already_loaded, again.articles) == (0, 2, 0)
        assert store.counts() == before
        assert store.rejected() == rejected
        assert [a.id for a in store.iter_articles()] == [
            PANJSHIR.id,
            GOMA.id,
            HISTORY.id,
            DISPUTED.id,
        ]
        assert store.get_article(PANJSHIR.id) == PANJSHIR


def test_load_equals_adding_one_by_one(store_url: str, tmp_path: Path) -> None:  # noqa: F811
    _job(tmp_path / "out")
    with Store(store_url) as store:
        load_shards(tmp_path / "out", store)
        loaded = store.counts()
        events = store.events()
    with Store(tmp_path / "one-by-one.sqlite") as other:
        for article, source in [
            (PANJSHIR, "inputs/a/1.txt"),
            (GOMA, "inputs/a/3.txt"),
            (HISTORY, "inputs/a/4.txt"),
            (DISPUTED, "inputs/b.jsonl:1"),
            (PANJSHIR, "inputs/b.jsonl:2"),
        ]:
            other.add_article(article, source=source)
        other.add_rejected(BINARY.model_copy(update={"source": "inputs/a/2.bin"}))
        assert other.counts() == loaded
        assert other.events() == events


def test_load_finishes_a_shard_an_ingest_began(store_url: str, tmp_path: Path) -> None:  # noqa: F811
    _job(tmp_path / "out")
    with Store(store_url) as store:
        store.add_article(GOMA, source="inputs/a/3.txt")  # as if ingest had read that file
        counts = load_shards(tmp_path / "out", store)
        assert (counts.shards, counts.articles) == (2, 3)
        assert store.counts()["articles"] == 4


def test_store_add_batch_outcomes(store_url: str) -> None:  # noqa: F811
    with Store(store_url) as store:
        assert store.add_batch([(GOMA, "x")]) == [Added.NEW]
        outcomes = store.add_batch(
            [(GOMA, "x"), (GOMA, "y"), (HISTORY, "z"), (HISTORY, "z")],
            [BINARY.model_copy(update={"source": "w"})] * 2,
        )
        assert outcomes == [Added.ALREADY_STORED, Added.DUPLICATE, Added.NEW, Added.ALREADY_STORED]
        assert store.known_among(["x", "y", "z", "w", "v"]) == {"x", "y", "z", "w"}
        assert len(store.rejected()) == 1


def test_load_refuses_what_is_not_a_job_folder(tmp_path: Path) -> None:
    with pytest.raises(BatchError, match="E456"):
        shard_files(tmp_path / "missing")
    pq.write_table(pa.table({"x": [1]}), tmp_path / "other.parquet")
    with pytest.raises(BatchError, match="E457"):
        shard_files(tmp_path)


# What a user without newsdesk runs: the three readers on the job's folder. The process refuses
# to import newsdesk (whatever the install), and proves it before reading.
_READERS = textwrap.dedent(
    """
    import importlib.abc, json, sys

    class NoNewsdesk(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "newsdesk" or name.startswith("newsdesk."):
                raise ModuleNotFoundError(f"No module named {name!r}")
            return None

    sys.meta_path.insert(0, NoNewsdesk())
    try:
        import newsdesk
    except ModuleNotFoundError:
        pass
    else:
        raise SystemExit("newsdesk is importable")

    folder = sys.argv[1]
    import duckdb, pandas, polars

    frame = pandas.read_parquet(folder)
    articles = frame[frame.kind == "article"]
    pandas_events = [e["type"] for events in articles.events for e in events]
    pandas_rejected = frame[frame.kind == "rejected"].code.tolist()

    lazy = polars.scan_parquet(f"{folder}/*.parquet")
    events = (
        lazy.filter(polars.col("kind") == "article")
        .select("id", "events").explode("events").unnest("events")
        .filter(polars.col("type").is_not_null())
        .select("type", polars.col("trigger").struct.field("text"))
        .collect()
    )

    duck = duckdb.sql(
        f"SELECT id, unnest(events, recursive := true) "
        f"FROM read_parquet('{folder}/*.parquet') WHERE kind = 'article'"
    ).df()
    places = duckdb.sql(
        f"SELECT p.name, p.country FROM (SELECT unnest(places) AS p "
        f"FROM read_parquet('{folder}/*.parquet')) ORDER BY 1"
    ).fetchall()
    print(json.dumps({
        "pandas": sorted(pandas_events), "rejected": pandas_rejected,
        "polars": sorted(events["type"].to_list()),
        "triggers": sorted(events["text"].to_list()),
        "duckdb": sorted(duck["type"].tolist()),
        "places": places,
    }))
    """
)


def test_parquet_reads_without_newsdesk(tmp_path: Path) -> None:
    _job(tmp_path)
    # What a worker killed mid-shard leaves: hidden, so no reader of the folder trips on it.
    (tmp_path / ".c.parquet.0badcafe.tmp").write_bytes(b"PAR1 cut short")
    done = subprocess.run(
        [sys.executable, "-I", "-c", _READERS, str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    articles = [PANJSHIR, GOMA, HISTORY, DISPUTED, PANJSHIR]
    types = sorted(event.type for article in articles for event in article.events)
    triggers = sorted(event.trigger.text for article in articles for event in article.events)
    assert found["pandas"] == found["polars"] == found["duckdb"] == types
    assert found["triggers"] == triggers
    assert found["rejected"] == ["R103"]
    assert found["places"] == sorted(
        [[place.name, place.country] for a in articles for place in a.places]
    )
