//! Extracts the third held-out PII corpus from the Rust crate `fake` (crates.io `fake`, MIT/Apache-2.0).
//!
//! `fake` keeps its own per-locale data (ar_SA, cy_GB, de_DE, fa_IR, fr_FR, it_IT, ja_JP, nl_NL, pt_BR, pt_PT, tr_TR,
//! zh_CN, zh_TW): given names, surnames, phone masks, street suffixes and templates, building-number and postcode
//! formats, date formats. None of it is Faker (Python or npm), mimesis, chance or any-ascii, the sources the detector
//! or the earlier corpora drew on. Its `en` locale is left out: it is a port of the data @faker-js/faker also carries,
//! so it would measure the lexicon on its own source. eval/pii-heldout3.ts plants these values into templates;
//! eval/pii-heldout3.eval.test.ts scores them. Nothing here may be copied into a lexicon, a cue list or a unit-test
//! fixture.
//!
//!     cargo new --bin /tmp/c3extract && cp eval/pii-heldout3-extract.rs /tmp/c3extract/src/main.rs
//!     (cd /tmp/c3extract && cargo add fake@=5.1.0 serde_json@1 && cargo run --release) > eval/data/pii-heldout3.json
//!
//! Only fields a locale defines itself are written (a locale without its own phone masks gets no phones: the crate
//! would fall back to US masks), so every value comes from that locale's own data. Two exceptions, both digits only:
//! a locale without its own building-number formats gets a number 1-199 (the US fallback writes up to five digits),
//! and no city is written (most locales' city templates fall back to English parts such as `Lake ...town`); the
//! builder puts a real city of the country of its own choosing after the postcode. Where the street template is
//! `{StreetName} {StreetSuffix}` with a lower-case suffix (de_DE `straße`, nl_NL `pad`) the two are written as one
//! word, as those languages do (`Bergmannstraße`). Each locale's generator is seeded with a fixed number derived
//! from its name.
use fake::faker::address::raw::{BuildingNumber, StreetName, ZipCode};
use fake::faker::name::raw::{FirstName, LastName};
use fake::faker::phone_number::raw::{CellNumber, PhoneNumber};
use fake::locales::*;
use fake::rand::SeedableRng;
use fake::rand::rngs::StdRng;
use fake::{Fake, RngExt};
use serde_json::{Map, Value, json};

const NAMES: usize = 16;
const PHONES: usize = 10;
const STREETS: usize = 10;
const DATES: usize = 8;

fn seed(loc: &str) -> u64 {
    // FNV-1a: stable across Rust versions, unlike the std hasher
    loc.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100000001b3))
}

fn uniq(mut make: impl FnMut() -> String, n: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for _ in 0..n * 8 {
        let v = make().split_whitespace().collect::<Vec<_>>().join(" ");
        if !v.is_empty() && !out.contains(&v) {
            out.push(v);
        }
        if out.len() == n {
            break;
        }
    }
    out
}

fn birth_date(rng: &mut StdRng) -> String {
    // days since 1940-01-01, up to the end of 2006, civil-from-days done by hand to avoid a chrono dependency
    let days = rng.random_range(0..24_472i64) - 10_957; // 1940-01-01 is day -10957 of the Unix epoch
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{y:04}-{m:02}-{d:02}")
}

macro_rules! locale {
    ($out:ident, $code:literal, $L:expr, phones: $ph:literal, streets: $st:literal, order: $order:literal, own_numbers: $own:literal, own_zip: $oz:literal, date_format: $df:expr) => {{
        let mut rng = StdRng::seed_from_u64(seed($code));
        let mut o = Map::new();
        o.insert("first".into(), json!(uniq(|| FirstName($L).fake_with_rng::<String, _>(&mut rng), NAMES)));
        o.insert("last".into(), json!(uniq(|| LastName($L).fake_with_rng::<String, _>(&mut rng), NAMES)));
        if $ph {
            let mut k = 0;
            o.insert("phones".into(), json!(uniq(|| { k += 1; if k % 2 == 0 { CellNumber($L).fake_with_rng::<String, _>(&mut rng) } else { PhoneNumber($L).fake_with_rng::<String, _>(&mut rng) } }, PHONES)));
        }
        if $st {
            let mut streets = Vec::new();
            for _ in 0..STREETS {
                let mut name: String = StreetName($L).fake_with_rng(&mut rng);
                if let Some((head, suffix)) = name.rsplit_once(' ') {
                    if suffix.chars().next().is_some_and(|c| c.is_lowercase()) && $order == "number last" {
                        name = format!("{head}{suffix}");
                    }
                }
                let num: String = if $own { BuildingNumber($L).fake_with_rng(&mut rng) } else { rng.random_range(1..200u32).to_string() };
                let line = match $order {
                    "number first" => format!("{num} {name}"),
                    "number last, comma" => format!("{name}, {num}"),
                    "no space" => format!("{name}{num}号"),
                    _ => format!("{name} {num}"),
                };
                let zip: String = if $oz { ZipCode($L).fake_with_rng(&mut rng) } else { String::new() };
                let line = line.split_whitespace().collect::<Vec<_>>().join(" ").replace(" ,", ",");
                streets.push(json!({"street": line, "postcode": zip}));
            }
            o.insert("streets".into(), json!(streets));
        }
        o.insert("dates".into(), json!(uniq(|| birth_date(&mut rng), DATES)));
        if let Some(df) = $df {
            o.insert("date_format".into(), json!(df));
        }
        $out.insert($code.into(), Value::Object(o));
    }};
}

fn main() {
    let mut l = Map::new();
    let none: Option<&str> = None;
    locale!(l, "ar_SA", AR_SA, phones: false, streets: false, order: "", own_numbers: false, own_zip: false, date_format: none);
    locale!(l, "cy_GB", CY_GB, phones: true, streets: true, order: "number first", own_numbers: false, own_zip: false, date_format: none);
    locale!(l, "de_DE", DE_DE, phones: false, streets: true, order: "number last", own_numbers: false, own_zip: true, date_format: none);
    locale!(l, "fa_IR", FA_IR, phones: true, streets: true, order: "number last", own_numbers: true, own_zip: true, date_format: Some("%Y/%m/%d"));
    locale!(l, "fr_FR", FR_FR, phones: true, streets: true, order: "number first", own_numbers: false, own_zip: true, date_format: none);
    locale!(l, "it_IT", IT_IT, phones: true, streets: true, order: "number last, comma", own_numbers: true, own_zip: true, date_format: Some("%d-%m-%Y"));
    locale!(l, "ja_JP", JA_JP, phones: true, streets: false, order: "", own_numbers: false, own_zip: false, date_format: none);
    locale!(l, "nl_NL", NL_NL, phones: true, streets: true, order: "number last", own_numbers: false, own_zip: true, date_format: none);
    locale!(l, "pt_BR", PT_BR, phones: true, streets: true, order: "number last, comma", own_numbers: false, own_zip: false, date_format: none);
    locale!(l, "pt_PT", PT_PT, phones: true, streets: true, order: "number last, comma", own_numbers: true, own_zip: true, date_format: Some("%d-%m-%Y"));
    locale!(l, "tr_TR", TR_TR, phones: true, streets: true, order: "number last", own_numbers: true, own_zip: true, date_format: Some("%d.%m.%Y"));
    locale!(l, "zh_CN", ZH_CN, phones: false, streets: true, order: "no space", own_numbers: false, own_zip: true, date_format: none);
    locale!(l, "zh_TW", ZH_TW, phones: false, streets: false, order: "", own_numbers: false, own_zip: false, date_format: none);
    let out = json!({"source": "fake (crates.io fake, Rust)", "version": "5.1.0", "licence": "MIT OR Apache-2.0", "locales": l});
    println!("{}", serde_json::to_string_pretty(&out).unwrap());
}
