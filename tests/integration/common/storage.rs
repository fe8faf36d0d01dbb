//! Test doubles of the storage seam ([`notice_pdf::output::Storage`]): a disk that fills up
//! and a process that is killed, at a chosen step.

use std::path::Path;

use notice_pdf::output::Storage;

/// A [`Storage`] that fails the `n`-th new file (counting from 1) after writing half of it, as
/// a full disk does, and otherwise writes to [`notice_pdf::output::Disk`]: for tests of all-or-nothing writes.
#[derive(Debug)]
pub struct FullDiskAt {
    pub n: usize,
    /// New files attempted so far.
    pub calls: std::cell::Cell<usize>,
}

impl FullDiskAt {
    pub fn new(n: usize) -> Self {
        FullDiskAt {
            n,
            calls: std::cell::Cell::new(0),
        }
    }
}

impl Storage for FullDiskAt {
    fn write_new(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        self.calls.set(self.calls.get() + 1);
        if self.calls.get() == self.n {
            std::fs::write(path, &bytes[..bytes.len() / 2])?;
            return Err(std::io::Error::from_raw_os_error(28)); // ENOSPC
        }
        notice_pdf::output::Disk.write_new(path, bytes)
    }
    fn write_direct(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        notice_pdf::output::Disk.write_direct(path, bytes)
    }
    fn rename(&self, from: &Path, to: &Path) -> std::io::Result<()> {
        notice_pdf::output::Disk.rename(from, to)
    }
    fn remove(&self, path: &Path) -> std::io::Result<()> {
        notice_pdf::output::Disk.remove(path)
    }
    fn sync_dir(&self, dir: &Path) -> std::io::Result<()> {
        notice_pdf::output::Disk.sync_dir(dir)
    }
    fn create_dir(&self, path: &Path) -> std::io::Result<()> {
        notice_pdf::output::Disk.create_dir(path)
    }
    fn hard_link(&self, original: &Path, link: &Path) -> std::io::Result<()> {
        notice_pdf::output::Disk.hard_link(original, link)
    }
    fn symlink(&self, target: &Path, link: &Path) -> std::io::Result<()> {
        notice_pdf::output::Disk.symlink(target, link)
    }
    fn remove_dir_all(&self, path: &Path) -> std::io::Result<()> {
        notice_pdf::output::Disk.remove_dir_all(path)
    }
}

/// A [`Storage`] that stops for good at its `n`-th operation (counting from 1), as a process
/// killed there would: that operation and every later one fail without touching the disk.
/// For tests that a reader never sees a mixed set, whichever step a build dies at.
#[derive(Debug)]
pub struct KilledAt {
    pub n: usize,
    /// Operations attempted so far.
    pub calls: std::cell::Cell<usize>,
}

impl KilledAt {
    pub fn new(n: usize) -> Self {
        KilledAt {
            n,
            calls: std::cell::Cell::new(0),
        }
    }

    fn step(&self) -> std::io::Result<()> {
        self.calls.set(self.calls.get() + 1);
        if self.calls.get() >= self.n {
            Err(std::io::Error::other("killed (test)"))
        } else {
            Ok(())
        }
    }
}

impl Storage for KilledAt {
    fn write_new(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        self.step()
            .and_then(|()| notice_pdf::output::Disk.write_new(path, bytes))
    }
    fn write_direct(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        self.step()
            .and_then(|()| notice_pdf::output::Disk.write_direct(path, bytes))
    }
    fn rename(&self, from: &Path, to: &Path) -> std::io::Result<()> {
        self.step()
            .and_then(|()| notice_pdf::output::Disk.rename(from, to))
    }
    fn remove(&self, path: &Path) -> std::io::Result<()> {
        self.step()
            .and_then(|()| notice_pdf::output::Disk.remove(path))
    }
    fn sync_dir(&self, dir: &Path) -> std::io::Result<()> {
        self.step()
            .and_then(|()| notice_pdf::output::Disk.sync_dir(dir))
    }
    fn create_dir(&self, path: &Path) -> std::io::Result<()> {
        self.step()
            .and_then(|()| notice_pdf::output::Disk.create_dir(path))
    }
    fn hard_link(&self, original: &Path, link: &Path) -> std::io::Result<()> {
        self.step()
            .and_then(|()| notice_pdf::output::Disk.hard_link(original, link))
    }
    fn symlink(&self, target: &Path, link: &Path) -> std::io::Result<()> {
        self.step()
            .and_then(|()| notice_pdf::output::Disk.symlink(target, link))
    }
    fn remove_dir_all(&self, path: &Path) -> std::io::Result<()> {
        self.step()
            .and_then(|()| notice_pdf::output::Disk.remove_dir_all(path))
    }
}
