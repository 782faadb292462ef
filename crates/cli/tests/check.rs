//! End-to-end tests of the `kubeplay` binary: exit codes, the three formats, inputs.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_kubeplay");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(fixtures())
        .env_remove("NO_COLOR")
        .env_remove("TERM");
    cmd
}

fn run(args: &[&str]) -> Output {
    let out = command(args).output().expect("kubeplay runs");
    assert_no_panic(&out);
    out
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kubeplay starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("kubeplay runs");
    writer.join().expect("writer thread");
    assert_no_panic(&out);
    out
}

fn assert_no_panic(out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(out.status.code().is_some(), "killed by a signal: {out:?}");
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The last line of text output: `N errors, M warnings, K infos in F files (O objects)`.
fn summary_line(out: &Output) -> String {
    stdout(out).lines().last().unwrap_or_default().to_owned()
}

/// The diagnostic with `code` in a JSON report's file.
fn find_code<'a>(file: &'a Value, code: &str) -> &'a Value {
    file["diagnostics"]
        .as_array()
        .and_then(|ds| ds.iter().find(|d| d["code"] == code))
        .unwrap_or_else(|| panic!("no {code} diagnostic in {file}"))
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// A scratch file under Cargo's per-test temporary directory.
fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, bytes).expect("write scratch file");
    path
}

#[test]
fn clean_manifest_exits_0_with_only_a_summary() {
    let out = run(&["check", "clean.yaml"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    // Written to pass every check core has today; new advice may add infos later.
    let summary = summary_line(&out);
    assert!(
        summary.starts_with("0 errors, 0 warnings, "),
        "{}",
        stdout(&out)
    );
    assert!(summary.ends_with(" in 1 file (2 objects)"), "{summary}");
    assert_eq!(stderr(&out), "");
}

#[test]
fn broken_manifest_prints_a_compiler_style_diagnostic_and_exits_1() {
    let out = run(&["check", "broken.yaml"]);
    assert_eq!(code(&out), 1);
    let expected = "\
broken.yaml:2:7: error[unknown-kind] no matches for kind \"Deployment\" in version \"v1\"; Deployment is served by apiVersion apps/v1
   |
 2 | kind: Deployment
   |       ^^^^^^^^^^
   = help: Use the apiVersion and kind spelled exactly as Kubernetes defines them (`kubectl api-resources` lists them).

";
    // The first diagnostic by position, exactly; advice on the same file may follow it.
    let text = stdout(&out);
    assert!(text.starts_with(expected), "{text}");
    let summary = summary_line(&out);
    assert!(summary.starts_with("1 error, "), "{summary}");
    assert!(summary.ends_with(" in 1 file (1 object)"), "{summary}");
}

#[test]
fn warnings_alone_exit_0() {
    let out = run(&["check", "latest.yaml"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(
        text.contains("\nlatest.yaml:17:18: warning[image-latest-tag] container \"worker\": image \"busybox:latest\" uses the :latest tag\n    |\n 17 |           image: busybox:latest\n    |                  ^^^^^^^^^^^^^^\n    = help: "),
        "{text}"
    );
    assert!(
        summary_line(&out).starts_with("0 errors, 1 warning, "),
        "{text}"
    );
}

#[test]
fn tabs_are_expanded_and_the_caret_lines_up() {
    let out = run(&["check", "unicode-tab.yaml"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(
        text.starts_with("unicode-tab.yaml:8:2: error[yaml-syntax] "),
        "{text}"
    );
    assert!(
        text.contains("\n 8 |     colour: blue\n   |     ^\n"),
        "{text}"
    );
}

#[test]
fn json_has_the_documented_keys_and_positions() {
    let out = run(&["check", "--format", "json", "broken.yaml", "clean.yaml"]);
    assert_eq!(code(&out), 1);
    let v = json(&out);
    assert_eq!(v["version"], 1);
    let files = v["files"].as_array().expect("files");
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["path"], "broken.yaml");
    assert_eq!(files[1]["path"], "clean.yaml");

    let object = &files[0]["objects"][0];
    for key in ["apiVersion", "kind", "name", "namespace", "line", "facts"] {
        assert!(object.get(key).is_some(), "object lacks {key}: {object}");
    }
    assert_eq!(object["apiVersion"], "v1");
    assert_eq!(object["kind"], "Deployment");
    assert_eq!(object["name"], "api");
    assert_eq!(object["namespace"], Value::Null);
    assert_eq!(object["line"], 1);
    assert!(object["facts"].is_object());
    let web = &files[1]["objects"][0];
    assert_eq!(web["facts"]["qos"], "Burstable");
    assert_eq!(
        web["facts"]["rollout"],
        serde_json::json!({"strategy": "RollingUpdate", "replicas": 3, "maxSurge": 1, "maxUnavailable": 0})
    );
    assert_eq!(
        files[1]["objects"][1]["facts"],
        serde_json::json!({"selects": ["Deployment/web"]})
    );
    assert_eq!(files[1]["objects"][1]["kind"], "Service");
    assert_eq!(files[1]["objects"][1]["namespace"], "shop");
    assert_eq!(files[1]["objects"][1]["line"], 40);

    let d = find_code(&files[0], "unknown-kind");
    for key in [
        "severity",
        "code",
        "source",
        "message",
        "field",
        "line",
        "column",
        "endLine",
        "endColumn",
        "object",
        "help",
        "docs",
        "apiserver",
        "explanation",
    ] {
        assert!(d.get(key).is_some(), "diagnostic lacks {key}: {d}");
    }
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "unknown-kind");
    assert_eq!(d["source"], "kubectl");
    assert_eq!(d["field"], "kind");
    assert_eq!(
        (&d["line"], &d["column"], &d["endLine"], &d["endColumn"]),
        (
            &Value::from(2),
            &Value::from(7),
            &Value::from(2),
            &Value::from(17)
        )
    );
    assert_eq!(
        d["object"],
        serde_json::json!({"kind": "Deployment", "name": "api"})
    );
    assert!(
        d["docs"]
            .as_str()
            .is_some_and(|s| s.starts_with("https://"))
    );
    assert!(
        d["apiserver"]
            .as_str()
            .is_some_and(|s| s.contains("no matches for kind"))
    );

    let summary = &v["summary"];
    for key in ["errors", "warnings", "infos", "objects", "files"] {
        assert!(summary[key].is_u64(), "summary lacks {key}: {summary}");
    }
    assert_eq!(summary["errors"], 1);
    assert_eq!(summary["objects"], 3);
    assert_eq!(summary["files"], 2);
    let warnings = files
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().into_iter().flatten())
        .filter(|d| d["severity"] == "warning")
        .count();
    assert_eq!(summary["warnings"], warnings);
}

#[test]
fn json_columns_count_characters() {
    // Non-ASCII before the span on the same line: "名前" is 2 characters, 6 bytes, and
    // "😀" is 1 character, 4 bytes, 2 UTF-16 units.
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {annotations: {note: \"名前😀\"}, name: Bad_Name}\n";
    let out = run_stdin(&["check", "--format", "json", "-"], text.as_bytes());
    let v = json(&out);
    let d = find_code(&v["files"][0], "invalid-name");
    let line = text.lines().nth(2).expect("line 3");
    let byte = line.find("Bad_Name").expect("name");
    let chars = line[..byte].chars().count();
    assert_eq!(d["line"], 3);
    assert_eq!(d["column"], chars + 1);
    assert_eq!(d["endColumn"], chars + 1 + "Bad_Name".len());
}

#[test]
fn sarif_is_valid_2_1_0_for_code_scanning() {
    let out = run(&["check", "--format", "sarif", "broken.yaml", "latest.yaml"]);
    assert_eq!(code(&out), 1);
    let v = json(&out);
    assert_eq!(v["version"], "2.1.0");
    assert!(
        v["$schema"]
            .as_str()
            .is_some_and(|s| s.contains("sarif-2.1.0"))
    );
    let runs = v["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "kubeplay");
    assert!(driver["informationUri"].as_str().is_some());
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));

    let rules = driver["rules"].as_array().expect("rules");
    let listed = json(&run(&["rules", "--format", "json"]));
    assert_eq!(rules.len(), listed.as_array().expect("array").len());
    for rule in rules {
        for key in [
            "id",
            "name",
            "shortDescription",
            "fullDescription",
            "helpUri",
        ] {
            assert!(rule.get(key).is_some(), "rule lacks {key}: {rule}");
        }
        assert!(rule["shortDescription"]["text"].as_str().is_some());
        let level = rule["defaultConfiguration"]["level"]
            .as_str()
            .expect("level");
        assert!(["error", "warning", "note"].contains(&level), "{level}");
    }

    let results = runs[0]["results"].as_array().expect("results");
    let by_rule = |id: &str| {
        results
            .iter()
            .find(|r| r["ruleId"] == id)
            .unwrap_or_else(|| panic!("no {id} result"))
    };
    for result in results {
        let id = result["ruleId"].as_str().expect("ruleId");
        assert!(rules.iter().any(|r| r["id"] == id), "{id} not in rules");
        let level = result["level"].as_str().expect("level");
        assert!(["error", "warning", "note"].contains(&level), "{level}");
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(
            region["startLine"].as_u64().is_some_and(|l| l >= 1),
            "{result}"
        );
        assert!(
            region["startColumn"].as_u64().is_some_and(|c| c >= 1),
            "{result}"
        );
    }
    let first = by_rule("unknown-kind");
    assert_eq!(first["ruleId"], "unknown-kind");
    assert_eq!(first["level"], "error");
    assert!(
        first["message"]["text"]
            .as_str()
            .is_some_and(|s| s.contains("no matches"))
    );
    let index = first["ruleIndex"].as_u64().expect("ruleIndex");
    assert_eq!(
        rules[usize::try_from(index).expect("index")]["id"],
        "unknown-kind"
    );
    let loc = &first["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "broken.yaml");
    assert_eq!(
        loc["region"],
        serde_json::json!({"startLine": 2, "startColumn": 7, "endLine": 2, "endColumn": 17})
    );
    let latest = by_rule("image-latest-tag");
    assert_eq!(latest["level"], "warning");
    assert_eq!(
        latest["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "latest.yaml"
    );
    assert_eq!(
        latest["locations"][0]["physicalLocation"]["region"]["startLine"],
        17
    );
}

#[test]
fn stdin_is_read_with_dash() {
    let broken = std::fs::read(fixtures().join("broken.yaml")).expect("fixture");
    let out = run_stdin(&["check", "-"], &broken);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).starts_with("<stdin>:2:7: error[unknown-kind] "));

    let out = run_stdin(&["check", "--format", "json", "-"], &broken);
    assert_eq!(json(&out)["files"][0]["path"], "-");

    let out = run_stdin(&["check", "-"], b"");
    assert_eq!(code(&out), 0);
    assert_eq!(
        stdout(&out),
        "0 errors, 0 warnings, 0 infos in 1 file (0 objects)\n"
    );
}

#[test]
fn several_paths_are_checked_in_order() {
    let out = run(&["check", "clean.yaml", "latest.yaml", "broken.yaml"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    let latest = text.find("latest.yaml:").expect("latest reported");
    let broken = text.find("broken.yaml:").expect("broken reported");
    assert!(latest < broken);
    let summary = summary_line(&out);
    assert!(summary.starts_with("1 error, "), "{summary}");
    assert!(summary.ends_with(" in 3 files (4 objects)"), "{summary}");
}

#[test]
fn directories_are_walked_recursively_in_sorted_order() {
    let out = run(&["check", "--format", "json", "project"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v = json(&out);
    let paths: Vec<&str> = v["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    // README.md is not a manifest; .scratch/ is hidden.
    assert_eq!(
        paths,
        [
            "project/api/deployment.yaml",
            "project/api/service.yml",
            "project/config.yaml"
        ]
    );
    assert_eq!(v["summary"]["objects"], 3);
}

#[test]
fn a_directory_without_manifests_is_fine_with_a_note() {
    let out = run(&["check", "empty-dir"]);
    assert_eq!(code(&out), 0);
    assert!(
        stderr(&out).contains("no *.yaml or *.yml files in empty-dir"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        stdout(&out),
        "0 errors, 0 warnings, 0 infos in 0 files (0 objects)\n"
    );
}

#[test]
fn a_missing_file_exits_2_and_the_others_are_still_checked() {
    let out = run(&["check", "does-not-exist.yaml"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("cannot read does-not-exist.yaml: no such file or directory"),
        "{}",
        stderr(&out)
    );

    let out = run(&["check", "broken.yaml", "does-not-exist.yaml"]);
    assert_eq!(code(&out), 2);
    assert!(stdout(&out).contains("broken.yaml:2:7: error[unknown-kind]"));
}

#[test]
fn no_path_is_a_usage_error() {
    let out = run(&["check"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("Usage: kubeplay check"),
        "{}",
        stderr(&out)
    );
    let out = run(&["check", "--format", "xml", "clean.yaml"]);
    assert_eq!(code(&out), 2);
    let out = run(&[]);
    assert_eq!(code(&out), 2);
}

#[test]
fn invalid_utf8_exits_2_naming_the_file_and_offset() {
    let path = scratch(
        "latin1.yaml",
        b"apiVersion: v1\nkind: ConfigMap\ndata:\n  city: M\xfcnchen\n",
    );
    let out = run(&["check", path.to_str().expect("utf-8 path")]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("latin1.yaml"), "{err}");
    assert!(
        err.contains("not valid UTF-8: invalid byte 0xFC at byte offset 46 (line 4, column 10)"),
        "{err}"
    );
}

#[test]
fn nul_bytes_and_binary_junk_never_panic() {
    let mut junk = b"apiVersion: v1\nkind: ConfigMap\x00\x00\nmetadata:\n  name: \x00x\n".to_vec();
    // Deterministic pseudo-random bytes, made valid UTF-8 by keeping ASCII only,
    // so the analyser (not the decoder) has to cope with them.
    let mut seed: u32 = 0x1234_5678;
    for _ in 0..20_000 {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        junk.push(u8::try_from(seed >> 25).expect("7 bits"));
    }
    let path = scratch("junk.yaml", &junk);
    let out = run(&["check", path.to_str().expect("utf-8 path")]);
    assert!([0, 1, 2].contains(&code(&out)), "{out:?}");
    assert!(stdout(&out).contains(" in 1 file "));
    // No raw control characters reach the terminal.
    assert!(!stdout(&out).contains('\u{0}'));
    assert!(!stdout(&out).contains('\u{1b}'));

    let out = run(&[
        "check",
        "--format",
        "json",
        path.to_str().expect("utf-8 path"),
    ]);
    json(&out);

    let binary: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    let path = scratch("binary.yaml", &binary);
    let out = run(&["check", path.to_str().expect("utf-8 path")]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("not valid UTF-8"));
}

#[test]
fn huge_inputs_finish_without_panic() {
    // 10 MB: over the core's size limit, reported as a diagnostic.
    let mut big = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n");
    while big.len() < 10_000_000 {
        big.push_str("  key: 0123456789012345678901234567890123456789\n");
    }
    let out = run_stdin(&["check", "-"], big.as_bytes());
    assert!([0, 1].contains(&code(&out)), "{out:?}");

    // 50,000 empty documents.
    let empty = "---\n".repeat(50_000);
    let out = run_stdin(&["check", "--format", "json", "-"], empty.as_bytes());
    assert!([0, 1].contains(&code(&out)), "{out:?}");
    json(&out);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let broken = std::fs::read_to_string(fixtures().join("broken.yaml")).expect("fixture");
    let many = vec![broken; 2000].join("---\n");
    let mut child = command(&["check", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kubeplay starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(many.as_bytes());
    });
    {
        let stdout = child.stdout.take().expect("stdout");
        let mut first = String::new();
        BufReader::new(stdout)
            .read_line(&mut first)
            .expect("one line");
        assert!(
            first.starts_with("<stdin>:2:7: error[unknown-kind]"),
            "{first}"
        );
    } // the read end closes here, like `| head -1`
    let out = child.wait_with_output().expect("kubeplay exits");
    writer.join().expect("writer thread");
    assert_no_panic(&out);
    assert_eq!(code(&out), 1);
    assert_eq!(stderr(&out), "");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = run(&["check", "broken.yaml"]);
    assert!(!stdout(&plain).contains('\u{1b}'));
    let coloured = run(&["check", "--color", "always", "broken.yaml"]);
    assert!(stdout(&coloured).contains("\u{1b}[1;31merror[unknown-kind]\u{1b}[0m"));
}

#[test]
fn rules_lists_every_code() {
    let out = run(&["rules", "--format", "json"]);
    assert_eq!(code(&out), 0);
    let v = json(&out);
    let rules = v.as_array().expect("array");
    let codes: Vec<&str> = rules.iter().filter_map(|r| r["code"].as_str()).collect();
    for code in [
        "yaml-syntax",
        "unknown-kind",
        "invalid-name",
        "image-latest-tag",
        "missing-requests",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    for rule in rules {
        for key in ["code", "source", "severity", "title", "docs"] {
            assert!(rule[key].as_str().is_some(), "rule lacks {key}: {rule}");
        }
    }
    let table = stdout(&run(&["rules"]));
    assert!(table.starts_with("CODE"));
    assert!(table.contains("unknown-kind"));
}

#[test]
fn version_and_help() {
    let out = run(&["--version"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).starts_with(&format!("kubeplay {}", env!("CARGO_PKG_VERSION"))));
    let out = run(&["--help"]);
    assert_eq!(code(&out), 0);
    let help = stdout(&out);
    assert!(
        help.contains("Examples:") && help.contains("kubeplay check"),
        "{help}"
    );
    let out = run(&["check", "--help"]);
    assert!(stdout(&out).contains("--format"));
}

#[test]
fn ignore_flag_drops_a_code_and_rejects_unknown_ones() {
    let dir = std::env::temp_dir().join(format!("kubeplay-ignore-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("pod.yaml");
    std::fs::write(
        &path,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kubeplay"))
            .args(args)
            .output()
            .unwrap()
    };
    let p = path.to_str().unwrap();
    let plain = String::from_utf8(run(&["check", p]).stdout).unwrap();
    assert!(plain.contains("image-latest-tag"), "{plain}");
    let out = run(&["check", p, "--ignore", "image-latest-tag,missing-requests"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains("image-latest-tag") && !text.contains("[missing-requests]"),
        "{text}"
    );
    assert!(text.contains("memory-limit-missing"), "{text}");
    let bad = run(&["check", p, "--ignore", "no-such-check"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8(bad.stderr)
            .unwrap()
            .contains("no check has this code")
    );
}
