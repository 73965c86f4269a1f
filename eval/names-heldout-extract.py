"""Extracts the held-out PERSON evaluation names from Python Faker (PyPI `faker`, MIT licence).

The detector's lexicon (services/tokenize/names-lexicon.ts) is built from npm packages (@faker-js/faker, chance,
any-ascii); this file draws from a different project with its own locale lists, so eval/names.eval.test.ts measures
names the detector did not learn from (it also reports the subset that is absent from the lexicon altogether).

    pip install --target .cache/pyfaker faker==40.54.0
    PYTHONPATH=.cache/pyfaker python3 eval/names-heldout-extract.py

writes eval/data/names-heldout.json (a deterministic sample per locale: every k-th name of the sorted list).
"""
import importlib
import json
import os
import unicodedata

import faker

LOCALES = [
    'en_US', 'en_GB', 'en_IE', 'en_IN', 'en_PK', 'en_NG', 'en_KE', 'de_DE', 'de_AT', 'fr_FR', 'fr_DZ', 'es_ES', 'es_MX',
    'it_IT', 'nl_NL', 'pt_BR', 'pt_PT', 'hu_HU', 'cs_CZ', 'sk_SK', 'pl_PL', 'sl_SI', 'hr_HR', 'ro_RO', 'sv_SE', 'no_NO',
    'da_DK', 'fi_FI', 'is_IS', 'et_EE', 'lt_LT', 'lv_LV', 'tr_TR', 'az_AZ', 'vi_VN', 'id_ID', 'ar_AA', 'ar_SA', 'fa_IR',
    'he_IL', 'ru_RU', 'uk_UA', 'bg_BG', 'el_GR', 'ka_GE', 'hy_AM', 'zh_CN', 'zh_TW', 'ja_JP', 'ko_KR', 'th_TH', 'hi_IN',
    'yo_NG', 'zu_ZA', 'sw',
]
PER_LOCALE = 40


def names(provider, *attrs):
    out = set()
    for a in attrs:
        v = getattr(provider, a, None)
        if v is None:
            continue
        for n in (v.keys() if isinstance(v, dict) else v):
            n = unicodedata.normalize('NFC', str(n).strip())
            if n and not any(ch.isdigit() for ch in n) and '.' not in n:
                out.add(n)
    return sorted(out)


def sample(lst):
    if len(lst) <= PER_LOCALE:
        return lst
    step = len(lst) / PER_LOCALE
    return [lst[int(i * step)] for i in range(PER_LOCALE)]


data = {'source': 'Python Faker (PyPI faker)', 'version': faker.VERSION, 'licence': 'MIT', 'locales': {}}
for loc in LOCALES:
    P = importlib.import_module(f'faker.providers.person.{loc}').Provider
    first = names(P, 'first_names', 'first_names_male', 'first_names_female')
    last = names(P, 'last_names', 'last_names_male', 'last_names_female', 'unisex_last_names', 'male_last_names')
    if len(last) < 5:
        continue
    entry = {'first': sample(first), 'last': sample(last)}
    rf = names(P, 'first_romanized_names')
    rl = names(P, 'last_romanized_names')
    if rf and rl:
        entry['romanized'] = {'first': sample(rf), 'last': sample(rl)}
    if entry['first'] and entry['last']:
        data['locales'][loc] = entry

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data', 'names-heldout.json')
with open(path, 'w', encoding='utf-8') as f:
    json.dump(data, f, ensure_ascii=False, indent=0, sort_keys=True)
print(path, len(data['locales']), 'locales')
