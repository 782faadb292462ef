//! Lessons: step-by-step exercises whose goals the engine checks.
//!
//! A lesson is a folder under `lessons/` (see `docs/lessons.md`): `lesson.yaml` (title,
//! summary, concepts, steps with goals, hints and a "why it worked" note) and per step
//! `stepN.md` (prose), `stepN.starter.yaml` (what the learner starts from),
//! `stepN.solution.yaml` (a reference answer) and optionally `stepN.scenario.yaml` (what
//! happens to the cluster while the goals are checked).
//!
//! The lessons of this repository are compiled in (`build.rs` embeds every `lessons/*/`
//! file with `include_str!`), so the core does no I/O: [`builtin`] parses them, [`load`]
//! parses a lesson from any file reader (the CLI's `lessons check DIR`), and [`evaluate`]
//! checks a learner's text against one step's goals with [`crate::analyze`] and, when a
//! goal needs time, [`crate::sim::simulate`] of the step's scenario with the learner's
//! manifest applied at t=0.

mod behaviour;
mod evaluate;
mod goal;
mod session;

use serde::Serialize;

pub use behaviour::Behaviour;
pub use evaluate::{
    GoalResult, StepResult, evaluate, evaluate_commands, evaluate_session, evaluate_with, run_step,
    simulate_step, step_until,
};
pub use goal::{Bound, Goal, When, WordedGoal, goal_types, secs};
pub use session::CommandPattern;

use crate::sim::app::Millis;
use crate::sim::{Action, Scenario, parse_duration, parse_scenario};
use crate::yaml::{Limits, Node, parse};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/lessons_index.rs"));
}

/// One lesson, parsed.
#[derive(Clone, Debug, Serialize)]
pub struct Lesson {
    /// The folder name (`01-first-pod`); lessons are ordered by it.
    pub id: String,
    pub title: String,
    pub summary: String,
    /// Concept ids this lesson teaches (`pods`, `rolling-updates`, ...).
    pub concepts: Vec<String>,
    pub steps: Vec<LessonStep>,
}

/// One step of a lesson.
#[derive(Clone, Debug, Serialize)]
pub struct LessonStep {
    pub title: String,
    /// Markdown (no raw HTML).
    pub prose: String,
    pub starter: String,
    pub solution: String,
    /// Paths relative to the repository (`lessons/01-first-pod/step1.starter.yaml`).
    pub starter_path: String,
    pub solution_path: String,
    pub goals: Vec<WordedGoal>,
    /// Progressive hints, shown one at a time.
    pub hints: Vec<String>,
    /// Shown after success: why the solution works.
    pub why: String,
    /// What happens to the cluster; the learner's manifest is applied at t=0 before it.
    #[serde(skip)]
    pub scenario: Option<Scenario>,
    /// How long to simulate (milliseconds); derived from the goals when absent.
    pub until: Option<Millis>,
    /// The kubectl commands a learner would run to find the cause (`commands:`); `lessons
    /// check` evaluates the solution with them, for the step's `ran` goals.
    pub commands: Vec<String>,
}

/// A problem in a lesson's files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonError {
    pub lesson: String,
    pub file: String,
    pub line: u32,
    pub message: String,
}

impl std::fmt::Display for LessonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}/{}:{}: {}",
            self.lesson, self.file, self.line, self.message
        )
    }
}

/// The ids of the compiled-in lessons, in order.
#[must_use]
pub fn builtin_ids() -> Vec<&'static str> {
    embedded::LESSONS.iter().map(|(id, _)| *id).collect()
}

/// The compiled-in lesson files: `(lesson id, [(file name, content)])`.
#[must_use]
pub fn builtin_files() -> &'static [(&'static str, &'static [(&'static str, &'static str)])] {
    embedded::LESSONS
}

/// Parses every compiled-in lesson, in order.
///
/// # Errors
/// The first lesson that does not parse.
pub fn builtin() -> Result<Vec<Lesson>, LessonError> {
    embedded::LESSONS
        .iter()
        .map(|(id, files)| {
            load(id, &|name| {
                files
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, text)| (*text).to_owned())
            })
        })
        .collect()
}

/// Parses one lesson; `read` returns the content of a file of the lesson's folder.
///
/// # Errors
/// A missing file, invalid YAML, an unknown field or goal, with its file and line.
pub fn load(id: &str, read: &dyn Fn(&str) -> Option<String>) -> Result<Lesson, LessonError> {
    let file = "lesson.yaml";
    let text = read(file).ok_or_else(|| LessonError {
        lesson: id.to_owned(),
        file: file.into(),
        line: 0,
        message: "lesson.yaml is missing".into(),
    })?;
    let r = Reader::new(id, file, &text);
    let stream = parse(&text, &Limits::default());
    if let Some(e) = stream.errors.first() {
        let (range, message) = match e {
            crate::yaml::YamlError::Syntax { range, message } => (*range, message.clone()),
            crate::yaml::YamlError::DuplicateKey { range, key, .. } => {
                (*range, format!("duplicate key {key}"))
            }
            crate::yaml::YamlError::Limit { range, .. } => (*range, "too large".into()),
        };
        return Err(r.error_at(
            range.start,
            format!(
                "invalid YAML: {message} (quote text that contains `: ` or starts with a backquote)"
            ),
        ));
    }
    let root = stream
        .documents
        .into_iter()
        .find_map(|d| d.root)
        .ok_or_else(|| r.error_at(0, "lesson.yaml is empty"))?;
    r.only_keys(&root, &["id", "title", "summary", "concepts", "steps"])?;
    let title = r.string(&root, "title")?;
    let summary = Reader::opt(&root, "summary").unwrap_or_default();
    let concepts = r.strings(&root, "concepts")?;
    let items = root
        .get("steps")
        .and_then(Node::as_sequence)
        .ok_or_else(|| r.error(&root, "`steps` must be a list of steps"))?;
    let mut steps = Vec::new();
    for (i, item) in items.iter().enumerate() {
        steps.push(step(&r, item, i + 1, read)?);
    }
    if steps.is_empty() {
        return Err(r.error(&root, "a lesson needs at least one step"));
    }
    Ok(Lesson {
        id: id.to_owned(),
        title,
        summary,
        concepts,
        steps,
    })
}

fn step(
    r: &Reader<'_>,
    node: &Node,
    n: usize,
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<LessonStep, LessonError> {
    r.only_keys(
        node,
        &["title", "goals", "hints", "why", "until", "commands"],
    )?;
    let need = |name: String| {
        read(&name).ok_or_else(|| LessonError {
            lesson: r.lesson.to_owned(),
            file: name.clone(),
            line: 0,
            message: format!("step {n} needs the file {name}"),
        })
    };
    let prose = need(format!("step{n}.md"))?;
    let starter = need(format!("step{n}.starter.yaml"))?;
    let solution = need(format!("step{n}.solution.yaml"))?;
    let scenario = match read(&format!("step{n}.scenario.yaml")) {
        None => None,
        Some(text) => Some(scenario(r.lesson, n, &text, read)?),
    };
    let goals_node = node
        .get("goals")
        .and_then(Node::as_sequence)
        .ok_or_else(|| r.error(node, format!("step {n}: `goals` must be a list")))?;
    let mut goals = Vec::new();
    for g in goals_node {
        goals.push(goal::parse(r, g)?);
    }
    if goals.is_empty() {
        return Err(r.error(node, format!("step {n} has no goals")));
    }
    let until =
        match Reader::opt(node, "until") {
            None => None,
            Some(v) => Some(parse_duration(&v).ok_or_else(|| {
                r.error(node, format!("step {n}: `until` is not a duration: {v}"))
            })?),
        };
    let commands = r.strings(node, "commands")?;
    for (c, item) in commands.iter().zip(
        node.get("commands")
            .and_then(Node::as_sequence)
            .unwrap_or(&[]),
    ) {
        if let Err(e) = crate::kubectl::parse(c) {
            return Err(r.error(item, format!("step {n}: `{c}`: {e}")));
        }
    }
    if goals.iter().any(|g| matches!(g.goal, Goal::Ran(_))) && commands.is_empty() {
        return Err(r.error(
            node,
            format!("step {n} has `ran` goals: list the commands that meet them in `commands`"),
        ));
    }
    let dir = format!("lessons/{}", r.lesson);
    Ok(LessonStep {
        title: r.string(node, "title")?,
        prose,
        starter,
        solution,
        starter_path: format!("{dir}/step{n}.starter.yaml"),
        solution_path: format!("{dir}/step{n}.solution.yaml"),
        goals,
        hints: r.strings(node, "hints")?,
        why: Reader::opt(node, "why").unwrap_or_default(),
        scenario,
        until,
        commands,
    })
}

/// Parses a step's scenario and inlines the files its `apply` steps name.
fn scenario(
    lesson: &str,
    n: usize,
    text: &str,
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<Scenario, LessonError> {
    let file = format!("step{n}.scenario.yaml");
    let mut s = parse_scenario(text).map_err(|e| LessonError {
        lesson: lesson.to_owned(),
        file: file.clone(),
        line: e.line,
        message: e.message,
    })?;
    for step in &mut s.steps {
        if let Action::Apply { path, inline } = &mut step.action
            && let Some(p) = path.take()
        {
            *inline = Some(read(&p).ok_or_else(|| LessonError {
                lesson: lesson.to_owned(),
                file: file.clone(),
                line: step.line,
                message: format!("the scenario applies {p}, which is not in the lesson's folder"),
            })?);
        }
    }
    Ok(s)
}

/// Reads fields of `lesson.yaml` with errors at their lines.
pub(crate) struct Reader<'a> {
    lesson: &'a str,
    file: &'a str,
    text: &'a str,
    index: crate::text::LineIndex,
}

impl<'a> Reader<'a> {
    fn new(lesson: &'a str, file: &'a str, text: &'a str) -> Self {
        Self {
            lesson,
            file,
            text,
            index: crate::text::LineIndex::new(text),
        }
    }

    fn error_at(&self, offset: usize, message: impl Into<String>) -> LessonError {
        LessonError {
            lesson: self.lesson.to_owned(),
            file: self.file.to_owned(),
            line: self.index.location(self.text, offset).line,
            message: message.into(),
        }
    }

    pub(crate) fn error(&self, node: &Node, message: impl Into<String>) -> LessonError {
        self.error_at(node.range.start, message)
    }

    pub(crate) fn opt(node: &Node, key: &str) -> Option<String> {
        node.get(key)
            .and_then(Node::as_scalar)
            .map(|s| s.value.clone())
    }

    pub(crate) fn string(&self, node: &Node, key: &str) -> Result<String, LessonError> {
        Self::opt(node, key)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| self.error(node, format!("`{key}` is required")))
    }

    fn strings(&self, node: &Node, key: &str) -> Result<Vec<String>, LessonError> {
        let Some(list) = node.get(key) else {
            return Ok(Vec::new());
        };
        let items = list
            .as_sequence()
            .ok_or_else(|| self.error(list, format!("`{key}` must be a list")))?;
        items
            .iter()
            .map(|i| {
                i.as_scalar().map(|s| s.value.clone()).ok_or_else(|| {
                    self.error(
                        i,
                        format!(
                            "`{key}` must be a list of strings (quote an item that contains `: `)"
                        ),
                    )
                })
            })
            .collect()
    }

    pub(crate) fn only_keys(&self, node: &Node, keys: &[&str]) -> Result<(), LessonError> {
        let Some(entries) = node.as_mapping() else {
            return Err(self.error(node, "expected a mapping"));
        };
        for e in entries {
            let key = e.key.as_scalar().map_or("", |s| s.value.as_str());
            if !keys.contains(&key) {
                return Err(self.error(
                    &e.key,
                    format!("unknown field `{key}`; expected one of {}", keys.join(", ")),
                ));
            }
        }
        Ok(())
    }
}

/// What `kubeplay lessons check` verifies for one step: the solution meets every goal and the
/// starter fails at least one. Returns the problems in plain words (empty when fine).
#[must_use]
pub fn check_step(step: &LessonStep) -> Vec<String> {
    let mut problems = Vec::new();
    let solution = evaluate_commands(step, &step.solution, &step.commands);
    for g in solution.goals.iter().filter(|g| !g.passed) {
        problems.push(format!("the solution misses \"{}\": {}", g.text, g.detail));
    }
    // The starter must be broken in its manifest: failing only because no kubectl command
    // has run yet (`ran` goals) does not count.
    let starter = evaluate_commands(step, &step.starter, &step.commands);
    if starter.passed {
        problems.push("the starter already meets every goal".into());
    }
    problems
}

/// [`check_step`] for every step: `(step number, problems)` for the steps with problems.
#[must_use]
pub fn check_lesson(lesson: &Lesson) -> Vec<(usize, Vec<String>)> {
    lesson
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| (i + 1, check_step(s)))
        .filter(|(_, p)| !p.is_empty())
        .collect()
}
