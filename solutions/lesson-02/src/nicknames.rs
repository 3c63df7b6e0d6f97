//! Exercise 2: nicknames.

use std::collections::{HashMap, HashSet};

use serde_json::json;

/// The room's nicknames, one per client.
#[derive(Debug, Default)]
pub struct Nicknames {
    by_client: HashMap<u64, String>,
    taken: HashSet<String>,
}

/// A nickname that is empty once trimmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmptyName;

impl Nicknames {
    /// A room where nobody has a name yet.
    pub fn new() -> Nicknames {
        Nicknames::default()
    }

    /// Names client `id`, and returns the `joined` notice.
    pub fn join(&mut self, id: u64, wanted: &str) -> Result<String, EmptyName> {
        let wanted = wanted.trim();
        if wanted.is_empty() {
            return Err(EmptyName);
        }
        // Renaming: the old name is free before the new one is chosen, so a
        // client that asks for its own name again keeps it.
        self.leave(id);
        let name = self.first_free(wanted);
        self.taken.insert(name.clone());
        let notice = json!({"event": "joined", "data": name}).to_string();
        self.by_client.insert(id, name);
        Ok(notice)
    }

    /// Forgets client `id`'s name, and returns the `left` notice.
    pub fn leave(&mut self, id: u64) -> Option<String> {
        let name = self.by_client.remove(&id)?;
        self.taken.remove(&name);
        Some(json!({"event": "left", "data": name}).to_string())
    }

    /// Client `id`'s name.
    pub fn name(&self, id: u64) -> Option<&str> {
        self.by_client.get(&id).map(String::as_str)
    }

    /// `wanted` if it is free, else the first free `wanted-N`, N from 2. Of
    /// the `taken.len() + 1` names `wanted`, `wanted-2`, …, at least one is
    /// free, so the search is bounded.
    fn first_free(&self, wanted: &str) -> String {
        let numbered = (2..=self.taken.len() + 1).map(|n| format!("{wanted}-{n}"));
        std::iter::once(wanted.to_owned())
            .chain(numbered)
            .find(|name| !self.taken.contains(name))
            .expect("one of taken.len() + 1 different names is free")
    }
}
