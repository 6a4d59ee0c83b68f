//! How the project reaches each locked package, for lockfiles that record a dependency graph.

use vouch_model::Scope;

/// Nodes are indices chosen by the caller (packages, and for uv also "package with extra");
/// each edge and root carries the scope it alone implies.
#[derive(Debug, Default)]
pub(super) struct ScopeGraph {
    edges: Vec<Vec<(usize, Scope)>>,
    roots: Vec<(usize, Scope)>,
}

/// The scopes a path can take, from most to least needed.
const LEVELS: [Scope; 3] = [Scope::Required, Scope::Optional, Scope::Dev];

impl ScopeGraph {
    pub(super) fn new(node_count: usize) -> Self {
        Self {
            edges: vec![Vec::new(); node_count],
            roots: Vec::new(),
        }
    }

    /// The project needs `node` with `scope`.
    pub(super) fn add_root(&mut self, node: usize, scope: Scope) {
        self.roots.push((node, scope));
    }

    /// `from` needs `to`; a path through this edge is at most as needed as `scope`.
    pub(super) fn add_edge(&mut self, from: usize, to: usize, scope: Scope) {
        if let Some(edges) = self.edges.get_mut(from) {
            edges.push((to, scope));
        }
    }

    /// The scope of each node: the most needed scope over all paths from a root, where a path is
    /// as needed as its least needed edge; `None` for nodes no root reaches.
    pub(super) fn scopes(&self) -> Vec<Option<Scope>> {
        let mut scopes = vec![None; self.edges.len()];
        for level in LEVELS {
            let mut visited = vec![false; self.edges.len()];
            let mut stack: Vec<usize> = self
                .roots
                .iter()
                .filter(|(_, scope)| *scope <= level)
                .map(|(node, _)| *node)
                .collect();
            while let Some(node) = stack.pop() {
                let Some(seen) = visited.get_mut(node) else {
                    continue;
                };
                if *seen {
                    continue;
                }
                *seen = true;
                if let Some(scope) = scopes.get_mut(node) {
                    scope.get_or_insert(level);
                }
                if let Some(edges) = self.edges.get(node) {
                    stack.extend(
                        edges
                            .iter()
                            .filter(|(_, scope)| *scope <= level)
                            .map(|(next, _)| *next),
                    );
                }
            }
        }
        scopes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_takes_the_most_needed_path() {
        // 0: runtime dep; 1: reached from runtime and from dev; 2: a dev root that is also an
        // optional dependency of a runtime dep; 3: unreachable.
        let mut graph = ScopeGraph::new(4);
        graph.add_root(0, Scope::Required);
        graph.add_edge(0, 1, Scope::Required);
        graph.add_root(2, Scope::Dev);
        graph.add_edge(2, 1, Scope::Required);
        graph.add_edge(1, 2, Scope::Optional);
        assert_eq!(
            graph.scopes(),
            [
                Some(Scope::Required),
                Some(Scope::Required),
                Some(Scope::Optional),
                None
            ]
        );
    }
}
