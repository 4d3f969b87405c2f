//! A project README's table of operations, kept between two markers so that
//! `openapi-gen` can refresh it and a test can check it.

/// Opens the generated block.
pub const START: &str = "<!-- openapi-gen:operations -->";
/// Closes it.
pub const END: &str = "<!-- /openapi-gen:operations -->";

/// The text between the markers, if both are there.
pub fn operations_table(readme: &str) -> Option<&str> {
    let start = readme.find(START)? + START.len();
    let end = start + readme[start..].find(END)?;
    Some(readme[start..end].trim_matches('\n'))
}

/// The README with `table` between the markers; `None` without markers.
pub fn replace_operations_table(readme: &str, table: &str) -> Option<String> {
    let start = readme.find(START)? + START.len();
    let end = start + readme[start..].find(END)?;
    Some(format!("{}\n{}\n{}", &readme[..start], table.trim_matches('\n'), &readme[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_between_the_markers_is_replaced() {
        let readme = format!("# T\n{START}\nold\n{END}\nrest\n");
        let new = replace_operations_table(&readme, "| a |\n").unwrap();
        assert_eq!(new, format!("# T\n{START}\n| a |\n{END}\nrest\n"));
        assert_eq!(operations_table(&new), Some("| a |"));
        assert_eq!(replace_operations_table("no markers", "x"), None);
        assert_eq!(operations_table(&format!("{END} {START}")), None);
    }
}
