"""Projects: where they live, how they are created and opened, and units of work."""

from __future__ import annotations

import os
import threading
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, event
from sqlmodel import Session, select

from gtcode.domain.levels import Prefixes
from gtcode.domain.limits import Limits
from gtcode.domain.records import ProjectInfo
from gtcode.services import blinding, roles
from gtcode.services.errors import GtcodeError, NoProject, StorageError, run
from gtcode.services.storage import create_database, open_database
from gtcode.store.engine import HEAD_REVISION
from gtcode.store.tables import CoderRow, ProjectRow

CONFIG_NAME = "gtcode.toml"
DATABASE_NAME = "gtcode.sqlite"
ENV_PROJECT = "GTCODE_PROJECT"
ENV_CODER = "GTCODE_CODER"


@dataclass
class Project:
    """An open project: its folder, database and the coder acting on it."""

    directory: Path
    url: str
    engine: Engine
    coder: str
    _prefixes: Prefixes | None = field(default=None, repr=False)
    limits: Limits = field(default_factory=Limits)  # what one imported file may bring in ([limits] in gtcode.toml)
    # called after each committed write with the names of the tables it touched (the TUI refreshes its screens)
    listeners: list[Callable[[frozenset[str]], None]] = field(default_factory=list, repr=False)
    # the page check (``pending_check``): set when none is under way; ``damaged`` is its refusal once it failed
    _checked: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    damaged: str | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._checked.set()

    def pending_check(self) -> Callable[[], None]:
        """The full check of the database's pages, to be run (in a worker: it reads the whole file) when the
        first screen is up; from now until it has run, writes wait for its verdict, and once it finds damage
        every write is refused with its one line (``StorageError``), as the file was refused before it opened.
        Reading goes on meanwhile (a damaged page fails the read that meets it, with the same kind of line)."""
        from gtcode.services.storage import verify

        self._checked.clear()

        def check() -> None:
            try:
                verify(self.engine, self.url)
            except StorageError as error:
                self.damaged = str(error)
                raise
            finally:
                self._checked.set()

        return check

    @contextmanager
    def write(self) -> Iterator[Session]:
        """The one unit of work that changes data, committed whole or not at all.

        It opens only inside a declared use case (``roles.use_case``): the acting coder's role is checked
        against it first (``roles.acting(session)`` is then their row), and every coding the session adds or
        moves is checked against the hold-out rule at each flush (``blinding.guard``)."""
        self._checked.wait()  # a page check under way: a write waits for its verdict
        if self.damaged is not None:
            raise StorageError(self.damaged)
        cases = roles.running_use_cases()
        touched: set[str] = set()
        with self._unit() as session:
            session.info[roles.ACTING] = roles.authorise(session, self.coder, cases)
            blinding.guard(session)
            _track_tables(session, touched)
            yield session
        if touched:  # committed: tell who listens (a refused unit changed nothing and says nothing)
            for listener in list(self.listeners):
                listener(frozenset(touched))

    @contextmanager
    def _unit(self) -> Iterator[Session]:
        """A writing transaction without the rules: only for creating a project (there is no coder yet)."""
        engine = self.engine.execution_options(gtcode_immediate=True)
        with _races_as_conflicts(), Session(engine, expire_on_commit=False) as session:
            with session.begin():
                yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work."""
        with Session(self.engine, expire_on_commit=False) as session:
            with session.begin():
                yield session

    @property
    def prefixes(self) -> Prefixes:
        if self._prefixes is None:
            with self.read() as session:
                self._prefixes = Prefixes.from_mapping(_project_row(session).prefixes)
        return self._prefixes

    def forget_cached(self) -> None:
        """Drop cached project settings after they change."""
        self._prefixes = None

    def info(self) -> ProjectInfo:
        with self.read() as session:
            row = _project_row(session)
            return ProjectInfo(row.name, _safe_url(self.url), dict(row.prefixes), row.phase, HEAD_REVISION)

    def close(self) -> None:
        self.engine.dispose()


WRITTEN = "gtcode_written_tables"  # session.info: the set of tables the unit of work writes


def note_written(session: Session, table: str) -> None:
    """Name ``table`` as written by a statement sent to the driver directly (which no session event sees)."""
    written = session.info.get(WRITTEN)
    if written is not None:
        written.add(table)


def _track_tables(session: Session, touched: set[str]) -> None:
    """Collect in ``touched`` the tables the session writes: ORM rows at each flush, Core and bulk statements
    as they run, and driver statements named by :func:`note_written`."""
    session.info[WRITTEN] = touched

    def flushed(session: Session, _context) -> None:
        for row in (*session.new, *session.dirty, *session.deleted):
            table = getattr(row, "__table__", None)
            if table is not None:
                touched.add(table.name)

    def executed(state) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            name = getattr(getattr(state.statement, "table", None), "name", None)
            if name:
                touched.add(name)

    event.listen(session, "after_flush", flushed)
    event.listen(session, "do_orm_execute", executed)


DUPLICATE_CODING = ("uq_coding_span_code_coder", "UNIQUE constraint failed: coding.document_id")  # PostgreSQL, SQLite
RACE_STATES = {"40001", "40P01", "23503", "23505"}  # serialization, deadlock, foreign key, unique (PostgreSQL)


@contextmanager
def _races_as_conflicts() -> Iterator[None]:
    """A unit of work that lost a race with another coder's becomes a Conflict (nothing of it was written)."""
    from sqlalchemy.exc import DBAPIError

    from gtcode.services.errors import Conflict

    try:
        yield
    except DBAPIError as error:
        if any(mark in str(error.orig) for mark in DUPLICATE_CODING):
            raise Conflict("that coder has coded this span with this code already (at the same moment): "
                           "nothing was saved") from error
        state = getattr(error.orig, "sqlstate", None)
        if state not in RACE_STATES and "database is locked" not in str(error.orig):
            raise
        raise Conflict(f"another coder changed the project at the same moment ({_first_line(error.orig)}): "
                       "nothing was saved, try again") from error


def _safe_url(url: str) -> str:
    """The URL without its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _project_row(session: Session) -> ProjectRow:
    row = session.exec(select(ProjectRow)).first()
    if row is None:
        raise GtcodeError(f"the database holds no gtcode project: {run('init')} to create one")
    return row


def project_row(session: Session) -> ProjectRow:
    """The single project row of a database."""
    return _project_row(session)


def init_project(directory: str | Path, name: str | None = None, db_url: str | None = None,
                 coder: str | None = None, prefixes: dict[str, str] | None = None) -> Project:
    """Create a project in DIRECTORY; by default an SQLite file inside it."""
    return create_project(directory, name, db_url, coder, prefixes)[0]


def create_project(directory: str | Path, name: str | None = None, db_url: str | None = None,
                   coder: str | None = None, prefixes: dict[str, str] | None = None,
                   populate: Callable[[Session, Project], object] | None = None) -> tuple[Project, object]:
    """Create a project, filled by ``populate`` in the same transaction; ``gtcode.toml`` is written last.

    Until that file exists the folder is no project, so an interrupted creation can simply be run again.
    """
    directory = Path(directory).resolve()
    if (directory / CONFIG_NAME).exists():
        raise GtcodeError(f"{directory} already holds a gtcode project: open it, or choose another folder")
    if directory.exists() and not directory.is_dir():
        raise GtcodeError(f"{directory} is a file: give a folder for the project")
    checked = Prefixes.from_mapping(prefixes)
    if db_url is not None:
        check_database_url(db_url, "--db")
    directory.mkdir(parents=True, exist_ok=True)
    url = db_url or f"sqlite:///{directory / DATABASE_NAME}"
    engine = create_database(url)
    coder = coder or os.environ.get(ENV_CODER) or "me"
    project = Project(directory, url, engine, coder)
    try:
        with project._unit() as session:
            if session.exec(select(ProjectRow)).first() is not None:
                raise GtcodeError(f"the database {_safe_url(url)} already holds a project: give an empty database")
            session.add(ProjectRow(name=name or directory.name, prefixes=checked.as_mapping(), default_coder=coder))
            session.add(CoderRow(name=coder, role="owner"))
            session.flush()
            result = None
            if populate is not None:  # the new owner acts, under the same rules as any write
                session.info[roles.ACTING] = roles.authorise(session, coder, ())
                blinding.guard(session)
                result = populate(session, project)
        _write_config(directory, url if not _is_local(url, directory) else None)
    except BaseException:
        engine.dispose()
        raise
    return project, result


def _is_local(url: str, directory: Path) -> bool:
    return url == f"sqlite:///{directory / DATABASE_NAME}"


def _write_config(directory: Path, url: str | None) -> None:
    from gtcode.text.files import atomic_write

    from sqlalchemy.engine import make_url

    lines = ["# gtcode project", "[project]"]
    if url:
        lines.append(f'database = "{url}"')
    private = bool(url) and make_url(url).password is not None  # a server's password: readable by its owner only
    atomic_write(directory / CONFIG_NAME, ("\n".join(lines) + "\n").encode("utf-8"), 0o600 if private else None)


def locate_project(explicit: str | Path | None = None) -> Path:
    """The project folder from --project, else $GTCODE_PROJECT, else the current folder or a parent."""
    given = explicit or os.environ.get(ENV_PROJECT)
    if given:
        path = Path(given).resolve()
        if not (path / CONFIG_NAME).is_file():
            raise NoProject(f"{path} is not a gtcode project (no {CONFIG_NAME}): {run('init', given)} first", path)
        return path
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise NoProject(f"no gtcode project here: pass --project DIR, set GTCODE_PROJECT, or {run('init')}",
                    new_project_folder(here))


NEW_PROJECT_FOLDER = "study"  # offered for a new project inside a folder that is not empty


def new_project_folder(here: Path) -> Path:
    """The folder to offer for a new project from ``here``: itself when empty, else a new ``study`` folder in it
    (``study-2``, ... when that is taken by something other than a project)."""
    if not here.exists() or not any(here.iterdir()):
        return here
    candidate, number = here / NEW_PROJECT_FOLDER, 2
    while candidate.exists() and not (candidate / CONFIG_NAME).is_file():
        candidate, number = here / f"{NEW_PROJECT_FOLDER}-{number}", number + 1
    return candidate


@dataclass(frozen=True)
class Config:
    """A project's checked ``gtcode.toml``: where its database is and its reading limits."""

    url: str
    limits: Limits


def read_config(folder: Path) -> Config:
    """The settings in ``folder/gtcode.toml``, each checked; a bad one is one GtcodeError line naming it."""
    path = folder / CONFIG_NAME
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise GtcodeError(f"{path} is not valid TOML: {_first_line(error)}; fix or recreate it") from error
    except OSError as error:
        raise GtcodeError(f"{path} cannot be read ({error.strerror or error}): check its permissions") from error
    settings = config.get("project", {})
    if not isinstance(settings, dict):
        raise GtcodeError(f"{path}: `project` must be a table ([project]); fix the file")
    url = settings.get("database")
    if url is None:
        url = f"sqlite:///{folder / DATABASE_NAME}"
    else:
        check_database_url(url, f"{path}: database")
    return Config(url, Limits.from_mapping(config.get("limits"), str(path)))


def check_database_url(url: object, where: str) -> str:
    """``url`` when it names an SQLite file or a PostgreSQL database (psycopg), else a GtcodeError line."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    example = "use sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DB"
    if not isinstance(url, str) or not url.strip():
        raise GtcodeError(f"{where} = {url!r} is not a database URL: {example}")
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise GtcodeError(f"{where} = {url!r} is not a database URL: {example}") from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql") or \
            parsed.get_driver_name() not in ("pysqlite", "psycopg"):
        raise GtcodeError(f"{where} = {_safe_url(url)!r}: gtcode stores projects in SQLite or PostgreSQL "
                          f"(driver psycopg) only: {example}")
    return url


def open_project(directory: str | Path | None = None, coder: str | None = None) -> Project:
    """Open the project at DIRECTORY (or the located one), migrating an older schema."""
    folder = locate_project(directory)
    config = read_config(folder)
    url = config.url
    engine = open_database(url)
    project = Project(folder, url, engine, coder or "", limits=config.limits)
    if not project.coder:
        with project.read() as session:
            project.coder = os.environ.get(ENV_CODER) or _project_row(session).default_coder
    return project


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
