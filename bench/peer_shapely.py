"""The skilled Python peer: orjson + numpy + shapely 2 STRtree + vectorised pyproj refine.

    python peer_shapely.py INCIDENTS.geojson QUERIES.csv[,MORE.csv] OUT.csv

1. orjson parses the whole file; ids and positions go into numpy arrays.
2. An STRtree is built over the points in lon/lat degrees.
3. Radius queries, all at once: one degree envelope per query, widened for latitude so that
   it holds the whole geodesic disc (see peer_common.degree_box); `STRtree.query` with the
   array of envelopes returns every (query, candidate) pair in one call; one vectorised
   `Geod.inv` gives the exact distances and bearings; pairs beyond the radius are dropped.
4. kNN queries: the same, with a radius that doubles (from 2 km) for the queries that do
   not yet have k candidates inside it; then the k nearest are kept.
5. Results are sorted by (query, distance, id) with numpy and written as CSV.
"""

import sys

import numpy as np
import orjson
import shapely

from peer_common import Clock, degree_box, read_queries, refine, rows_for, write_rows


def load(path):
    with open(path, "rb") as f:
        data = orjson.loads(f.read())
    feats = data["features"]
    ids, lon, lat = [], [], []
    for i, f in enumerate(feats):
        g = f.get("geometry")
        if not g:
            continue
        fid = f.get("id")
        if fid is None:
            fid = (f.get("properties") or {}).get("id", i)
        c = g["coordinates"]
        ids.append(str(fid))
        lon.append(c[0])
        lat.append(c[1])
    return np.array(ids, dtype=object), np.array(lon, dtype=float), np.array(lat, dtype=float)


def pairs_within(tree, plon, plat, qlon, qlat, r):
    """(query index, point index, distance, bearing) for every point within r of a query."""
    boxes = shapely.box(*degree_box(qlon, qlat, r))
    qi, pi = tree.query(boxes)
    d, az = refine(qlon[qi], qlat[qi], plon[pi], plat[pi])
    keep = d <= r[qi]
    return qi[keep], pi[keep], d[keep], az[keep]


def main(inp, queries, out):
    clock = Clock()
    ids, plon, plat = load(inp)
    clock.lap("load")
    tree = shapely.STRtree(shapely.points(plon, plat))
    id_rank = np.empty(len(ids), dtype=np.int64)
    id_rank[np.argsort(ids, kind="stable")] = np.arange(len(ids))
    clock.lap("index")
    qids, qlon, qlat, qrad, qk = read_queries(queries)
    nq = len(qids)
    results = []  # (qi, pi, d, az) chunks
    # radius queries (with or without k)
    rq = np.flatnonzero(~np.isnan(qrad))
    if len(rq):
        qi, pi, d, az = pairs_within(tree, plon, plat, qlon[rq], qlat[rq], qrad[rq])
        results.append((rq[qi], pi, d, az))
    # kNN-only queries: double the radius until k candidates lie inside it
    pending = np.flatnonzero(np.isnan(qrad) & (qk > 0))
    r = np.full(len(pending), 2000.0)
    while len(pending):
        qi, pi, d, az = pairs_within(tree, plon, plat, qlon[pending], qlat[pending], r)
        counts = np.bincount(qi, minlength=len(pending))
        done = (counts >= qk[pending]) | (r > 2.1e7)
        keep = done[qi]
        results.append((pending[qi[keep]], pi[keep], d[keep], az[keep]))
        pending, r = pending[~done], r[~done] * 2.0
    qi = np.concatenate([x[0] for x in results]) if results else np.empty(0, dtype=np.int64)
    pi = np.concatenate([x[1] for x in results]) if results else np.empty(0, dtype=np.int64)
    d = np.concatenate([x[2] for x in results]) if results else np.empty(0)
    az = np.concatenate([x[3] for x in results]) if results else np.empty(0)
    order = np.lexsort((id_rank[pi], d, qi))
    qi, pi, d, az = qi[order], pi[order], d[order], az[order]
    clock.lap("query")
    lines = []
    bounds = np.searchsorted(qi, np.arange(nq + 1))
    for q in range(nq):
        a, b = bounds[q], bounds[q + 1]
        if a == b:
            continue
        k = int(qk[q]) or None
        cand = pi[a:b]
        lines += rows_for(qids[q], list(range(b - a)), d[a:b], az[a:b], ids[cand], k)
    write_rows(out, lines)
    clock.lap("write")
    clock.report("shapely")


if __name__ == "__main__":
    main(*sys.argv[1:4])
