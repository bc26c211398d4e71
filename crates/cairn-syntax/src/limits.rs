//! Limits that keep parsing bounded whatever a file holds.

/// Bounds on what one file may make the parser do. Set from `cairn.yaml`'s `limits`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Files larger than this many bytes are not read.
    pub max_file_size: u64,
    /// Collections may nest this deep.
    pub max_depth: usize,
    /// YAML aliases in one file may expand to at most this many values in all.
    pub max_alias_nodes: usize,
}

impl Limits {
    pub const DEFAULT_MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;
    pub const DEFAULT_MAX_DEPTH: usize = 64;
    pub const DEFAULT_MAX_ALIAS_NODES: usize = 10_000;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: Self::DEFAULT_MAX_FILE_SIZE,
            max_depth: Self::DEFAULT_MAX_DEPTH,
            max_alias_nodes: Self::DEFAULT_MAX_ALIAS_NODES,
        }
    }
}
