//! A plain-text table: columns padded to their widest cell, two spaces apart, the last column
//! unpadded and no trailing spaces.

/// `header` and `rows` as a table, one line each.
pub(crate) fn table<const N: usize>(header: [&str; N], rows: &[[String; N]]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|name| name.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let mut text = String::new();
        for (index, (cell, width)) in cells.iter().zip(&widths).enumerate() {
            text.push_str(cell);
            if index + 1 < cells.len() {
                let pad = width - cell.chars().count() + 2;
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
    out
}

/// A Markdown table cell: a `|` escaped, line breaks as spaces, so the text stays in its cell.
pub(crate) fn markdown_cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// A CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote or a line
/// break.
pub(crate) fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_padded_to_their_widest_cell_by_characters() {
        let rows =
            [["é".to_owned(), "x".to_owned(), String::new()], ["abc".to_owned(), "yy".to_owned(), "z".to_owned()]];
        assert_eq!(table(["A", "BB", "C"], &rows), "A    BB  C\né    x\nabc  yy  z\n");
    }
}
