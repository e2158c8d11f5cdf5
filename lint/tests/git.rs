//! Reading executable bits from git's index (built by hand here, versions 2 and 4), with the
//! file system as the fallback.

use std::path::Path;

use sextant_lint::git::{executable, parse_index, tracked_mode, ExecBit, IndexError, ModeSource};

/// One index entry: stat data, the mode, a zero hash, flags with the name length.
fn entry_head(mode: u32, name_len: usize, extended: bool) -> Vec<u8> {
    let mut e = vec![0u8; 24];
    e.extend_from_slice(&mode.to_be_bytes());
    e.extend_from_slice(&[0u8; 12]); // uid, gid, size
    e.extend_from_slice(&[0u8; 20]); // SHA-1
    let mut flags = name_len.min(0xfff) as u16;
    if extended {
        flags |= 0x4000;
    }
    e.extend_from_slice(&flags.to_be_bytes());
    if extended {
        e.extend_from_slice(&[0, 0]);
    }
    e
}

/// An index of the given version with (path, mode) entries, sorted as git sorts them.
fn index(version: u32, entries: &[(&str, u32)]) -> Vec<u8> {
    let mut out = b"DIRC".to_vec();
    out.extend_from_slice(&version.to_be_bytes());
    out.extend_from_slice(&(entries.len() as u32).to_be_bytes());
    let mut previous = String::new();
    for (path, mode) in entries {
        let start = out.len();
        out.extend(entry_head(*mode, path.len(), version == 3));
        if version == 4 {
            // drop what differs from the previous path, then the new suffix
            let common = previous
                .bytes()
                .zip(path.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            let strip = previous.len() - common;
            out.extend(varint(strip));
            out.extend_from_slice(&path.as_bytes()[common..]);
            out.push(0);
        } else {
            out.extend_from_slice(path.as_bytes());
            let len = out.len() - start;
            let padded = (len + 8) / 8 * 8;
            out.resize(start + padded, 0);
        }
        previous = path.to_string();
    }
    out.extend_from_slice(&[0u8; 20]); // checksum (not verified)
    out
}

/// git's offset varint.
fn varint(mut value: usize) -> Vec<u8> {
    let mut bytes = vec![(value & 0x7f) as u8];
    value >>= 7;
    while value > 0 {
        value -= 1;
        bytes.push(0x80 | (value & 0x7f) as u8);
        value >>= 7;
    }
    bytes.reverse();
    bytes
}

const ENTRIES: &[(&str, u32)] = &[
    (".kamal/hooks/post-deploy", 0o100644),
    (".kamal/hooks/pre-deploy", 0o100755),
    ("config/deploy.yml", 0o100644),
    ("link", 0o120000),
];

#[test]
fn versions_2_3_and_4_read_the_same() {
    for version in [2, 3, 4] {
        let parsed = parse_index(&index(version, ENTRIES), 20).expect("parses");
        let got: Vec<(String, u32)> = parsed
            .iter()
            .map(|e| (String::from_utf8_lossy(&e.path).into_owned(), e.mode))
            .collect();
        let want: Vec<(String, u32)> = ENTRIES.iter().map(|(p, m)| (p.to_string(), *m)).collect();
        assert_eq!(got, want, "version {version}");
    }
}

#[test]
fn long_prefixes_in_version_4() {
    let long = format!("{}/a", "d".repeat(300));
    let longer = format!("{}/bb", "d".repeat(300));
    let entries = [(long.as_str(), 0o100644), (longer.as_str(), 0o100755)];
    let parsed = parse_index(&index(4, &entries), 20).unwrap();
    assert_eq!(parsed[1].path, longer.as_bytes());
    assert_eq!(parsed[1].mode, 0o100755);
}

#[test]
fn corrupt_indexes_are_errors_never_panics() {
    assert_eq!(parse_index(b"", 20), Err(IndexError::NotAnIndex));
    assert_eq!(
        parse_index(b"NOPE\0\0\0\x02\0\0\0\0", 20),
        Err(IndexError::NotAnIndex)
    );
    let mut v9 = index(2, ENTRIES);
    v9[7] = 9;
    assert_eq!(parse_index(&v9, 20), Err(IndexError::UnsupportedVersion(9)));
    let good = index(4, ENTRIES);
    // every truncation and every single-byte change: an answer, never a panic
    for cut in 0..good.len() {
        let _ = parse_index(&good[..cut], 20);
    }
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..5000 {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let mut bad = good.clone();
        let at = (rng as usize) % bad.len();
        bad[at] = (rng >> 32) as u8;
        let _ = parse_index(&bad, 20);
        let _ = parse_index(&index(2, ENTRIES), 32);
    }
    // an entry count the file cannot hold
    let mut huge = index(2, ENTRIES);
    huge[8..12].copy_from_slice(&u32::MAX.to_be_bytes());
    assert!(parse_index(&huge, 20).is_err());
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn the_index_wins_over_the_file_system() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join(".git/index"), &index(4, ENTRIES));
    for (path, _) in &ENTRIES[..3] {
        write(&root.join(path), b"#!/bin/sh\n");
    }
    write(&root.join(".kamal/hooks/docker-setup"), b"#!/bin/sh\n");
    #[cfg(unix)]
    {
        // the file system says the opposite of the index
        chmod(&root.join(".kamal/hooks/post-deploy"), 0o755);
        chmod(&root.join(".kamal/hooks/pre-deploy"), 0o644);
        chmod(&root.join(".kamal/hooks/docker-setup"), 0o755);
    }
    let hooks = root.join(".kamal/hooks");
    assert_eq!(tracked_mode(&hooks.join("pre-deploy")), Some(0o100755));
    assert_eq!(
        executable(&hooks.join("post-deploy")),
        Some(ExecBit {
            executable: false,
            source: ModeSource::GitIndex,
            on_disk: if cfg!(unix) { Some(true) } else { None },
        })
    );
    assert_eq!(
        executable(&hooks.join("pre-deploy")),
        Some(ExecBit {
            executable: true,
            source: ModeSource::GitIndex,
            on_disk: if cfg!(unix) { Some(false) } else { None },
        })
    );
    // untracked: the file system decides
    assert_eq!(tracked_mode(&hooks.join("docker-setup")), None);
    #[cfg(unix)]
    assert_eq!(
        executable(&hooks.join("docker-setup")),
        Some(ExecBit {
            executable: true,
            source: ModeSource::FileSystem,
            on_disk: Some(true),
        })
    );
}

#[test]
fn a_dot_git_file_points_to_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("main");
    let worktree = dir.path().join("wt");
    write(
        &main.join(".git/worktrees/wt/index"),
        &index(2, &[(".kamal/hooks/pre-build", 0o100755)]),
    );
    write(
        &worktree.join(".git"),
        b"gitdir: ../main/.git/worktrees/wt\n",
    );
    write(&worktree.join(".kamal/hooks/pre-build"), b"#!/bin/sh\n");
    assert_eq!(
        tracked_mode(&worktree.join(".kamal/hooks/pre-build")),
        Some(0o100755)
    );
}

#[test]
fn a_corrupt_index_falls_back_to_the_file_system() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut bad = index(2, ENTRIES);
    bad.truncate(40);
    write(&root.join(".git/index"), &bad);
    let hook = root.join(".kamal/hooks/pre-deploy");
    write(&hook, b"#!/bin/sh\n");
    assert_eq!(tracked_mode(&hook), None);
    #[cfg(unix)]
    {
        chmod(&hook, 0o644);
        assert_eq!(
            executable(&hook),
            Some(ExecBit {
                executable: false,
                source: ModeSource::FileSystem,
                on_disk: Some(false),
            })
        );
    }
}
