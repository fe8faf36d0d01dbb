//! `notice-pdf audit verify`: whether the hash chains of `serve --audit-log` hold.

use std::process::ExitCode;

use super::args::AuditCommand;
use crate::{Res, say};

pub(crate) fn run(command: AuditCommand) -> Res {
    let AuditCommand::Verify { files, after } = command;
    for (file, v) in notice_pdf::audit::chain::verify_files(&files, after.as_deref())? {
        say(&format!(
            "{}: intact, {} line(s); last hash {}",
            file.display(),
            v.lines,
            v.last_hash
        ));
    }
    Ok(ExitCode::SUCCESS)
}
