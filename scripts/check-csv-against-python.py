#!/usr/bin/env python3
"""Parses CSV/TSV files with Python's `csv` module, as our CSVReader should, and prints the
records as JSON: [{"line": first line of the record, "fields": [...]}, ...].

Python's reader is the reference for well-formed files only (it accepts broken quoting that
ours rejects). To match our rules: the byte-order mark is dropped (utf-8-sig), line breaks in
quotes are kept (newline=""), and lines that are empty or only spaces/tabs are left out.

    scripts/check-csv-against-python.py FILE...            # print
    scripts/check-csv-against-python.py --write FILE...    # write FILE.expected.json beside each

The Swift test CSVReaderTests compares the reader with the .expected.json files.
"""
import csv
import json
import sys


def records(path):
    delimiter = "\t" if path.endswith(".tsv") else ","
    result = []
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f, delimiter=delimiter, strict=True)
        previous_end = 0
        for row in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if all(field.strip(" \t") == "" for field in row) and (len(row) <= 1 or delimiter == "\t"):
                # An empty or white-space-only line. (A quoted "  " alone on a line would be
                # dropped here too; the fixtures have none.)
                continue
            result.append({"line": start, "fields": row})
    return result


def main(args):
    write = "--write" in args
    paths = [a for a in args if a != "--write"]
    if not paths:
        sys.exit(__doc__)
    for path in paths:
        text = json.dumps(records(path), ensure_ascii=False, indent=1) + "\n"
        if write:
            with open(path + ".expected.json", "w", encoding="utf-8") as out:
                out.write(text)
        else:
            print(f"# {path}")
            print(text, end="")


if __name__ == "__main__":
    main(sys.argv[1:])
