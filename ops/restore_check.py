"""`make restore-check`: the backup drill of docs/backup.md, end to end.

A source database (omcs_restore_src) gets the catalogue and the demo, its evidence files in a
media folder of its own; `pg_dump -Fc` and a tar of the media folder are the backup. They are
restored into a fresh database (omcs_restore_dst) and a fresh folder, every table's rows are
counted on both sides, every media file compared, and the demo is crawled on the restored copy as
its ambassador, its coordinator and its admin (config/tests/crawling.py): every page must answer
2xx or 3xx, and every evidence file must download with the bytes it had. Prints what it checked;
exits 1 on any difference. Needs PostgreSQL (pg_dump, pg_restore); no broker: tasks run inline.

    .venv/bin/python -m ops.restore_check [--keep]
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from ops.processes import database_drop, database_recreate, database_url, manage

SOURCE, TARGET = "omcs_restore_src", "omcs_restore_dst"
PASSWORD = "demo-omcs-2026"  # noqa: S105 - the demo's published password
CRAWLS = (("emb.lima", "/inicio/", ""), ("coord.sur", "/panel/", ""), ("admin", "/admin/", "/admin/"))


def environment(database, media):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "REDIS_"))}
    env.update(
        DEBUG="1",  # the crawl's test client; the data, not the deployment, is what is checked here
        DATABASE_URL=database_url(database),
        MEDIA_ROOT=str(media),
        CELERY_TASK_ALWAYS_EAGER="1",
        EMAIL_URL="dummymail://",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def back_up(folder):
    """The source installation and its backup: (dump file, media archive)."""
    media = folder / "source-media"
    env = environment(SOURCE, media)
    database_recreate(SOURCE)
    manage("migrate", "--no-input", "-v0", env=env)
    manage("load_gazetteer", env=env)
    manage("load_demo", "--skip-reports", env=env)
    dump, archive = folder / "omcs.dump", folder / "media.tar.gz"
    subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", dump, database_url(SOURCE)], check=True)
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(media, arcname=".")
    return dump, archive


def restore(folder, dump, archive):
    """Into a database and a folder that did not exist: the restored media folder."""
    database_recreate(TARGET)
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "-d", database_url(TARGET), dump], check=True
    )  # fmt: skip
    media = folder / "restored-media"
    media.mkdir()
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(media, filter="data")
    return media


def row_counts(database):
    import psycopg2

    connection = psycopg2.connect(database_url(database))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            tables = [name for (name,) in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from pg_tables
                counts[table] = cursor.fetchone()[0]
            return counts
    finally:
        connection.close()


def digests(folder):
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def log_in(client, username):
    """The real login: password, then the demo's TOTP code for those who have a second factor."""
    from ambassadors.demo import DEMO_TOTP_SECRET
    from ops.web import totp

    answer = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    if answer.status_code != 302:
        raise AssertionError(f"{username} could not log in: {answer.status_code}")
    if "/codigo/" in answer["Location"]:
        answer = client.post("/accounts/login/codigo/", {"code": totp(DEMO_TOTP_SECRET)})
        if answer.status_code != 302 or "/codigo/" in answer["Location"]:
            raise AssertionError(f"{username}'s code was refused")


def crawl_restored():
    """Rows of (what, problems): each member of the cast's crawl, then the evidence downloads."""
    from django.test import Client

    from commitments.models import Evidence
    from config.tests.crawling import crawl

    rows, clients = [], {}
    for username, start, stay_under in CRAWLS:
        client = clients[username] = Client()
        log_in(client, username)
        pages = crawl(client, start, stay_under=stay_under)
        bad = [f"{url} {response.status_code}" for url, response in pages.items() if response.status_code >= 400]
        rows.append((f"crawl as {username}: {len(pages)} pages from {start}, each 2xx/3xx", bad))
    # The admin's session of the crawl: a second login in the same 30 s would reuse its TOTP code,
    # which the second factor refuses (a code counts once).
    client = clients["admin"]
    evidence = list(Evidence.objects.exclude(file="").order_by("pk"))
    bad = []
    for item in evidence:
        response = client.get(f"/evidencias/{item.pk}/descargar/")
        body = b"".join(response.streaming_content) if response.status_code == 200 else b""
        with item.file.open("rb") as stored:
            if response.status_code != 200 or body != stored.read() or not body:
                bad.append(f"evidence {item.pk} {response.status_code}")
    rows.append((f"as admin: {len(evidence)} evidence files downloaded, bytes as stored", bad))
    if not evidence:
        rows.append(("the demo has evidence files", ["none found"]))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep both databases and the folder")
    args = parser.parse_args(argv)
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="omcs-restorecheck-"))
    try:
        dump, archive = back_up(folder)
        backed_up = time.monotonic()
        media = restore(folder, dump, archive)
        restored = time.monotonic()
        source_rows, target_rows = row_counts(SOURCE), row_counts(TARGET)
        source_files, target_files = digests(folder / "source-media"), digests(media)
        os.environ.update(environment(TARGET, media))
        import django

        django.setup()
        crawls = crawl_restored()
        timings = {"backup": backed_up - started, "restore": restored - backed_up}
        timings["crawl"] = time.monotonic() - restored
        return report(source_rows, target_rows, source_files, target_files, crawls, dump, archive, timings)
    finally:
        if not args.keep:
            database_drop(SOURCE)
            database_drop(TARGET)
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"Kept: databases {SOURCE} and {TARGET}, folder {folder}")


def report(source_rows, target_rows, source_files, target_files, crawls, dump, archive, timings):
    tables = sorted(source_rows.keys() | target_rows.keys())
    different = [table for table in tables if source_rows.get(table) != target_rows.get(table)]
    names = sorted(source_files.keys() | target_files.keys())
    files_differ = [name for name in names if source_files.get(name) != target_files.get(name)]
    print("\nOMCS restore-check: pg_dump -Fc and a tar of MEDIA_ROOT, restored into a fresh database and folder")
    print(f"  dump {dump.stat().st_size / 1024:.0f} KiB, media archive {archive.stat().st_size / 1024:.0f} KiB")
    print(
        f"  tables: {len(source_rows)} in the source, {len(target_rows)} restored, {sum(target_rows.values())} rows;"
        f" tables whose row count differs: {', '.join(different) or 'none'}"
    )
    print(
        f"  media files: {len(source_files)} in the source, {len(target_files)} restored;"
        f" missing or different: {', '.join(files_differ[:10]) or 'none'}"
    )
    for what, problems in crawls:
        print(f"  {what}: {'ok' if not problems else 'FAILED ' + ', '.join(problems[:10])}")
    print("  " + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in timings.items()))
    failed = bool(different or files_differ or not source_rows or any(problems for _what, problems in crawls))
    print(f"\nrestore-check: {'FAILED' if failed else 'the restored copy is whole and works'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
