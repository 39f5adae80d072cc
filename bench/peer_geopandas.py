"""The naive Python peer: geopandas `read_file` + `sindex`, one query at a time.

    python peer_geopandas.py INCIDENTS.geojson QUERIES.csv[,MORE.csv] OUT.csv

What it does, as a typical user would:
1. `geopandas.read_file` (pyogrio) loads the whole file into a GeoDataFrame.
2. The frame is projected to a metric CRS, UTM zone 42N (EPSG:32642), and its `sindex`
   (an STRtree) is built.
3. Each query, in a Python loop: the query point is projected, buffered by the radius
   plus 1 % (UTM's scale error over lon 68-74.5 is below 0.5 %, so the buffer holds the whole
   geodesic disc), `sindex.query(buffer, predicate="intersects")` gives the candidates, and
   `pyproj.Geod.inv` gives their exact geodesic distances and bearings; candidates beyond the
   radius are dropped. kNN: the same with a radius that doubles from 2 km until k candidates
   lie inside it.
4. Rows are sorted by (distance, id) and written as CSV.
"""

import sys

import geopandas as gpd
import numpy as np
from pyproj import Transformer
from shapely.geometry import Point

from peer_common import Clock, read_queries, refine, rows_for, write_rows

UTM = "EPSG:32642"


def main(inp, queries, out):
    clock = Clock()
    gdf = gpd.read_file(inp)
    gdf = gdf[~gdf.geometry.isna()].reset_index(drop=True)
    clock.lap("load")
    ids = gdf["id"].astype(str).to_numpy()
    plon = gdf.geometry.x.to_numpy()
    plat = gdf.geometry.y.to_numpy()
    proj = gdf.to_crs(UTM)
    sindex = proj.sindex
    clock.lap("index")
    to_utm = Transformer.from_crs("EPSG:4326", UTM, always_xy=True)
    qids, qlon, qlat, qrad, qk = read_queries(queries)
    lines = []

    def within(q, x, y, r):
        cand = sindex.query(Point(x, y).buffer(r * 1.01), predicate="intersects")
        d, az = refine(np.full(len(cand), qlon[q]), np.full(len(cand), qlat[q]), plon[cand], plat[cand])
        keep = d <= r
        return cand[keep], d[keep], az[keep]

    for q in range(len(qids)):
        x, y = to_utm.transform(qlon[q], qlat[q])
        k = int(qk[q]) or None
        if not np.isnan(qrad[q]):
            cand, d, az = within(q, x, y, qrad[q])
        else:
            r = 2000.0
            while True:
                cand, d, az = within(q, x, y, r)
                if len(cand) >= k or r > 2.1e7:
                    break
                r *= 2.0
        lines += rows_for(qids[q], list(cand), d, az, ids, k)
    clock.lap("query")
    write_rows(out, lines)
    clock.lap("write")
    clock.report("geopandas")


if __name__ == "__main__":
    main(*sys.argv[1:4])
