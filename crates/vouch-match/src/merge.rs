//! One flaw, one finding: records that name each other through ids and aliases are merged.

use std::collections::HashMap;

/// Groups of record indices connected through shared ids or aliases: records `a` and `b` are in
/// one group when a chain of records links them, each sharing an id or alias with the next.
/// Groups come out in the order of their first record, and indices within a group ascend.
pub(crate) fn connected<'a>(records: &[(&'a str, &'a [String])]) -> Vec<Vec<usize>> {
    let mut parents: Vec<usize> = (0..records.len()).collect();
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (index, (id, aliases)) in records.iter().enumerate() {
        for name in std::iter::once(*id).chain(aliases.iter().map(String::as_str)) {
            match owner.get(name) {
                Some(&other) => union(&mut parents, index, other),
                None => {
                    owner.insert(name, index);
                }
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of_root: HashMap<usize, usize> = HashMap::new();
    for index in 0..records.len() {
        let root = find(&mut parents, index);
        let group = *group_of_root.entry(root).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        if let Some(members) = groups.get_mut(group) {
            members.push(index);
        }
    }
    groups
}

fn find(parents: &mut [usize], mut node: usize) -> usize {
    let mut root = node;
    while let Some(&parent) = parents.get(root) {
        if parent == root {
            break;
        }
        root = parent;
    }
    // Path compression: point every node on the way straight at the root.
    while let Some(parent) = parents.get_mut(node) {
        let next = *parent;
        if next == root {
            break;
        }
        *parent = root;
        node = next;
    }
    root
}

fn union(parents: &mut [usize], left: usize, right: usize) {
    let (left, right) = (find(parents, left), find(parents, right));
    // The smaller index becomes the root, so that roots do not depend on union order.
    let (root, child) = (left.min(right), left.max(right));
    if let Some(parent) = parents.get_mut(child) {
        *parent = root;
    }
}

/// The primary id of a merged finding, among the ids of the records it merged.
///
/// The database native to the package's ecosystem comes first, since its record is the one that
/// ecosystem's users and tools know: `RUSTSEC` for crates.io, `GO` for Go, `PYSEC` then `GHSA`
/// for PyPI, `RSEC` for CRAN. Then `GHSA`, then any other
/// database, and `CVE` last (a CVE record says least about the package). Ties go to the
/// smallest id by string order.
pub(crate) fn primary_id<'a>(
    ecosystem: &str,
    ids: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    ids.into_iter()
        .min_by(|left, right| (rank(ecosystem, left), *left).cmp(&(rank(ecosystem, right), *right)))
}

fn rank(ecosystem: &str, id: &str) -> usize {
    let database = id.split_once('-').map_or(id, |(database, _)| database);
    let native: &[&str] = match ecosystem
        .split_once(':')
        .map_or(ecosystem, |(base, _)| base)
    {
        "crates.io" => &["RUSTSEC"],
        "Go" => &["GO"],
        "PyPI" => &["PYSEC", "GHSA"],
        "CRAN" => &["RSEC"],
        _ => &[],
    };
    if let Some(position) = native.iter().position(|native| *native == database) {
        return position;
    }
    match database {
        "GHSA" => native.len(),
        "CVE" => native.len() + 2,
        _ => native.len() + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_linked_through_a_chain_of_aliases_form_one_group() {
        let cve = ["CVE-2024-1".to_owned()];
        let ghsa = ["GHSA-aaaa".to_owned(), "CVE-2024-1".to_owned()];
        let unrelated = ["CVE-2024-9".to_owned()];
        let through_ghsa = ["GHSA-aaaa".to_owned()];
        let groups = connected(&[
            ("PYSEC-2024-1", &cve),
            ("OTHER-1", &unrelated),
            ("GHSA-bbbb", &[]),
            ("X-1", &through_ghsa),
            ("GHSA-aaaa", &ghsa),
        ]);
        assert_eq!(groups, [vec![0, 3, 4], vec![1], vec![2]]);
    }

    #[test]
    fn the_primary_id_is_the_ecosystem_native_one_and_cve_comes_last() {
        let ids = ["CVE-2024-1", "GHSA-xxxx", "PYSEC-2024-5", "OSV-2024-1"];
        assert_eq!(primary_id("PyPI", ids), Some("PYSEC-2024-5"));
        assert_eq!(primary_id("npm", ids), Some("GHSA-xxxx"));
        assert_eq!(
            primary_id("crates.io", ["GHSA-b", "RUSTSEC-2024-1"]),
            Some("RUSTSEC-2024-1")
        );
        assert_eq!(
            primary_id("Go", ["GHSA-b", "GO-2024-1", "CVE-1"]),
            Some("GO-2024-1")
        );
        assert_eq!(primary_id("Maven", ["CVE-1", "OSV-1"]), Some("OSV-1"));
        assert_eq!(primary_id("Maven", ["GHSA-b", "GHSA-a"]), Some("GHSA-a"));
        assert_eq!(primary_id("Maven", []), None);
    }
}
