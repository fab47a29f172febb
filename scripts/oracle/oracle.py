#!/usr/bin/env python3
"""Independent oracle for `reseller-impact`, written only from /work/shared/PRODUCT.md.

Usage:
    oracle.py --offline A/vol03,A/vol07 [--offline A/vol09] [--offline-file F] --out DIR PATH...

Reads PATH... (files in the order given; a directory's .csv/.tsv/.xml files in
file-name order, not recursive), imports them into memory following the contract's
rules, and writes into DIR:

    analyze.json                 the `analyze --json` document
    affected-mailboxes.csv       `export affected-mailboxes` (all resellers, CSV)
    report/summary.json          same document as analyze.json
    report/resellers/<file-id>-affected-mailboxes.csv   for every reseller with status != none
    rejects.json                 the oracle's own reject list (debugging aid, not compared)
    import-summary.json          counts per entity (debugging aid, not compared)

Markdown drafts are NOT produced.  Exit codes follow the contract:
0 ok, 64 usage error (bad flag, unknown volume), 65 aborting bad input
(malformed XML, unrecognised file), 74 unreadable file.
Standard library only.  See AMBIGUITIES.md for every interpretation choice.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import xml.parsers.expat

EXIT_USAGE = 64
EXIT_DATA = 65
EXIT_IO = 74


class Abort(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# --------------------------------------------------------------------------- helpers

def clean(value):
    """Trim a field; empty (after trimming) counts as missing -> None."""
    if value is None:
        return None
    v = value.strip()
    return v if v else None


def norm_domain(value: str) -> str:
    """Lower-case (Unicode default case mapping) and drop ONE trailing dot."""
    v = value.lower()
    if v.endswith("."):
        v = v[:-1]
    return v


def norm_address(value: str):
    """Returns (normalised address, normalised domain) or None when the address
    does not contain exactly one '@'."""
    if value.count("@") != 1:
        return None
    local, dom = value.split("@")
    d = norm_domain(dom)
    return local.lower() + "@" + d, d


def bkey(s):
    return (s or "").encode("utf-8")


# --------------------------------------------------------------------------- model

class Store:
    ENTITIES = ("resellers", "customers", "domains", "mailboxes")

    def __init__(self):
        self.resellers = {}   # id -> dict(reseller_id, name, contact_email, contact_name, language)
        self.customers = {}   # id -> dict(customer_id, reseller_id, name, contact_email)
        self.domains = {}     # normalised domain -> dict(domain, customer_id)
        self.mailboxes = {}   # normalised address -> dict(address, domain, cluster, volume, size_mb)
        self.first_line = {e: {} for e in self.ENTITIES}  # key -> "file:line" of first accepted
        self.rejects = []
        self.accepted = {e: 0 for e in self.ENTITIES}
        self.entities_present = set()

    def reject(self, file, line, entity, reason):
        self.rejects.append({"file": file, "line": line, "entity": entity, "reason": reason})

    def _accept(self, entity, table, key, record, file, line):
        if key in table:
            self.reject(file, line, entity,
                        f"duplicate {entity[:-1]} {key!r}, first at {self.first_line[entity][key]}")
            return
        table[key] = record
        self.first_line[entity][key] = f"{file}:{line}"
        self.accepted[entity] += 1

    # Each add_* takes raw (untrimmed) values, None for absent columns/attributes.
    def add_reseller(self, file, line, reseller_id, name, contact_email, contact_name=None, language=None):
        rid, nm, em = clean(reseller_id), clean(name), clean(contact_email)
        missing = [n for n, v in (("reseller_id", rid), ("name", nm), ("contact_email", em)) if v is None]
        if missing:
            return self.reject(file, line, "resellers", "missing " + ", ".join(missing))
        rec = {"reseller_id": rid, "name": nm, "contact_email": em,
               "contact_name": clean(contact_name), "language": clean(language) or "en"}
        self._accept("resellers", self.resellers, rid, rec, file, line)

    def add_customer(self, file, line, customer_id, reseller_id, name, contact_email=None):
        cid, rid, nm = clean(customer_id), clean(reseller_id), clean(name)
        missing = [n for n, v in (("customer_id", cid), ("reseller_id", rid), ("name", nm)) if v is None]
        if missing:
            return self.reject(file, line, "customers", "missing " + ", ".join(missing))
        rec = {"customer_id": cid, "reseller_id": rid, "name": nm, "contact_email": clean(contact_email)}
        self._accept("customers", self.customers, cid, rec, file, line)

    def add_domain(self, file, line, domain, customer_id):
        d, cid = clean(domain), clean(customer_id)
        missing = [n for n, v in (("domain", d), ("customer_id", cid)) if v is None]
        if missing:
            return self.reject(file, line, "domains", "missing " + ", ".join(missing))
        nd = norm_domain(d)
        if not nd:
            return self.reject(file, line, "domains", "missing domain (empty after normalisation)")
        self._accept("domains", self.domains, nd, {"domain": nd, "customer_id": cid}, file, line)

    def add_mailbox(self, file, line, address, cluster, volume, size_mb=None):
        a, c, v = clean(address), clean(cluster), clean(volume)
        missing = [n for n, x in (("address", a), ("cluster", c), ("volume", v)) if x is None]
        if missing:
            return self.reject(file, line, "mailboxes", "missing " + ", ".join(missing))
        n = norm_address(a)
        if n is None:
            return self.reject(file, line, "mailboxes", f"address {a!r} does not contain exactly one '@'")
        addr, dom = n
        rec = {"address": addr, "domain": dom, "cluster": c, "volume": v, "size_mb": clean(size_mb)}
        self._accept("mailboxes", self.mailboxes, addr, rec, file, line)


# --------------------------------------------------------------------------- CSV

CSV_SCHEMAS = [  # detection order from the contract
    ("mailboxes", ["address", "cluster", "volume"], ["size_mb"]),
    ("domains", ["domain", "customer_id"], []),
    ("customers", ["customer_id", "reseller_id", "name"], ["contact_email"]),
    ("resellers", ["reseller_id", "name", "contact_email"], ["contact_name", "language"]),
]


def parse_delimited(text: str, delim: str):
    """RFC 4180 parser.  Yields (line_number, fields, error) per record.
    error is None or a reason string (the record is then rejected).
    Lines that are empty or only white space (outside any record) are skipped."""
    i, n, line = 0, len(text), 1
    while i < n:
        # skip a blank / whitespace-only line at a record boundary
        j = text.find("\n", i)
        end = n if j < 0 else j
        if text[i:end].strip() == "":
            i = end + 1
            line += 1
            continue
        start_line = line
        fields = []
        field = []
        error = None
        in_quotes = False
        at_field_start = True
        after_quote = False  # just closed a quoted field
        while True:
            if i >= n:
                if in_quotes:
                    error = "unterminated quote"
                break
            ch = text[i]
            if in_quotes:
                if ch == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        field.append('"')
                        i += 2
                        continue
                    in_quotes = False
                    after_quote = True
                    i += 1
                    continue
                if ch == "\n":
                    line += 1
                field.append(ch)
                i += 1
                continue
            # not in quotes
            if ch == "\n" or (ch == "\r" and i + 1 < n and text[i + 1] == "\n"):
                i += 2 if ch == "\r" else 1
                line += 1
                break
            if ch == delim:
                fields.append("".join(field))
                field = []
                at_field_start = True
                after_quote = False
                i += 1
                continue
            if ch == '"' and at_field_start:
                in_quotes = True
                at_field_start = False
                i += 1
                continue
            if after_quote or ch == '"':
                if error is None:
                    error = "stray quote"
            at_field_start = False
            field.append(ch)
            i += 1
        fields.append("".join(field))
        yield start_line, fields, error


def read_text(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise Abort(EXIT_IO, f"{path}:0:0: cannot read: {e}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise Abort(EXIT_DATA, f"{path}:{line}:{col}: not UTF-8: {e.reason}")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def import_delimited(store: Store, path: str, delim: str):
    text = read_text(path)
    records = parse_delimited(text, delim)
    header = None
    for line, fields, error in records:
        if header is None:
            if error is not None:
                raise Abort(EXIT_DATA, f"{path}:{line}:1: unreadable header ({error})")
            header = [h.strip().lower() for h in fields]
            entity = None
            for ent, req, opt in CSV_SCHEMAS:
                if all(r in header for r in req):
                    entity = (ent, req, opt)
                    break
            if entity is None:
                raise Abort(EXIT_DATA, f"{path}:{line}:1: header matches no known entity: {fields!r}")
            ent, req, opt = entity
            store.entities_present.add(ent)
            idx = {}
            for name in req + opt:
                if name in header:
                    idx[name] = header.index(name)  # first occurrence
            continue
        if error is not None:
            store.reject(path, line, ent, error)
            continue
        if len(fields) != len(header):
            store.reject(path, line, ent, f"expected {len(header)} fields, found {len(fields)}")
            continue
        vals = {k: fields[v] for k, v in idx.items()}
        g = vals.get
        if ent == "resellers":
            store.add_reseller(path, line, g("reseller_id"), g("name"), g("contact_email"),
                               g("contact_name"), g("language"))
        elif ent == "customers":
            store.add_customer(path, line, g("customer_id"), g("reseller_id"), g("name"), g("contact_email"))
        elif ent == "domains":
            store.add_domain(path, line, g("domain"), g("customer_id"))
        else:
            store.add_mailbox(path, line, g("address"), g("cluster"), g("volume"), g("size_mb"))
    if header is None:
        raise Abort(EXIT_DATA, f"{path}:1:1: empty file, no header")


# --------------------------------------------------------------------------- XML

class Node:
    __slots__ = ("tag", "attrs", "line", "children", "texts")

    def __init__(self, tag, attrs, line):
        self.tag, self.attrs, self.line = tag, attrs, line
        self.children, self.texts = [], []

    def text(self):
        # direct text and CDATA children only, joined, then trimmed
        return clean("".join(self.texts))

    def attr(self, name):
        return self.attrs.get(name)


def parse_xml(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise Abort(EXIT_IO, f"{path}:0:0: cannot read: {e}")
    p = xml.parsers.expat.ParserCreate()
    p.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack, root = [], []

    def start(tag, attrs):
        node = Node(tag, attrs, p.CurrentLineNumber)
        if stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(tag):
        stack.pop()

    def chars(data):
        if stack:
            stack[-1].texts.append(data)

    def no_entities(*a):
        raise Abort(EXIT_DATA, f"{path}:{p.CurrentLineNumber}:{p.CurrentColumnNumber + 1}: "
                               "entity declarations are not accepted")

    def no_external(*a):
        raise Abort(EXIT_DATA, f"{path}:{p.CurrentLineNumber}:{p.CurrentColumnNumber + 1}: "
                               "external entities are not accepted")

    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    p.EntityDeclHandler = no_entities
    p.ExternalEntityRefHandler = no_external
    try:
        p.Parse(data, True)
    except xml.parsers.expat.ExpatError as e:
        raise Abort(EXIT_DATA, f"{path}:{e.lineno}:{e.offset + 1}: malformed XML: "
                               f"{xml.parsers.expat.ErrorString(e.code)}")
    return root[0]


def import_xml(store: Store, path: str):
    root = parse_xml(path)
    if root.tag == "resellers":
        store.entities_present.update(("resellers", "customers", "domains"))
        for r in root.children:
            if r.tag != "reseller":
                continue
            rid = r.attr("id")
            name_el = next((c for c in r.children if c.tag == "name"), None)
            contact = next((c for c in r.children if c.tag == "contact"), None)
            store.add_reseller(path, r.line, rid, name_el.text() if name_el else None,
                               contact.attr("email") if contact else None,
                               contact.attr("name") if contact else None,
                               r.attr("language"))
            for c in r.children:
                if c.tag != "customer":
                    continue
                cid = c.attr("id")
                cname = next((x for x in c.children if x.tag == "name"), None)
                ccontact = next((x for x in c.children if x.tag == "contact"), None)
                store.add_customer(path, c.line, cid, rid, cname.text() if cname else None,
                                   ccontact.attr("email") if ccontact else None)
                for d in c.children:
                    if d.tag == "domain":
                        store.add_domain(path, d.line, d.text(), cid)
    elif root.tag == "mailboxes":
        store.entities_present.add("mailboxes")
        default_cluster = clean(root.attr("cluster"))
        for m in root.children:
            if m.tag != "mailbox":
                continue
            cluster = clean(m.attr("cluster")) or default_cluster
            store.add_mailbox(path, m.line, m.attr("address"), cluster, m.attr("volume"), m.attr("size_mb"))
    else:
        raise Abort(EXIT_DATA, f"{path}:{root.line}:1: unknown XML root element <{root.tag}>")


# --------------------------------------------------------------------------- input files

def expand_paths(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            names = [n for n in os.listdir(p)
                     if os.path.isfile(os.path.join(p, n))
                     and n.lower().endswith((".csv", ".tsv", ".xml"))]
            names.sort(key=lambda n: n.encode("utf-8"))
            files.extend(os.path.join(p, n) for n in names)
        elif os.path.exists(p):
            files.append(p)
        else:
            raise Abort(EXIT_IO, f"{p}:0:0: no such file or directory")
    return files


def import_paths(paths) -> Store:
    store = Store()
    for f in expand_paths(paths):
        low = f.lower()
        if low.endswith(".xml"):
            import_xml(store, f)
        elif low.endswith(".tsv"):
            import_delimited(store, f, "\t")
        else:
            import_delimited(store, f, ",")
    return store


# --------------------------------------------------------------------------- analysis

def parse_offline(specs, offline_file):
    items = []
    for s in specs or []:
        items.extend(x.strip() for x in s.split(","))
    if offline_file:
        try:
            with open(offline_file, encoding="utf-8-sig") as f:
                for ln in f:
                    ln = ln.split("#", 1)[0].strip()
                    if ln:
                        items.append(ln)
        except OSError as e:
            raise Abort(EXIT_IO, f"{offline_file}:0:0: cannot read: {e}")
    vols = set()
    for it in items:
        if not it:
            continue
        if "/" not in it:
            raise Abort(EXIT_USAGE, f"offline volume {it!r} is not CLUSTER/VOLUME")
        c, v = it.split("/", 1)
        c, v = c.strip(), v.strip()
        if not c or not v:
            raise Abort(EXIT_USAGE, f"offline volume {it!r} is not CLUSTER/VOLUME")
        vols.add((c, v))
    if not vols:
        raise Abort(EXIT_USAGE, "no offline volumes given")
    return vols


def resolve(store: Store, mb):
    """Linked records for a mailbox: (domain_rec, customer_rec, reseller_rec), each or None."""
    d = store.domains.get(mb["domain"])
    c = store.customers.get(d["customer_id"]) if d else None
    r = store.resellers.get(c["reseller_id"]) if c else None
    return d, c, r


def analyze(store: Store, offline):
    known = {(m["cluster"], m["volume"]) for m in store.mailboxes.values()}
    for c, v in sorted(offline, key=lambda cv: (bkey(cv[0]), bkey(cv[1]))):
        if (c, v) not in known:
            listed = sorted({vv for cc, vv in known if cc == c}, key=bkey)
            raise Abort(EXIT_USAGE, f"unknown volume {c}/{v}; known volumes of cluster {c}: "
                                    + (", ".join(listed) if listed else "(none)"))
    per_res = {rid: {"mb": 0, "aff": 0, "cust": {}} for rid in store.resellers}
    tot_mb = tot_aff = un_mb = un_aff = 0
    rows = []
    for mb in store.mailboxes.values():
        off = (mb["cluster"], mb["volume"]) in offline
        tot_mb += 1
        tot_aff += off
        d, c, r = resolve(store, mb)
        if r is None:
            un_mb += 1
            un_aff += off
        else:
            s = per_res[r["reseller_id"]]
            s["mb"] += 1
            s["aff"] += off
            cc = s["cust"].setdefault(c["customer_id"], [0, 0])
            cc[0] += 1
            cc[1] += off
        if off:
            rows.append({
                "address": mb["address"], "cluster": mb["cluster"], "volume": mb["volume"],
                "domain": d["domain"] if d else "",
                "customer_id": c["customer_id"] if c else "",
                "customer_name": c["name"] if c else "",
                "reseller_id": r["reseller_id"] if r else "",
                "reseller_name": r["name"] if r else "",
            })

    def status(total, aff):
        if total > 0 and aff == total:
            return "full"
        return "partial" if aff > 0 else "none"

    resellers = []
    counts = {"full": 0, "partial": 0, "none": 0}
    for rid in sorted(store.resellers, key=bkey):
        s = per_res[rid]
        st = status(s["mb"], s["aff"])
        counts[st] += 1
        cst = [status(t, a) for t, a in s["cust"].values()]
        resellers.append({
            "reseller_id": rid, "name": store.resellers[rid]["name"], "status": st,
            "mailboxes": s["mb"], "affected_mailboxes": s["aff"],
            "customers": sum(1 for t, _ in s["cust"].values() if t > 0),
            "customers_full": cst.count("full"), "customers_partial": cst.count("partial"),
        })
    doc = {
        "offline_volumes": sorted((f"{c}/{v}" for c, v in offline), key=bkey),
        "totals": {
            "mailboxes": tot_mb, "affected_mailboxes": tot_aff,
            "resellers_full": counts["full"], "resellers_partial": counts["partial"],
            "resellers_none": counts["none"],
            "unattributed_mailboxes": un_mb, "unattributed_affected_mailboxes": un_aff,
        },
        "resellers": resellers,
    }
    rows.sort(key=lambda r: (bkey(r["reseller_id"]), bkey(r["customer_id"]), bkey(r["address"])))
    return doc, rows


# --------------------------------------------------------------------------- outputs

EXPORT_COLUMNS = ["address", "cluster", "volume", "domain", "customer_id",
                  "customer_name", "reseller_id", "reseller_name"]


def csv_cell(v: str) -> str:
    if v and v[0] in "=+-@\t\r":
        v = "'" + v
    if any(ch in v for ch in ',"\r\n'):
        v = '"' + v.replace('"', '""') + '"'
    return v


def csv_bytes(rows) -> bytes:
    out = [",".join(EXPORT_COLUMNS)]
    for r in rows:
        out.append(",".join(csv_cell(r[c]) for c in EXPORT_COLUMNS))
    return ("\n".join(out) + "\n").encode("utf-8")


FILE_ID_OK = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z", re.ASCII)
FILE_ID_CHAR = re.compile(r"[A-Za-z0-9._-]", re.ASCII)


def file_id(rid: str) -> str:
    if FILE_ID_OK.match(rid):
        return rid
    chars = [ch if FILE_ID_CHAR.match(ch) else "_" for ch in rid]
    if chars and not (chars[0].isascii() and chars[0].isalnum()):
        chars[0] = "_"
    return "".join(chars) + "-" + hashlib.sha256(rid.encode("utf-8")).hexdigest()[:8]


def write_outputs(out, store, doc, rows):
    os.makedirs(os.path.join(out, "report", "resellers"), exist_ok=True)
    js = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    with open(os.path.join(out, "analyze.json"), "w", encoding="utf-8") as f:
        f.write(js)
    with open(os.path.join(out, "report", "summary.json"), "w", encoding="utf-8") as f:
        f.write(js)
    with open(os.path.join(out, "affected-mailboxes.csv"), "wb") as f:
        f.write(csv_bytes(rows))
    by_res = {}
    for r in rows:
        by_res.setdefault(r["reseller_id"], []).append(r)
    seen = {}
    for rs in doc["resellers"]:
        if rs["status"] == "none":
            continue
        fid = file_id(rs["reseller_id"])
        if fid in seen:
            print(f"oracle: warning: file-id collision {fid!r} for {seen[fid]!r} and {rs['reseller_id']!r}",
                  file=sys.stderr)
        seen[fid] = rs["reseller_id"]
        with open(os.path.join(out, "report", "resellers", fid + "-affected-mailboxes.csv"), "wb") as f:
            f.write(csv_bytes(by_res.get(rs["reseller_id"], [])))
    with open(os.path.join(out, "rejects.json"), "w", encoding="utf-8") as f:
        json.dump(store.rejects, f, ensure_ascii=False, indent=1)
    with open(os.path.join(out, "import-summary.json"), "w", encoding="utf-8") as f:
        json.dump({"accepted": store.accepted, "rejected": len(store.rejects),
                   "entities_present": sorted(store.entities_present)}, f, indent=1)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--offline", action="append", default=[])
    ap.add_argument("--offline-file")
    ap.add_argument("--out", required=True)
    ap.add_argument("paths", nargs="+")
    a = ap.parse_args(argv)
    try:
        store = import_paths(a.paths)
        offline = parse_offline(a.offline, a.offline_file)
        doc, rows = analyze(store, offline)
        write_outputs(a.out, store, doc, rows)
    except Abort as e:
        print(f"oracle: {e.message}", file=sys.stderr)
        return e.code
    print(f"oracle: accepted {store.accepted}, rejected {len(store.rejects)}; "
          f"{doc['totals']['affected_mailboxes']} affected of {doc['totals']['mailboxes']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
