//! Turning the command line's paths into analysed texts: directory walking, reading,
//! UTF-8 decoding, and running `kubeplay_core::analyze` on every file (in parallel).

use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use kubeplay_core::Analysis;

/// The largest input read, in bytes. The core refuses texts over 8 MiB with a diagnostic;
/// past this bound the file is not even read (a `/dev/zero` must not hang or eat memory).
const MAX_READ: u64 = 64 * 1024 * 1024;

/// Where one text comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Stdin,
    File(PathBuf),
}

impl Source {
    /// The path as reports print it: `-` for standard input.
    pub fn display(&self) -> String {
        match self {
            Self::Stdin => "-".to_owned(),
            Self::File(path) => path.to_string_lossy().into_owned(),
        }
    }
}

/// One analysed text.
pub struct Checked {
    pub source: Source,
    /// `-` for standard input, else the path as given (joined for directory entries).
    pub path: String,
    pub text: String,
    pub analysis: Analysis,
}

/// Why an input could not be checked.
#[derive(Debug)]
pub enum InputError {
    Io {
        path: String,
        error: io::Error,
    },
    TooLarge {
        path: String,
    },
    NotUtf8 {
        path: String,
        /// Byte offset of the first invalid byte, from the start of the file.
        offset: usize,
        byte: u8,
        line: usize,
        column: usize,
        utf16: bool,
    },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, error } => {
                let why = match error.kind() {
                    io::ErrorKind::NotFound => "no such file or directory".to_owned(),
                    io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
                    _ => error.to_string(),
                };
                write!(f, "cannot read {path}: {why}")
            }
            Self::TooLarge { path } => write!(
                f,
                "cannot read {path}: larger than {} MiB",
                MAX_READ / 1024 / 1024
            ),
            Self::NotUtf8 {
                path,
                offset,
                byte,
                line,
                column,
                utf16,
            } => {
                write!(
                    f,
                    "{path}: not valid UTF-8: invalid byte 0x{byte:02X} at byte offset {offset} \
                     (line {line}, column {column}); manifests must be UTF-8"
                )?;
                if *utf16 {
                    write!(
                        f,
                        " (the file starts with a UTF-16 byte order mark; re-save it as UTF-8)"
                    )?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for InputError {}

/// The command line's paths resolved to texts to read.
#[derive(Debug, Default)]
pub struct Collected {
    pub sources: Vec<Source>,
    pub errors: Vec<InputError>,
    /// Things worth saying on stderr that are not failures.
    pub notes: Vec<String>,
}

/// Resolves the paths in order: `-` is stdin, a directory contributes its `*.yaml` and
/// `*.yml` files recursively in sorted order, anything else is read as a file.
pub fn collect(paths: &[PathBuf]) -> Collected {
    let mut out = Collected::default();
    for path in paths {
        if path.as_os_str() == "-" {
            out.sources.push(Source::Stdin);
            continue;
        }
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let before = out.sources.len();
                walk(path, &mut out);
                if out.sources.len() == before {
                    out.notes.push(format!(
                        "no *.yaml or *.yml files in {}",
                        path.to_string_lossy()
                    ));
                }
            }
            Ok(_) => out.sources.push(Source::File(path.clone())),
            Err(error) => out.errors.push(InputError::Io {
                path: path.to_string_lossy().into_owned(),
                error,
            }),
        }
    }
    out
}

/// Whether a directory entry's name is a manifest name (`.yaml`/`.yml`, any case).
fn is_manifest_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Hidden entries (`.git`, `.github`, editor swap files) are skipped; symbolic links to
/// files are followed, symbolic links to directories are not (no cycles).
fn walk(dir: &Path, out: &mut Collected) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            out.errors.push(InputError::Io {
                path: dir.to_string_lossy().into_owned(),
                error,
            });
            return;
        }
    };
    let mut children: Vec<(PathBuf, Option<fs::FileType>)> = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => {
                if entry.file_name().as_encoded_bytes().starts_with(b".") {
                    continue;
                }
                children.push((entry.path(), entry.file_type().ok()));
            }
            Err(error) => out.errors.push(InputError::Io {
                path: dir.to_string_lossy().into_owned(),
                error,
            }),
        }
    }
    children.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, kind) in children {
        match kind {
            Some(kind) if kind.is_dir() => walk(&path, out),
            Some(kind) if kind.is_symlink() => {
                let is_file = fs::metadata(&path).is_ok_and(|m| m.is_file());
                if is_file && is_manifest_name(&path) {
                    out.sources.push(Source::File(path));
                }
            }
            _ => {
                if is_manifest_name(&path) {
                    out.sources.push(Source::File(path));
                }
            }
        }
    }
}

/// Reads and analyses every source, in parallel; results come back in the sources' order.
pub fn check_all(sources: Vec<Source>) -> Vec<Result<Checked, InputError>> {
    let n = sources.len();
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(n)
        .max(1);
    if threads == 1 {
        return sources.into_iter().map(check_one).collect();
    }
    let slots: Vec<Mutex<Option<Source>>> =
        sources.into_iter().map(|s| Mutex::new(Some(s))).collect();
    let results: Vec<Mutex<Option<Result<Checked, InputError>>>> =
        (0..n).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(slot) = slots.get(i) else { break };
                    let source = slot.lock().ok().and_then(|mut s| s.take());
                    if let Some(source) = source {
                        let result = check_one(source);
                        if let Some(Ok(mut out)) = results.get(i).map(Mutex::lock) {
                            *out = Some(result);
                        }
                    }
                }
            });
        }
    });
    results
        .into_iter()
        .filter_map(|m| m.into_inner().ok().flatten())
        .collect()
}

fn check_one(source: Source) -> Result<Checked, InputError> {
    let path = source.display();
    let bytes = read(&source).map_err(|error| {
        if error.kind() == io::ErrorKind::FileTooLarge {
            InputError::TooLarge { path: path.clone() }
        } else {
            InputError::Io {
                path: path.clone(),
                error,
            }
        }
    })?;
    let text = decode(bytes, &path)?;
    let analysis = kubeplay_core::analyze(&text);
    Ok(Checked {
        source,
        path,
        text,
        analysis,
    })
}

fn read(source: &Source) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    match source {
        Source::Stdin => {
            io::stdin()
                .lock()
                .take(MAX_READ + 1)
                .read_to_end(&mut bytes)?;
        }
        Source::File(path) => {
            fs::File::open(path)?
                .take(MAX_READ + 1)
                .read_to_end(&mut bytes)?;
        }
    }
    if bytes.len() as u64 > MAX_READ {
        return Err(io::Error::from(io::ErrorKind::FileTooLarge));
    }
    Ok(bytes)
}

/// UTF-8 with an optional byte order mark (dropped, as kubectl does).
pub fn decode(bytes: Vec<u8>, path: &str) -> Result<String, InputError> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let skip = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
    match std::str::from_utf8(&bytes[skip..]) {
        Ok(_) => {
            let mut bytes = bytes;
            bytes.drain(..skip);
            String::from_utf8(bytes).map_err(|e| not_utf8(e.as_bytes(), 0, e.utf8_error(), path))
        }
        Err(e) => Err(not_utf8(&bytes[skip..], skip, e, path)),
    }
}

fn not_utf8(bytes: &[u8], skip: usize, e: std::str::Utf8Error, path: &str) -> InputError {
    let valid = e.valid_up_to();
    let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
    let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
    InputError::NotUtf8 {
        path: path.to_owned(),
        offset: skip + valid,
        byte: bytes.get(valid).copied().unwrap_or(0),
        line: prefix.matches('\n').count() + 1,
        column: prefix[line_start..].chars().count() + 1,
        utf16: skip == 0 && (bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_reports_offset_line_and_column_of_the_first_bad_byte() {
        let err = decode(b"a: 1\nb: \xC3(\n".to_vec(), "x.yaml").unwrap_err();
        let InputError::NotUtf8 {
            offset,
            byte,
            line,
            column,
            ..
        } = err
        else {
            panic!("expected NotUtf8, got {err:?}");
        };
        assert_eq!((offset, byte, line, column), (8, 0xC3, 2, 4));
    }

    #[test]
    fn decode_drops_a_utf8_bom_and_counts_it_in_offsets() {
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1".to_vec(), "x").unwrap(), "a: 1");
        let err = decode(b"\xEF\xBB\xBF\xFF".to_vec(), "x").unwrap_err();
        assert!(
            matches!(err, InputError::NotUtf8 { offset: 3, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn decode_recognises_utf16() {
        let err = decode(b"\xFF\xFEa\x00".to_vec(), "x").unwrap_err();
        assert!(err.to_string().contains("UTF-16"), "{err}");
    }
}
