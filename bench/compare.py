"""Checks that several batch-query CSVs give the same answers.

    python compare.py REFERENCE.csv OTHER.csv...

Rows are keyed by (query_id, incident_id). Reports, for each other file: pairs missing or
extra, rank differences, the largest distance difference (must be within 1 mm) and the
largest bearing difference. Exits 1 on any mismatch.
"""

import csv
import sys


def load(path):
    rows = {}
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows[(r["query_id"], r["incident_id"])] = (int(r["rank"]), float(r["distance_m"]), float(r["bearing_deg"]))
    return rows


def main(ref_path, *others):
    ref = load(ref_path)
    bad = False
    for path in others:
        got = load(path)
        missing = ref.keys() - got.keys()
        extra = got.keys() - ref.keys()
        common = ref.keys() & got.keys()
        ranks = sum(1 for k in common if ref[k][0] != got[k][0])
        dd = max((abs(ref[k][1] - got[k][1]) for k in common), default=0.0)
        db = max((min(abs(ref[k][2] - got[k][2]), 360 - abs(ref[k][2] - got[k][2])) for k in common), default=0.0)
        ok = not missing and not extra and ranks == 0 and dd <= 0.001 + 1e-9
        bad |= not ok
        print(
            f"{path}: {len(got)} rows vs {len(ref)}; missing {len(missing)}, extra {len(extra)}, "
            f"rank differences {ranks}, max |Δdistance| {dd * 1000:.3f} mm, "
            f"max |Δbearing| {db:.3f}° — {'SAME' if ok else 'MISMATCH'}"
        )
        for k in sorted(missing)[:5]:
            print(f"  missing {k}: {ref[k]}")
        for k in sorted(extra)[:5]:
            print(f"  extra {k}: {got[k]}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main(*sys.argv[1:])
