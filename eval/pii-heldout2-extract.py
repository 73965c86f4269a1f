"""Extracts the second held-out PII corpus from mimesis (PyPI `mimesis`, MIT licence).

mimesis is a separate project from Faker (Python or npm) and from the other sources the detector learned from
(npm @faker-js/faker, chance, any-ascii): its per-locale data (given names, surnames, telephone masks, street
names, suffixes and address formats, cities, postcodes, date formats) was compiled on its own. eval/pii-heldout2.ts
puts these values into templates; eval/pii-heldout2.eval.test.ts measures PERSON, PHONE, STREET_ADDRESS and
DATE_OF_BIRTH recall on them. Nothing here may be copied into a lexicon, a cue list or a unit-test fixture.

    pip install --target .cache/mimesis mimesis==22.2.0
    PYTHONPATH=.cache/mimesis python3 eval/pii-heldout2-extract.py

writes eval/data/pii-heldout2.json: for every mimesis locale, a deterministic sample (each provider seeded with a
fixed number per locale) of given names, surnames, phone numbers generated from the locale's masks, street lines
from the locale's address format with their postcode and city, birth dates, and the locale's date format.
"""
import datetime
import json
import os
import unicodedata
import zlib

import mimesis
from mimesis import Address, Datetime, Person
from mimesis.enums import Gender
from mimesis.locales import Locale

NAMES = 14  # given names and surnames each, per locale (half female, half male given names)
PHONES = 8
STREETS = 8
DATES = 6

nfc = lambda s: unicodedata.normalize('NFC', str(s).strip())


def uniq(xs, n):
    out = []
    for x in xs:
        if x and x not in out:
            out.append(x)
        if len(out) == n:
            break
    return out


data = {'source': 'mimesis (PyPI mimesis)', 'version': mimesis.__version__, 'licence': 'MIT', 'locales': {}}
here = os.path.dirname(os.path.abspath(__file__))
ds = os.path.join(os.path.dirname(mimesis.__file__), 'datasets')
for loc in Locale:
    seed = zlib.crc32(loc.value.encode())
    p = Person(loc, seed=seed)
    a = Address(loc, seed=seed + 1)
    d = Datetime(loc, seed=seed + 2)
    first = uniq([nfc(p.first_name(gender=Gender.FEMALE if i % 2 else Gender.MALE)) for i in range(NAMES * 6)], NAMES)
    last = uniq([nfc(p.last_name(gender=Gender.FEMALE if i % 2 else Gender.MALE)) for i in range(NAMES * 6)], NAMES)
    phones = uniq([nfc(p.telephone()) for _ in range(PHONES * 4)], PHONES)
    streets = []
    for _ in range(STREETS):
        streets.append({'street': nfc(a.address()), 'postcode': nfc(a.postal_code()), 'city': nfc(a.city())})
    dates = uniq([d.date(start=1940, end=2006).isoformat() for _ in range(DATES * 3)], DATES)
    with open(os.path.join(ds, loc.value, 'datetime.json'), encoding='utf-8') as f:
        fmt = (json.load(f).get('formats') or {}).get('date') or '%d.%m.%Y'
    data['locales'][loc.value] = {'first': first, 'last': last, 'phones': phones, 'streets': streets, 'dates': dates, 'date_format': fmt}

path = os.path.join(here, 'data', 'pii-heldout2.json')
with open(path, 'w', encoding='utf-8') as f:
    json.dump(data, f, ensure_ascii=False, indent=0, sort_keys=True)
print(path, len(data['locales']), 'locales', os.path.getsize(path), 'bytes')
