//! Resource bombs: a stated limit with a message naming the option, or work that grows
//! linearly with the input.

use super::{Case, fc};

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
fn gazetteer_row_with_200000_alternate_names_loads() {
    let c = Case::new();
    let names: Vec<String> = (0..200_000).map(|i| format!("Alt{i}")).collect();
    let row = format!(
        "9990001\tXylotepa\tXylotepa\t{}\t39.9012\t70.6123\tP\tPPL\tTJ\t\t05\t\t\t\t0\t\t1100\tAsia/Dushanbe\t2024-01-01\n",
        names.join(",")
    );
    c.file("g.tsv", row);
    let r = c.run(&["locate", "Xylotepa", "--gazetteer", "g.tsv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Xylotepa"), "{}", r.stdout);
    // The last alternate name is a name of the place. (How long this takes, once quadratic,
    // is measured by the bad-input benchmark in bench/README.md, not here.)
    let r = c.run(&["locate", "Alt199999", "--gazetteer", "g.tsv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Xylotepa"), "{}", r.stdout);
}

#[test]
fn facet_month_over_centuries_refuses_or_draws_a_narrowed_span() {
    let c = Case::new();
    let f = |id: usize| {
        format!(
            r#"{{"type":"Feature","id":"f{id}","geometry":{{"type":"Point","coordinates":[70.6,39.9]}},"properties":{{"title":"t","date_start":"1200-01-01","date_end":"2022-09-16"}}}}"#
        )
    };
    let features: Vec<String> = (0..20_000).map(f).collect();
    c.file("in.geojson", fc(&features.join(",")));
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
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn map_area_of_a_few_centimetres_is_refused_not_a_panic() {
    let c = Case::new();
    for args in [
        &[
            "render",
            "-o",
            "x.png",
            "--bbox",
            "70.5,39.9,70.5000001,39.9000001",
        ][..],
        &[
            "render",
            "-o",
            "x.png",
            "--around",
            "Vorukh",
            "--radius-km",
            "0.0000001",
        ][..],
    ] {
        let r = c.run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("a map needs at least 50 m"),
            "{}",
            r.stderr
        );
        assert!(!c.path("x.png").exists(), "no output on failure");
    }
    // 100 m across is a map.
    let r = c.run(&[
        "render",
        "-o",
        "x.png",
        "--bbox",
        "70.5,39.9,70.5012,39.901",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}
