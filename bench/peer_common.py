"""Shared by the Python peers: the batch query CSV, the exact geodesic refine and the CSV
rows, so that both peers answer exactly the question `bordermap near --queries` answers.

Rows: ``query_id,incident_id,rank,distance_m,bearing_deg``, results nearest first, ties by
incident id; distances rounded to the millimetre, bearings to 0.01 degree, as bordermap does.
"""

import csv
import math
import sys
import time

import numpy as np
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
# a(1 - e^2): the smallest radius of curvature of WGS84, metres. Every geodesic of length s
# spans at most s / MIN_RADIUS_M radians of latitude, and of longitude at most
# s / (MIN_RADIUS_M * cos(lat)) near the query (away from the poles and the antimeridian).
MIN_RADIUS_M = 6378137.0 * (1.0 - 0.006694379990141317)


class Clock:
    """Phase timer: prints `phase seconds` lines to stderr and keeps them."""

    def __init__(self):
        self.t0 = self.last = time.perf_counter()
        self.phases = {}

    def lap(self, name):
        now = time.perf_counter()
        self.phases[name] = now - self.last
        self.last = now

    def report(self, label):
        total = time.perf_counter() - self.t0
        parts = " ".join(f"{k}={v:.3f}" for k, v in self.phases.items())
        print(f"{label}: total={total:.3f} {parts}", file=sys.stderr)


def read_queries(paths):
    """Reads batch query CSVs (id,lat,lon[,radius_km][,k]), comma-separated paths, in order.

    Returns (ids, lon, lat, radius_m or nan, k or 0) arrays."""
    ids, lon, lat, rad, k = [], [], [], [], []
    for path in paths.split(","):
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                ids.append(row["id"])
                lon.append(float(row["lon"]))
                lat.append(float(row["lat"]))
                r = (row.get("radius_km") or "").strip()
                rad.append(float(r) * 1000.0 if r else math.nan)
                kk = (row.get("k") or "").strip()
                k.append(int(kk) if kk else 0)
    return ids, np.array(lon), np.array(lat), np.array(rad), np.array(k, dtype=np.int64)


def degree_box(lon, lat, r):
    """A lon/lat envelope that holds every point within r metres (geodesic) of (lon, lat)."""
    dlat = np.degrees(r / MIN_RADIUS_M)
    far = np.minimum(np.abs(lat) + dlat, 89.9)
    dlon = np.degrees(r / (MIN_RADIUS_M * np.cos(np.radians(far))))
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def refine(qlon, qlat, plon, plat):
    """Exact geodesic distance (Karney, via PROJ) and initial bearing, vectorised."""
    az, _, dist = GEOD.inv(qlon, qlat, plon, plat)
    return np.asarray(dist), np.asarray(az)


def fmt(x):
    """Shortest round-trip text of a float, without a trailing `.0` (as Rust prints f64)."""
    s = repr(float(x))
    return s[:-2] if s.endswith(".0") else s


def rows_for(qid, cand, dist, az, ids, k=None):
    """CSV lines for one query: candidates already within the radius; nearest first, ties by id."""
    order = sorted(range(len(cand)), key=lambda j: (dist[j], ids[cand[j]]))
    if k:
        order = order[:k]
    out = []
    for rank, j in enumerate(order, 1):
        d = dist[j]
        b = 0.0 if d == 0.0 else float(az[j]) % 360.0
        out.append(f"{qid},{ids[cand[j]]},{rank},{fmt(math.floor(d * 1000.0 + 0.5) / 1000.0)},{fmt(math.floor(b * 100.0 + 0.5) / 100.0)}\n")
    return out


def write_rows(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        f.write("query_id,incident_id,rank,distance_m,bearing_deg\n")
        f.writelines(lines)
