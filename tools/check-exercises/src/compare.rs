//! Two transcripts of the same check, the learner's and the reference
//! solution's, lined up: as a diff under a failing check, or side by side for
//! `cargo exercises compare`.

use std::fs::File;
use std::process::{Command, Stdio};

/// How two transcripts line up, line by line.
#[derive(Debug, PartialEq, Eq)]
pub enum Row<'a> {
    Same(&'a str),
    /// A line of each, where they part.
    Changed(&'a str, &'a str),
    Yours(&'a str),
    Reference(&'a str),
}

/// Lines up `yours` against `reference` (a longest common subsequence; a line
/// only one side has, next to one only the other has, is one changed line).
pub fn align<'a>(yours: &[&'a str], reference: &[&'a str]) -> Vec<Row<'a>> {
    let (n, m) = (yours.len(), reference.len());
    // common[i][j]: the longest common subsequence of yours[i..] and reference[j..].
    let mut common = vec![vec![0_usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            common[i][j] = match yours[i] == reference[j] {
                true => common[i + 1][j + 1] + 1,
                false => common[i + 1][j].max(common[i][j + 1]),
            };
        }
    }
    let mut rows = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && yours[i] == reference[j] {
            rows.push(Row::Same(yours[i]));
            (i, j) = (i + 1, j + 1);
        } else if j == m || (i < n && common[i + 1][j] >= common[i][j + 1]) {
            rows.push(Row::Yours(yours[i]));
            i += 1;
        } else {
            rows.push(Row::Reference(reference[j]));
            j += 1;
        }
    }
    pair_changes(rows)
}

/// `Yours(a), Reference(b)` next to each other become `Changed(a, b)`.
fn pair_changes(rows: Vec<Row<'_>>) -> Vec<Row<'_>> {
    let mut paired: Vec<Row<'_>> = Vec::with_capacity(rows.len());
    for row in rows {
        match (paired.last(), row) {
            (Some(Row::Yours(mine)), Row::Reference(theirs)) => {
                let mine = *mine;
                paired.pop();
                paired.push(Row::Changed(mine, theirs));
            }
            (_, row) => paired.push(row),
        }
    }
    paired
}

/// The rows as a diff: `  ` both, `- ` yours only, `+ ` the reference only.
pub fn diff(rows: &[Row<'_>]) -> Vec<String> {
    let mut lines = Vec::new();
    for row in rows {
        match row {
            Row::Same(line) => lines.push(format!("  {line}")),
            Row::Changed(mine, theirs) => {
                lines.push(format!("- {mine}"));
                lines.push(format!("+ {theirs}"));
            }
            Row::Yours(mine) => lines.push(format!("- {mine}")),
            Row::Reference(theirs) => lines.push(format!("+ {theirs}")),
        }
    }
    lines
}

/// The rows in two columns that fit `width`, with a mark between them:
/// ` ` the same, `|` different, `<` yours only, `>` the reference's only.
/// A line too long for its column is wrapped, never cut.
pub fn side_by_side(rows: &[Row<'_>], width: usize) -> Vec<String> {
    let column = (width.saturating_sub(3) / 2).max(10);
    let mut lines =
        vec![format!("{:<column$} │ {}", "yours", "the reference"), "─".repeat(column * 2 + 3)];
    for row in rows {
        let (mine, mark, theirs) = match row {
            Row::Same(line) => (*line, ' ', *line),
            Row::Changed(mine, theirs) => (*mine, '|', *theirs),
            Row::Yours(mine) => (*mine, '<', ""),
            Row::Reference(theirs) => ("", '>', *theirs),
        };
        let (left, right) = (wrap(mine, column), wrap(theirs, column));
        for k in 0..left.len().max(right.len()) {
            let l = left.get(k).map_or("", String::as_str);
            let r = right.get(k).map_or("", String::as_str);
            let mark = if k == 0 { mark } else { ' ' };
            lines.push(format!("{l:<column$} {mark} {r}").trim_end().to_owned());
        }
    }
    lines
}

/// `line` cut into pieces of at most `width` characters; one empty piece for
/// an empty line.
fn wrap(line: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    if chars.is_empty() {
        return vec![String::new()];
    }
    chars.chunks(width).map(|piece| piece.iter().collect()).collect()
}

/// The terminal's width: `$COLUMNS`, else what `stty` says of the terminal,
/// else 100.
pub fn terminal_width() -> usize {
    if let Some(columns) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return columns;
    }
    let asked = File::open("/dev/tty").ok().and_then(|tty| {
        Command::new("stty").arg("size").stdin(tty).stderr(Stdio::null()).output().ok()
    });
    asked
        .and_then(|output| {
            let size = String::from_utf8_lossy(&output.stdout).into_owned();
            size.split_whitespace().nth(1)?.parse().ok()
        })
        .filter(|&columns: &usize| columns > 0)
        .unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_pairs_up_and_common_lines_stay_aligned() {
        let yours = ["client → \"hi\"", "client: reads the end (FIN)", "done"];
        let reference =
            ["client → \"hi\"", "client ← \"hi\"", "client: reads the end (FIN)", "done"];
        let rows = align(&yours, &reference);
        assert_eq!(
            rows,
            [
                Row::Same("client → \"hi\""),
                Row::Reference("client ← \"hi\""),
                Row::Same("client: reads the end (FIN)"),
                Row::Same("done"),
            ]
        );
        let rows = align(&["a", "x", "c"], &["a", "y", "c"]);
        assert_eq!(rows, [Row::Same("a"), Row::Changed("x", "y"), Row::Same("c")]);
        assert_eq!(diff(&rows), ["  a", "- x", "+ y", "  c"]);
    }

    #[test]
    fn side_by_side_fits_the_width_and_wraps_long_lines() {
        let rows = align(&["same", "mine is a long line"], &["same", "theirs"]);
        let lines = side_by_side(&rows, 29);
        for line in &lines {
            assert!(line.chars().count() <= 29, "{line:?} is wider than 29");
        }
        assert_eq!(lines[2..], ["same            same", "mine is a lon | theirs", "g line",]);
    }
}
