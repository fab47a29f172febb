#!/usr/bin/env python3
"""Tests of the oracle itself on small hand-made inputs; expected values computed by hand
(SHA-256 prefixes with `printf '%s' ID | sha256sum`).

    python3 scripts/oracle/test_oracle.py
"""

import io
import json
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stderr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

HEADER = "address,cluster,volume,domain,customer_id,customer_name,reseller_id,reseller_name\n"


def write(d, name, content, binary=False):
    p = os.path.join(d, name)
    with open(p, "wb") as f:
        f.write(content if binary else content.encode("utf-8"))
    return p


def build_fixture(d):
    data = os.path.join(d, "data")
    os.makedirs(data)
    # '0-' sorts before 'a-': the XML is read first, so its R1 wins over the CSV R1.
    write(data, "0-resellers.xml", """<?xml version="1.0"?>
<resellers generated="x">
  <reseller id="R5"><name>Five <![CDATA[&]]> Co</name><contact email="r5@x"/>
    <customer id="C50"><name>Fifty</name><domain>fifty.example</domain></customer>
  </reseller>
  <reseller id="R6"><contact email="r6@x"/>
    <customer id="C60"><name>Sixty</name><domain>sixty.example</domain></customer>
  </reseller>
  <reseller id="R1"><name>R1 From XML</name><contact email="r1@x"/></reseller>
</resellers>
""")
    write(data, "a-resellers.csv",
          "\ufeff Reseller_ID ,NAME,contact_email,language,extra\r\n"
          "R1,Loses To XML,a@r1,en,x\r\n"
          "\r\n"
          "   \r\n"
          "R2,,b@r2,,\r\n"
          'R2,"Second, ""R2""",b@r2,,\r\n'
          "R3,Three,c@r3\r\n"
          "-x,-Minus,d@x,,\r\n"
          "R/77,Slash,e@s,,\r\n"
          "R9,Nobody,f@n,,\r\n")
    write(data, "b-customers.tsv",
          "customer_id\treseller_id\tname\n"
          "C1\tR1\tCust One\n"
          'C2\tR2\t"Two\nLines"\n'
          "C3\tR404\tUnknown Reseller Cust\n"
          "C4\t-x\t=Formula\n"
          "C5\tR/77\tFive\n"
          "+C7\tR1\tSeven\n"
          "*C8\tR1\tEight\n")
    write(data, "c-domains.csv",
          "domain,customer_id\n"
          "Exämple.COM.,C1\n"
          "one.example,C1\n"
          "two.example,C2\n"
          "three.example,C3\n"
          "orphan.example,C404\n"
          "EXÄMPLE.com,C2\n"
          "x.example,C4\n"
          "s.example,C5\n"
          "seven.example,+C7\n"
          "eight.example,*C8\n")
    write(data, "d-mailboxes.csv",
          "address,cluster,volume,size_mb\n"
          "ÄBC@Exämple.COM.,A,vol03,10\n"
          "b@one.example,A,vol01,\n"
          "äbc@EXÄMPLE.com,B,vol03,\n"
          "a@two.example,A,vol03,\n"
          "zero.example,A,vol03,\n"
          "two@@two.example,A,vol03,\n"
          "c@three.example,A,vol03,\n"
          "d@orphan.example,A,vol07,\n"
          "e@nodomain.example,A,vol03,\n"
          "f@x.example,A,vol03,\n"
          "g@s.example,A,vol07,\n"
          "k@fifty.example,A,vol03,\n"
          "l@sixty.example,A,vol03,\n"
          "p@seven.example,A,vol03,\n"
          "q@eight.example,A,vol03,\n")
    write(data, "e-mailboxes.xml", """<mailboxes cluster="A">
  <mailbox address="h@s.example" cluster="" volume="vol03"/>
  <mailbox address="i@two.example" cluster="B" volume="vol03"/>
  <mailbox address="j@x.example" volume=""/>
</mailboxes>
""")
    write(data, "f-tail.csv",
          "address,cluster,volume\n"
          "m@one.example,A,vol05\n"
          '"unterm@x.example,A,vol03\n'
          "n@x.example,A,vol03\n")
    write(data, "README", "not an input file: ignored\n")
    off = write(d, "offline.txt", "# incident\n\n  A/vol03   # first\n\t\nA/vol03\n")
    return data, off


class EndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = cls.tmp.name
        data, off = build_fixture(d)
        cls.out = os.path.join(d, "out")
        with redirect_stderr(io.StringIO()):
            rc = oracle.main(["--offline-file", off, "--out", cls.out, data])
        assert rc == 0, rc
        with open(os.path.join(cls.out, "analyze.json"), encoding="utf-8") as f:
            cls.doc = json.load(f)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def read(self, *p):
        with open(os.path.join(self.out, *p), "rb") as f:
            return f.read().decode("utf-8")

    def test_totals(self):
        self.assertEqual(self.doc["offline_volumes"], ["A/vol03"])
        self.assertEqual(self.doc["totals"], {
            "mailboxes": 15, "affected_mailboxes": 10, "resellers_full": 2, "resellers_partial": 3,
            "resellers_none": 1, "unattributed_mailboxes": 4, "unattributed_affected_mailboxes": 3})

    def test_resellers(self):
        def r(i, n, s, mb, aff, c, cf, cp):
            return {"reseller_id": i, "name": n, "status": s, "mailboxes": mb, "affected_mailboxes": aff,
                    "customers": c, "customers_full": cf, "customers_partial": cp}
        self.assertEqual(self.doc["resellers"], [
            r("-x", "-Minus", "full", 1, 1, 1, 1, 0),
            r("R/77", "Slash", "partial", 2, 1, 1, 0, 1),
            r("R1", "R1 From XML", "partial", 5, 3, 3, 2, 1),
            r("R2", 'Second, "R2"', "partial", 2, 1, 1, 0, 1),
            r("R5", "Five & Co", "full", 1, 1, 1, 1, 0),
            r("R9", "Nobody", "none", 0, 0, 0, 0, 0),
        ])
        self.assertEqual(set(self.doc), {"offline_volumes", "totals", "resellers"})

    def test_export(self):
        self.assertEqual(self.read("affected-mailboxes.csv"), HEADER +
                         "e@nodomain.example,A,vol03,,,,,\n"
                         "c@three.example,A,vol03,three.example,C3,Unknown Reseller Cust,,\n"
                         "l@sixty.example,A,vol03,sixty.example,C60,Sixty,,\n"
                         "f@x.example,A,vol03,x.example,C4,'=Formula,'-x,'-Minus\n"
                         "h@s.example,A,vol03,s.example,C5,Five,R/77,Slash\n"
                         "q@eight.example,A,vol03,eight.example,*C8,Eight,R1,R1 From XML\n"
                         "p@seven.example,A,vol03,seven.example,'+C7,Seven,R1,R1 From XML\n"
                         "äbc@exämple.com,A,vol03,exämple.com,C1,Cust One,R1,R1 From XML\n"
                         'a@two.example,A,vol03,two.example,C2,"Two\nLines",R2,"Second, ""R2"""\n'
                         "k@fifty.example,A,vol03,fifty.example,C50,Fifty,R5,Five & Co\n")

    def test_report_files(self):
        files = sorted(os.listdir(os.path.join(self.out, "report", "resellers")))
        self.assertEqual(files, ["R1-affected-mailboxes.csv", "R2-affected-mailboxes.csv",
                                 "R5-affected-mailboxes.csv", "R_77-25a74feb-affected-mailboxes.csv",
                                 "_x-a4209624-affected-mailboxes.csv"])
        self.assertEqual(self.read("report", "resellers", "_x-a4209624-affected-mailboxes.csv"),
                         HEADER + "f@x.example,A,vol03,x.example,C4,'=Formula,'-x,'-Minus\n")
        self.assertEqual(self.read("report", "resellers", "R5-affected-mailboxes.csv"),
                         HEADER + "k@fifty.example,A,vol03,fifty.example,C50,Fifty,R5,Five & Co\n")
        self.assertEqual(json.loads(self.read("report", "summary.json")), self.doc)

    def test_rejects(self):
        rej = json.loads(self.read("rejects.json"))
        got = sorted((os.path.basename(r["file"]), r["line"], r["entity"]) for r in rej)
        self.assertEqual(got, sorted([
            ("0-resellers.xml", 6, "resellers"),          # R6 without name
            ("a-resellers.csv", 2, "resellers"),          # duplicate R1 (XML first)
            ("a-resellers.csv", 5, "resellers"),          # R2 missing name
            ("a-resellers.csv", 7, "resellers"),          # R3 field count
            ("c-domains.csv", 7, "domains"),              # EXÄMPLE.com duplicate
            ("d-mailboxes.csv", 4, "mailboxes"),          # äbc duplicate
            ("d-mailboxes.csv", 6, "mailboxes"),          # no @
            ("d-mailboxes.csv", 7, "mailboxes"),          # two @
            ("e-mailboxes.xml", 4, "mailboxes"),          # volume=""
            ("f-tail.csv", 3, "mailboxes"),               # unterminated quote to end of file
        ]))


class Units(unittest.TestCase):
    def test_file_id(self):
        f = oracle.file_id
        self.assertEqual(f("R1001"), "R1001")
        self.assertEqual(f("a.b_c-d"), "a.b_c-d")
        self.assertEqual(f("R/77"), "R_77-25a74feb")
        self.assertEqual(f(".hidden"), "_hidden-16924190")
        self.assertEqual(f("-x"), "_x-a4209624")
        self.assertEqual(f("ü-1"), "_-1-c164c65c")
        self.assertEqual(f("R 1"), "R_1-6b5f8c32")

    def test_normalise(self):
        self.assertEqual(oracle.norm_address("ÄBC@Exämple.COM."), ("äbc@exämple.com", "exämple.com"))
        self.assertEqual(oracle.norm_address("ΟΔΟΣ@X"), ("οδος@x", "x"))  # final sigma
        self.assertEqual(oracle.norm_address("İ@K.example")[0], "i\u0307@k.example")
        self.assertIsNone(oracle.norm_address("a@b@c"))
        self.assertIsNone(oracle.norm_address("abc"))
        self.assertEqual(oracle.norm_address("@x."), ("@x", "x"))     # literal: one '@' is enough
        self.assertEqual(oracle.norm_domain("A.B.."), "a.b.")          # one trailing dot dropped

    def test_parser(self):
        recs = list(oracle.parse_delimited('a,b\r\n"x,1","y""z"\r\n\r\n"multi\r\nline",2\nlast,3', ","))
        self.assertEqual(recs, [(1, ["a", "b"], None), (2, ["x,1", 'y"z'], None),
                                (4, ["multi\r\nline", "2"], None), (6, ["last", "3"], None)])
        recs = list(oracle.parse_delimited('h\n"open\nmore\n', ","))
        self.assertEqual(recs[1][0], 2)
        self.assertEqual(recs[1][2], "unterminated quote")
        self.assertEqual(list(oracle.parse_delimited("a\tb\n1,2\t3\n", "\t"))[1][1], ["1,2", "3"])

    def test_entity_detection_order(self):
        with tempfile.TemporaryDirectory() as d:
            # has customers' and resellers' columns: customers is checked first
            p = write(d, "x.csv", "reseller_id,name,contact_email,customer_id\nR1,N,e,C1\n")
            s = oracle.Store()
            oracle.import_delimited(s, p, ",")
            self.assertEqual(list(s.customers), ["C1"])
            self.assertEqual(s.resellers, {})

    def test_xml_text_and_nesting(self):
        with tempfile.TemporaryDirectory() as d:
            p = write(d, "r.xml", """<resellers>
<reseller id=" R1 "><name>Outer <b>Inner</b> Tail<!-- c --> End</name><contact email="e"/>
 <customer id=""><name>No id</name><domain>lost.example</domain></customer>
</reseller>
<reseller><name>No id</name><contact email="e"/>
 <customer id="C2"><name>Under id-less reseller</name><domain>kept.example</domain></customer>
</reseller></resellers>""")
            s = oracle.Store()
            oracle.import_xml(s, p)
            self.assertEqual(s.resellers["R1"]["name"], "Outer  Tail End")
            self.assertEqual(s.customers, {})                      # both customers rejected
            self.assertEqual(list(s.domains), ["kept.example"])    # C2 has an id, so its domain is kept
            self.assertEqual(s.domains["kept.example"]["customer_id"], "C2")

    def test_unknown_volume_and_malformed(self):
        with tempfile.TemporaryDirectory() as d:
            write(d, "m.csv", "address,cluster,volume\na@b,A,vol01\n")
            with redirect_stderr(io.StringIO()) as err:
                rc = oracle.main(["--offline", "A/vol02", "--out", os.path.join(d, "o"), os.path.join(d, "m.csv")])
            self.assertEqual(rc, 64)
            self.assertIn("vol01", err.getvalue())
            write(d, "bad.xml", "<mailboxes>\n<mailbox></mailboxes>")
            with redirect_stderr(io.StringIO()) as err:
                rc = oracle.main(["--offline", "A/vol01", "--out", os.path.join(d, "o"),
                                  os.path.join(d, "m.csv"), os.path.join(d, "bad.xml")])
            self.assertEqual(rc, 65)
            self.assertIn("bad.xml:2:", err.getvalue())

    def test_offline_parsing(self):
        with tempfile.TemporaryDirectory() as d:
            f = write(d, "off", "# x\nA/v1#c\n\n  B/v1  \n")
            self.assertEqual(oracle.parse_offline(["A/v2, C/x/y"], f),
                             {("A", "v1"), ("B", "v1"), ("A", "v2"), ("C", "x/y")})


if __name__ == "__main__":
    unittest.main()
