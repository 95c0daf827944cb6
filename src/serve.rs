//! `treatyline serve`: local preview with live reload.

use std::net::IpAddr;
use std::path::PathBuf;

/// What `serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    pub bind: IpAddr,
    pub drafts: bool,
    pub open: bool,
}

/// Serves the site until interrupted.
pub fn run(options: ServeOptions) -> Result<(), std::io::Error> {
    let _ = options;
    Err(std::io::Error::other("serve is not available yet"))
}
