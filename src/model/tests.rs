//! Unit tests of the data model.
use super::*;

#[test]
fn bbox_checks() {
    assert!(
        parse_lonlat_box("1,2,3")
            .unwrap_err()
            .contains("four numbers")
    );
    assert!(
        parse_lonlat_box("1,2,3,nan")
            .unwrap_err()
            .contains("finite")
    );
    assert!(
        parse_lonlat_box("70,41,71,40")
            .unwrap_err()
            .contains("north of")
    );
    assert!(parse_lonlat_box("70,91,71,92").is_err());
    assert_eq!(parse_lonlat_box("170,-10,-170,10").unwrap()[0], 170.0);
}

#[test]
fn lonlat_rejects_nan_range_and_metres() {
    assert!(LonLat::new(f64::NAN, 1.0).unwrap_err().contains("finite"));
    assert!(LonLat::new(10.0, 91.0).unwrap_err().contains("latitude 91"));
    assert!(
        LonLat::new(181.0, 10.0)
            .unwrap_err()
            .contains("longitude 181")
    );
    assert!(
        LonLat::new(500000.0, 4649776.0)
            .unwrap_err()
            .contains("projected metres")
    );
    assert!(LonLat::new(39.8, 170.5).unwrap_err().contains("swapped"));
}

#[test]
fn dates_check_calendar() {
    assert!(Date::parse("2024-02-29").is_ok());
    assert!(Date::parse("2023-02-29").is_err());
    assert!(Date::parse("2022-13-01").is_err());
    assert!(Date::parse("22-01-01").is_err());
    assert_eq!(Date::parse("1970-01-01").unwrap().days(), 0);
    assert_eq!(Date::parse("2000-03-01").unwrap().days(), 11017);
}

#[test]
fn fatalities_overall_claims_only() {
    let mut inc = tests_support::incident("x");
    for (k, date) in [(50, "2022-09-16"), (100, "2022-09-16"), (70, "2022-09-15")] {
        inc.claims.push(Claim {
            claimant: "AFP".into(),
            claimant_side: Side::ThirdParty,
            victims: Side::All,
            killed: Some(k),
            source: "s".into(),
            date: date.into(),
            ..Claim::default()
        });
    }
    // The latest report wins (on the same day, the later one in the file).
    let f = inc.fatalities();
    assert_eq!((f.low, f.best, f.high), (Some(50), Some(100), Some(100)));
}

#[test]
fn fatalities_open_high_and_later_overall_report() {
    let claim = |side, victims, killed, min, date: &str| Claim {
        claimant: "c".into(),
        claimant_side: side,
        victims,
        killed: Some(killed),
        killed_min: min,
        source: "s".into(),
        date: date.into(),
        ..Claim::default()
    };
    let mut inc = tests_support::incident("x");
    inc.claims = vec![
        claim(Side::Kg, Side::Kg, 24, false, "2022-09-17"),
        claim(Side::Unattributed, Side::Kg, 63, false, "2023"),
        claim(Side::Unattributed, Side::Tj, 83, false, "2023"),
        claim(Side::Kg, Side::Tj, 200, true, "2023"),
        claim(Side::Unattributed, Side::All, 100, true, "2022-10-07"),
    ];
    let f = inc.fatalities();
    // 63 + 83: the latest figure per side; on the same date a neutral figure before the
    // other side's. The high end is open: "200+".
    assert_eq!(
        (f.low, f.best, f.high, f.high_open),
        (Some(100), Some(146), None, true)
    );
    // A later report of both sides together is the best.
    inc.claims
        .push(claim(Side::Unattributed, Side::All, 150, false, "2024"));
    assert_eq!(inc.fatalities().best, Some(150));
    // Sums never wrap.
    inc.claims = vec![
        claim(Side::Kg, Side::Kg, u32::MAX, false, "2022-09-17"),
        claim(Side::Tj, Side::Tj, 3, false, "2022-09-17"),
    ];
    assert_eq!(inc.fatalities().best, Some(u64::from(u32::MAX) + 3));
}
