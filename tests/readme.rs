//! The README's command examples are tests: every fenced `console` block in README.md is run
//! with trycmd against the built binary, so a printed example cannot drift from what
//! bordermap prints.
//!
//! In a `console` block a line `$ bordermap …` is a command, the lines after it its expected
//! output (stdout, then stderr), `? 1` right after a command its exit code, `...` on a line of
//! its own any number of lines, and `[..]` any text within a line. The commands run in a
//! temporary directory that holds a copy of `tests/fixtures/`, so an example reads its inputs
//! as `tests/fixtures/…` (as it would from a clone's root) and writes its outputs there.

mod util;

use std::path::Path;

/// The `$ ` command lines of the README's `console` blocks, with their line numbers.
fn console_commands(readme: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_console = false;
    for (i, line) in readme.lines().enumerate() {
        if let Some(info) = line.strip_prefix("```") {
            in_console = !in_console && info.trim().starts_with("console");
            continue;
        }
        if in_console && let Some(cmd) = line.strip_prefix("$ ") {
            out.push((i + 1, cmd.to_string()));
        }
    }
    out
}

/// Copies the directory `from` to `to`, recursively.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Runs the trycmd case `text` (Markdown with `console` blocks), named `name`, in a fresh
/// directory that holds `tests/fixtures/`. Panics when an example does not match.
fn run_examples(dir: &util::Dir, name: &str, text: &str) {
    let case = dir.write(name, text);
    copy_dir(
        &util::root().join("tests").join("fixtures"),
        &case.with_extension("in").join("tests").join("fixtures"),
    );
    trycmd::TestCases::new()
        .register_bin("bordermap", Path::new(env!("CARGO_BIN_EXE_bordermap")))
        .env("NO_COLOR", "1")
        .env("LC_ALL", "C.UTF-8")
        .env("TZ", "UTC")
        .case(&case)
        .run();
}

/// Whether `line` turns an example off: an `ignore` info string or a `? skipped` status.
fn skips_an_example(line: &str) -> bool {
    let ignored_block = line.starts_with("```") && line.contains("ignore");
    ignored_block || line.starts_with("? skip")
}

#[test]
fn every_console_example_in_the_readme_runs_bordermap() {
    // trycmd skips, without failing, a command whose program it does not know; so every
    // example must run bordermap itself.
    let readme = std::fs::read_to_string(util::root().join("README.md")).unwrap();
    let commands = console_commands(&readme);
    assert!(
        commands.len() >= 10,
        "README.md has only {} console examples",
        commands.len()
    );
    for (line, cmd) in &commands {
        assert!(
            cmd.starts_with("bordermap "),
            "README.md:{line}: a console example must run bordermap, not `{cmd}`"
        );
    }
    for (i, line) in readme.lines().enumerate() {
        assert!(
            !skips_an_example(line),
            "README.md:{}: a skipped example tests nothing: {line}",
            i + 1
        );
        // A fence without an info string is read as a command block by trycmd; every block
        // says what it holds (`console`, `text`, `sh`, `toml`, …).
        if line == "```" {
            let opening = readme
                .lines()
                .take(i)
                .filter(|l| l.starts_with("```"))
                .count()
                % 2
                == 0;
            assert!(
                !opening,
                "README.md:{}: a code block without a language",
                i + 1
            );
        }
    }
}

#[test]
fn readme_examples_print_what_the_binary_prints() {
    let readme = std::fs::read_to_string(util::root().join("README.md")).unwrap();
    let dir = util::Dir::new();
    run_examples(&dir, "README.md", &readme);
}

#[test]
fn a_drifted_example_fails() {
    // The real confidence is 0.8: one drifted number fails the example.
    let drifted = "```console\n$ bordermap locate Vorukh --format json\n\
                   {\"query\":\"Vorukh\",\"status\":\"matched\",\"confidence\":0.9,[..]\n\n```\n";
    let dir = util::Dir::new();
    let result = std::panic::catch_unwind(|| run_examples(&dir, "drifted.md", drifted));
    assert!(result.is_err(), "an example whose output differs must fail");
}

#[test]
fn a_matching_example_passes() {
    let matching = "```console\n$ bordermap locate Vorukh --format json\n\
                    {\"query\":\"Vorukh\",\"status\":\"matched\",\"confidence\":0.8,[..]\n\n```\n";
    let dir = util::Dir::new();
    run_examples(&dir, "matching.md", matching);
}

/// The options (`--name`) in the README's synopsis of `bordermap <command>`: the ```text
/// blocks whose lines start with `bordermap <command> ` (continuation lines indented).
fn synopsis_options(readme: &str, command: &str) -> Vec<String> {
    let head = format!("bordermap {command} ");
    let mut out = Vec::new();
    let mut in_text = false;
    let mut in_synopsis = false;
    for line in readme.lines() {
        if let Some(info) = line.strip_prefix("```") {
            in_text = !in_text && info.trim() == "text";
            in_synopsis = false;
            continue;
        }
        if !in_text {
            continue;
        }
        if line.starts_with("bordermap ") {
            in_synopsis = line.starts_with(&head);
        } else if !line.starts_with(' ') {
            in_synopsis = false;
        }
        if in_synopsis {
            out.extend(long_options(line));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The `--long-option` words in `text`.
fn long_options(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(str::to_string)
        .filter(|w| w != "--help" && w != "--version")
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn readme_synopses_name_only_options_the_binary_has() {
    let readme = std::fs::read_to_string(util::root().join("README.md")).unwrap();
    let dir = util::Dir::new();
    let commands = [
        "build", "geocode", "locate", "near", "within", "render", "html", "geodata", "import",
        "merge", "export",
    ];
    for command in commands {
        let synopsis = synopsis_options(&readme, command);
        assert!(
            !synopsis.is_empty(),
            "README.md has no synopsis of `{command}`"
        );
        let help = long_options(dir.run(&[command, "--help"]).ok().stdout_str());
        for option in &synopsis {
            assert!(
                help.contains(option),
                "README.md: the synopsis of `{command}` names {option}, which `bordermap {command} --help` does not list"
            );
        }
        // `build` is the main job: its synopsis lists every option.
        if command == "build" {
            assert_eq!(synopsis, help, "README.md: the synopsis of `build`");
        }
    }
}
