//! `text/tabwriter` as kubectl's describers set it up (`tabbedString` in
//! k8s.io/kubectl/pkg/describe: minimum width 0, padding 2, spaces): the text is cells
//! ended by tabs; a column is aligned over each run of consecutive lines that have a cell in
//! it (a "column block"), to its widest cell plus two spaces; the text after a line's last
//! tab is not aligned. Describers write label/value pairs and their tables through it.

/// Aligns tab-separated `text` as `tabbedString` does.
#[must_use]
pub fn tabbed(text: &str) -> String {
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    // widths[i][c]: the width line i's cell c is padded to.
    let mut widths: Vec<Vec<usize>> = lines
        .iter()
        .map(|cells| vec![0; cells.len().saturating_sub(1)])
        .collect();
    let columns = lines.iter().map(Vec::len).max().unwrap_or(0);
    for column in 0..columns.saturating_sub(1) {
        let mut start = 0;
        while start < lines.len() {
            if lines[start].len() <= column + 1 {
                start += 1;
                continue;
            }
            let mut end = start;
            let mut width = 0;
            while end < lines.len() && lines[end].len() > column + 1 {
                width = width.max(lines[end][column].chars().count() + 2);
                end += 1;
            }
            for row in &mut widths[start..end] {
                row[column] = width;
            }
            start = end;
        }
    }
    let mut out = String::with_capacity(text.len() * 2);
    for (cells, widths) in lines.iter().zip(&widths) {
        for (c, cell) in cells.iter().enumerate() {
            out.push_str(cell);
            if let Some(&w) = widths.get(c) {
                out.extend(std::iter::repeat_n(
                    ' ',
                    w.saturating_sub(cell.chars().count()),
                ));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::tabbed;

    #[test]
    fn columns_align_per_block_of_lines() {
        let text = "Name:\tnode-1\nCreationTimestamp:\tnow\nConditions:\n  Type\tStatus\n  Ready \tTrue \nAddresses:\n  Hostname:\tnode-1\n";
        assert_eq!(
            tabbed(text),
            "Name:               node-1\n\
             CreationTimestamp:  now\n\
             Conditions:\n  \
             Type    Status\n  \
             Ready   True \n\
             Addresses:\n  \
             Hostname:  node-1\n"
        );
    }

    #[test]
    fn an_empty_column_is_two_spaces_wide() {
        assert_eq!(tabbed("a\tb\t\tc\n"), "a  b    c\n");
    }
}
