import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../common/errors.js';
import { geoConfig, haversineKm, openGeo, toGeoInfo } from './geo.js';

test('bundled GeoLite2: IPv4 and IPv6 to country, city, region, location', async () => {
  const g = await openGeo();
  const gb = g.lookup('81.2.69.142')!;
  assert.equal(gb.country_iso_code, 'GB');
  assert.equal(gb.country_name, 'United Kingdom');
  assert.ok(gb.city_name && gb.region_name && gb.location);
  assert.ok(Math.abs(gb.location.lat - 51.4) < 1 && Math.abs(gb.location.lon + 0.7) < 1);
  assert.equal(g.lookup('2001:4860:4860::8888')?.country_iso_code, 'US');
  assert.equal(g.lookup('138.0.56.74')?.country_iso_code, 'AR');
});

test('unknown, private and malformed addresses have no location', async () => {
  const g = await openGeo();
  for (const ip of ['10.0.0.1', '127.0.0.1', 'not-an-ip', '', null, undefined]) assert.equal(g.lookup(ip), null, String(ip));
});

test('lookups are cached and give the same answer', async () => {
  const g = await openGeo();
  const first = g.lookup('176.0.0.106');
  assert.equal(first?.country_iso_code, 'DE');
  assert.equal(first?.city_name, 'Berlin');
  assert.equal(g.lookup('176.0.0.106'), first, 'the second lookup is the cached object');
});

test('MaxMind GeoIP2/GeoLite2 City layout is read as well', () => {
  const info = toGeoInfo({
    country: { iso_code: 'SE', names: { en: 'Sweden' } },
    city: { names: { en: 'Linköping' } },
    subdivisions: [{ names: { en: 'Östergötland County' } }],
    location: { latitude: 58.4167, longitude: 15.6167 },
  } as never);
  assert.deepEqual(info, { country_iso_code: 'SE', country_name: 'Sweden', city_name: 'Linköping', region_name: 'Östergötland County', location: { lat: 58.4167, lon: 15.6167 } });
  assert.equal(toGeoInfo({ country_code: '' } as never), null);
});

test('a user database path that does not exist fails fast with the variable to fix', async () => {
  const cfg = geoConfig.fromEnv({ LLM_AUDIT_GEOIP_DB: '/nonexistent/GeoLite2-City.mmdb' });
  await assert.rejects(() => openGeo(cfg), (e) => e instanceof ConfigError && /LLM_AUDIT_GEOIP_DB/.test(e.message));
});

test('great-circle distance', () => {
  assert.ok(Math.abs(haversineKm(51.5074, -0.1278, 48.8566, 2.3522) - 344) < 2, 'London-Paris');
  assert.ok(Math.abs(haversineKm(52.23, 21.01, -34.6, -58.38) - 12_300) < 150, 'Warsaw-Buenos Aires');
  assert.equal(haversineKm(10, 10, 10, 10), 0);
});
