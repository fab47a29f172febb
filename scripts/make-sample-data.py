#!/usr/bin/env python3
"""Generate reseller-impact's bundled sample data in SampleData/.

Deterministic: a fixed random seed, no clock, no network, Python 3 standard library only.
Running it twice produces byte-identical files.

    python3 scripts/make-sample-data.py            # writes SampleData/ next to scripts/
    python3 scripts/make-sample-data.py --out DIR  # writes somewhere else

What it writes:
    SampleData/exports/*.xml|csv|tsv   the exports (read in file-name order)
    SampleData/offline-volumes.txt     the incident's offline volumes
    SampleData/expected-analysis.json  the `analyze --json` document the tool should print
    SampleData/README.md               the story, the files, the data problems, the figures

The expected figures are not taken from the generator's intentions: after writing the files,
the script re-reads them with a small independent reader that follows the rules of
PRODUCT.md (trimming, case-folding, first-wins duplicates, rejected rows, broken links) and
classifies every reseller against the offline volumes. Those figures go into the README and
the JSON file and are printed to stdout.
"""

import argparse
import csv
import io
import json
import os
import random
import shutil
import sys
import unicodedata
import xml.parsers.expat
from xml.sax.saxutils import escape, quoteattr

SEED = 20261129
GENERATED = "2026-11-28T23:00:00Z"  # the nightly export run the sample data pretends to be
CLUSTERS = ["A", "B"]
VOLUMES = ["vol01", "vol02", "vol03", "vol04", "vol05", "vol06"]
OFFLINE = [("A", "vol02"), ("A", "vol03"), ("A", "vol05")]
OFFLINE_SET = set(OFFLINE)
ONLINE_A = [v for v in VOLUMES if ("A", v) not in OFFLINE_SET]
OFFLINE_A = [v for (c, v) in OFFLINE if c == "A"]

# --------------------------------------------------------------------------------------------
# Name pools (all fictional)
# --------------------------------------------------------------------------------------------

FIRST = {
    "en": ["James", "Olivia", "Amelia", "Harry", "Isla", "Jack", "Sophie", "Thomas", "Emily",
           "George", "Grace", "Oliver", "Chloe", "Daniel", "Hannah", "Samuel", "Lucy", "Matthew",
           "Ella", "Ruth", "Priya", "Aisha", "Liam", "Noah", "Megan", "Rachel", "Connor", "Niamh",
           "Siobhan", "Declan", "Marcus", "Dana", "Owen", "Zoe", "Imran", "Fiona"],
    "de": ["Anna", "Lukas", "Leonie", "Jonas", "Sophie", "Felix", "Marie", "Paul", "Lena", "Jan",
           "Katrin", "Jürgen", "Sabine", "Thomas", "Stefan", "Julia", "Matthias", "Claudia",
           "Tobias", "Nina", "Andreas", "Birgit", "Maximilian", "Jörg", "Uwe", "Sven", "Anke",
           "Ralf", "Petra", "Dominik"],
    "fr": ["Camille", "Léa", "Louis", "Chloé", "Hugo", "Manon", "Jules", "Inès", "Lucas",
           "Émilie", "Julien", "Nathalie", "Pierre", "Sophie", "Thomas", "Céline", "Antoine",
           "Margaux", "Nicolas", "Élodie", "François", "Hélène", "Mathis", "Aurélie"],
    "nl": ["Jan", "Sanne", "Daan", "Emma", "Lars", "Femke", "Sem", "Lotte", "Bram", "Anouk",
           "Pieter", "Eva", "Thijs", "Fleur", "Ruud", "Marieke", "Joost", "Ilse", "Koen", "Lieke",
           "Willem", "Mirjam", "Gijs", "Noor"],
}
LAST = {
    "en": ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Roberts",
           "Walker", "Wright", "Hughes", "Green", "Hall", "Clarke", "Patel", "Khan", "Murphy",
           "O'Brien", "Kelly", "Byrne", "Ryan", "Walsh", "Campbell", "Morgan", "Cooper", "Ward",
           "Baker", "Fletcher", "Turner", "Price", "Bennett", "Hayes", "Okafor", "Nguyen",
           "Lindqvist", "Ashworth", "Pemberton", "Doyle"],
    "de": ["Schmidt", "Müller", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
           "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
           "Schwarz", "Zimmermann", "Braun", "Krüger", "Hartmann", "Lange", "Werner", "Krause",
           "Lehmann", "Köhler", "Huber", "Vogel", "Öztürk", "Bauer", "Keller", "Gruber"],
    "fr": ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
           "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David",
           "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier",
           "Blanc", "Guérin", "Boyer", "Chevalier", "Faure", "Rousseau", "Lambert"],
    "nl": ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
           "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
           "Brouwer", "de Wit", "Dijkstra", "Smits", "Verhoeven", "Kramer", "Postma", "Kuipers"],
}
PLACE = {
    "en": ["Riverside", "Oakfield", "Millbrook", "Harbourside", "Kingsbridge", "Ashford Green",
           "Westmoor", "Elmstead", "Brackenridge", "Holloway Park", "Fairview", "Stonebridge",
           "Meadowbank", "Larchmont", "Cranfield", "Thornbury", "Wexley", "Birchwood"],
    "de": ["Mühlbach", "Rosenhügel", "Stadtpark", "Schlossberg", "Lindenhof", "Eichenweg",
           "Sonnenhang", "Auwald", "Kirchberg", "Seeblick"],
    "fr": ["Marché", "Parc", "Lac", "Port", "Vieux Pont", "Moulin", "Château", "Canal"],
    "nl": ["Zuiderpark", "Molenwijk", "Havenkwartier", "Rijnoever", "Vondelhof", "Duinzicht",
           "Polderzicht", "Singel"],
}
EXTRA = {
    "en_flower": ["Bluebell", "Primrose", "Foxglove", "Heather", "Thistle", "Willow"],
    "de_kita": ["Sonnenschein", "Regenbogen", "Pusteblume", "Löwenzahn", "Wirbelwind"],
    "fr_ecole": ["Sainte-Marie", "Saint-Exupéry", "Jules Ferry", "Victor Hugo", "Marie Curie",
                 "Jean Moulin"],
    "nl_school": ["Regenboog", "Vlinder", "Klimop", "Wilgenhoek", "Zonnebloem", "Fontein"],
}
# (template, size class). {S}/{S2}: surnames, {P}: place, {X}: language-specific extra.
BUSINESSES = {
    "en": [("{S} Family Bakery", "small"), ("{S} & {S2} Solicitors", "medium"),
           ("{P} Dental Clinic", "medium"), ("{P} Primary School", "large"),
           ("{S} Plumbing and Heating", "tiny"), ("{S} Architects", "small"),
           ("{P} Veterinary Surgery", "small"), ("The {X} Florist", "tiny"),
           ("{S} Accountancy", "small"), ("{P} Physiotherapy", "small"),
           ("{P} Community College", "large"), ("{S} Motors", "small"),
           ("{P} Bed & Breakfast", "tiny"), ("{S} Books", "tiny"),
           ("{P} Brewing Co.", "small"), ("{P} Medical Centre", "medium"),
           ("{S} Estate Agents", "small"), ("{P} Yoga Studio", "tiny"),
           ("{S} Joinery", "tiny"), ("{P} Golf Club", "small"), ("{S} Opticians", "tiny"),
           ("{P} Care Home", "medium"), ("{S} Landscaping", "tiny")],
    "de": [("Bäckerei {S}", "small"), ("Kanzlei {S} & {S2}", "medium"),
           ("Zahnarztpraxis Dr. {S}", "small"), ("Grundschule am {P}", "large"),
           ("Physiotherapie {S}", "small"), ("Autohaus {S}", "medium"), ("Blumen {S}", "tiny"),
           ("Steuerberatung {S}", "small"), ("Tischlerei {S}", "tiny"),
           ("Hausarztpraxis {S}", "small"), ("Gymnasium {P}", "large"),
           ("Architekturbüro {S}", "small"), ("Metzgerei {S}", "tiny"),
           ("Hotel {P}", "medium"), ("Tierarztpraxis {S}", "small"), ("Fahrschule {S}", "tiny"),
           ("Kita {X}", "small"), ("Buchhandlung {S}", "tiny"), ("Elektro {S} GmbH", "small")],
    "fr": [("Boulangerie {S}", "small"), ("Cabinet d'avocats {S} & {S2}", "medium"),
           ("Cabinet dentaire {S}", "small"), ("École {X}", "large"),
           ("Pharmacie du {P}", "small"), ("Garage {S}", "tiny"), ("Fleuriste {S}", "tiny"),
           ("Clinique vétérinaire du {P}", "small"), ("Cabinet médical du {P}", "medium"),
           ("Lycée {X}", "large"), ("{S} Architectes Associés", "small"),
           ("Hôtel du {P}", "medium"), ("Librairie {S}", "tiny"), ("Fromagerie {S}", "tiny"),
           ("Expertise comptable {S}", "small")],
    "nl": [("Bakkerij {S}", "small"), ("Advocatenkantoor {S} & {S2}", "medium"),
           ("Tandartspraktijk {S}", "small"), ("Basisschool De {X}", "large"),
           ("Huisartsenpraktijk {P}", "small"), ("Fietsenwinkel {S}", "tiny"),
           ("Loodgietersbedrijf {S}", "tiny"), ("Dierenkliniek {P}", "small"),
           ("Administratiekantoor {S}", "small"), ("Bloemisterij {S}", "tiny"),
           ("Architectenbureau {S}", "small"), ("Hotel {P}", "medium"),
           ("Fysiotherapie {P}", "small"), ("Kinderopvang De {X}", "small"),
           ("Boekhandel {S}", "tiny")],
}
EXTRA_KEY = {"en": "en_flower", "de": "de_kita", "fr": "fr_ecole", "nl": "nl_school"}
SIZES = {"tiny": (1, 4), "small": (3, 10), "medium": (8, 25), "large": (20, 60)}
ROLES = {
    "en": ["info", "office", "accounts", "bookings", "reception", "admin"],
    "de": ["info", "kontakt", "buero", "rechnung", "empfang", "bestellung"],
    "fr": ["contact", "info", "accueil", "compta", "secretariat"],
    "nl": ["info", "receptie", "administratie", "planning", "contact"],
}
SECOND_DOMAIN = {
    "en": ["{s}-mail", "{s}-online", "{s}-uk", "{s}-bookings"],
    "de": ["{s}-online", "{s}-shop", "{s}-de", "{s}-mail"],
    "fr": ["{s}-en-ligne", "{s}-fr", "{s}-contact"],
    "nl": ["{s}-online", "{s}-nl", "{s}-webshop"],
}

TRANSLIT = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
            "ø": "o", "Ø": "O", "å": "a", "Å": "A", "æ": "ae", "'": "", "’": "", "&": "-"}


def ascii_slug(text, sep="-"):
    """'Bäckerei Schmidt' -> 'baeckerei-schmidt' (German umlauts spelled out, accents dropped)."""
    text = "".join(TRANSLIT.get(ch, ch) for ch in text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    out, last_sep = [], True
    for ch in text.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
            last_sep = False
        elif not last_sep and sep:
            out.append(sep)
            last_sep = True
    return "".join(out).strip(sep)


def local_part(name):
    """'Jürgen' -> 'juergen', 'van den Berg' -> 'vandenberg', "O'Brien" -> 'obrien'."""
    return ascii_slug(name, sep="")


# --------------------------------------------------------------------------------------------
# The resellers
# --------------------------------------------------------------------------------------------
# mode: "mixed"     customers on cluster A (probability p_a) or B, volumes at random; the
#                   generator re-draws until the reseller is partially hit (it must not be
#                   full or none by luck)
#       "A-offline" every mailbox on an offline volume of A: deliberately hit in full
#       "A-online"  every mailbox on an online volume of A: deliberately not hit
#       "B"         every mailbox on cluster B: deliberately not hit
# source: "xml" -> 01-resellers.xml, "csv" -> 02/03/04-*-partners.csv
RESELLERS = [
    dict(id="R1001", name="Northwind Hosting Ltd", lang="en", xml_lang="en",
         contact=("Priya Raman", "noc@northwind-hosting.example"), target=820, mode="mixed",
         p_a=0.55, source="xml"),
    dict(id="R1002", name="Bergwerk IT GmbH", lang="de", xml_lang="de",
         contact=("Jürgen Köhler", "support@bergwerk-it.example"), target=260, mode="mixed",
         p_a=0.6, source="xml"),
    dict(id="R1003", name="Hébergement Lumière SARL", lang="fr", xml_lang="fr",
         contact=("Élodie Marchand", "support@hebergement-lumiere.example"), target=210,
         mode="mixed", p_a=0.7, source="xml", padded_name=True),
    dict(id="R1004", name="Polder Webdiensten B.V.", lang="nl", xml_lang="nl",
         contact=("Marieke de Groot", "beheer@polderweb.example"), target=170, mode="mixed",
         p_a=0.5, source="xml"),
    # no language attribute: the importer's default (en) applies
    dict(id="R1005", name="Blue Harbor Digital LLC", lang="en", xml_lang=None,
         contact=("Marcus Delaney", "ops@blueharbor-digital.example"), target=190, mode="mixed",
         p_a=0.3, source="xml"),
    dict(id="R1006", name="Smith & Partners IT Ltd", lang="en", xml_lang="en",
         contact=("Siobhan Byrne", "helpdesk@smithpartners-it.example"), target=130,
         mode="mixed", p_a=0.5, source="xml"),
    dict(id="R1007", name="Maple Leaf Web Studio", lang="en", xml_lang="en",
         contact=("Owen Tremblay", "hello@mapleleaf-web.example"), target=18, mode="mixed",
         p_a=0.5, source="xml"),
    dict(id="R1008", name="Kowalski IT Support", lang="en", xml_lang="en",
         contact=("Tomasz Kowalski", "tomasz@kowalski-it.example"), target=11, mode="mixed",
         p_a=0.6, source="xml"),
    dict(id="R1009", name="Kestrel IT Services", lang="en", xml_lang="en",
         contact=("Gareth Price", "support@kestrel-it.example"), target=9, mode="A-offline",
         customers=2, source="xml"),
    dict(id="R1010", name="Atelier Numérique Dubois", lang="fr", xml_lang="fr",
         contact=("Hélène Dubois", "contact@atelier-dubois.example"), target=5,
         mode="A-offline", customers=1, source="xml"),
    dict(id="R1011", name="Cedar Lane Computing", lang="en", xml_lang="en",
         contact=("Dana Whitfield", "help@cedarlane-computing.example"), target=14, mode="B",
         source="xml"),
    dict(id="R1012", name="Nordlys Webdesign AS", lang="en", xml_lang="en",
         contact=("Ingrid Solberg", "post@nordlys-webdesign.example"), target=12,
         mode="A-online", source="xml"),
    dict(id="R2001", name="Alpenblick Systemhaus AG", lang="de",
         contact=("Andreas Gruber", "service@alpenblick-systemhaus.example"), target=120,
         mode="mixed", p_a=0.5, source="csv"),
    dict(id="R2002", name="Van Dijk ICT", lang="nl",
         contact=("Koen van Dijk", "koen@vandijk-ict.example"), target=8, mode="mixed",
         p_a=0.6, source="csv"),
    dict(id="R2003", name="Hughes, Patel & Co. Digital", lang="en",
         contact=("Aisha Patel", "hello@hughespatel.example"), target=9, mode="B",
         source="csv"),
    dict(id="R2004", name="Café Pixel Agence Web", lang="fr",
         contact=("Julien Lambert", "bonjour@cafepixel.example"), target=4, mode="A-offline",
         customers=1, source="csv",
         # quotes and a comma in a CSV field (RFC 4180 quoting with doubled quotes)
         customer_names=['Boulangerie "Au Bon Pain", Liège']),
    dict(id="R2005", name="Tidewater Web Services", lang="en",
         contact=(None, "support@tidewater-web.example"), target=0, mode="B", customers=1,
         source="csv"),
]


class Gen:
    def __init__(self):
        self.rng = random.Random(SEED)
        self.domains_used = {}       # domain -> customer id (membership only)
        self.customer_names = {}     # name -> True
        self.next_cust = {"xml": 5001, "csv": 7001}
        self.fixed_used = {}

    def pick(self, seq):
        return self.rng.choice(seq)

    def unique_domain(self, base):
        cand = base + ".example"
        n = 2
        while cand in self.domains_used:
            cand = f"{base}{n}.example"
            n += 1
        return cand

    def business(self, lang, small_only=False, fixed=None):
        rng = self.rng
        if fixed:
            self.customer_names[fixed] = True
            return fixed, "tiny"
        for _ in range(200):
            tpl, size = rng.choice(BUSINESSES[lang])
            if small_only and size not in ("tiny", "small"):
                continue
            s, s2 = rng.sample(LAST[lang], 2)
            name = tpl.format(S=s, S2=s2, P=rng.choice(PLACE[lang]),
                              X=rng.choice(EXTRA[EXTRA_KEY[lang]]))
            if name in self.customer_names:
                continue
            self.customer_names[name] = True
            return name, size
        raise RuntimeError("ran out of business names")

    def customer(self, res, lang, cap, small_only=False):
        rng = self.rng
        fixed = res.get("customer_names", [])
        fixed = fixed[self.fixed_used.get(res["id"], 0)] if fixed else None
        self.fixed_used[res["id"]] = self.fixed_used.get(res["id"], 0) + 1
        name, size = self.business(lang, small_only, fixed)
        lo, hi = SIZES[size]
        n = max(1, min(cap, rng.randint(lo, hi)))
        slug = ascii_slug(name)
        # shorten long slugs the way people do ("kanzlei-weber-schulz" stays, "...-gmbh" goes)
        for suffix in ("-gmbh", "-co", "-ltd"):
            if slug.endswith(suffix):
                slug = slug[: -len(suffix)]
        d1 = self.unique_domain(slug)
        domains = [d1]
        if rng.random() < 0.3:
            d2 = self.unique_domain(rng.choice(SECOND_DOMAIN[lang]).format(s=slug))
            domains.append(d2)
        cid = f"C{self.next_cust[res['source']]}"
        self.next_cust[res["source"]] += 1
        for d in domains:
            self.domains_used[d] = cid
        # mailboxes: one or two role accounts, then people
        roles = rng.sample(ROLES[lang], 1 if n <= 3 else 2)[: n]
        locals_ = []
        for r in roles:
            locals_.append((r, None))
        seen = set(r for r in roles)
        while len(locals_) < n:
            f, l = rng.choice(FIRST[lang]), rng.choice(LAST[lang])
            style = rng.random()
            lp = (f"{local_part(f)}.{local_part(l)}" if style < 0.8
                  else f"{local_part(f)[0]}.{local_part(l)}" if style < 0.93
                  else local_part(f))
            if lp in seen:
                continue
            seen.add(lp)
            locals_.append((lp, (f, l)))
        mailboxes = []
        for i, (lp, person) in enumerate(locals_):
            dom = domains[1] if len(domains) > 1 and i > 0 and rng.random() < 0.25 else d1
            mailboxes.append(dict(address=f"{lp}@{dom}", person=person))
        # contact: first person, else first role account; a few customers have none
        contact = None
        if rng.random() < 0.85:
            people = [m for m in mailboxes if m["person"]]
            contact = (people[0] if people else mailboxes[0])["address"]
        return dict(id=cid, reseller=res["id"], name=name, contact=contact, domains=domains,
                    mailboxes=mailboxes, lang=lang)

    def place(self, res, customers):
        """Assign cluster/volume to every mailbox according to the reseller's mode."""
        rng = self.rng
        mode = res["mode"]
        for c in customers:
            if mode == "mixed":
                cluster = "A" if rng.random() < res["p_a"] else "B"
            elif mode == "B":
                cluster = "B"
            else:
                cluster = "A"
            c["cluster"] = cluster
            for m in c["mailboxes"]:
                m["cluster"] = cluster
                if mode == "A-offline":
                    m["volume"] = rng.choice(OFFLINE_A)
                elif mode == "A-online":
                    m["volume"] = rng.choice(ONLINE_A)
                else:
                    m["volume"] = rng.choice(VOLUMES)

    def reseller_customers(self, res):
        rng = self.rng
        lang = res["lang"]
        if res["target"] == 0:
            c = self.customer(res, lang, cap=1, small_only=True)
            c["mailboxes"] = []        # signed up, domain registered, no mailbox yet
            self.place(res, [c])
            return [c]
        customers, total = [], 0
        fixed = res.get("customers")
        while True:
            remaining = res["target"] - total
            if fixed:
                if len(customers) == fixed:
                    break
                left = fixed - len(customers)
                cap = remaining - (left - 1) if left > 1 else remaining
                c = self.customer(res, lang, cap=max(1, cap), small_only=True)
                if left == 1:
                    # top up the last customer to the target with more people
                    while len(c["mailboxes"]) < remaining:
                        f, l = rng.choice(FIRST[lang]), rng.choice(LAST[lang])
                        a = f"{local_part(f)}.{local_part(l)}@{c['domains'][0]}"
                        if all(m["address"] != a for m in c["mailboxes"]):
                            c["mailboxes"].append(dict(address=a, person=(f, l)))
            else:
                if remaining <= 0:
                    break
                c = self.customer(res, lang, cap=remaining, small_only=res["target"] < 30)
            customers.append(c)
            total += len(c["mailboxes"])
        # mixed resellers: re-draw placement until partially hit, never full/none by luck
        for _ in range(100):
            self.place(res, customers)
            if res["mode"] != "mixed":
                break
            boxes = [m for c in customers for m in c["mailboxes"]]
            off = sum((m["cluster"], m["volume"]) in OFFLINE_SET for m in boxes)
            if 0 < off < len(boxes):
                break
        return customers


# --------------------------------------------------------------------------------------------
# Writing the files
# --------------------------------------------------------------------------------------------

def write_csv(path, header, rows, delimiter=",", crlf=False, bom=False):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n",
                   quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    for r in rows:
        if isinstance(r, str):       # a raw, hand-made line (used for a broken row)
            buf.write(r + ("\r\n" if crlf else "\n"))
        else:
            w.writerow(["" if v is None else v for v in r])
    data = buf.getvalue().encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(path, "wb") as f:
        f.write(data)


def write_text(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def capitalise_address(a):
    """'anna.schmidt@baeckerei-schmidt.example' -> 'Anna.Schmidt@Baeckerei-Schmidt.example'."""
    local, dom = a.split("@")
    cap = lambda s, sep: sep.join(p[:1].upper() + p[1:] for p in s.split(sep))
    host, tld = dom.rsplit(".", 1)
    return f"{cap(local, '.')}@{cap(host, '-')}.{tld}"


def build(out):
    g = Gen()
    rng = g.rng
    all_customers = {}
    for res in RESELLERS:
        all_customers[res["id"]] = g.reseller_customers(res)

    problems = []   # (kind, file, description) -- filled in as we plant them

    # ---- the planted link problems -------------------------------------------------------
    # (a) a customer whose reseller is unknown: a partner still being onboarded (R2099); the
    #     customer and its domain are in the partner exports, its reseller record is not.
    pres = dict(id="R2099", source="csv", mode="mixed", p_a=1.0, lang="en")
    ghost = g.customer(pres, "en", cap=5, small_only=True)
    while len(ghost["mailboxes"]) < 5:
        f, l = rng.choice(FIRST["en"]), rng.choice(LAST["en"])
        a = f"{local_part(f)}.{local_part(l)}@{ghost['domains'][0]}"
        if all(m["address"] != a for m in ghost["mailboxes"]):
            ghost["mailboxes"].append(dict(address=a, person=(f, l)))
    ghost["domains"] = ghost["domains"][:1]
    ghost["cluster"] = "A"
    for m, vol in zip(ghost["mailboxes"], ["vol02", "vol04", "vol05", "vol01", "vol06"]):
        m["cluster"], m["volume"] = "A", vol
    # (b) an orphan domain: its customer C6999 was cancelled last month and is gone from the
    #     customer export, but the domain and three mailboxes on cluster B are still there.
    orphan_domain = g.unique_domain("praxis-sommerfeld")
    g.domains_used[orphan_domain] = "C6999"
    orphan_boxes = [dict(address=f"{lp}@{orphan_domain}", cluster="B", volume=v)
                    for lp, v in [("empfang", "vol02"), ("dr.sommerfeld", "vol05"),
                                  ("verwaltung", "vol01")]]
    # (c) mailboxes whose domain belongs to no customer: provisioned tonight through the API
    #     for a new customer whose records are not in any export yet.
    stray_domain = g.unique_domain("harbourview-dental")
    stray_boxes = [dict(address=f"{lp}@{stray_domain}", cluster="A", volume=v)
                   for lp, v in [("reception", "vol03"), ("dr.okafor", "vol03"),
                                 ("billing", "vol06")]]

    # ---- collect the attributed mailboxes per cluster ------------------------------------
    boxes_by_cluster = {"A": [], "B": []}
    for res in RESELLERS:
        for c in all_customers[res["id"]]:
            for m in c["mailboxes"]:
                m["size_mb"] = int(min(49000, rng.lognormvariate(7.2, 1.1)))
                boxes_by_cluster[m["cluster"]].append(m)
    for m in ghost["mailboxes"] + stray_boxes:
        m["size_mb"] = int(min(49000, rng.lognormvariate(7.2, 1.1)))

    # A few mailboxes created tonight go to the late TSV instead of the nightly exports.
    late = []
    for cl in ("A", "B"):
        pool = sorted(boxes_by_cluster[cl], key=lambda m: m["address"])
        for m in rng.sample(pool, 6):
            boxes_by_cluster[cl].remove(m)
            late.append(m)

    # ---- the planted row problems ---------------------------------------------------------
    # (d) duplicate address: a mailbox being moved from A to B is listed in both exports; the
    #     A export (10-…) is read first and wins, the B row (11-…) is rejected.
    a_sorted = sorted(boxes_by_cluster["A"], key=lambda m: m["address"])
    dup_src = next(m for m in a_sorted[len(a_sorted) // 5:]
                   if m["volume"] == "vol03" and m["person"])
    dup_row = dict(address=capitalise_address(dup_src["address"]), cluster="B", volume="vol04",
                   size_mb=dup_src["size_mb"])
    # (e) an address with two @ in the A export (a typo in the provisioning tool's import)
    twoat_src = next(m for m in a_sorted[len(a_sorted) // 3:]
                     if m["volume"] == "vol02" and m["person"])
    boxes_by_cluster["A"].remove(twoat_src)
    lp, dom = twoat_src["address"].split("@")
    twoat_row = dict(address=f"{lp}@@{dom}", cluster="A", volume="vol02")
    # (f) an address without @ in the B export
    b_sorted = sorted(boxes_by_cluster["B"], key=lambda m: m["address"])
    noat_src = next(m for m in b_sorted[len(b_sorted) // 2:] if not m["person"])
    boxes_by_cluster["B"].remove(noat_src)
    lp, dom = noat_src["address"].split("@")
    noat_row = dict(address=f"{lp}.{dom}", cluster="B", volume=noat_src["volume"],
                    size_mb=noat_src["size_mb"])
    # (g) a row with the wrong field count in the late TSV: the volume column is missing
    wrong_src = late.pop()  # a real new mailbox; its row is broken so it is not imported
    # mixed-case addresses in the A export (normalisation, not an error)
    for m in rng.sample(sorted(boxes_by_cluster["A"], key=lambda m: m["address"]), 6):
        m["written"] = capitalise_address(m["address"])
    # one non-ASCII local part (SMTPUTF8), written in mixed case, on an online A volume
    nordlys = all_customers["R1012"][0]
    utf8_box = dict(address=f"søren.østergaard@{nordlys['domains'][0]}", cluster="A",
                    volume=ONLINE_A[0], size_mb=812, person=("Søren", "Østergaard"),
                    written=f"Søren.Østergaard@{nordlys['domains'][0]}")
    nordlys["mailboxes"].append(utf8_box)
    boxes_by_cluster["A"].append(utf8_box)

    # ---- write ---------------------------------------------------------------------------
    exp = os.path.join(out, "exports")
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(exp)

    xml_res = [r for r in RESELLERS if r["source"] == "xml"]
    csv_res = [r for r in RESELLERS if r["source"] == "csv"]

    # 01-resellers.xml
    L = ['<?xml version="1.0" encoding="UTF-8"?>',
         "<!-- Reseller export from the billing system: resellers with their customers and",
         "     customers' domains. Nightly full snapshot. -->",
         f"<resellers generated={quoteattr(GENERATED)}>"]
    cdata_done = False
    for r in xml_res:
        lang = f" language={quoteattr(r['xml_lang'])}" if r["xml_lang"] else ""
        L.append(f"  <reseller id={quoteattr(r['id'])}{lang}>")
        if r.get("padded_name"):
            L.append(f"    <name>\n      {escape(r['name'])}\n    </name>")
        else:
            L.append(f"    <name>{escape(r['name'])}</name>")
        cn, ce = r["contact"]
        L.append(f"    <contact name={quoteattr(cn)} email={quoteattr(ce)}/>")
        for c in all_customers[r["id"]]:
            L.append(f"    <customer id={quoteattr(c['id'])}>")
            if "&" in c["name"] and not cdata_done:
                L.append(f"      <name><![CDATA[{c['name']}]]></name>")
                cdata_done = True
            else:
                L.append(f"      <name>{escape(c['name'])}</name>")
            if c["contact"]:
                L.append(f"      <contact email={quoteattr(c['contact'])}/>")
            for d in c["domains"]:
                L.append(f"      <domain>{escape(d)}</domain>")
            L.append("    </customer>")
        L.append("  </reseller>")
    L.append("</resellers>")
    write_text(os.path.join(exp, "01-resellers.xml"), "\n".join(L) + "\n")

    # 02-resellers-partners.csv (Excel on Windows: BOM and CRLF)
    rows = []
    for r in csv_res:
        cn, ce = r["contact"]
        rows.append([r["id"], r["name"], cn, ce, r["lang"]])
    write_csv(os.path.join(exp, "02-resellers-partners.csv"),
              ["reseller_id", "name", "contact_name", "contact_email", "language"], rows,
              crlf=True, bom=True)

    # 03-customers-partners.csv
    rows = []
    csv_customers = [c for r in csv_res for c in all_customers[r["id"]]]
    for c in csv_customers + [ghost]:
        rows.append([c["id"], c["reseller"], c["name"], c["contact"]])
    ghost_line = len(rows) + 1
    write_csv(os.path.join(exp, "03-customers-partners.csv"),
              ["customer_id", "reseller_id", "name", "contact_email"], rows)

    # 04-domains-partners.csv (one domain written with capitals and a trailing dot)
    rows = []
    first_dom = True
    for c in csv_customers + [ghost]:
        for d in c["domains"]:
            if first_dom and c["reseller"] == "R2001":
                host, tld = d.rsplit(".", 1)
                rows.append(["-".join(p.capitalize() for p in host.split("-")) + f".{tld}.",
                             c["id"]])
                first_dom = False
            else:
                rows.append([d, c["id"]])
    rows.insert(len(rows) // 2, [orphan_domain, "C6999"])
    write_csv(os.path.join(exp, "04-domains-partners.csv"), ["domain", "customer_id"], rows)

    # 10-mailboxes-cluster-A.xml: storage inventory of cluster A, grouped by volume
    a_rows = [dict(m) for m in boxes_by_cluster["A"]] + [dict(m) for m in ghost["mailboxes"]]
    a_rows.append(twoat_row)
    a_rows.sort(key=lambda m: (m["volume"], m["address"]))
    L = ['<?xml version="1.0" encoding="UTF-8"?>',
         "<!-- Mailbox-to-volume export from the storage inventory of cluster A. -->",
         '<mailboxes cluster="A">']
    cur = None
    for m in a_rows:
        if m["volume"] != cur:
            cur = m["volume"]
            L.append(f"  <!-- {cur} -->")
        a = m.get("written", m["address"])
        L.append(f"  <mailbox address={quoteattr(a)} volume={quoteattr(m['volume'])}/>")
    L.append("</mailboxes>")
    write_text(os.path.join(exp, "10-mailboxes-cluster-A.xml"), "\n".join(L) + "\n")

    # 11-mailboxes-cluster-B.csv: sorted by address, with sizes (a few unknown)
    b_rows = [dict(m) for m in boxes_by_cluster["B"]] + orphan_boxes + [dup_row, noat_row]
    for m in orphan_boxes:
        m["size_mb"] = 300 + len(m["address"]) * 17
    b_rows.sort(key=lambda m: m["address"].lower())
    no_size = set(rng.sample(range(len(b_rows)), 4))
    rows = [[m["address"], "B", m["volume"], None if i in no_size else m["size_mb"]]
            for i, m in enumerate(b_rows)]
    write_csv(os.path.join(exp, "11-mailboxes-cluster-B.csv"),
              ["address", "cluster", "volume", "size_mb"], rows)

    # 12-mailboxes-provisioned-late.tsv: created after the nightly exports, from the
    # provisioning API's log; mixed clusters, an extra column the importer ignores.
    late_rows = sorted([dict(m) for m in late] + stray_boxes, key=lambda m: m["address"])
    rng.shuffle(late_rows)   # a log: in the order the mailboxes were created
    late_rows.insert(len(late_rows) // 2, dict(wrong_src, broken=True))
    t = 23 * 3600 + 4 * 60 + 11      # after the 23:00 exports, before midnight
    rows = []
    for m in late_rows:
        t += rng.randint(60, 220)
        ts = f"2026-11-28T{t // 3600:02d}:{t // 60 % 60:02d}:{t % 60:02d}Z"
        if m.get("broken"):    # the volume column is missing: 3 fields, not 4
            rows.append(f"{m['address']}\t{m['cluster']}\t{ts}")
        else:
            rows.append([m["address"], m["cluster"], m["volume"], ts])
    write_csv(os.path.join(exp, "12-mailboxes-provisioned-late.tsv"),
              ["address", "cluster", "volume", "provisioned_at"], rows, delimiter="\t")

    # offline-volumes.txt
    write_text(os.path.join(out, "offline-volumes.txt"), OFFLINE_TEXT)

    planted = dict(dup=(dup_src, dup_row), twoat=(twoat_src, twoat_row),
                   noat=(noat_src, noat_row), wrong=wrong_src, ghost=ghost,
                   orphan_domain=orphan_domain, orphan_boxes=orphan_boxes,
                   stray_domain=stray_domain, stray_boxes=stray_boxes, utf8=utf8_box)
    return planted


OFFLINE_TEXT = """\
# Offline volumes for the sample incident (reseller-impact --offline-file).
#
# Sunday 29 November 2026, 06:40 UTC: a RAID controller in storage shelf A-2 failed and
# took three of cluster A's six volumes offline, about half of the cluster's mailboxes.
# Cluster B is not affected. The volumes are rebuilt one after another from replicas:
#   A/vol02  rebuild 1 of 3, expected back about 10:30 UTC
#   A/vol03  rebuild 2 of 3, expected back about 14:00 UTC
#   A/vol05  rebuild 3 of 3, expected back about 17:30 UTC
#
# One CLUSTER/VOLUME per line; blank lines and everything after '#' are ignored.

A/vol02
A/vol03
A/vol05
"""


# --------------------------------------------------------------------------------------------
# An independent reader of the files, following PRODUCT.md, to compute the expected outcome
# --------------------------------------------------------------------------------------------

REQUIRED = {"mailboxes": ["address", "cluster", "volume"], "domains": ["domain", "customer_id"],
            "customers": ["customer_id", "reseller_id", "name"],
            "resellers": ["reseller_id", "name", "contact_email"]}
KEY = {"mailboxes": "address", "domains": "domain", "customers": "customer_id",
       "resellers": "reseller_id"}


def norm_domain(d):
    d = d.lower()
    return d[:-1] if d.endswith(".") else d


class Reader:
    def __init__(self):
        self.tables = {k: {} for k in REQUIRED}   # key -> record (first accepted wins)
        self.rejects = []                          # (file, line, entity, reason)

    def offer(self, entity, rec, fname, line):
        for f in REQUIRED[entity]:
            if not rec.get(f):
                self.rejects.append((fname, line, entity, f"missing required field {f}"))
                return
        if entity == "mailboxes":
            a = rec["address"]
            if a.count("@") != 1:
                n = a.count("@")
                reason = ("address has no '@'" if n == 0
                          else f"address has {n} '@' (exactly one is allowed)")
                self.rejects.append((fname, line, entity, f"{reason}: {a}"))
                return
            lp, dom = a.split("@")
            rec["address"] = f"{lp.lower()}@{norm_domain(dom)}"
            rec["domain"] = norm_domain(dom)
        if entity == "domains":
            rec["domain"] = norm_domain(rec["domain"])
        k = rec[KEY[entity]]
        t = self.tables[entity]
        if k in t:
            first = t[k]
            self.rejects.append((fname, line, entity,
                                 f"duplicate {KEY[entity]} {k} (first at "
                                 f"{first['_file']}:{first['_line']})"))
            return
        rec["_file"], rec["_line"] = fname, line
        t[k] = rec

    def read_csv(self, path, fname):
        with open(path, "rb") as f:
            data = f.read()
        text = data.decode("utf-8")
        if text.startswith("\ufeff"):
            text = text[1:]
        delim = "\t" if fname.endswith(".tsv") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        header, entity, prev = None, None, 0
        for row in reader:
            line, prev = prev + 1, reader.line_num
            if not row or all(not c.strip() for c in row) and len(row) == 1:
                continue
            if header is None:
                header = [h.strip().lower() for h in row]
                entity = next(e for e in REQUIRED if all(c in header for c in REQUIRED[e]))
                continue
            if len(row) != len(header):
                self.rejects.append((fname, line, entity,
                                     f"has {len(row)} fields, the header has {len(header)}"))
                continue
            rec = {h: c.strip() for h, c in zip(header, row)}
            self.offer(entity, rec, fname, line)

    def read_xml(self, path, fname):
        p = xml.parsers.expat.ParserCreate("UTF-8")
        stack = []   # (tag, attrs, line, text parts)
        ctx = {}

        def start(tag, attrs):
            stack.append((tag, {k: v.strip() for k, v in attrs.items()}, p.CurrentLineNumber,
                          []))
            if tag == "mailboxes":
                ctx["cluster"] = attrs.get("cluster", "").strip()
            elif tag == "reseller":
                ctx["reseller"] = attrs.get("id", "").strip()
                ctx["res_rec"] = {"reseller_id": ctx["reseller"],
                                  "language": attrs.get("language", "").strip() or "en"}
                ctx["res_line"] = p.CurrentLineNumber
            elif tag == "customer":
                ctx["customer"] = attrs.get("id", "").strip()
                ctx["cust_rec"] = {"customer_id": ctx["customer"],
                                   "reseller_id": ctx["reseller"]}
                ctx["cust_line"] = p.CurrentLineNumber
            elif tag == "contact":
                target = ctx["cust_rec"] if stack[-2][0] == "customer" else ctx["res_rec"]
                target["contact_email"] = attrs.get("email", "").strip()
                if "name" in attrs:
                    target["contact_name"] = attrs["name"].strip()
            elif tag == "mailbox":
                rec = {"address": attrs.get("address", "").strip(),
                       "cluster": attrs.get("cluster", "").strip() or ctx["cluster"],
                       "volume": attrs.get("volume", "").strip()}
                self.offer("mailboxes", rec, fname, p.CurrentLineNumber)

        def chars(data):
            if stack:
                stack[-1][3].append(data)

        def end(tag):
            t, attrs, line, parts = stack.pop()
            text = "".join(parts).strip()
            if tag == "name":
                parent = stack[-1][0]
                (ctx["cust_rec"] if parent == "customer" else ctx["res_rec"])["name"] = text
            elif tag == "domain":
                self.offer("domains", {"domain": text, "customer_id": ctx["customer"]}, fname,
                           line)
            elif tag == "customer":
                self.offer("customers", ctx["cust_rec"], fname, ctx["cust_line"])
            elif tag == "reseller":
                self.offer("resellers", ctx["res_rec"], fname, ctx["res_line"])

        p.StartElementHandler, p.EndElementHandler = start, end
        p.CharacterDataHandler = chars
        with open(path, "rb") as f:
            p.ParseFile(f)

    def read_dir(self, d):
        for fname in sorted(os.listdir(d)):
            path = os.path.join(d, fname)
            if fname.endswith(".xml"):
                self.read_xml(path, fname)
            elif fname.endswith((".csv", ".tsv")):
                self.read_csv(path, fname)


def analyse(reader, offline):
    T = reader.tables
    res_ids = sorted(T["resellers"], key=lambda s: s.encode("utf-8"))
    per = {rid: {"boxes": 0, "off": 0, "cust": {}} for rid in res_ids}
    total = affected = un = un_aff = 0
    unattributed = []
    for addr, m in T["mailboxes"].items():
        off = (m["cluster"], m["volume"]) in offline
        total += 1
        affected += off
        d = T["domains"].get(m["domain"])
        c = T["customers"].get(d["customer_id"]) if d else None
        r = c["reseller_id"] if c and c["reseller_id"] in T["resellers"] else None
        if r is None:
            un += 1
            un_aff += off
            why = ("domain belongs to no customer" if d is None else
                   f"customer {d['customer_id']} unknown" if c is None else
                   f"reseller {c['reseller_id']} unknown")
            unattributed.append((addr, f"{m['cluster']}/{m['volume']}", off, why))
            continue
        p = per[r]
        p["boxes"] += 1
        p["off"] += off
        cc = p["cust"].setdefault(c["customer_id"], [0, 0])
        cc[0] += 1
        cc[1] += off

    def status(n, off):
        return "full" if n and off == n else "partial" if off else "none"

    out = []
    for rid in res_ids:
        p = per[rid]
        cs = [status(n, o) for n, o in p["cust"].values()]
        out.append({"reseller_id": rid, "name": T["resellers"][rid]["name"],
                    "status": status(p["boxes"], p["off"]), "mailboxes": p["boxes"],
                    "affected_mailboxes": p["off"], "customers": len(p["cust"]),
                    "customers_full": cs.count("full"),
                    "customers_partial": cs.count("partial")})
    totals = {"mailboxes": total, "affected_mailboxes": affected,
              "resellers_full": sum(r["status"] == "full" for r in out),
              "resellers_partial": sum(r["status"] == "partial" for r in out),
              "resellers_none": sum(r["status"] == "none" for r in out),
              "unattributed_mailboxes": un, "unattributed_affected_mailboxes": un_aff}
    doc = {"offline_volumes": [f"{c}/{v}" for c, v in
                               sorted(offline, key=lambda x: f"{x[0]}/{x[1]}".encode())],
           "totals": totals, "resellers": out}
    unattributed.sort(key=lambda u: u[0].encode("utf-8"))
    return doc, unattributed


def volume_table(reader):
    counts = {}
    for m in reader.tables["mailboxes"].values():
        k = (m["cluster"], m["volume"])
        counts[k] = counts.get(k, 0) + 1
    return sorted(counts.items(), key=lambda kv: f"{kv[0][0]}/{kv[0][1]}".encode())


# --------------------------------------------------------------------------------------------
# README
# --------------------------------------------------------------------------------------------

def md(s):
    """Escape the few characters that would render in a Markdown table cell."""
    return (s.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
            .replace("`", "\\`")) if s else s


def line_count(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def readme(out, reader, doc, unattributed, planted):
    T = reader.tables
    tot = doc["totals"]
    exp = os.path.join(out, "exports")
    files = sorted(os.listdir(exp))

    def where(entity, key):
        r = T[entity][key]
        return f"`{r['_file']}:{r['_line']}`"

    rej = sorted(reader.rejects, key=lambda r: (r[0], r[1]))
    rej_by_kind = {}
    for f, l, e, why in rej:
        rej_by_kind.setdefault(why.split(" ")[0], (f, l, e, why))
    dup_src, dup_row = planted["dup"]
    twoat_src, twoat_row = planted["twoat"]
    noat_src, noat_row = planted["noat"]
    wrong = planted["wrong"]
    ghost = planted["ghost"]

    def rej_at(pred):
        for f, l, e, why in rej:
            if pred(why):
                return f"`{f}:{l}`"
        raise RuntimeError("planted reject not found")

    a_total = sum(n for (c, v), n in volume_table(reader) if c == "A")
    a_off = sum(n for (c, v), n in volume_table(reader) if (c, v) in OFFLINE_SET)

    lines = []
    w = lines.append
    w("# Sample data for reseller-impact")
    w("")
    w("Fictional exports of a hosted-email provider, modelled on a real kind of incident, used by")
    w("`reseller-impact demo`, by the documentation and by end-to-end tests. Every company, person")
    w("and domain here is invented; all domains are under `.example`.")
    w("")
    w("**Do not edit these files by hand.** They are generated, deterministically (fixed seed, no")
    w("clock), by `scripts/make-sample-data.py`; change the script and run")
    w("`python3 scripts/make-sample-data.py` instead. The script also re-reads the files with an")
    w("independent reader that follows the import rules of `PRODUCT.md` and writes the expected")
    w("outcome below and in `expected-analysis.json`.")
    w("")
    w("## The incident")
    w("")
    w("The provider runs two mail storage clusters, `A` and `B`, with six volumes each (`vol01` to")
    w("`vol06`). Each customer's mailboxes live in one cluster and are spread at random over its")
    w("volumes. On Sunday 29 November 2026 at 06:40 UTC a RAID controller failure takes three of")
    w(f"cluster A's volumes offline: `A/vol02`, `A/vol03`, `A/vol05`, {a_off} of its {a_total} "
      f"mailboxes ({100 * a_off // a_total} %).")
    w("Cluster B is not affected. The volumes are rebuilt one after another, expected back at about")
    w("10:30, 14:00 and 17:30 UTC (see `offline-volumes.txt`). Support has to tell every affected")
    w("reseller, within the hour, whether it is hit fully or partially and which customers and")
    w("mailboxes are down, and must not alarm the resellers that are fine.")
    w("")
    w("```sh")
    w("reseller-impact import SampleData/exports")
    w("reseller-impact analyze --offline-file SampleData/offline-volumes.txt --json")
    w("reseller-impact report  --offline-file SampleData/offline-volumes.txt --out Reports")
    w("```")
    w("")
    w("## Files")
    w("")
    w("The importer reads a directory in file-name order, which decides which copy of a duplicate")
    w("wins.")
    w("")
    w("| file | format | content |")
    w("|---|---|---|")
    desc = {
        "01-resellers.xml": "XML reseller export (billing system): {r} resellers with their "
                            "customers and domains nested; one reseller without a `language` "
                            "attribute (defaults to `en`), one name padded with white space, one "
                            "customer name in CDATA, `&` escaped as `&amp;`",
        "02-resellers-partners.csv": "CSV, saved by Excel on Windows (UTF-8 BOM, CRLF): {r} "
                                     "more resellers from the partner portal; one name quoted "
                                     "because it holds a comma",
        "03-customers-partners.csv": "CSV: the partner resellers' customers; one name with "
                                     "doubled quotes and a comma",
        "04-domains-partners.csv": "CSV: their domains; one written with capitals and a "
                                   "trailing dot",
        "10-mailboxes-cluster-A.xml": "XML mailbox export of cluster A (`cluster=\"A\"` on "
                                      "`<mailboxes>` is the default), grouped by volume; a few "
                                      "addresses in mixed case, one with a non-ASCII local part",
        "11-mailboxes-cluster-B.csv": "CSV mailbox export of cluster B, sorted by address, "
                                      "with the optional `size_mb` column (empty in a few rows)",
        "12-mailboxes-provisioned-late.tsv": "TSV: mailboxes created after the nightly exports "
                                             "ran (provisioning API log), both clusters; its "
                                             "extra `provisioned_at` column is ignored",
    }
    xml_r = sum(1 for r in T["resellers"].values() if r["_file"] == "01-resellers.xml")
    csv_r = sum(1 for r in T["resellers"].values() if r["_file"] == "02-resellers-partners.csv")
    for f in files:
        rows = line_count(os.path.join(exp, f))
        unit = "lines"
        w(f"| `exports/{f}` | {f.rsplit('.', 1)[1].upper()} | "
          f"{desc[f].format(r=xml_r if f.startswith('01') else csv_r)} ({rows} {unit}) |")
    w("| `offline-volumes.txt` | text | the incident's offline volumes, one `CLUSTER/VOLUME` per "
      "line, with a comment header (for `--offline-file`) |")
    w("| `expected-analysis.json` | JSON | the `analyze --json` document the tool should print "
      "for this data and these volumes |")
    w("")
    per_entity = {e: len(T[e]) for e in T}
    w(f"After import: {per_entity['resellers']} resellers, {per_entity['customers']} customers, "
      f"{per_entity['domains']} domains, {per_entity['mailboxes']} mailboxes; "
      f"{len(rej)} rows rejected.")
    w("")
    w("Mailboxes per volume:")
    w("")
    w("| volume | mailboxes | state |")
    w("|---|---:|---|")
    for (c, v), n in volume_table(reader):
        w(f"| `{c}/{v}` | {n} | {'**offline**' if (c, v) in OFFLINE_SET else 'online'} |")
    w("")
    w("## Deliberate data problems")
    w("")
    w("Seven problems are planted so the import summary shows how bad data is handled; nothing")
    w("else in the data is wrong. Four rows are **rejected** (not imported, listed with file, line")
    w("and reason); three **broken links** are kept and flagged, and their mailboxes are")
    w("**unattributed** (counted in the totals, listed in the summary, in no reseller's draft).")
    w("")
    w("| # | where | problem | expected handling |")
    w("|---|---|---|---|")
    w(f"| 1 | {rej_at(lambda s: s.startswith('duplicate'))} | duplicate address "
      f"`{dup_row['address']}`: a mailbox being moved from A to B is listed in both exports "
      f"(the B row in other capitals, on `B/{dup_row['volume']}`) | rejected as a duplicate of "
      f"{where('mailboxes', dup_src['address'])}, which was read first; the mailbox stays on "
      f"`A/{dup_src['volume']}` (offline) |")
    w(f"| 2 | {rej_at(lambda s: '@@' in s)} | address with two `@`: "
      f"`{twoat_row['address']}` | rejected: address has 2 '@' (exactly one is allowed) |")
    w(f"| 3 | {rej_at(lambda s: s.endswith(noat_row['address']))} | address without `@`: "
      f"`{noat_row['address']}` | rejected: address has no '@' |")
    w(f"| 4 | {rej_at(lambda s: s.startswith('has ') and 'the header has' in s)} | row with 3 fields, the "
      f"header has 4 (the volume of `{wrong['address']}` is missing) | rejected: has 3 fields, "
      f"the header has 4 |")
    w(f"| 5 | {where('domains', planted['orphan_domain'])} | orphan domain "
      f"`{planted['orphan_domain']}`: its customer `C6999` (cancelled) is in no customer export; "
      f"its {len(planted['orphan_boxes'])} mailboxes on cluster B are still listed | kept and "
      f"flagged; its mailboxes are unattributed |")
    w(f"| 6 | {where('customers', ghost['id'])} | customer `{ghost['id']}` "
      f"({md(ghost['name'])}) belongs to reseller `R2099`, a partner still being onboarded and "
      f"in no reseller export; its domain `{ghost['domains'][0]}` has "
      f"{len(ghost['mailboxes'])} mailboxes on cluster A | kept and flagged; its mailboxes are "
      f"unattributed |")
    w(f"| 7 | `12-mailboxes-provisioned-late.tsv` | {len(planted['stray_boxes'])} mailboxes on "
      f"`{planted['stray_domain']}`, a domain that belongs to no customer (created through the "
      f"API before the customer's records reached any export) | kept and flagged; unattributed |")
    w("")
    w("Rejected rows, as the import summary should list them:")
    w("")
    w("| file:line | entity | reason |")
    w("|---|---|---|")
    for f, l, e, why in rej:
        w(f"| `{f}:{l}` | {e} | {md(why)} |")
    w("")
    w("Not problems, but things the importer must get right:")
    w("")
    w("- Case and trailing dots: six addresses in `10-mailboxes-cluster-A.xml` are written in mixed")
    w("  case (`Anna.Schmidt@Baeckerei-Schmidt.example` style), one domain in")
    w("  `04-domains-partners.csv` has capitals and a trailing dot, and the duplicate in problem 1")
    w("  differs from its first occurrence only in case. All must match after normalisation.")
    w(f"- UTF-8: names such as {md('Jürgen Köhler')}, {md('Hébergement Lumière SARL')}, "
      f"{md('Café Pixel Agence Web')}, and one mailbox with a non-ASCII local part, "
      f"`{planted['utf8']['address']}` (written `{planted['utf8']['written']}`).")
    w("- `&` in names: Smith & Partners IT Ltd and several customer names in the XML (written")
    w("  `&amp;`, one customer name in CDATA instead), `\"Hughes, Patel & Co. Digital\"` in CSV")
    w("  (quoted because of the comma). Reports must show them as a plain `&`, escaped as their")
    w("  format requires.")
    w("- `R2005` Tidewater Web Services signed up recently: one customer with one domain and no")
    w("  mailboxes yet. Its status is `none` with 0 mailboxes and 0 customers.")
    w("")
    w("## Expected outcome")
    w("")
    w("With `--offline-file offline-volumes.txt` (`A/vol02`, `A/vol03`, `A/vol05`):")
    w("")
    w(f"- mailboxes: **{tot['mailboxes']}**, affected: **{tot['affected_mailboxes']}** "
      f"(both including unattributed ones)")
    w(f"- resellers: **{tot['resellers_full']} full**, **{tot['resellers_partial']} partial**, "
      f"**{tot['resellers_none']} none**")
    w(f"- unattributed mailboxes: **{tot['unattributed_mailboxes']}**, of which affected: "
      f"**{tot['unattributed_affected_mailboxes']}**")
    w(f"- notification drafts: {tot['resellers_full'] + tot['resellers_partial']} (one per "
      f"reseller whose status is not `none`)")
    w("")
    w("| reseller | name | status | mailboxes | affected | customers | cust. full | "
      "cust. partial | why |")
    w("|---|---|---|---:|---:|---:|---:|---:|---|")
    why = {"A-offline": "deliberate: every mailbox on an offline A volume",
           "A-online": "deliberate: only on online A volumes",
           "B": "deliberate: only on cluster B", "mixed": "customers on A and B"}
    mode = {r["id"]: r for r in RESELLERS}
    for r in doc["resellers"]:
        m = mode[r["reseller_id"]]
        reason = why[m["mode"]] if m["target"] else "new reseller, no mailboxes yet"
        w(f"| `{r['reseller_id']}` | {md(r['name'])} | **{r['status']}** | {r['mailboxes']} | "
          f"{r['affected_mailboxes']} | {r['customers']} | {r['customers_full']} | "
          f"{r['customers_partial']} | {reason} |")
    w("")
    w("Unattributed mailboxes:")
    w("")
    w("| address | volume | affected | why |")
    w("|---|---|---|---|")
    for a, v, off, reason in unattributed:
        w(f"| `{a}` | `{v}` | {'yes' if off else 'no'} | {reason} |")
    w("")
    write_text(os.path.join(out, "README.md"), "\n".join(lines))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(here), "SampleData"))
    args = ap.parse_args()
    out = args.out

    planted = build(out)
    reader = Reader()
    reader.read_dir(os.path.join(out, "exports"))
    doc, unattributed = analyse(reader, OFFLINE_SET)
    write_text(os.path.join(out, "expected-analysis.json"),
               json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    readme(out, reader, doc, unattributed, planted)

    t = doc["totals"]
    print(f"wrote {out}")
    print(f"mailboxes {t['mailboxes']}, affected {t['affected_mailboxes']}, "
          f"unattributed {t['unattributed_mailboxes']} "
          f"(affected {t['unattributed_affected_mailboxes']})")
    print(f"resellers: full {t['resellers_full']}, partial {t['resellers_partial']}, "
          f"none {t['resellers_none']}")
    for r in doc["resellers"]:
        print(f"  {r['reseller_id']}  {r['status']:<7} {r['affected_mailboxes']:>4}/"
              f"{r['mailboxes']:<4} customers {r['customers']:>3} (full {r['customers_full']}, "
              f"partial {r['customers_partial']})  {r['name']}")
    print(f"rejected rows: {len(reader.rejects)}")
    for f, l, e, why in reader.rejects:
        print(f"  {f}:{l}  {e}: {why}")
    for a, v, off, why in unattributed:
        print(f"  unattributed {a} {v} {'OFFLINE' if off else ''} ({why})")


if __name__ == "__main__":
    main()
