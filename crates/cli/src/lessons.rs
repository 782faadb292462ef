//! `kubeplay lessons`: the compiled-in lessons as a list or JSON, and `lessons check [DIR]`,
//! which proves every step's solution meets every goal and every starter fails one.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use kubeplay_core::lesson::{self, Lesson};
use serde::Serialize;

#[derive(Serialize)]
struct LessonOut<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    concepts: &'a [String],
    steps: Vec<StepOut<'a>>,
}

#[derive(Serialize)]
struct StepOut<'a> {
    title: &'a str,
    starter: &'a str,
    solution: &'a str,
    goals: Vec<&'a str>,
}

/// The compiled-in lessons, or the error that keeps one from parsing.
pub fn builtin() -> Result<Vec<Lesson>, String> {
    lesson::builtin().map_err(|e| e.to_string())
}

pub fn json(out: &mut dyn Write, lessons: &[Lesson]) -> io::Result<()> {
    let list: Vec<LessonOut<'_>> = lessons
        .iter()
        .map(|l| LessonOut {
            id: &l.id,
            title: &l.title,
            summary: &l.summary,
            concepts: &l.concepts,
            steps: l
                .steps
                .iter()
                .map(|s| StepOut {
                    title: &s.title,
                    starter: &s.starter_path,
                    solution: &s.solution_path,
                    goals: s.goals.iter().map(|g| g.text.as_str()).collect(),
                })
                .collect(),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &list).map_err(io::Error::from)?;
    writeln!(out)
}

pub fn text(out: &mut dyn Write, lessons: &[Lesson]) -> io::Result<()> {
    for l in lessons {
        writeln!(out, "{}  {}", l.id, l.title)?;
        writeln!(out, "    concepts: {}", l.concepts.join(", "))?;
        for (i, s) in l.steps.iter().enumerate() {
            writeln!(out, "    {}. {}", i + 1, s.title)?;
        }
    }
    let steps: usize = lessons.iter().map(|l| l.steps.len()).sum();
    writeln!(
        out,
        "\n{} lessons, {steps} steps. Details: kubeplay lessons --format json",
        lessons.len()
    )
}

/// Loads the lessons of `dir`: a folder of lesson folders, or one lesson folder.
pub fn load_dir(dir: &Path) -> Result<Vec<Lesson>, String> {
    let folders: Vec<PathBuf> = if dir.join("lesson.yaml").is_file() {
        vec![dir.to_owned()]
    } else {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.join("lesson.yaml").is_file())
            .collect();
        v.sort();
        v
    };
    if folders.is_empty() {
        return Err(format!(
            "no lesson folder (with lesson.yaml) in {}",
            dir.display()
        ));
    }
    folders
        .iter()
        .map(|f| {
            let id = f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            lesson::load(&id, &|name| std::fs::read_to_string(f.join(name)).ok())
                .map_err(|e| e.to_string())
        })
        .collect()
}

/// Checks every step; prints one line per step, the problems under it. Returns whether all
/// passed.
pub fn check(out: &mut dyn Write, lessons: &[Lesson]) -> io::Result<bool> {
    let mut failed = 0;
    let mut steps = 0;
    for l in lessons {
        for (i, s) in l.steps.iter().enumerate() {
            steps += 1;
            let problems = lesson::check_step(s);
            if problems.is_empty() {
                writeln!(out, "ok    {} step {}: {}", l.id, i + 1, s.title)?;
                let starter = lesson::evaluate_commands(s, &s.starter, &s.commands);
                if let Some(g) = starter.goals.iter().find(|g| !g.passed) {
                    writeln!(out, "        starter fails \"{}\": {}", g.text, g.detail)?;
                }
            } else {
                failed += 1;
                writeln!(out, "FAIL  {} step {}: {}", l.id, i + 1, s.title)?;
                for p in problems {
                    writeln!(out, "        {p}")?;
                }
            }
        }
    }
    writeln!(
        out,
        "\n{} lessons, {steps} steps, {failed} failing",
        lessons.len()
    )?;
    Ok(failed == 0)
}
