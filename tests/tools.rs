//! The rule for tests that need an external program (`util::require_tool`): under `CI=true`
//! a missing program fails the test and names it; elsewhere the test is skipped with a note.

mod util;

use std::panic::catch_unwind;

fn panic_message(e: Box<dyn std::any::Any + Send>) -> String {
    e.downcast_ref::<String>()
        .cloned()
        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

#[test]
fn a_missing_tool_fails_under_ci_and_names_the_tool() {
    let err = catch_unwind(|| util::tool_decision(false, Some("true"), "ogrinfo (GDAL)"))
        .expect_err("a missing tool under CI=true must fail the test");
    assert_eq!(
        panic_message(err),
        "ogrinfo (GDAL) is required under CI=true but not installed"
    );
}

#[test]
fn a_missing_tool_is_skipped_outside_ci() {
    assert!(!util::tool_decision(false, None, "ogrinfo (GDAL)"));
    assert!(!util::tool_decision(false, Some("false"), "ogrinfo (GDAL)"));
    assert!(!util::tool_decision(false, Some(""), "ogrinfo (GDAL)"));
}

#[test]
fn a_present_tool_runs_in_and_out_of_ci() {
    assert!(util::tool_decision(true, Some("true"), "ogrinfo (GDAL)"));
    assert!(util::tool_decision(true, None, "ogrinfo (GDAL)"));
}

#[test]
fn the_probe_finds_a_program_that_exists() {
    // Cargo, which runs this test, answers `--version`.
    assert!(util::require_tool(env!("CARGO"), "cargo"));
}

#[test]
fn the_probe_does_not_find_a_program_that_does_not_exist() {
    let probe = || util::require_tool("bordermap-test-no-such-program", "no-such-program");
    if std::env::var("CI").as_deref() == Ok("true") {
        let err = catch_unwind(probe).expect_err("CI=true: a missing program fails");
        assert!(panic_message(err).contains("no-such-program is required under CI=true"));
    } else {
        assert!(!probe());
    }
}
