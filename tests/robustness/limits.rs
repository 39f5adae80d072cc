//! Resource bombs: a stated limit with a message naming the option, or work that grows
//! linearly with the input.

use super::{Case, fc};
use std::time::{Duration, Instant};

#[test]
fn html_page_limit_names_the_flag() {
    let c = Case::new();
    let f = |id: usize| {
        format!(
            r#"{{"type":"Feature","id":"f{id}","geometry":{{"type":"Point","coordinates":[70.6,39.9]}},"properties":{{"title":"t","date_start":"2022-09-16","date_end":"2022-09-16"}}}}"#
        )
    };
    let features: Vec<String> = (0..3).map(f).collect();
    c.file("in.geojson", fc(&features.join(",")));
    let r = c.run(&[
        "html",
        "--input",
        "in.geojson",
        "--max-incidents",
        "2",
        "-o",
        "map.html",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("in.geojson: the incidents: 3 incidents, more than the page's limit of 2; pass --max-incidents 3"),
        "{}",
        r.stderr
    );
    assert!(!c.path("map.html").exists(), "no page written");
    let r = c.run(&[
        "html",
        "--input",
        "in.geojson",
        "--max-incidents",
        "3",
        "-o",
        "map.html",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn gazetteer_row_with_200000_alternate_names_loads_in_linear_time() {
    let c = Case::new();
    let names: Vec<String> = (0..200_000).map(|i| format!("Alt{i}")).collect();
    let row = format!(
        "9990001\tXylotepa\tXylotepa\t{}\t39.9012\t70.6123\tP\tPPL\tTJ\t\t05\t\t\t\t0\t\t1100\tAsia/Dushanbe\t2024-01-01\n",
        names.join(",")
    );
    c.file("g.tsv", row);
    let start = Instant::now();
    let r = c.run(&["locate", "Xylotepa", "--gazetteer", "g.tsv"]);
    let took = start.elapsed();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Xylotepa"), "{}", r.stdout);
    // A list scan per name took 20 s and more; a set takes well under a second.
    assert!(took < Duration::from_secs(8), "took {took:?}");
}

#[test]
fn facet_month_over_centuries_refuses_or_draws_quickly() {
    let c = Case::new();
    let f = |id: usize| {
        format!(
            r#"{{"type":"Feature","id":"f{id}","geometry":{{"type":"Point","coordinates":[70.6,39.9]}},"properties":{{"title":"t","date_start":"1200-01-01","date_end":"2022-09-16"}}}}"#
        )
    };
    let features: Vec<String> = (0..20_000).map(f).collect();
    c.file("in.geojson", fc(&features.join(",")));
    let start = Instant::now();
    let r = c.run(&[
        "render",
        "--input",
        "in.geojson",
        "--facet",
        "month",
        "-o",
        "m.svg",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--from and --to"), "{}", r.stderr);
    let r = c.run(&[
        "render",
        "--input",
        "in.geojson",
        "--facet",
        "month",
        "--from",
        "2022-01-01",
        "--to",
        "2022-03-31",
        "-o",
        "m.svg",
    ]);
    let took = start.elapsed();
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Walking every month of eight centuries for each incident took 20,000 × 9,800 steps.
    assert!(took < Duration::from_secs(20), "took {took:?}");
}
