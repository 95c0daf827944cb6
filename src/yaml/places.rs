//! Where each `key: value` is written in a YAML block, found in one pass over its lines.
//!
//! serde does not keep the positions of values, so the checks that run after parsing (an
//! unknown country, a bad date) look their place up here. The block is indexed once: looking
//! a value up costs the same whether the front matter holds one event or ten thousand, which
//! keeps an article's cost in proportion to its length.
//!
//! Both styles an author writes are understood: block (`country: FR`, after a list dash or
//! not) and flow on one line (`- {country: FR, stage: signed}`, `sources: [a, b]`). A bare
//! list item (`- https://...`, or an item of a flow list) is indexed under the empty key.

/// A position in the block: 1-based line and column (in characters).
pub type Place = (usize, usize);

/// Every place of every `key: value` in a YAML block. Every article's front matter is indexed
/// (its events keep their places), so the index is lean: keys and values borrowed from the
/// block, in two sorted lists looked up by halves rather than maps of maps.
#[derive(Debug, Default)]
pub struct Places<'a> {
    values: Sorted<(&'a str, &'a str)>,
    keys: Sorted<&'a str>,
    /// The one key indexed, for [`Places::index_key`]; every key when `None`.
    only: Option<&'static str>,
}

/// Places under a name, sorted by name (a stable sort: each name's places stay in the order
/// they are written), so that one name's places are a slice. Names are ordered by length
/// first ([`by_length`]): values such as source URLs share long beginnings, and comparing
/// their lengths settles most comparisons without reading them.
#[derive(Debug)]
struct Sorted<T> {
    names: Vec<T>,
    places: Vec<Place>,
}

impl<T> Default for Sorted<T> {
    fn default() -> Self {
        Sorted {
            names: Vec::new(),
            places: Vec::new(),
        }
    }
}

/// The order of names in [`Sorted`]: a total order, not the alphabet's.
trait ByLength {
    fn by_length(&self, other: &Self) -> std::cmp::Ordering;
}

impl ByLength for &str {
    fn by_length(&self, other: &Self) -> std::cmp::Ordering {
        self.len().cmp(&other.len()).then_with(|| self.cmp(other))
    }
}

impl ByLength for (&str, &str) {
    fn by_length(&self, other: &Self) -> std::cmp::Ordering {
        self.0
            .by_length(&other.0)
            .then_with(|| self.1.by_length(&other.1))
    }
}

impl<T: ByLength + Copy> Sorted<T> {
    fn push(&mut self, name: T, at: Place) {
        self.names.push(name);
        self.places.push(at);
    }

    fn sort(&mut self) {
        let mut pairs: Vec<(T, Place)> = self.names.drain(..).zip(self.places.drain(..)).collect();
        pairs.sort_by(|(a, _), (b, _)| a.by_length(b));
        (self.names, self.places) = pairs.into_iter().unzip();
    }

    /// The places of the names that compare equal to the one looked for (`Ordering` of a
    /// name against it): the names borrow the block, the look-up's own live shorter.
    fn get(&self, compare: impl Fn(T) -> std::cmp::Ordering) -> &[Place] {
        let from = self.names.partition_point(|&n| compare(n).is_lt());
        let to = from + self.names[from..].partition_point(|&n| compare(n).is_eq());
        &self.places[from..to]
    }
}

impl<'a> Places<'a> {
    /// Indexes `yaml` in one pass.
    pub fn index(yaml: &'a str) -> Places<'a> {
        Places::index_some(yaml, None)
    }

    /// Indexes the places of `key` alone (its values; no bare items): what every event of an
    /// article is placed by, at a fraction of the cost of every key and value.
    pub fn index_key(yaml: &'a str, key: &'static str) -> Places<'a> {
        Places::index_some(yaml, Some(key))
    }

    fn index_some(yaml: &'a str, only: Option<&'static str>) -> Places<'a> {
        let mut places = Places {
            only,
            ..Places::default()
        };
        for (i, line) in yaml.lines().enumerate() {
            // A line that does not hold the one key wanted has nothing to index: skip it
            // before scanning, which most lines of an article's front matter are.
            if only.is_some_and(|key| !line.contains(key)) {
                continue;
            }
            let mut scan = LineScan {
                line,
                number: i + 1,
                places: &mut places,
            };
            scan.block();
        }
        places.values.sort();
        places.keys.sort();
        places
    }

    /// Every place `key: value` is written (quotes around the value ignored), in order.
    pub fn value(&self, key: &str, value: &str) -> &[Place] {
        self.values.get(|name| name.by_length(&(key, value)))
    }

    /// Every place a bare list item `value` is written, in order.
    pub fn item(&self, value: &str) -> &[Place] {
        self.value("", value)
    }

    /// Every place `key:` starts, in order.
    pub fn key(&self, key: &str) -> &[Place] {
        self.keys.get(|name| name.by_length(&key))
    }

    fn wants(&self, key: &str) -> bool {
        self.only.is_none_or(|only| only == key)
    }
}

/// One line being indexed; byte offsets into `line`.
struct LineScan<'a, 'p> {
    line: &'a str,
    number: usize,
    places: &'p mut Places<'a>,
}

impl<'a> LineScan<'a, '_> {
    fn place(&self, byte: usize) -> Place {
        (self.number, self.line[..byte].chars().count() + 1)
    }

    /// Indexes `key:` written at `byte`, if the index wants it.
    fn add_key(&mut self, key: &'a str, byte: usize) {
        if self.places.wants(key) {
            let at = self.place(byte);
            self.places.keys.push(key, at);
        }
    }

    /// Indexes `key: value` with the value at `byte` (quotes around it ignored), if the index
    /// wants it.
    fn add_value(&mut self, key: &'a str, value: &'a str, byte: usize) {
        if self.places.wants(key) {
            let value = value.trim_matches(|c| c == '"' || c == '\'');
            let at = self.place(byte);
            self.places.values.push((key, value), at);
        }
    }

    fn skip_spaces(&self, mut at: usize) -> usize {
        let bytes = self.line.as_bytes();
        while at < bytes.len() && (bytes[at] == b' ' || bytes[at] == b'\t') {
            at += 1;
        }
        at
    }

    /// A block line: indentation, list dashes, then `key: value`, a flow collection or a bare
    /// item.
    fn block(&mut self) {
        let mut at = self.skip_spaces(0);
        let mut in_list = false;
        while self.line[at..].starts_with("- ") || &self.line[at..] == "-" {
            in_list = true;
            at = self.skip_spaces(at + 1);
        }
        let rest = &self.line[at..];
        if rest.is_empty() || rest.starts_with('#') {
            return;
        }
        if rest.starts_with('{') || rest.starts_with('[') {
            self.flow(at);
            return;
        }
        match key_at(rest) {
            Some(key_len) => {
                let key = &self.line[at..at + key_len];
                let colon = self.line[at + key_len..].find(':').map_or(0, |c| c + 1);
                let value_at = self.skip_spaces(at + key_len + colon);
                self.add_key(key, at);
                if self.line[value_at..].starts_with(['{', '[']) {
                    self.flow(value_at);
                } else {
                    let value = plain_value(&self.line[value_at..]);
                    self.add_value(key, value, value_at);
                }
            }
            None if in_list => {
                self.add_value("", plain_value(rest), at);
            }
            None => {}
        }
    }

    /// A flow collection starting at `at` (`{` or `[`); returns the byte after its end (or the
    /// line's end, for one that goes on past this line).
    fn flow(&mut self, at: usize) -> usize {
        let close = if self.line.as_bytes()[at] == b'{' {
            b'}'
        } else {
            b']'
        };
        let mut at = at + 1;
        loop {
            at = self.skip_spaces(at);
            let Some(&byte) = self.line.as_bytes().get(at) else {
                return at;
            };
            if byte == close {
                return at + 1;
            }
            // A separator, or a closer of the other kind (`]` in a mapping: a mistake that
            // serde reports), is stepped over: neither starts a scalar, which would end there.
            if matches!(byte, b',' | b']' | b'}') {
                at += 1;
                continue;
            }
            at = if close == b'}' {
                self.flow_pair(at)
            } else {
                self.flow_item("", at)
            };
        }
    }

    /// `key: value` inside a flow mapping; returns the byte after it.
    fn flow_pair(&mut self, at: usize) -> usize {
        let Some(key_len) = key_at(&self.line[at..]) else {
            // Not a key we index: skip to the next separator.
            return self.flow_scalar_end(at);
        };
        let key = &self.line[at..at + key_len];
        self.add_key(key, at);
        let colon = self.line[at + key_len..].find(':').map_or(0, |c| c + 1);
        let value_at = self.skip_spaces(at + key_len + colon);
        self.flow_item(key, value_at)
    }

    /// A value inside a flow collection, under `key`; returns the byte after it.
    fn flow_item(&mut self, key: &'a str, at: usize) -> usize {
        match self.line.as_bytes().get(at) {
            Some(b'{' | b'[') => self.flow(at),
            Some(_) => {
                let end = self.flow_scalar_end(at);
                let value = self.line[at..end].trim_end();
                self.add_value(key, value, at);
                end
            }
            None => at,
        }
    }

    /// The end of a scalar inside a flow collection: its closing quote, or the next `,`, `}`
    /// or `]`.
    fn flow_scalar_end(&self, at: usize) -> usize {
        let rest = &self.line[at..];
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'');
        if let Some(q) = quote
            && let Some(end) = rest[1..].find(q)
        {
            return at + end + 2;
        }
        at + rest.find([',', '}', ']']).unwrap_or(rest.len())
    }
}

/// The length of the key `text` starts with, when it starts with `key:` (a word of letters,
/// digits, `_` or `-`, then optional spaces and a colon followed by a space or the end).
fn key_at(text: &str) -> Option<usize> {
    let len = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(text.len());
    if len == 0 {
        return None;
    }
    let after = text[len..].trim_start_matches([' ', '\t']);
    let after_colon = after.strip_prefix(':')?;
    (after_colon.is_empty() || after_colon.starts_with([' ', '\t'])).then_some(len)
}

/// A block scalar's text: the rest of the line without a trailing comment.
fn plain_value(text: &str) -> &str {
    let text = text.trim();
    text.split(" #").next().unwrap_or(text).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_values_after_dashes_and_keys() {
        let places = Places::index(
            "title: x # note\nevents:\n  - country: KZ\n    stage: signed\n  - country: \"UK\"\n",
        );
        assert_eq!(places.value("title", "x"), [(1, 8)]);
        assert_eq!(places.value("country", "KZ"), [(3, 14)]);
        assert_eq!(places.value("country", "UK"), [(5, 14)]);
        assert_eq!(places.value("stage", "signed"), [(4, 12)]);
        assert_eq!(places.key("stage"), [(4, 5)]);
        assert_eq!(places.key("events"), [(2, 1)]);
        assert!(places.value("country", "FR").is_empty());
    }

    #[test]
    fn one_key_alone_is_placed_as_in_the_whole_index() {
        let yaml = "country: FR\nevents:\n  - country: KZ\n    stage: signed\n  - {country: \"KZ\", stage: signed}\n  - https://a.org/KZ\n";
        let (all, countries) = (Places::index(yaml), Places::index_key(yaml, "country"));
        assert_eq!(countries.value("country", "KZ"), [(3, 14), (5, 15)]);
        assert_eq!(countries.value("country", "KZ"), all.value("country", "KZ"));
        assert_eq!(countries.value("country", "FR"), all.value("country", "FR"));
        assert_eq!(countries.key("country"), all.key("country"));
        assert!(countries.value("stage", "signed").is_empty());
        assert!(countries.item("https://a.org/KZ").is_empty());
    }

    #[test]
    fn flow_mappings_and_lists_on_one_line() {
        let places = Places::index(
            "events:\n  - {country: XX, stage: signed, date: 2020-01-01}\n  - { country: 'XX', sources: [https://a.org/x, {url: \"https://b.org/, y\", title: B}] }\ntags: [a, b]\n",
        );
        assert_eq!(places.value("country", "XX"), [(2, 15), (3, 16)]);
        assert_eq!(places.value("stage", "signed"), [(2, 26)]);
        assert_eq!(places.value("date", "2020-01-01"), [(2, 40)]);
        assert_eq!(places.item("https://a.org/x"), [(3, 32)]);
        assert_eq!(places.value("url", "https://b.org/, y"), [(3, 55)]);
        assert_eq!(places.value("title", "B"), [(3, 83)]);
        assert_eq!(places.item("a"), [(4, 8)]);
        assert_eq!(places.key("sources"), [(3, 22)]);
    }

    /// A mistyped closer inside a flow collection once made the scan stop moving: the build
    /// never ended. The index is made on a thread of its own, so that a hang fails the test.
    #[test]
    fn a_closer_of_the_other_kind_is_stepped_over() {
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let places = Places::index("{:p'9@(.Kk{.gez?V]Q, a: 1}\n[x, }, y]\n{b: [2}], c: 3}\n");
            let found = (
                places.value("a", "1").to_vec(),
                places.item("y").to_vec(),
                places.value("c", "3").to_vec(),
            );
            let _ = done.send(found);
        });
        let (a, y, c) = finished
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("indexing a line with a stray closer did not end");
        assert_eq!(a, [(1, 25)]);
        assert_eq!(y, [(2, 8)]);
        assert_eq!(c, [(3, 14)]);
    }

    proptest::proptest! {
        /// Lines made of flow syntax in any order, broken as they come: the scan of each ends.
        /// (Run without a deadline: a hang shows as a test that does not end.)
        #[test]
        fn any_line_of_flow_syntax_is_scanned_to_its_end(yaml in "([{}\\[\\],:'\" a#-]|key|\n){0,60}") {
            let places = Places::index(&yaml);
            proptest::prop_assert!(places.key("key").len() <= yaml.matches("key").count());
        }
    }

    #[test]
    fn bare_items_and_odd_lines() {
        let places = Places::index("sources:\n  - https://x.org/a\n- \n-\n# c\n  {unclosed: 1\n");
        assert_eq!(places.item("https://x.org/a"), [(2, 5)]);
        assert_eq!(places.value("unclosed", "1"), [(6, 14)]);
    }
}
