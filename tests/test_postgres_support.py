"""The PostgreSQL fixture itself: the synthetic OMOP warehouse loaded as ``owner`` into schema
``cdm``, then read as ``reader``, who may read everything and change nothing."""

from __future__ import annotations

import time

import psycopg
import pytest
import sqlalchemy as sa

from tests.conftest import synthetic_omop
from tests.support_postgres import PostgresServer, postgres_server  # noqa: F401 (a fixture)

PERSONS = 10_000




@pytest.fixture(scope="module")
def loaded(postgres_server: PostgresServer):  # noqa: F811
    """(the server, the generated rows per table, seconds the load took)."""
    synthetic = synthetic_omop()
    data = synthetic.generate(PERSONS)
    engine = sa.create_engine(postgres_server.url("owner"))
    started = time.perf_counter()
    try:
        synthetic.create_and_load(engine, data, schema="cdm")
    finally:
        engine.dispose()
    return postgres_server, data.rows, time.perf_counter() - started


def test_server_roles(postgres_server: PostgresServer) -> None:  # noqa: F811
    assert postgres_server.host == "127.0.0.1"
    assert postgres_server.passwords["owner"] != postgres_server.passwords["reader"]
    [(superuser, owner)] = postgres_server.query(
        "SELECT r.rolsuper, pg_get_userbyid(d.datdba) FROM pg_roles r, pg_database d "
        "WHERE r.rolname = 'owner' AND d.datname = 'omop'")
    assert superuser and owner == "owner"
    [(reader_super,)] = postgres_server.query(
        "SELECT rolsuper FROM pg_roles WHERE rolname = 'reader'")
    assert reader_super is False
    # host connections need the password (scram-sha-256), the right one
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(host=postgres_server.host, port=postgres_server.port, user="reader",
                        dbname="omop", password="wrong", connect_timeout=5).close()
    [(method,)] = postgres_server.query(
        "SELECT DISTINCT auth_method FROM pg_hba_file_rules WHERE type = 'host'")
    assert method == "scram-sha-256"


def test_reader_reads_what_owner_loaded(loaded) -> None:
    server, rows, seconds = loaded
    assert seconds < 30, f"loading {PERSONS:,} persons took {seconds:.1f} s"
    engine = sa.create_engine(server.url("reader"))
    try:
        with engine.connect() as db:
            assert db.scalar(sa.text("SELECT current_user")) == "reader"
            tables = set(sa.inspect(db).get_table_names(schema="cdm"))
            assert tables == set(rows)
            for table, generated in rows.items():
                count = db.scalar(sa.text(f"SELECT count(*) FROM cdm.{table}"))
                assert count == len(generated), table
            assert db.scalar(sa.text("SELECT count(*) FROM cdm.person")) == PERSONS
            assert db.scalar(sa.text(
                "SELECT count(*) FROM cdm.person WHERE gender_concept_id = 8521")) == 3
            assert db.scalar(sa.text("SELECT count(*) FROM cdm.device_exposure")) == 7
    finally:
        engine.dispose()


@pytest.mark.parametrize("statement", [
    "INSERT INTO cdm.person (person_id, gender_concept_id, year_of_birth, race_concept_id, "
    "ethnicity_concept_id) VALUES (99999999, 8507, 1990, 8527, 38003564)",
    "UPDATE cdm.person SET year_of_birth = 1900",
    "DELETE FROM cdm.death",
    "DROP TABLE cdm.device_exposure",
    "CREATE TABLE cdm.extra (id integer)",
    "CREATE TABLE public.extra (id integer)",
    "CREATE SCHEMA extra",
])
def test_reader_changes_nothing(loaded, statement: str) -> None:
    server, rows, _ = loaded
    with server.connect(role="reader") as db, pytest.raises(
            psycopg.errors.InsufficientPrivilege):
        db.execute(statement)
    [(persons, deaths, devices)] = server.query(
        "SELECT (SELECT count(*) FROM cdm.person), (SELECT count(*) FROM cdm.death), "
        "(SELECT count(*) FROM cdm.device_exposure)")
    assert (persons, deaths, devices) == (PERSONS, len(rows["death"]), 7)


def test_tables_created_later_are_readable(postgres_server: PostgresServer) -> None:  # noqa: F811
    postgres_server.execute("CREATE SCHEMA later; CREATE TABLE later.t (id integer); "
                            "INSERT INTO later.t VALUES (1), (2)")
    try:
        with postgres_server.connect(role="reader") as db:
            assert db.execute("SELECT count(*) FROM later.t").fetchone() == (2,)
    finally:
        postgres_server.execute("DROP SCHEMA later CASCADE")
