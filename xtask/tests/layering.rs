//! The tidy test of the layering: each rule of ARCHITECTURE.md's "Binaries and layering" checked over
//! `cargo metadata`'s resolve graph, so that a dependency that breaks one fails `cargo xtask test` with the
//! chain of dependencies that brings the offending crate in.
//!
//! The graph is the workspace's resolve: features unified over every member, so a closure here may hold more
//! than one binary's own build does, never less. A rule that holds here holds for each binary.

use std::collections::{BTreeMap, HashMap, VecDeque};

use cargo_metadata::{DependencyKind, MetadataCommand, Package};

/// The programs that are shipped, by package: the organization's server, the contractor's command and app.
const SHIPPED: [&str; 3] = ["ebid-server", "ebid-cli", "ebid-desktop"];
/// The crypto providers; a shipped program carries one.
const PROVIDERS: [&str; 2] = ["ring", "aws-lc-rs"];
/// The only package that may depend on Tauri.
const TAURI_SHELL: &str = "ebid-desktop";
/// Cards, virtual cards, the demo CA and the papers' PDF: nothing the organization's server needs.
const NOT_IN_THE_SERVER: [&str; 5] = ["pcsc", "ebid-card", "ebid-vcard", "ebid-democa", "ebid-pdf"];
/// The server's crates and the developer's demo: nothing the contractor's programs need.
const NOT_IN_THE_CONTRACTOR: [&str; 4] = ["ebid-server", "ebid-trust", "ebid-vcard", "ebid-democa"];
/// The card crate and the PDF crate, which depend on no crate of ours.
const SELF_CONTAINED: [&str; 2] = ["ebid-card", "ebid-pdf"];

/// A package of the resolve: its name, whether it is ours, and its normal (linked) dependencies by id.
#[derive(Debug, Clone)]
struct Node {
    name: String,
    ours: bool,
    normal: Vec<String>,
}

/// The resolve graph by package id.
#[derive(Debug, Default)]
struct Graph {
    nodes: BTreeMap<String, Node>,
}

impl Graph {
    /// The workspace's graph, as `cargo metadata --format-version 1` resolves it for this machine's target.
    fn of_workspace() -> Self {
        let metadata = MetadataCommand::new()
            .manifest_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml"))
            .other_options(vec!["--filter-platform".to_owned(), host_triple()])
            .exec()
            .expect("cargo metadata runs");
        let resolve = metadata.resolve.as_ref().expect("a resolve graph");
        let packages: HashMap<_, _> = metadata.packages.iter().map(|p| (&p.id, p)).collect();
        let mut graph = Self::default();
        for node in &resolve.nodes {
            let package = packages[&node.id];
            let normal = node
                .deps
                .iter()
                // Normal: linked into the program. Build scripts' and tests' dependencies are not.
                .filter(|dep| {
                    dep.dep_kinds
                        .iter()
                        .any(|kind| kind.kind == DependencyKind::Normal)
                })
                .filter(|dep| linked(package, &node.features, &packages[&dep.pkg].name))
                .map(|dep| dep.pkg.repr.clone())
                .collect();
            graph.nodes.insert(
                node.id.repr.clone(),
                Node {
                    name: package.name.to_string(),
                    ours: metadata.workspace_members.contains(&node.id),
                    normal,
                },
            );
        }
        graph
    }

    /// The id of our package `name`.
    fn ours(&self, name: &str) -> &str {
        self.nodes
            .iter()
            .find(|(_, node)| node.ours && node.name == name)
            .map(|(id, _)| id.as_str())
            .unwrap_or_else(|| panic!("no package {name} in the workspace"))
    }

    /// Every package in `from`'s normal closure (itself included), each with the chain of names that
    /// reaches it first (breadth first: a shortest one).
    fn closure<'a>(&'a self, from: &'a str) -> BTreeMap<&'a str, Vec<&'a str>> {
        let mut reached: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut queue = VecDeque::new();
        reached.insert(from, vec![self.nodes[from].name.as_str()]);
        queue.push_back(from);
        while let Some(id) = queue.pop_front() {
            for dep in &self.nodes[id].normal {
                if !reached.contains_key(dep.as_str()) {
                    let mut chain = reached[id].clone();
                    chain.push(self.nodes[dep].name.as_str());
                    reached.insert(dep, chain);
                    queue.push_back(dep);
                }
            }
        }
        reached
    }

    /// The chains from `package` to each package of its closure named in `forbidden`, as `a → b → c`.
    fn chains_to(&self, package: &str, forbidden: &[&str]) -> Vec<String> {
        self.closure(self.ours(package))
            .into_iter()
            .filter(|(id, chain)| {
                chain.len() > 1 && forbidden.contains(&self.nodes[*id].name.as_str())
            })
            .map(|(_, chain)| chain.join(" → "))
            .collect()
    }

    /// Every broken rule, one line each, naming the chain of dependencies that breaks it.
    fn violations(&self) -> Vec<String> {
        let mut found = Vec::new();
        for node in self
            .nodes
            .values()
            .filter(|n| n.ours && n.name != TAURI_SHELL)
        {
            for chain in self.chains_to(&node.name, &["tauri"]) {
                found.push(format!("only {TAURI_SHELL} may depend on tauri: {chain}"));
            }
        }
        for chain in self.chains_to("ebid-server", &NOT_IN_THE_SERVER) {
            found.push(format!(
                "the server links no card, demo or PDF crate: {chain}"
            ));
        }
        for contractor in ["ebid-cli", "ebid-desktop"] {
            for chain in self.chains_to(contractor, &NOT_IN_THE_CONTRACTOR) {
                found.push(format!(
                    "{contractor} links nothing of the server or the demo: {chain}"
                ));
            }
        }
        let ours: Vec<&str> = self
            .nodes
            .values()
            .filter(|n| n.ours)
            .map(|n| n.name.as_str())
            .collect();
        for package in SELF_CONTAINED {
            for chain in self.chains_to(package, &ours) {
                found.push(format!("{package} depends on no crate of ours: {chain}"));
            }
        }
        for shipped in SHIPPED {
            let chains: Vec<String> = PROVIDERS
                .iter()
                .filter_map(|provider| self.chains_to(shipped, &[provider]).into_iter().next())
                .collect();
            if chains.len() > 1 {
                found.push(format!(
                    "{shipped} carries more than one crypto provider: {}",
                    chains.join("; ")
                ));
            }
        }
        found
    }
}

/// Whether `package`, with `features` enabled, links its normal dependency on the package `name`. The
/// dependency resolve that `cargo metadata` reports lists an optional dependency as soon as a weak feature
/// (`ring?/alloc`) names it; it is linked only if a feature enables it (`dep:ring`, `ring`, `ring/alloc`).
fn linked(package: &Package, features: &[String], name: &str) -> bool {
    let declared: Vec<_> = package
        .dependencies
        .iter()
        .filter(|dep| dep.name == name && dep.kind == DependencyKind::Normal)
        .collect();
    if declared.iter().any(|dep| !dep.optional) {
        return true;
    }
    declared.iter().any(|dep| {
        let key = dep.rename.as_deref().unwrap_or(&dep.name);
        features.iter().any(|feature| {
            feature == key
                || package.features.get(feature).is_some_and(|enables| {
                    enables.iter().any(|enabled| {
                        enabled == &format!("dep:{key}") || enabled.starts_with(&format!("{key}/"))
                    })
                })
        })
    })
}

/// The target this machine builds for (`rustc -vV`'s host), as the shipped binaries are built here.
fn host_triple() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let output = std::process::Command::new(rustc)
        .arg("-vV")
        .output()
        .expect("rustc -vV runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .expect("rustc names its host")
        .to_owned()
}

#[test]
fn the_workspace_keeps_its_layering() {
    let violations = Graph::of_workspace().violations();
    assert!(
        violations.is_empty(),
        "the layering is broken (ARCHITECTURE.md, \"Binaries and layering\"):\n  {}",
        violations.join("\n  ")
    );
}

/// A graph of `(name, ours, normal dependencies by name)`; ids are the names.
fn fake(packages: &[(&str, bool, &[&str])]) -> Graph {
    Graph {
        nodes: packages
            .iter()
            .map(|&(name, ours, normal)| {
                let node = Node {
                    name: name.into(),
                    ours,
                    normal: normal.iter().map(|&dep| dep.into()).collect(),
                };
                (name.to_owned(), node)
            })
            .collect(),
    }
}

/// The shipped packages, the card crate and the PDF crate, layered as the rules want.
const TIDY: &[(&str, bool, &[&str])] = &[
    ("ebid-server", true, &["ebid-trust", "rustls"]),
    ("ebid-trust", true, &["webpki"]),
    ("webpki", false, &["aws-lc-rs"]),
    ("rustls", false, &["aws-lc-rs"]),
    ("aws-lc-rs", false, &[]),
    ("ebid-cli", true, &["ebid-card", "ebid-client"]),
    ("ebid-client", true, &["rustls"]),
    ("ebid-card", true, &["pcsc"]),
    ("pcsc", false, &[]),
    ("ebid-desktop", true, &["tauri", "ebid-app"]),
    ("ebid-app", true, &["ebid-card", "ebid-client", "ebid-pdf"]),
    ("ebid-pdf", true, &["krilla"]),
    ("krilla", false, &[]),
    ("tauri", false, &[]),
];

/// [`TIDY`] with one package's dependencies replaced.
fn tidy_but(name: &str, normal: &'static [&'static str]) -> Graph {
    let packages: Vec<_> = TIDY
        .iter()
        .map(|&(n, ours, deps)| (n, ours, if n == name { normal } else { deps }))
        .collect();
    fake(&packages)
}

#[test]
fn a_tidy_graph_breaks_no_rule() {
    assert_eq!(fake(TIDY).violations(), Vec::<String>::new());
}

#[test]
fn each_broken_rule_is_named_with_its_chain() {
    let cases: [(&str, &'static [&'static str], &str); 7] = [
        (
            "ebid-app",
            &["ebid-card", "ebid-client", "tauri"],
            "only ebid-desktop may depend on tauri: ebid-app → tauri",
        ),
        (
            "ebid-trust",
            &["webpki", "ebid-card"],
            "the server links no card, demo or PDF crate: ebid-server → ebid-trust → ebid-card",
        ),
        (
            "ebid-trust",
            &["webpki", "ebid-pdf"],
            "the server links no card, demo or PDF crate: ebid-server → ebid-trust → ebid-pdf",
        ),
        (
            "ebid-client",
            &["rustls", "ebid-trust"],
            "ebid-cli links nothing of the server or the demo: ebid-cli → ebid-client → ebid-trust",
        ),
        (
            "ebid-card",
            &["pcsc", "ebid-client"],
            "ebid-card depends on no crate of ours: ebid-card → ebid-client",
        ),
        (
            "ebid-pdf",
            &["krilla", "ebid-client"],
            "ebid-pdf depends on no crate of ours: ebid-pdf → ebid-client",
        ),
        (
            "webpki",
            &["ring"],
            "ebid-server carries more than one crypto provider: ebid-server → ebid-trust → webpki → ring; \
             ebid-server → rustls → aws-lc-rs",
        ),
    ];
    for (package, deps, expected) in cases {
        let mut graph = tidy_but(package, deps);
        graph.nodes.entry("ring".into()).or_insert(Node {
            name: "ring".into(),
            ours: false,
            normal: Vec::new(),
        });
        let violations = graph.violations();
        assert!(
            violations.iter().any(|v| v == expected),
            "{package}: expected {expected:?} among {violations:#?}"
        );
    }
}
