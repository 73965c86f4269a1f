"""Extracts the fourth held-out PII corpus, part 2 of 2: real given names and surnames by country from the PyPI package
names-dataset 3.3.1 (Apache-2.0; name counts from public social-network profiles, by country), merged with part 1
(eval/pii-heldout4-extract.java, jfairy) into eval/data/pii-heldout4.json.

names-dataset is a count of names people use, not a fake-data library: it shares no data with Faker (any port),
mimesis, chance or the Rust crate fake. It has names only, so its locales get no phones or streets from it; the
corpus builder takes those from a jfairy locale, as corpus 3's did for locales without them. Birth dates are ours (a
seeded day in 1940-2006), as in part 1.

    python3 -m venv /tmp/c4x/venv && /tmp/c4x/venv/bin/pip install names-dataset==3.3.1
    /tmp/c4x/venv/bin/python eval/pii-heldout4-extract-names.py /tmp/c4x/jfairy.json > eval/data/pii-heldout4.json

The package's lists mix scripts and carry profile noise (`Md`, `ام` "mother of"); each country keeps only names in
the script chosen for it below, of three letters or more in Latin script and two or more in others (Hangul: given
names of two syllables, and no surnames, which the package has only romanised, `Kim`). Of the top 1,000 given names
(men and women alternately) and surnames by count, the 40 most common that pass are kept and a seeded sample of 16
of each is written. Nothing here may be copied into a lexicon, a cue list or a unit-test fixture.
"""
import json
import random
import re
import sys
import unicodedata
from datetime import date, timedelta

from names_dataset import NameDataset

NAMES = 16
TOP = 1000  # names read per list, by count
POOL = 40  # the most common ones in the script kept, of which NAMES are sampled
DATES = 8
# country -> (locale key in the corpus, script its names are kept in)
COUNTRIES = {
    'RU': ('ru_RU', 'CYRILLIC'),
    'KR': ('ko_KR', 'HANGUL'),
    'GR': ('el_GR', 'GREEK'),
    'IL': ('he_IL', 'HEBREW'),
    'JP': ('ja_JP_latn', 'LATIN'),
    'ID': ('id_ID', 'LATIN'),
    'IN': ('en_IN', 'LATIN'),
}


def seed(s: str) -> int:
    h = 0x811C9DC5
    for b in s.encode():
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def in_script(w: str, script: str, surname: bool) -> bool:
    if not w or not all(c.isalpha() for c in w):
        return False
    if not all(unicodedata.name(c, '').startswith(script) for c in w):
        return False
    if script == 'HANGUL':
        # a Korean given name is two syllables; other lengths are profile words (`여자` "woman") or whole names. The
        # surname lists hold no one-syllable Hangul surnames (Korean profiles give them romanised, `Kim`), so ko_KR
        # gets given names only
        return not surname and len(w) == 2
    return len(w) >= (3 if script == 'LATIN' else 2)


def main() -> None:
    base = json.load(open(sys.argv[1], encoding='utf-8'))
    nd = NameDataset()
    out = {}
    for country, (loc, script) in COUNTRIES.items():
        rnd = random.Random(seed(loc))
        g = nd.get_top_names(n=TOP, country_alpha2=country)[country]
        given = [w for pair in zip(g.get('M', []), g.get('F', [])) for w in pair]
        last = nd.get_top_names(n=TOP, use_first_names=False, country_alpha2=country)[country]
        keep = lambda ws, surname: list(dict.fromkeys(w.strip() for w in ws if in_script(w.strip(), script, surname)))[:POOL]
        given, last = keep(given, False), keep(last, True)
        days = list(dict.fromkeys((date(1940, 1, 1) + timedelta(days=rnd.randrange(24472))).isoformat() for _ in range(DATES * 4)))
        out[loc] = {
            'first': rnd.sample(given, min(NAMES, len(given))),
            'last': rnd.sample(last, min(NAMES, len(last))) if last else [],
            'dates': days[:DATES],
            'script': script.lower(),
        }
    merged = {
        'sources': [
            {'source': base['source'], 'version': base['version'], 'licence': base['licence'], 'locales': sorted(base['locales'])},
            {'source': 'names-dataset (PyPI names-dataset, Python)', 'version': '3.3.1', 'licence': 'Apache-2.0', 'locales': sorted(out)},
        ],
        'locales': {**base['locales'], **out},
    }
    print(json.dumps(merged, ensure_ascii=False, indent=1))


if __name__ == '__main__':
    main()
