#!/usr/bin/env python3
"""Hostile and broken input against the built binary: every case must end with the documented
exit code and message shape within 10 s and 512 MB, and a failed import must leave the
previous database byte-for-byte as it was.

    python3 scripts/hostile-corpus.py [--bin PATH] [--keep DIR]

The corpus is made fresh in a temporary folder (nothing is read from the network or the
working tree); a baseline database is imported first from a small valid data set.
Exit 0 when every case behaves, 1 otherwise. Needs GNU time (/usr/bin/time) for memory.
"""
import argparse, hashlib, os, re, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCATED = re.compile(r"^.+:\d+:\d+: error: \S")
PLAIN = re.compile(r"^error: \S")

BASE = {
    "1-resellers.csv": "reseller_id,name,contact_email\nR1,North,noc@n.example\nR2,South,noc@s.example\n",
    "2-customers.csv": "customer_id,reseller_id,name\nC1,R1,Acme\nC2,R2,Beta\n",
    "3-domains.csv": "domain,customer_id\nacme.example,C1\nbeta.example,C2\n",
    "4-mailboxes.csv": "address,cluster,volume\n" + "".join(
        f"u{i}@{'acme' if i % 2 else 'beta'}.example,A,vol0{i % 3}\n" for i in range(40)),
}


def xml_cases(d):
    """(name, content bytes) of XML documents that must abort with exit 65."""
    secret = os.path.join(d, "secret.txt")
    with open(secret, "w") as f:
        f.write("TOP-SECRET-XXE-CANARY\n")
    lol = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    return [
        ("xxe-file.xml", f'<?xml version="1.0"?>\n<!DOCTYPE m [<!ENTITY x SYSTEM "file://{secret}">]>\n'
                         f'<mailboxes cluster="A"><mailbox address="a@acme.example" volume="&x;"/></mailboxes>\n'),
        ("xxe-http.xml", '<!DOCTYPE m [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>\n'
                         '<mailboxes cluster="A"><mailbox address="&x;" volume="v"/></mailboxes>\n'),
        ("external-dtd.xml", f'<!DOCTYPE mailboxes SYSTEM "file://{secret}">\n'
                             '<mailboxes cluster="A"><mailbox address="a@acme.example" volume="v"/></mailboxes>\n'),
        ("parameter-entity.xml", f'<!DOCTYPE m [<!ENTITY % p SYSTEM "file://{secret}"> %p;]>\n<mailboxes/>\n'),
        ("billion-laughs.xml", f'<!DOCTYPE m [<!ENTITY l0 "lol">{lol}]>\n'
                               '<mailboxes cluster="A"><mailbox address="&l9;@x" volume="v"/></mailboxes>\n'),
        ("quadratic-blowup.xml", '<!DOCTYPE m [<!ENTITY a "' + "x" * 50000 + '">]>\n<mailboxes cluster="A">'
                                 '<mailbox address="' + "&a;" * 100000 + '" volume="v"/></mailboxes>\n'),
        ("not-well-formed.xml", "<resellers>\n  <reseller id=\"R9\">\n</resellers>\n"),
        ("truncated.xml", '<mailboxes cluster="A">\n  <mailbox address="a@acme.example" volume="v1"/>\n  <mailbox addr'),
        ("wrong-root.xml", "<inventory><item/></inventory>\n"),
        ("unknown-child.xml", '<mailboxes cluster="A"><box address="a@x" volume="v"/></mailboxes>\n'),
        ("deep-nesting.xml", "<resellers><reseller id=\"R1\">" + "<x>" * 200 + "</x>" * 200 + "</reseller></resellers>\n"),
        ("attribute-50mb.xml", '<mailboxes cluster="A"><mailbox address="' + "a" * (50 << 20) + '@x" volume="v"/></mailboxes>\n'),
        ("invalid-utf8.xml", b'<mailboxes cluster="A"><mailbox address="caf\xe9@x.example" volume="v"/></mailboxes>\n'),
        ("empty.xml", ""),
    ], "TOP-SECRET-XXE-CANARY"


def csv_cases():
    """(name, content, expected exit, what must hold)."""
    header = "address,cluster,volume\n"
    rows = "".join(f"u{i}@acme.example,A,vol0{i % 3}\n" for i in range(40))
    half = rows[: len(rows) * 2 // 5 + 7]  # cut mid-row, like an interrupted transfer
    return [
        ("unterminated-quote-eof.csv", header + rows + '"never@closed.example,A,vol01\n', 0, "reject"),
        ("bare-cr.csv", header + rows + "cr@acme.example,A,vol01\rnext@acme.example,A,vol01\n", 0, "reject"),
        ("mixed-line-ends.csv", header + rows.replace("\n", "\r\n", 10), 0, "clean"),
        ("latin1.csv", (header + rows).encode() + b"caf\xe9@acme.example,A,vol01\n", 0, "reject"),
        ("nul-byte.csv", (header + rows).encode() + b"n\x00l@acme.example,A,vol01\n", 0, "reject"),
        ("duplicate-header.csv", "address,cluster,volume,Address\n" + rows, 65, "error"),
        ("missing-header-column.csv", "address,cluster\n" + rows, 65, "error"),
        ("empty.csv", "", 65, "error"),
        ("header-only.csv", header, 65, "error"),
        ("cut-in-half.csv", header + half, 65, "error"),
        ("field-200mb.csv", None, 0, "reject"),  # written by streaming below
    ]


def digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def run(binary, args, cwd):
    started = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", binary] + args, cwd=cwd, capture_output=True, timeout=60)
    elapsed = time.monotonic() - started
    err = p.stderr.decode("utf-8", "replace").rstrip("\n").split("\n")
    rss_kb = int(err[-1]) if err and err[-1].isdigit() else -1
    return p.returncode, "\n".join(err[:-1]), elapsed, rss_kb


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build/release/reseller-impact"))
    ap.add_argument("--keep")
    a = ap.parse_args()
    if not os.access(a.bin, os.X_OK):
        a.bin = os.path.join(ROOT, ".build/debug/reseller-impact")
    d = a.keep or tempfile.mkdtemp(prefix="hostile-")
    os.makedirs(d, exist_ok=True)
    base = os.path.join(d, "base")
    os.makedirs(base, exist_ok=True)
    for name, text in BASE.items():
        with open(os.path.join(base, name), "w") as f:
            f.write(text)
    db = os.path.join(d, "db.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    code, err, _, _ = run(a.bin, ["import", "--db", db, base], d)
    if code != 0:
        print("baseline import failed:", err)
        return 1
    pristine = os.path.join(d, "pristine.sqlite")
    shutil.copy(db, pristine)
    failures = 0
    cases, canary = xml_cases(d)
    plan = [(n, c, 65, "error") for n, c in cases] + csv_cases()
    for name, content, expected, kind in plan:
        path = os.path.join(d, name)
        if name == "field-200mb.csv":
            with open(path, "w") as f:
                f.write("address,cluster,volume\nbig@acme.example,A,\"")
                chunk = "x" * (1 << 20)
                for _ in range(200):
                    f.write(chunk)
                f.write("\"\n" + "".join(f"u{i}@acme.example,A,vol0{i % 3}\n" for i in range(40)))
        else:
            with open(path, "wb") as f:
                f.write(content if isinstance(content, bytes) else content.encode())
        shutil.copy(pristine, db)
        before = digest(db)
        code, err, elapsed, rss = run(a.bin, ["import", "--db", db, path], d)
        first = err.split("\n")[0] if err else ""
        problems = []
        if code != expected:
            problems.append(f"exit {code}, expected {expected}")
        if elapsed > 10:
            problems.append(f"took {elapsed:.1f} s")
        if rss > 512 * 1024:
            problems.append(f"peak RSS {rss // 1024} MB")
        if canary in err:
            problems.append("the XXE target's text appears in the message")
        if kind == "error":
            if not (LOCATED.match(first) or PLAIN.match(first)):
                problems.append(f"message shape: {first!r}")
            if digest(db) != before:
                problems.append("the database changed")
        elif kind == "reject":
            rejects = subprocess.run([a.bin, "rejects", "--db", db], capture_output=True, text=True, errors="replace")
            if rejects.returncode != 0 or ":" not in rejects.stdout:
                problems.append("no reject recorded")
            dump = subprocess.run(["sqlite3", db, "SELECT address FROM mailbox"], capture_output=True)
            if b"\xef\xbf\xbd" in dump.stdout or b"\x00" in dump.stdout:
                problems.append("corrupted text stored")
        integrity = subprocess.run(["sqlite3", db, "PRAGMA integrity_check"], capture_output=True, text=True).stdout.strip()
        if integrity != "ok":
            problems.append(f"integrity_check: {integrity}")
        status = "ok  " if not problems else "FAIL"
        failures += bool(problems)
        print(f"{status} {name:28} exit {code:3}  {elapsed:5.2f} s  {max(rss, 0) // 1024:4} MB  {first[:110]}")
        for p in problems:
            print(f"       - {p}")
    print(f"{len(plan) - failures} passed, {failures} failed")
    if not a.keep:
        shutil.rmtree(d, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
