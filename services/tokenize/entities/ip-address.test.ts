import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ipv4Ok } from '../validators.js';
import { entityDef } from './index.js';
import { assertFinds, assertNone } from './testing.js';

test('IP_ADDRESS fires on IPv4, compressed and mapped IPv6', () => {
  assertFinds('IP_ADDRESS', 'from 192.168.10.254:8080', '192.168.10.254');
  assertFinds('IP_ADDRESS', 'v6 2001:db8:85a3::8a2e:370:7334 seen', '2001:db8:85a3::8a2e:370:7334');
  assertFinds('IP_ADDRESS', 'mapped ::ffff:10.1.2.3 here', '::ffff:10.1.2.3');
});
test('IP_ADDRESS look-alikes: versions, bad octets, MAC addresses', () => {
  assertNone('IP_ADDRESS', 'Chrome/120.0.0.0 and version 10.2.3.4 and 256.1.1.1 and 00:1A:2B:3C:4D:5E');
});
test('IP_ADDRESS octet checks and the token form: leading zeros, empty and long octets', () => {
  const norm = entityDef('IP_ADDRESS')!.normalise!;
  for (const [s, ok] of [['1.2.3.4', true], ['0.0.0.0', true], ['255.255.255.255', true], ['256.1.1.1', false], ['01.2.3.4', false], ['1..2.3', false], ['1.2.3', false], ['1.2.3.4.5', false], ['1234.1.1.1', false]] as const) {
    assert.equal(ipv4Ok(s), ok, s);
  }
  for (const [raw, want] of [['10.0.0.1', '10.0.0.1'], ['010.001.000.255', '10.1.0.255'], ['1..2.3', '1.0.2.3'], ['1.2.3.', '1.2.3.0'], ['1234.5.6.7', '1234.5.6.7']]) assert.equal(norm(raw), want, raw);
});
