//! `treatyline new`: a ready site in a new folder.

use std::path::PathBuf;

/// What `new` is asked to create.
#[derive(Debug, Clone)]
pub struct NewOptions {
    pub dir: PathBuf,
    pub title: Option<String>,
    pub base_url: Option<String>,
    pub bare: bool,
    pub force: bool,
}

/// Creates the site; returns a message saying what was made and what to do next.
pub fn new_site(options: &NewOptions) -> Result<String, std::io::Error> {
    let _ = options;
    Err(std::io::Error::other("new is not available yet"))
}
