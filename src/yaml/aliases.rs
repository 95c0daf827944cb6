//! A bound on YAML aliases, checked before a document is deserialised.
//!
//! An alias (`*name`) repeats the value anchored as `&name`. serde_yaml expands every alias in
//! full while deserialising and limits only how many times it jumps, not how much it copies:
//! a few kilobytes of aliases to one long string become gigabytes of `String`s. So a document
//! that uses aliases is first walked without keeping anything, counting what the expanded
//! document would hold; one that would grow past the text as written by more than
//! [`ALLOWANCE`] bytes is refused before anything is built.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess};
use serde::de::{VariantAccess, Visitor};

/// How much aliases may add to a document: the expanded document may exceed the text as
/// written by this many bytes. Front matter hardly ever uses aliases; a shared list of sources
/// repeated over a few dozen events fits easily.
const ALLOWANCE: usize = 256 * 1024;

/// The start of the message of a refused document (the hint is chosen by it).
pub(super) const TOO_LARGE: &str = "aliases (`*name`) repeat this value too often";

/// Refuses `yaml` if its aliases expand it past the allowance; the error is placed at the
/// anchored value whose repetition went over.
pub(super) fn check_expansion(yaml: &str) -> Result<(), serde_yaml::Error> {
    // Every alias is written with a `*`: a document without one cannot grow.
    if !yaml.contains('*') {
        return Ok(());
    }
    let budget = Cell::new(yaml.len() + ALLOWANCE);
    Measure { budget: &budget }.deserialize(serde_yaml::Deserializer::from_str(yaml))
}

/// Walks a value and spends its expanded size from `budget`: each node costs one byte plus its
/// text, which is never more than the node takes to write, so a document without aliases
/// always fits. Nothing is kept.
#[derive(Clone, Copy)]
struct Measure<'b> {
    budget: &'b Cell<usize>,
}

impl Measure<'_> {
    fn spend<E: de::Error>(self, text: usize) -> Result<(), E> {
        match self.budget.get().checked_sub(text.saturating_add(1)) {
            Some(left) => {
                self.budget.set(left);
                Ok(())
            }
            None => Err(E::custom(format!(
                "{TOO_LARGE}: expanded, the YAML would be over {} KiB larger than as written",
                ALLOWANCE / 1024
            ))),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Measure<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Measure<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<(), E> {
        self.spend(text.len())
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<(), E> {
        self.spend(bytes.len())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.spend::<D::Error>(0)?;
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.spend::<A::Error>(0)?;
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.spend::<A::Error>(0)?;
        while map.next_key_seed(self)?.is_some() {
            map.next_value_seed(self)?;
        }
        Ok(())
    }

    /// A tagged value (`!name value`): the tag, then the value.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        let ((), variant) = data.variant_seed(self)?;
        variant.newtype_variant_seed(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_without_aliases_always_fit() {
        // Many small nodes: the most a document can hold for its size.
        let flow = format!("tags: [{}]\n", vec!["a"; 100_000].join(","));
        assert!(check_expansion(&flow).is_ok());
        let quoted = "summary: \"**bold** and *emphasis*\"\n";
        assert!(check_expansion(quoted).is_ok());
    }

    #[test]
    fn a_few_aliases_are_fine() {
        let yaml = "sources: &s [https://example.org/a, https://example.org/b]\nevents:\n  - sources: *s\n  - sources: *s\n";
        assert!(check_expansion(yaml).is_ok());
    }

    #[test]
    fn aliases_to_a_long_string_are_refused_before_expansion() {
        // 20,000 aliases to a 100 KB string would be 2 GB of text.
        let long = "x".repeat(100_000);
        let yaml = format!(
            "a: &big {long}\ntags: [{}]\n",
            vec!["*big"; 20_000].join(", ")
        );
        let err = check_expansion(&yaml).unwrap_err();
        assert!(err.to_string().contains(TOO_LARGE), "{err}");
        // Placed at the anchored value, on the first line.
        assert_eq!(err.location().map(|l| l.line()), Some(1));
    }

    #[test]
    fn nested_aliases_are_refused() {
        // The "billion laughs": each level repeats the one before ten times.
        let mut yaml = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in 1..10 {
            let previous = format!("*a{}", level - 1);
            yaml.push_str(&format!(
                "a{level}: &a{level} [{}]\n",
                [previous.as_str(); 10].join(", ")
            ));
        }
        assert!(check_expansion(&yaml).is_err());
    }
}
