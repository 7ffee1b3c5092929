//! The Public Suffix List (<https://publicsuffix.org/list/>): under which names anyone may
//! register a domain (`com`, `co.uk`, `github.io`), so that no cookie may be set for all of them
//! and sites are told apart. The page loads the list after its first paint
//! (`static/public-suffixes.txt`, written by `scripts/public-suffixes.py`) and installs it;
//! until then, and where nothing installs it, a short built-in approximation stands in.

use std::sync::OnceLock;

/// The list's rules: plain, wildcard (`*.ck`, kept as `ck`) and exception (`!www.ck`), each
/// sorted for a binary search (no hash tables or sort routine in the page's bundle: the list
/// comes sorted, and a list that does not is searched from end to end).
#[derive(Debug, Clone, Default)]
pub struct PublicSuffixes {
    rules: Rules,
    wildcards: Rules,
    exceptions: Rules,
    /// The list's `VERSION` line, when it names one.
    pub version: Option<String>,
}

/// Names in the order the list gave them, and whether that order is sorted.
#[derive(Debug, Clone)]
struct Rules {
    names: Vec<String>,
    sorted: bool,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            names: Vec::new(),
            sorted: true,
        }
    }
}

impl Rules {
    fn insert(&mut self, name: String) {
        if self.names.last().is_some_and(|last| *last >= name) {
            self.sorted = false;
        }
        self.names.push(name);
    }

    fn contains(&self, name: &str) -> bool {
        if self.sorted {
            self.names
                .binary_search_by(|n| n.as_str().cmp(name))
                .is_ok()
        } else {
            self.names.iter().any(|n| n == name)
        }
    }

    fn len(&self) -> usize {
        self.names.len()
    }
}

impl PublicSuffixes {
    /// Reads the list's text: one rule a line, `//` comments and blank lines skipped.
    pub fn parse(text: &str) -> Self {
        let mut list = PublicSuffixes::default();
        for line in text.lines() {
            let line = line.trim();
            if let Some(version) = line.strip_prefix("// VERSION:") {
                list.version = Some(version.trim().to_owned());
            }
            let rule = line.split_whitespace().next().unwrap_or_default();
            if rule.is_empty() || rule.starts_with("//") {
                continue;
            }
            let rule = rule.to_ascii_lowercase();
            if let Some(exception) = rule.strip_prefix('!') {
                list.exceptions.insert(exception.to_owned());
            } else if let Some(parent) = rule.strip_prefix("*.") {
                list.wildcards.insert(parent.to_owned());
            } else {
                list.rules.insert(rule);
            }
        }
        list
    }

    /// How many rules the list holds.
    pub fn len(&self) -> usize {
        self.rules.len() + self.wildcards.len() + self.exceptions.len()
    }

    /// Whether every kind of rule came sorted, so that a lookup is a binary search.
    pub fn sorted(&self) -> bool {
        self.rules.sorted && self.wildcards.sorted && self.exceptions.sorted
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The public suffix of a lower-cased host: the longest rule that matches it, an exception
    /// first; the last label when none does (the list's implicit `*`).
    pub fn public_suffix<'a>(&self, host: &'a str) -> &'a str {
        let host = host.trim_end_matches('.');
        let mut at = 0;
        loop {
            let candidate = host.get(at..).unwrap_or_default();
            let parent = candidate.split_once('.').map(|(_, p)| p);
            if self.exceptions.contains(candidate) {
                return parent.unwrap_or(candidate);
            }
            if self.rules.contains(candidate) || parent.is_some_and(|p| self.wildcards.contains(p))
            {
                return candidate;
            }
            match candidate.find('.') {
                Some(dot) => at += dot + 1,
                None => return candidate,
            }
        }
    }

    /// The registrable domain of a host (its public suffix and one label more), or `None` for a
    /// public suffix itself, an empty host or one that starts with a dot.
    pub fn registrable_domain(&self, host: &str) -> Option<String> {
        let host = host.to_ascii_lowercase();
        let host = host.trim_end_matches('.');
        if host.is_empty() || host.starts_with('.') || host.contains("..") {
            return None;
        }
        let suffix = self.public_suffix(host);
        let before = host.get(..host.len() - suffix.len())?.strip_suffix('.')?;
        let label = before.rsplit('.').next()?;
        Some(format!("{label}.{suffix}"))
    }
}

static INSTALLED: OnceLock<PublicSuffixes> = OnceLock::new();

/// Makes `list` the one every site and cookie judgement uses from now on; false when one was
/// installed already.
pub fn install_public_suffixes(list: PublicSuffixes) -> bool {
    INSTALLED.set(list).is_ok()
}

/// The installed list, if any.
pub fn public_suffixes() -> Option<&'static PublicSuffixes> {
    INSTALLED.get()
}

#[cfg(test)]
mod tests {
    use super::PublicSuffixes;

    const LIST: &str = "// VERSION: test\ncom\nuk\nco.uk\n*.ck\n!www.ck\ngithub.io\n";

    #[test]
    fn the_longest_rule_wins_and_an_exception_before_it() {
        let list = PublicSuffixes::parse(LIST);
        assert_eq!(list.version.as_deref(), Some("test"));
        assert_eq!(list.public_suffix("a.b.co.uk"), "co.uk");
        assert_eq!(list.public_suffix("me.github.io"), "github.io");
        assert_eq!(list.public_suffix("b.test.ck"), "test.ck");
        assert_eq!(list.public_suffix("www.ck"), "ck");
        assert_eq!(list.public_suffix("example.unlisted"), "unlisted");
        assert_eq!(
            list.registrable_domain("WWW.Example.CO.UK").as_deref(),
            Some("example.co.uk")
        );
        assert_eq!(list.registrable_domain("co.uk"), None);
        assert_eq!(list.registrable_domain(".example.com"), None);
        assert_eq!(list.registrable_domain(""), None);
    }
}
