"""The cost of encryption at rest (issue 6 §5): open time, write throughput, reads and the
conversion, on a plain and a SQLCipher copy of the same demo database, in the same run.

- open: ``Database.open`` plus a first query, then close; "cold" as a new process pays it (the
  passphrase's key derivation, PBKDF2-HMAC-SHA512 × 256,000), "warm" with the derived key
  already known in the process (the session lock, a second window).
- writes: 1,000 audited single-note transactions (``cases.add_note``, one ``BEGIN IMMEDIATE``
  … ``COMMIT`` each, synchronous=FULL), and one transaction inserting 10,000 notes with
  their audit rows (``Tx.insert_many``), twice; in two rounds, plain first then encrypted
  first.
- reads: ``PRAGMA integrity_check`` (every page read and, encrypted, decrypted and
  HMAC-checked) and 50 searches.

The stdlib's SQLite may be older than the one inside sqlcipher3 (3.53), so a third copy runs
plain through sqlcipher3 without a key: ``ratio_*_same_lib`` is the encryption's own cost.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import ms, report

CASES = int(os.environ.get("BENCH_ENC_CASES", "2000"))
SINGLE = 1_000
BULK = 10_000
PASSPHRASE = "correct horse battery staple"
QUERIES = ["fent", "smug", "blaine", "seattle", "vance", "money", "courier", "port", "cash", "truck"] * 5


def main(cases: int = CASES) -> dict:
    from taskforce.domain.records import NoteData
    from taskforce.services import cases as case_service
    from taskforce.services import encryption
    from taskforce.services.context import Actor, Context
    from taskforce.services.demo import generate_demo
    from taskforce.services.search import search
    from taskforce.services.tx import utc_now, write
    from taskforce.store import cipher
    from taskforce.store import schema as S
    from taskforce.store.database import Database

    work = Path(tempfile.mkdtemp(prefix="tf-bench-encryption-"))
    plain = work / "plain" / "taskforce.sqlite"
    enc = work / "encrypted" / "taskforce.sqlite"
    plain.parent.mkdir()
    enc.parent.mkdir()
    db = Database.open(plain, create=True)
    generate_demo(Context(db, Actor("bench", "bench")), cases=cases, seed=1)
    db.close()

    # the conversion itself, on a third copy
    converting = work / "convert" / "taskforce.sqlite"
    converting.parent.mkdir()
    shutil.copyfile(plain, converting)
    ctx = Context(Database.open(converting), Actor("bench", "bench"))
    t = time.perf_counter()
    converted = encryption.encrypt(ctx, PASSPHRASE, remove_plain=True)
    convert_s = time.perf_counter() - t
    ctx.db.close()
    shutil.copyfile(converting, enc)

    def open_once(path: Path, passphrase: str | None, cold: bool) -> float:
        if cold:
            cipher._DERIVED.clear()  # noqa: SLF001 - as a new process: derive the key again
        start = time.perf_counter()
        db = Database.open(path, passphrase=passphrase)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM case_file").scalar()
        elapsed = time.perf_counter() - start
        db.close()
        return elapsed

    opens: dict[str, list[float]] = {"plain": [], "encrypted_cold": [], "encrypted_warm": []}
    for _ in range(7):  # alternating, so both see the same machine
        opens["plain"].append(open_once(plain, None, False))
        opens["encrypted_cold"].append(open_once(enc, PASSPHRASE, True))
        opens["encrypted_warm"].append(open_once(enc, PASSPHRASE, False))

    same_lib = work / "plain-sqlcipher-lib" / "taskforce.sqlite"
    same_lib.parent.mkdir()
    shutil.copyfile(plain, same_lib)
    ctxs = {kind: Context(Database.open(path, passphrase=passphrase), Actor("bench", "bench"))
            for kind, path, passphrase in (("plain", plain, None), ("encrypted", enc, PASSPHRASE),
                                           ("plain_sqlcipher_lib", same_lib, None))}
    _through_sqlcipher_library(ctxs["plain_sqlcipher_lib"].db)
    with ctxs["plain"].db.engine.connect() as conn:
        case_ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM case_file ORDER BY id LIMIT 200")]
    runs: dict[str, dict[str, list[float]]] = {k: {"single": [], "bulk": [], "check": [], "search": []}
                                               for k in ctxs}

    def workload(kind: str, round_: int) -> None:
        ctx, r = ctxs[kind], runs[kind]
        t = time.perf_counter()
        for i in range(SINGLE // 2):
            case_service.add_note(ctx, NoteData(case_id=case_ids[i % len(case_ids)],
                                                body=f"Surveillance note {round_}.{i}: vehicle seen at the port."))
        r["single"].append((time.perf_counter() - t) / (SINGLE // 2))
        rows = [{"case_id": case_ids[i % len(case_ids)], "body": f"Imported note {round_}.{i} from the tip line.",
                 "author": "bench", "written_at": utc_now(), "originating_agency_id": None}
                for i in range(BULK)]
        t = time.perf_counter()
        with write(ctx) as tx:
            tx.insert_many(S.case_note, rows, roots=[("case_file", row["case_id"]) for row in rows])
        r["bulk"].append(time.perf_counter() - t)
        t = time.perf_counter()
        with ctx.db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        r["check"].append(time.perf_counter() - t)
        for q in QUERIES:
            t = time.perf_counter()
            search(ctx, q, limit=50)
            r["search"].append(time.perf_counter() - t)

    # two rounds in alternating order (plain first, then encrypted first): neither gets the
    # warm-up or the cooler disk to itself
    for round_, order in enumerate((("plain", "encrypted", "plain_sqlcipher_lib"),
                                    ("plain_sqlcipher_lib", "encrypted", "plain"))):
        for kind in order:
            workload(kind, round_)
    figures: dict[str, dict] = {}
    for kind, ctx in ctxs.items():
        r = runs[kind]
        single = statistics.mean(r["single"])
        figures[kind] = {"single_tx_per_s": round(1 / single), "single_tx_ms": ms(single),
                         "bulk_10k_notes_ms": ms(statistics.mean(r["bulk"])),
                         "integrity_check_ms": ms(statistics.mean(r["check"])),
                         "search_median_ms": ms(statistics.median(r["search"])),
                         "size_mb": round(ctx.db.path.stat().st_size / 1_048_576, 1)}
        ctx.db.close()
    shutil.rmtree(work, ignore_errors=True)
    p, e = figures["plain"], figures["encrypted"]
    same = figures["plain_sqlcipher_lib"]
    median = {k: ms(statistics.median(v)) for k, v in opens.items()}
    return report(
        "encryption", cases=cases, sqlcipher=_sqlcipher_version(),
        open_plain_ms=median["plain"], open_encrypted_cold_ms=median["encrypted_cold"],
        open_encrypted_warm_ms=median["encrypted_warm"],
        plain=p, encrypted=e, plain_sqlcipher_lib=same,
        ratio_single_tx=round(p["single_tx_per_s"] / e["single_tx_per_s"], 2),
        ratio_bulk=round(e["bulk_10k_notes_ms"] / p["bulk_10k_notes_ms"], 2),
        ratio_integrity_check=round(e["integrity_check_ms"] / p["integrity_check_ms"], 2),
        ratio_search=round(e["search_median_ms"] / max(p["search_median_ms"], 0.001), 2),
        # the cost of the encryption alone: against the same SQLite (3.53, inside sqlcipher3)
        ratio_single_tx_same_lib=round(same["single_tx_per_s"] / e["single_tx_per_s"], 2),
        ratio_bulk_same_lib=round(e["bulk_10k_notes_ms"] / same["bulk_10k_notes_ms"], 2),
        ratio_integrity_check_same_lib=round(e["integrity_check_ms"] / same["integrity_check_ms"], 2),
        convert_ms=ms(convert_s), converted_rows=converted.rows,
    )


def _through_sqlcipher_library(db) -> None:  # noqa: ANN001 - a store.database.Database
    """Reopen a plain database's engine with sqlcipher3 and no key: the same SQLite library as
    the encrypted one (3.53; the stdlib's is older), so the ratio is the encryption's alone."""
    from sqlalchemy import create_engine, event

    from taskforce.store import cipher
    from taskforce.store import engine as E

    db.engine.dispose()
    path = db.path
    engine = create_engine(f"sqlite:///{path}", module=cipher.dbapi(),
                           creator=lambda: cipher.connect(path, None))
    event.listen(engine, "connect", E._on_connect)  # noqa: SLF001 - the app's own pragmas
    event.listen(engine, "begin", E._on_begin)  # noqa: SLF001
    db.engine = engine


def _sqlcipher_version() -> str:
    from taskforce.store import cipher

    conn = cipher.dbapi().connect(":memory:")
    try:
        return conn.execute("PRAGMA cipher_version").fetchone()[0]
    finally:
        conn.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else CASES)
