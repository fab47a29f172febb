#!/usr/bin/env python3
"""Compare the product's outputs with the oracle's (standard library only).

    compare.py ORACLE_DIR PRODUCT_DIR

ORACLE_DIR is an `oracle.py --out` directory: analyze.json, affected-mailboxes.csv, report/.
PRODUCT_DIR holds analyze.json (stdout of `analyze --json`), export.csv
(`export affected-mailboxes --out`) and report/ (`report --out`).
Exit 0 when everything compared is equal, 1 otherwise.  Markdown files are only
checked for presence, never for content.
"""

from __future__ import annotations

import difflib
import json
import os
import sys

MAX_SHOWN = 25


class Diffs:
    def __init__(self):
        self.count = 0
        self.notes = 0

    def fail(self, section, msg):
        self.count += 1
        if self.count <= MAX_SHOWN * 4:
            print(f"  DIFF [{section}] {msg}")

    def info(self, section, msg):
        self.notes += 1
        if self.notes <= MAX_SHOWN:
            print(f"  note [{section}] {msg}")


def load_json(path, d, section):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        d.fail(section, f"missing file {path}")
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        d.fail(section, f"{path} is not valid JSON: {e}")
    return None


def cmp_value(exp, act, path, d, section, shown):
    if shown[0] >= MAX_SHOWN:
        if exp != act:
            shown[0] += 1
        return
    if isinstance(exp, dict) and isinstance(act, dict):
        for k in exp:
            if k not in act:
                shown[0] += 1
                d.fail(section, f"{path}.{k}: missing (expected {exp[k]!r})")
            else:
                cmp_value(exp[k], act[k], f"{path}.{k}", d, section, shown)
        for k in act:
            if k not in exp:
                d.info(section, f"{path}.{k}: extra key in product output (allowed): {act[k]!r:.80}")
        return
    if isinstance(exp, list) and isinstance(act, list):
        if len(exp) != len(act):
            shown[0] += 1
            d.fail(section, f"{path}: length {len(act)}, expected {len(exp)}")
        for i, (e, a) in enumerate(zip(exp, act)):
            cmp_value(e, a, f"{path}[{i}]", d, section, shown)
        return
    if type(exp) is not type(act) or exp != act:
        shown[0] += 1
        d.fail(section, f"{path}: got {act!r}, expected {exp!r}")


def cmp_analyze(exp, act, d, section):
    if exp is None or act is None:
        return
    if not isinstance(act, dict):
        d.fail(section, f"top level is {type(act).__name__}, expected object")
        return
    shown = [0]
    for k in ("offline_volumes", "totals"):
        if k not in act:
            d.fail(section, f"missing key {k!r}")
        else:
            cmp_value(exp[k], act[k], k, d, section, shown)
    for k in act:
        if k not in exp:
            d.info(section, f"extra top-level key in product output (allowed): {k!r}")
    if "resellers" not in act or not isinstance(act["resellers"], list):
        d.fail(section, "missing or non-list 'resellers'")
        return
    er, ar = exp["resellers"], act["resellers"]
    eids = [r["reseller_id"] for r in er]
    aids = [r.get("reseller_id") if isinstance(r, dict) else None for r in ar]
    missing = [i for i in eids if i not in set(aids)]
    extra = [i for i in aids if i not in set(eids)]
    for i in missing[:MAX_SHOWN]:
        d.fail(section, f"resellers: missing reseller {i!r}")
    for i in extra[:MAX_SHOWN]:
        d.fail(section, f"resellers: unexpected reseller {i!r}")
    if len(missing) > MAX_SHOWN or len(extra) > MAX_SHOWN:
        d.fail(section, f"resellers: {len(missing)} missing, {len(extra)} unexpected in total")
    if len(aids) != len(set(aids)):
        d.fail(section, "resellers: a reseller_id appears more than once")
    common = [i for i in aids if i in set(eids)]
    if common != [i for i in eids if i in set(aids)]:
        d.fail(section, "resellers: not in the expected order (UTF-8 byte order of reseller_id); "
                        f"first product ids: {common[:8]!r}")
    by_id = {r.get("reseller_id"): r for r in ar if isinstance(r, dict)}
    for r in er:
        a = by_id.get(r["reseller_id"])
        if a is not None:
            cmp_value(r, a, f"resellers[{r['reseller_id']!r}]", d, section, shown)
    if shown[0] > MAX_SHOWN:
        d.fail(section, f"... {shown[0]} value differences in total")


def cmp_bytes(exp_path, act_path, d, section):
    try:
        with open(exp_path, "rb") as f:
            e = f.read()
    except FileNotFoundError:
        d.fail(section, f"oracle file missing: {exp_path}")
        return
    try:
        with open(act_path, "rb") as f:
            a = f.read()
    except FileNotFoundError:
        d.fail(section, f"missing file {act_path}")
        return
    if e == a:
        return
    hints = []
    if a.startswith(b"\xef\xbb\xbf") and a[3:] == e:
        hints.append("only difference: product writes a UTF-8 BOM")
    if a.replace(b"\r\n", b"\n") == e.replace(b"\r\n", b"\n"):
        hints.append("equal after normalising CRLF to LF (line-end convention differs)")
    if a.rstrip(b"\r\n") == e.rstrip(b"\r\n"):
        hints.append("differs only in the final line end")
    el = e.decode("utf-8", "replace").split("\n")
    al = a.decode("utf-8", "replace").split("\n")
    msg = f"{os.path.basename(act_path)}: {len(a)} bytes / {len(al)} lines, expected {len(e)} bytes / {len(el)} lines"
    if hints:
        msg += " (" + "; ".join(hints) + ")"
    d.fail(section, msg)
    shown = 0
    for ln in difflib.unified_diff(el, al, "expected (oracle)", "product", n=1, lineterm=""):
        print("      " + repr(ln)[1:-1] if ln[:1] in "+- " and not ln.startswith(("+++", "---")) else "      " + ln)
        shown += 1
        if shown >= 30:
            print("      ...")
            break
    es, as_ = set(el[1:]), set(al[1:])
    only_e, only_a = len(es - as_), len(as_ - es)
    if only_e or only_a:
        print(f"      {only_e} expected lines absent, {only_a} unexpected lines present "
              "(lines of multi-line records counted separately)")
    else:
        print("      same set of lines: order differs")


def list_files(root):
    out = set()
    for dp, dn, fn in os.walk(root):
        for f in fn:
            out.add(os.path.relpath(os.path.join(dp, f), root).replace(os.sep, "/"))
    return out


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    o, p = argv[1], argv[2]
    d = Diffs()

    print("== analyze --json")
    exp = load_json(os.path.join(o, "analyze.json"), d, "analyze")
    act = load_json(os.path.join(p, "analyze.json"), d, "analyze")
    cmp_analyze(exp, act, d, "analyze")

    print("== export affected-mailboxes (byte for byte)")
    cmp_bytes(os.path.join(o, "affected-mailboxes.csv"), os.path.join(p, "export.csv"), d, "export")

    print("== report: file list")
    orep, prep = os.path.join(o, "report"), os.path.join(p, "report")
    ofiles = list_files(orep)
    expected = {"summary.json", "summary.md"}
    for f in ofiles:
        if f.endswith("-affected-mailboxes.csv"):
            expected.add(f)
            expected.add(f[: -len("-affected-mailboxes.csv")] + ".md")
    actual = list_files(prep) if os.path.isdir(prep) else set()
    if not os.path.isdir(prep):
        d.fail("report", f"missing directory {prep}")
    for f in sorted(expected - actual)[:MAX_SHOWN]:
        d.fail("report", f"missing {f}")
    for f in sorted(actual - expected)[:MAX_SHOWN]:
        d.fail("report", f"unexpected {f}")
    if len(expected ^ actual) > MAX_SHOWN:
        d.fail("report", f"{len(expected - actual)} missing, {len(actual - expected)} unexpected in total")

    print("== report: per-reseller CSVs (byte for byte)")
    before = d.count
    for f in sorted(ofiles):
        if f.endswith(".csv") and f in actual:
            cmp_bytes(os.path.join(orep, f), os.path.join(prep, f), d, f"report/{f}")
            if d.count - before > MAX_SHOWN:
                print("  ... stopping per-reseller comparison")
                break

    print("== report: summary.json")
    cmp_analyze(exp, load_json(os.path.join(prep, "summary.json"), d, "summary.json"), d, "summary.json")

    if d.count:
        print(f"FAIL: {d.count} difference(s)")
        return 1
    print("OK: product matches the oracle")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
