#!/usr/bin/env python3
"""Deterministic edge-case data set for `reseller-impact` (standard library only).

    make_edge_dataset.py --out DIR [--mailboxes 60000] [--seed 1]

Writes
    DIR/dataset/    the import input (XML, CSV and TSV files; read as one directory,
                    in file-name order).  No file here aborts the import.
    DIR/offline.txt offline volumes (comments, blank lines, a duplicate entry)
    DIR/aborting/   small files that must each abort an import on their own, with README.md
    DIR/README.md   what is where

Then, e.g.:
    scripts/check-oracle.sh DIR/dataset DIR/offline.txt
"""

from __future__ import annotations

import argparse
import os
import random

CLUSTERS = {
    "A": [f"vol{i:02d}" for i in range(1, 9)],
    "B": [f"vol{i:02d}" for i in range(1, 7)],
    "C": [f"vol{i:02d}" for i in range(1, 5)],
}
# Same volume names in two clusters: A/vol04 online, B/vol04 offline; A/vol03 offline, B/vol03 online.
OFFLINE = [("A", "vol03"), ("A", "vol05"), ("A", "vol07"), ("B", "vol04")]
OFFLINE_TXT = """# incident 2026-11-29 — cluster A storage failure
# one CLUSTER/VOLUME per line; '#' starts a comment

A/vol03   # rebuilt first
   A/vol05

\t
A/vol07#no space before the comment
# cluster B lost one volume too (B/vol03 is fine, only the name is shared with A)
B/vol04
A/vol03   # listed twice on purpose
"""


def q(v: str, delim: str) -> str:
    """Quote a cell for an input file when RFC 4180 requires it."""
    if any(ch in v for ch in (delim, '"', "\r", "\n")):
        return '"' + v.replace('"', '""') + '"'
    return v


class Table:
    """An input CSV/TSV file under construction: header, rows (as raw lines) and options."""

    def __init__(self, name, header, delim=",", eol="\n", bom=False, mixed_eol=False):
        self.name, self.delim, self.eol, self.bom, self.mixed = name, delim, eol, bom, mixed_eol
        self.header_line = header
        self.lines = []  # raw record text without line end

    def add(self, *fields, raw=None):
        self.lines.append(raw if raw is not None else self.delim.join(q(f, self.delim) for f in fields))

    def write(self, d, rng):
        out = [self.header_line]
        out += self.lines
        parts = []
        for i, ln in enumerate(out):
            eol = self.eol
            if self.mixed and i % 7 == 3:
                eol = "\r\n" if eol == "\n" else "\n"
            parts.append(ln + eol)
            if i % 997 == 500:
                parts.append(self.eol)           # empty line
            if i % 1499 == 700:
                parts.append("   \t " + self.eol)  # white-space-only line
        text = "".join(parts)
        data = text.encode("utf-8")
        if self.bom:
            data = b"\xef\xbb\xbf" + data
        with open(os.path.join(d, self.name), "wb") as f:
            f.write(data)


def xa(v: str) -> str:
    return (v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def xt(v: str) -> str:
    return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mangle_case(rng, s):
    r = rng.random()
    if any(ch in s for ch in "σςßΣİı"):
        return s  # case round trips are not identities here; the targeted cases cover them
    if r < 0.6:
        return s
    if r < 0.8:
        return s.upper()
    return "".join(ch.upper() if rng.random() < 0.5 else ch for ch in s)


def maybe_dot(rng, s, p=0.1):
    return s + "." if rng.random() < p else s


def pad(rng, s, p=0.08):
    if rng.random() < p:
        return rng.choice([" ", "  ", "\t"]) + s + rng.choice(["", " ", "   "])
    return s


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--mailboxes", type=int, default=60000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    rng = random.Random(a.seed)
    out = a.out
    ds = os.path.join(out, "dataset")
    ab = os.path.join(out, "aborting")
    os.makedirs(ds, exist_ok=True)
    os.makedirs(ab, exist_ok=True)

    # ------------------------------------------------------------------ outputs under construction
    xml_res = []      # list of reseller XML blocks for 01-resellers.xml
    res_csv = Table("02-resellers.csv", "reseller_id,name,contact_email,contact_name,language",
                    eol="\r\n", bom=True)
    res_tsv = Table("03-resellers.tsv", " Reseller_ID \tNAME\tContact_Email\tnotes", delim="\t")
    cust_tsv = Table("04-customers.tsv", "customer_id\treseller_id\tname\tcontact_email\tcomment",
                     delim="\t")
    cust_csv = Table("05-customers.csv", "Name,Customer_ID,Reseller_ID", eol="\r\n", mixed_eol=True)
    dom_csv = Table("06-domains.csv", "customer_id,domain", bom=True)
    mb_xml = {"A": [], "B": []}  # 07-mailboxes-A.xml, 08-mailboxes-B.xml (lines)
    mb_csv = Table("09-mailboxes.csv", "volume,Address,CLUSTER,size_mb,owner_note", eol="\r\n",
                   bom=True, mixed_eol=True)
    mb_tsv = Table("10-mailboxes.tsv", "address\tcluster\tvolume", delim="\t")
    tail_csv = Table("11-tail-mailboxes.csv", "address,cluster,volume")
    late_xml = []     # 12-resellers-late.xml blocks

    n_mailboxes = 0

    def emit_mailbox(addr, cluster, volume, where=None, size=None):
        """Write one mailbox row into one of the mailbox files."""
        nonlocal n_mailboxes
        n_mailboxes += 1
        where = where or rng.choices(["xml", "csv", "tsv"], [0.45, 0.35, 0.20])[0]
        if where == "xml":
            if cluster in mb_xml and rng.random() < 0.85:
                c_attr = rng.choice(["", "", "", ' cluster=""', ' cluster="  "', f' cluster="{cluster}"'])
                mb_xml[cluster].append(f'  <mailbox address="{xa(addr)}"{c_attr} volume="{xa(volume)}"/>')
            else:
                other = "B" if cluster == "A" else "A"
                mb_xml[other].append(
                    f'  <mailbox volume="{xa(volume)}" cluster="{xa(cluster)}" address="{xa(addr)}"/>')
        elif where == "csv":
            sz = size if size is not None else rng.choice(["", str(rng.randint(1, 50000))])
            mb_csv.add(pad(rng, volume), pad(rng, addr), cluster, sz, rng.choice(["", "", "note, with comma"]))
        else:
            mb_tsv.add(pad(rng, addr), cluster, pad(rng, volume))

    # ------------------------------------------------------------------ special cases first
    # (They go in front of / between the regular rows; order inside files matters for duplicates.)

    # Resellers whose ids need hashing or the formula guard, or differ only in case.
    special_resellers = [
        ("R/77", "Slash Reseller", "xml"),
        ("ü-1", "Ümlaut Hosting GmbH", "xml"),
        (".hidden", "Hidden Dot", "csv"),
        ("-x", "-Minus Hosting", "csv"),
        ("_under", "Underscore Ltd", "tsv"),
        ("R 1", "Space In Id", "csv"),
        ("=SUM(1+1)", '=HYPERLINK("http://evil.example","click")', "csv"),
        ("@home", "@At Home", "xml"),
        ("+plus", "+1 Mail", "tsv"),
        ("rx-7", "lower rx", "csv"),
        ("RX-7", "upper RX", "csv"),
        ("R-MARKUP", "<b>Bold</b> & | pipes `tick` <script>", "xml"),
        ("R-QUOTE", 'The "Best", Mail', "csv"),
        ("R-NL", "Line one\r\nLine two (CRLF kept)", "csv"),
        ("R-NL2", "Line one\nLine two (LF kept)", "tsv"),
        ("R-PAD", "  padded inside quotes  ", "csv"),
    ]
    # Resellers with zero mailboxes.
    zero_resellers = [("R-EMPTY", "No Customers At All"), ("R-EMPTYCUST", "Customer Without Domains"),
                      ("R-NOMB", "Domain Without Mailboxes")]

    cust_counter = [0]

    def new_cid(prefix="C"):
        cust_counter[0] += 1
        return f"{prefix}{cust_counter[0]:06d}"

    dom_counter = [0]
    uni_domains = ["exämple-{}.test", "straße-{}.test", "ελλασ-{}.test", "türkiye-{}.test", "пример-{}.test"]

    def new_domain():
        dom_counter[0] += 1
        n = dom_counter[0]
        if rng.random() < 0.06:
            return rng.choice(uni_domains).format(n)
        return f"d{n}.example"

    def volume_for(home, mode):
        if mode == "full":
            return rng.choice(OFFLINE)
        if mode == "safe":
            return "C", rng.choice(CLUSTERS["C"])
        cl = home if rng.random() < 0.9 else rng.choice(sorted(CLUSTERS))
        return cl, rng.choice(CLUSTERS[cl])

    local_names = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
                   "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter",
                   "ärger", "zoë", "ßtraße", "Ωμέγα", "info", "admin", "noc"]

    def mailboxes_for_domain(dom, k, home, mode):
        for j in range(k):
            local = rng.choice(local_names) + str(j)
            if rng.random() < 0.02:
                local = rng.choice(["-", "=", "+"]) + local  # formula-guard cells
            addr = mangle_case(rng, local) + "@" + maybe_dot(rng, mangle_case(rng, dom), 0.05)
            cl, vol = volume_for(home, mode)
            emit_mailbox(addr, cl, vol)

    def reseller_block(rid_attr, name_xml, contact_xml, customers_xml, lang=None):
        lang_attr = f' language="{lang}"' if lang is not None else ""
        idattr = f' id="{xa(rid_attr)}"' if rid_attr is not None else ""
        return (f"  <reseller{idattr}{lang_attr}>\n{name_xml}{contact_xml}{customers_xml}  </reseller>\n")

    def customer_block(cid_attr, name_xml, domains, contact_email=None):
        idattr = f' id="{xa(cid_attr)}"' if cid_attr is not None else ""
        s = f"    <customer{idattr}>\n{name_xml}"
        if contact_email:
            s += f'      <contact email="{xa(contact_email)}"/>\n'
        for d in domains:
            s += f"      <domain>{xt(d)}</domain>\n"
        return s + "    </customer>\n"

    def nm(v, indent=4):
        return " " * indent + f"<name>{xt(v)}</name>\n"

    # --- reseller "regular" generator, shared by specials and bulk
    def make_reseller(rid, name, src, n_customers, mode, home, mb_scale=1.0):
        email = f"noc@{rid.lower().replace('/', '-').replace(' ', '-')}.example"
        custs_xml = ""
        for _ in range(n_customers):
            cid = new_cid()
            cname = rng.choice(["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Müller & Söhne",
                                "Smith, Jones", 'The "Q" Co', "=cmd|' /C calc'!A0", "+44 Ltd",
                                "@mention", "-minus"]) + f" {cid}"
            ndom = rng.choice([1, 1, 1, 2, 2, 3])
            doms = [new_domain() for _ in range(ndom)]
            cust_in_xml = src == "xml" and rng.random() < 0.8
            dom_nested = []
            for d in doms:
                shown = maybe_dot(rng, mangle_case(rng, d))
                if cust_in_xml and rng.random() < 0.85:
                    dom_nested.append(pad(rng, shown))
                else:
                    dom_csv.add(pad(rng, cid), shown)
                k = max(0, int(rng.choice([1, 2, 3, 5, 8, 13, 21]) * mb_scale * rng.uniform(0.5, 1.5)))
                mailboxes_for_domain(d, k, home, mode)
            if cust_in_xml:
                custs_xml += customer_block(cid, nm(cname, 6), dom_nested,
                                            rng.choice([None, f"it@{doms[0]}"]))
            elif rng.random() < 0.7:
                cust_tsv.add(pad(rng, cid), pad(rng, rid), cname, rng.choice(["", f"it@{doms[0]}"]),
                             rng.choice(["", "vip"]))
            else:
                cust_csv.add(cname, cid, rid)
        lang = rng.choice([None, "en", "de", ""])
        if src == "xml":
            xml_res.append(reseller_block(rid, nm(name), f'    <contact name="Ops" email="{xa(email)}"/>\n',
                                          custs_xml, lang))
        elif src == "tsv":
            res_tsv.add(pad(rng, rid), name, email, "")
        else:
            res_csv.add(pad(rng, rid), name, email, rng.choice(["", "Jane Roe", "Roe, Jane"]), lang or "")

    for rid, name, src in special_resellers:
        make_reseller(rid, name, src, 3, "mixed", "A")
    # a fully hit special and a safe one
    make_reseller("ü-full", "Fully Hit Ünicode", "xml", 2, "full", "A")
    make_reseller("R-SAFE", "Safe On Cluster C", "csv", 2, "safe", "C")

    # zero-mailbox resellers
    xml_res.append(reseller_block("R-EMPTY", nm("No Customers At All"),
                                  '    <contact email="e@empty.example"/>\n', ""))
    res_csv.add("R-EMPTYCUST", "Customer Without Domains", "e@ec.example", "", "")
    cust_tsv.add("C-NODOM", "R-EMPTYCUST", "Has No Domains", "", "")
    res_tsv.add("R-NOMB", "Domain Without Mailboxes", "e@nomb.example", "")
    cust_csv.add("Domain But No Mailbox", "C-NOMB", "R-NOMB")
    dom_csv.add("C-NOMB", "no-mailboxes.example")

    # --- duplicates where a rejected first row must not claim the key
    res_csv.add("R-DUP1", "First Row Missing Email", "", "", "")          # rejected: missing contact_email
    res_csv.add(raw="R-DUP3,Wrong Field Count,x@dup3.example")            # rejected: 3 of 5 fields
    res_csv.add(raw="R-DUP3b,Too Many,x@dup3.example,,,extra")            # rejected: 6 of 5 fields
    cust_tsv.add("C-DUP1", "R-DUP1", "", "", "")                          # rejected: missing name
    dom_csv.add("C-DUP1", "  ")                                            # rejected: missing domain
    dom_csv.add("", "dup1.example")                                        # rejected: missing customer_id
    # XML reseller without name (rejected) whose nested customer is accepted; the reseller id is
    # later provided by the CSV file -> customer attributed to the CSV reseller.
    xml_res.append(reseller_block(
        "R-DUP2", "", '    <contact email="x@dup2.example"/>\n',
        customer_block("C-DUP2", nm("Nested Under Rejected Reseller", 6), ["Dup2.Example."])))
    # XML reseller without name; no other R-ORPH anywhere -> its customer's reseller is unknown.
    xml_res.append(reseller_block(
        "R-ORPH", nm("   ", 4), '    <contact email="x@orph.example"/>\n',
        customer_block("C-ORPH", nm("Orphaned Customer", 6), ["orph.example"])))
    # <reseller id=""> -> rejected; nested customer rejected (missing reseller_id); its domain is
    # accepted (its parent customer has an id) but points at an unknown customer.
    xml_res.append(reseller_block(
        "", nm("Empty Id Attribute"), '    <contact email="x@noid.example"/>\n',
        customer_block("C-NOID", nm("Under Empty Reseller Id", 6), ["noid.example"])))
    # customer with id="" -> rejected; its nested domain -> rejected (missing customer_id)
    xml_res.append(reseller_block(
        "R-EMPTYCID", nm("Has A Customer With Empty Id"), '    <contact email="x@ecid.example"/>\n',
        customer_block("", nm("No Id", 6), ["ecid.example"])
        + customer_block("C-ECID2", nm("Second, Valid", 6), ["ecid2.example"])))
    # reseller with no contact element -> rejected (missing contact_email); no other R-NOCONTACT
    xml_res.append(reseller_block("R-NOCONTACT", nm("No Contact"), "",
                                  customer_block("C-NOCONTACT", nm("Cust Of No Contact", 6), [])))
    # XML text forms: CDATA, comment, entities, child element inside <name> (ambiguous join)
    xml_res.append(reseller_block(
        "R-XMLTEXT1", "    <name>  Alpha <![CDATA[<Beta> & ]]><!-- ignored -->Gamma &amp; &#x3A9;  </name>\n",
        '    <contact name="" email="  x@xmltext.example  "/>\n',
        customer_block("C-XMLTEXT1", "      <name>\n        Multi\n        Line\n      </name>\n",
                       ["xmltext1.example"])))
    xml_res.append(reseller_block(
        "R-XMLTEXT2", "    <name>Outer <b>Inner</b> Tail</name>\n",
        '    <contact email="x@xmltext2.example"/>\n',
        customer_block("C-XMLTEXT2", nm("Child Element In Reseller Name", 6), ["xmltext2.example"])))
    # attributes with padding
    xml_res.append(reseller_block(
        "  R-ATTRPAD  ", nm("Padded Id Attribute"), '    <contact email="x@attrpad.example"/>\n',
        customer_block("  C-ATTRPAD ", nm("Padded Customer Id", 6), ["  AttrPad.Example.  "])))

    for d, k in (("dup2.example", 4), ("orph.example", 5), ("noid.example", 3), ("ecid.example", 2),
                 ("ecid2.example", 3), ("xmltext1.example", 3), ("xmltext2.example", 3),
                 ("attrpad.example", 4)):
        mailboxes_for_domain(d, k, "A", "mixed")
    # valid R-DUP1 / R-DUP3 / R-DUP2 rows come after their rejected twins
    res_csv.add("R-DUP1", "Second Row Wins", "ok@dup1.example", "", "")
    res_csv.add("R-DUP2", "Provided By CSV After Rejected XML", "ok@dup2.example", "", "")
    res_csv.add("R-DUP3", "Right Field Count", "ok@dup3.example", "", "")
    cust_tsv.add("C-DUP1", "R-DUP1", "Valid After Missing Name", "", "")
    dom_csv.add("C-DUP1", "DUP1.example")
    mailboxes_for_domain("dup1.example", 6, "A", "mixed")

    # --- broken links
    cust_tsv.add("C-UNKRES", "R-DOES-NOT-EXIST", "Customer Of Unknown Reseller", "", "")
    dom_csv.add("C-UNKRES", "unkres.example")
    mailboxes_for_domain("unkres.example", 7, "A", "mixed")
    dom_csv.add("C-DOES-NOT-EXIST", "orphan-domain.example")
    mailboxes_for_domain("orphan-domain.example", 6, "A", "mixed")
    mailboxes_for_domain("no-domain-record.example", 8, "A", "mixed")
    mailboxes_for_domain("no-domain-record-b.example", 3, "B", "full")

    # --- Unicode case mapping
    uni_res_customers = ""
    for cid, dom in (("C-UNI1", "EXÄMPLE.com"), ("C-UNI2", "ΕΛΛΑΣ.example."), ("C-UNI3", "TÜRKİYE.example"),
                     ("C-UNI4", "straße.example"), ("C-UNI5", "STRASSE.example"), ("C-UNI6", "kelvin.example")):
        uni_res_customers += customer_block(cid, nm(f"Unicode {dom}", 6), [dom])
    xml_res.append(reseller_block("R-UNI", nm("Unicode Domains"), '    <contact email="u@uni.example"/>\n',
                                  uni_res_customers))
    for addr, cl, vol, where in (
            ("ÄBC@Exämple.COM.", "A", "vol03", "csv"),
            ("äbc2@EXÄMPLE.com", "A", "vol01", "xml"),
            ("ΟΔΟΣ@ΕΛΛΑΣ.EXAMPLE", "A", "vol05", "tsv"),    # final sigma in the local part
            ("ΣΟΦΙΑ@ελλασ.example.", "A", "vol02", "xml"),
            ("İNCİ@TÜRKİYE.Example", "A", "vol07", "csv"),  # dotted capital I -> i + U+0307
            ("ayse@Türkiye.Example", "A", "vol07", "tsv"),  # plain I: türkiye != türki̇ye -> no domain record
            ("STRAẞE@straße.example", "A", "vol03", "xml"),  # capital sharp s -> ß
            ("Strasse@STRASSE.example", "A", "vol03", "tsv"),  # different domain, not case-folded
            ("kelvin@\u212aelvin.example", "A", "vol05", "csv"),  # KELVIN SIGN -> k
            ("ÅSA@KELVIN.EXAMPLE.", "A", "vol01", "xml")):
        emit_mailbox(addr, cl, vol, where)

    # --- a plain reseller owning the domains the mailbox edge cases use
    res_csv.add("R-EDGE", "Edge Cases Inc", "e@edge.example", "", "")
    cust_tsv.add("C-EDGE", "R-EDGE", "Edge Customer", "", "")
    dom_csv.add("C-EDGE", "Edge.Example")
    dom_csv.add("C-EDGE", "edge2.example.")
    # --- bad addresses and missing mailbox fields
    for addr, cl, vol, where in (
            ("no-at-sign.example", "A", "vol03", "csv"),
            ("two@at@signs.example", "A", "vol03", "tsv"),
            ("@nolocal.example", "A", "vol03", "csv"),       # ambiguous: empty local part
            ("nodomain@", "A", "vol03", "tsv"),              # ambiguous: empty domain
            ("missing-cluster@edge.example", "", "vol03", "csv"),
            ("missing-volume@edge.example", "A", "  ", "tsv"),
            ("", "A", "vol03", "csv"),
            ("=cmd@edge.example", "A", "vol03", "csv"),
            ("+sum@edge.example", "A", "vol05", "tsv"),
            ("-dash@edge.example", "A", "vol07", "xml"),
            ("online@edge.example", "A", "vol01", "xml")):
        emit_mailbox(addr, cl, vol, where)
    mb_xml["A"].append('  <mailbox address="empty-volume@edge.example" volume=""/>')   # rejected
    mb_xml["A"].append('  <mailbox volume="vol03"/>')                                # rejected
    mb_csv.add(raw="vol03,too-few@edge.example,A")                                     # wrong count
    mb_csv.add(raw="vol03,too-many@edge.example,A,1,,extra")                           # wrong count
    # bad first row, good duplicate later (XML file 07 is read before CSV 09)
    mb_xml["A"].append('  <mailbox address="later-wins@edge.example" volume=""/>')
    mb_csv.add("vol05", "Later-Wins@Edge.example.", "A", "", "")
    # good first row wins over a later one with another case / trailing dot / volume
    mb_xml["A"].append('  <mailbox address="First-Wins@EDGE2.example" volume="vol03"/>')
    mb_csv.add("vol01", "first-wins@edge2.example.", "A", "", "")
    mb_tsv.add("FIRST-WINS@EDGE2.EXAMPLE", "B", "vol04")
    n_mailboxes += 10

    # --- duplicates of regular keys across files and formats (filled in after bulk generation)
    # ------------------------------------------------------------------ bulk
    bulk_ids = []
    i = 0
    while n_mailboxes < a.mailboxes - 400:
        i += 1
        rid = f"R{10000 + i}"
        if i % 97 == 0:
            rid = f"r{10000 + i}"  # lower-case ids sort after all upper-case ones
        src = rng.choices(["xml", "csv", "tsv"], [0.5, 0.4, 0.1])[0]
        mode = rng.choices(["mixed", "full", "safe"], [0.88, 0.06, 0.06])[0]
        home = rng.choices(["A", "B", "C"], [0.55, 0.3, 0.15])[0]
        ncust = rng.choice([0, 1, 1, 2, 3, 4, 5, 6, 8]) if rng.random() < 0.97 else 0
        name = rng.choice(["Northwind", "Contoso", "Fabrikam", "Tailspin", "Wingtip", "Ünsere Mail",
                           "Mail, Inc.", 'Say "Hi"', "Zeta"]) + f" Hosting {i}"
        make_reseller(rid, name, src, ncust, mode, home)
        bulk_ids.append((rid, src))

    # ------------------------------------------------------------------ shuffle row order a little
    # (keep the hand-placed rejected-then-valid pairs in order: only the bulk tail is shuffled)
    for t in (cust_tsv, dom_csv, mb_tsv):
        head, tail = t.lines[:60], t.lines[60:]
        rng.shuffle(tail)
        t.lines = head + tail
    for c in ("A", "B"):
        head, tail = mb_xml[c][:40], mb_xml[c][40:]
        rng.shuffle(tail)
        mb_xml[c] = head + tail

    # duplicates of regular keys in later files / other formats (all rejected)
    for rid, src in bulk_ids[:40]:
        if src == "xml":
            res_csv.add(rid, "DUPLICATE MUST NOT WIN", "dup@dup.example", "", "")
        else:  # 12-resellers-late.xml is read after the CSV/TSV files
            late_xml.append(reseller_block(rid, nm("DUPLICATE MUST NOT WIN"),
                                           '    <contact email="dup@dup.example"/>\n', ""))
    # late XML: a duplicate reseller (rejected) whose nested customers are accepted and linked to
    # the first reseller with that id; and a duplicate customer/domain pointing elsewhere.
    first_xml = next(r for r, s in bulk_ids if s == "xml")
    late_cust = customer_block("C-LATE1", nm("Late Customer Of Duplicate Reseller", 6), ["late1.example"])
    late_cust += customer_block("C000001", nm("DUPLICATE CUSTOMER MUST NOT WIN", 6),
                                ["EDGE.EXAMPLE.", "late2.example"])
    late_xml.append(reseller_block(first_xml, nm("DUPLICATE RESELLER MUST NOT WIN"),
                                   '    <contact email="dup@late.example"/>\n', late_cust))
    for d, k in (("late1.example", 5), ("late2.example", 4)):
        mailboxes_for_domain(d, k, "A", "mixed")
    cust_tsv.add("C000002", "R-EMPTY", "DUPLICATE CUSTOMER MUST NOT WIN", "", "")
    cust_csv.add("DUPLICATE CUSTOMER MUST NOT WIN", "C000003", "R-EMPTY")
    dom_csv.add("C-NOMB", "EDGE2.Example.")  # duplicate domain -> rejected (edge2.example owned by C-EDGE)

    # unterminated quote in the last data file: the rest of the file is one rejected record
    tail_csv.add("tail1@edge.example", "A", "vol03")
    tail_csv.add("tail2@edge.example", "B", "vol04")
    tail_csv.add(raw='"unterminated@edge.example,A,vol03')
    tail_csv.add("swallowed1@edge.example", "A", "vol03")
    tail_csv.add("swallowed2@edge.example", "A", "vol05")

    # ------------------------------------------------------------------ write
    with open(os.path.join(ds, "01-resellers.xml"), "w", encoding="utf-8", newline="") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<!-- reseller export -->\n'
                '<resellers generated="2026-11-28T23:00:00Z">\n')
        f.write("".join(xml_res))
        f.write("</resellers>\n")
    for t in (res_csv, res_tsv, cust_tsv, cust_csv, dom_csv, mb_csv, mb_tsv, tail_csv):
        t.write(ds, rng)
    for c, fname, eol in (("A", "07-mailboxes-A.xml", "\n"), ("B", "08-mailboxes-B.xml", "\r\n")):
        with open(os.path.join(ds, fname), "w", encoding="utf-8", newline="") as f:
            f.write(f'\ufeff<?xml version="1.0" encoding="UTF-8"?>{eol}' if c == "B"
                    else f'<?xml version="1.0"?>{eol}')
            f.write(f'<mailboxes cluster="{c}">{eol}')
            f.write(eol.join(mb_xml[c]) + eol)
            f.write(f"</mailboxes>{eol}")
    with open(os.path.join(ds, "12-resellers-late.xml"), "w", encoding="utf-8", newline="") as f:
        f.write("<resellers>\n" + "".join(late_xml) + "</resellers>\n")
    with open(os.path.join(out, "offline.txt"), "w", encoding="utf-8", newline="") as f:
        f.write(OFFLINE_TXT)

    write_aborting(ab)
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:
        f.write(f"""# Edge-case data set (seed {a.seed}, ~{n_mailboxes} mailbox rows)

- `dataset/` — import input; read it as one directory (file-name order). Nothing here aborts.
  Contains rejected rows of every kind, duplicates across files/formats, broken links,
  Unicode case mapping, formula-guard cells, reseller ids that need file-id hashing, and
  resellers `rx-7` / `RX-7` that differ only in case (their report files differ only in case:
  use a case-sensitive file system).
- `offline.txt` — offline volumes with comments, blank lines and a duplicate entry.
- `aborting/` — files that must each abort an import on their own; see its README.md.

Compare product and oracle with `scripts/check-oracle.sh {out}/dataset {out}/offline.txt`.
""")
    print(f"wrote {out}: ~{n_mailboxes} mailbox rows, {i} bulk resellers")


def write_aborting(ab):
    files = {
        "malformed.xml": ('<resellers>\n  <reseller id="R1">\n    <name>Broken</name>\n'
                          '  </reseler>\n</resellers>\n',
                          "Mismatched end tag on line 4: not well-formed. Import aborts with "
                          "`malformed.xml:4:COLUMN`, exit 65, database unchanged."),
        "truncated.xml": ('<mailboxes cluster="A">\n  <mailbox address="a@b.example" volume="vol01"/>\n'
                          '  <mailbox address="c@d.example" vol',
                          "Ends in the middle of a tag: not well-formed. Abort, exit 65, database unchanged."),
        "unknown-header.csv": ("foo,bar,baz\n1,2,3\n",
                               "Header matches no entity (mailboxes, domains, customers, resellers). "
                               "Expected (oracle's reading): the file cannot be imported -> abort, exit 65."),
        "unknown-root.xml": ('<inventory><item id="1"/></inventory>\n',
                             "Root element is neither <resellers> nor <mailboxes>. Oracle's reading: abort, exit 65."),
        "external-entity.xml": ('<?xml version="1.0"?>\n<!DOCTYPE resellers [\n'
                                '  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
                                '<resellers><reseller id="R1"><name>&xxe;</name>'
                                '<contact email="a@b.example"/></reseller></resellers>\n',
                                "External entity: must never be resolved (no /etc/passwd content in the "
                                "database). Oracle refuses entity declarations -> abort, exit 65. A product "
                                "that instead ignores the entity must at least not read the file."),
        "billion-laughs.xml": ('<?xml version="1.0"?>\n<!DOCTYPE r [\n <!ENTITY a "aaaaaaaaaa">\n'
                               ' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
                               ' <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n'
                               ' <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">\n'
                               ' <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">\n'
                               ' <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">\n'
                               ' <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">\n]>\n'
                               '<resellers><reseller id="R1"><name>&g;</name>'
                               '<contact email="a@b.example"/></reseller></resellers>\n',
                               "Entity expansion bomb (10^7 bytes here; real attacks go further). Must not "
                               "hang or exhaust memory; oracle aborts (exit 65)."),
        "empty.csv": ("", "Zero bytes: no header, entity unknown. Oracle's reading: abort, exit 65."),
        "header-only.csv": ("address,cluster,volume\n",
                            "NOT an abort on a fresh database (imports 0 mailboxes). Imported on top of a "
                            "database with mailboxes it would leave fewer than half -> exit 65, nothing "
                            "changed, unless --allow-shrink."),
    }
    readme = ["# Aborting inputs", "",
              "Import each file ON ITS OWN (e.g. after importing dataset/ into a database, to check that",
              "the database is left exactly as it was). Expected behaviour:", ""]
    for name, (content, what) in files.items():
        with open(os.path.join(ab, name), "w", encoding="utf-8", newline="") as f:
            f.write(content)
        readme.append(f"- `{name}` — {what}")
    with open(os.path.join(ab, "not-utf8.csv"), "wb") as f:
        f.write(b"address,cluster,volume\nb\xe4d@x.example,A,vol01\n")
    readme.append("- `not-utf8.csv` — a Latin-1 byte in a row. The contract says all text is UTF-8 but not "
                  "whether a bad row is rejected or the file is unreadable; the oracle aborts (exit 65).")
    readme.append("")
    with open(os.path.join(ab, "README.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(readme))


if __name__ == "__main__":
    main()
