import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COUNTRY_BLOCKS, UTC_OFFSET, addressIn, haversineKm, parseCidr, ipv4 } from './geo.js';
import { Rng } from './prng.js';
import { openCityDb } from './citydb.js';

test('every block is one GeoLite2 network in its country and city, so any address in it geo-locates there', async () => {
  const db = await openCityDb();
  const rng = new Rng(11);
  for (const [country, blocks] of Object.entries(COUNTRY_BLOCKS)) {
    assert.ok(UTC_OFFSET[country] !== undefined, `${country} has a UTC offset`);
    for (const b of blocks) {
      const { base, size } = parseCidr(b.cidr);
      const bits = 32 - Math.log2(size);
      // the database network containing the first address must cover the whole block
      const [rec, prefix] = db.getWithPrefixLength(ipv4(base));
      assert.ok(rec, `${b.cidr} is in the database`);
      assert.equal(rec.country_code, country, `${b.cidr} is ${country}`);
      assert.equal(rec.city, b.city, `${b.cidr} is ${b.city}`);
      assert.ok(prefix <= bits, `${b.cidr} lies inside one database network (/${prefix})`);
      for (let i = 0; i < 3; i++) {
        const a = addressIn(b, country, rng);
        assert.equal(db.get(a.ip)?.country_code, country, `${a.ip} from ${b.cidr}`);
        assert.ok(!a.ip.endsWith('.0') && !a.ip.endsWith('.255'));
      }
    }
  }
});

test('haversine distances match known city pairs', () => {
  const cases: [string, { lat: number; lon: number }, { lat: number; lon: number }, number][] = [
    ['London-Paris', { lat: 51.5, lon: -0.13 }, { lat: 48.86, lon: 2.35 }, 343],
    ['Frankfurt-Sydney', { lat: 50.12, lon: 8.68 }, { lat: -33.87, lon: 151.21 }, 16_480],
    ['same place', { lat: 10, lon: 10 }, { lat: 10, lon: 10 }, 0],
  ];
  for (const [name, a, b, km] of cases) assert.ok(Math.abs(haversineKm(a, b) - km) <= km * 0.01 + 1, `${name}: ${haversineKm(a, b)} ~ ${km}`);
});
