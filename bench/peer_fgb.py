"""The peer of `bordermap near --input FILE.fgb --lat LAT --lon LON --radius-km R --format
csv`: geopandas reads the features in the circle's lon/lat envelope through GDAL's
FlatGeobuf driver (which uses the file's packed Hilbert R-tree, as bordermap does), then the
exact geodesic (Karney, via PROJ) keeps those within the radius, nearest first, ties by id.

Usage: peer_fgb.py FILE.fgb LAT LON RADIUS_KM OUT.csv
Prints the phase times to stderr; writes `id,distance_m,bearing_deg` rows.
"""

import sys

import geopandas as gpd
import numpy as np

from peer_common import Clock, degree_box, fmt, refine


def main():
    path, lat, lon, radius_km, out = sys.argv[1:6]
    lat, lon, r = float(lat), float(lon), float(radius_km) * 1000.0
    clock = Clock()
    west, south, east, north = degree_box(lon, lat, r)
    df = gpd.read_file(path, bbox=(west, south, east, north), engine="pyogrio")
    clock.lap("read")
    ids = df["id"].astype(str).to_numpy()
    n = len(df)
    dist, az = refine(np.full(n, lon), np.full(n, lat), df.geometry.x.to_numpy(), df.geometry.y.to_numpy())
    keep = dist <= r
    rows = sorted(zip(dist[keep].round(3), ids[keep], az[keep]), key=lambda t: (t[0], t[1]))
    with open(out, "w", encoding="utf-8") as f:
        f.write("id,distance_m,bearing_deg\n")
        for d, i, a in rows:
            f.write(f"{i},{fmt(d)},{fmt(round(a % 360.0, 2))}\n")
    clock.lap("answer")


if __name__ == "__main__":
    main()
