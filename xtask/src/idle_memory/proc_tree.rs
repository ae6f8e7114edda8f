//! A program's processes and their memory, read from /proc: the program and every process under it (the
//! app's WebKitGTK runs its pages in `WebKitWebProcess` and its network in `WebKitNetworkProcess`, both
//! children of the program).

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt as _;
use std::path::Path;

/// One process of a tree.
#[derive(Debug, Clone)]
pub struct Process {
    pub pid: u32,
    /// The file name of its program (`WebKitWebProcess`), or the kernel's 15-byte name when it has no
    /// command line.
    pub name: String,
}

/// Memory of a whole tree, in KiB, summed over its processes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TreeMemory {
    /// Proportional set size: a page shared by n processes counts 1/n in each, so the sum over the tree
    /// counts the tree's shared libraries once, and libraries shared with other programs in part. It is
    /// what the program costs the machine.
    pub pss_kib: u64,
    /// Resident set size: every page a process maps counts in full in each process, so the sum counts the
    /// tree's shared libraries once a process. What a task manager shows.
    pub rss_kib: u64,
}

/// `root` and every live process descending from it, `root` first. Empty once `root` is gone.
pub fn tree_of(root: u32) -> Vec<Process> {
    let all: Vec<(Process, u32)> = fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = Stat::read(pid)?;
            if stat.zombie {
                return None;
            }
            let name = program_name(pid).unwrap_or(stat.name);
            Some((Process { pid, name }, stat.ppid))
        })
        .collect();
    let mut tree: Vec<Process> = all
        .iter()
        .filter(|(process, _)| process.pid == root)
        .map(|(process, _)| process.clone())
        .collect();
    // Children of a process of the tree are of the tree, until no new one appears.
    loop {
        let before = tree.len();
        for (process, ppid) in &all {
            let parent_in_tree = tree.iter().any(|p| p.pid == *ppid);
            if parent_in_tree && !tree.iter().any(|p| p.pid == process.pid) {
                tree.push(process.clone());
            }
        }
        if tree.len() == before {
            return tree;
        }
    }
}

/// The summed memory of `tree`. A process that ended meanwhile counts nothing.
pub fn memory_of(tree: &[Process]) -> TreeMemory {
    let mut memory = TreeMemory::default();
    for process in tree {
        // smaps_rollup: the totals of /proc/<pid>/smaps, summed by the kernel in one read.
        let rollup =
            fs::read_to_string(format!("/proc/{}/smaps_rollup", process.pid)).unwrap_or_default();
        memory.pss_kib += field_kib(&rollup, "Pss:");
        memory.rss_kib += field_kib(&rollup, "Rss:");
    }
    memory
}

/// Whether a process no longer runs: gone from /proc, or a zombie waiting for its parent.
pub fn has_ended(pid: u32) -> bool {
    Stat::read(pid).is_none_or(|stat| stat.zombie)
}

/// The file name of the first word of `/proc/<pid>/cmdline` (words end with NUL).
fn program_name(pid: u32) -> Option<String> {
    let cmdline = fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let program = cmdline.split(|&b| b == 0).next()?;
    let name = Path::new(OsStr::from_bytes(program)).file_name()?;
    Some(name.to_string_lossy().into_owned())
}

/// The fields of `/proc/<pid>/stat` used here.
struct Stat {
    name: String,
    ppid: u32,
    zombie: bool,
}

impl Stat {
    fn read(pid: u32) -> Option<Self> {
        let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // `pid (name) state ppid …`: the name may itself hold spaces and parentheses, so it ends at the last ')'.
        let (open, close) = (stat.find('(')?, stat.rfind(')')?);
        let mut rest = stat.get(close + 1..)?.split_whitespace();
        let state = rest.next()?;
        let ppid = rest.next()?.parse().ok()?;
        Some(Self {
            name: stat.get(open + 1..close)?.to_owned(),
            ppid,
            zombie: state == "Z",
        })
    }
}

/// A `Name:   1234 kB` line of smaps_rollup, in KiB; 0 when absent.
fn field_kib(rollup: &str, name: &str) -> u64 {
    rollup
        .lines()
        .find_map(|line| line.strip_prefix(name))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}
