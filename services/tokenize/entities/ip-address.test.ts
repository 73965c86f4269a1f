import { test } from 'node:test';
import { assertFinds, assertNone } from './testing.js';

test('IP_ADDRESS fires on IPv4, compressed and mapped IPv6', () => {
  assertFinds('IP_ADDRESS', 'from 192.168.10.254:8080', '192.168.10.254');
  assertFinds('IP_ADDRESS', 'v6 2001:db8:85a3::8a2e:370:7334 seen', '2001:db8:85a3::8a2e:370:7334');
  assertFinds('IP_ADDRESS', 'mapped ::ffff:10.1.2.3 here', '::ffff:10.1.2.3');
});
test('IP_ADDRESS look-alikes: versions, bad octets, MAC addresses', () => {
  assertNone('IP_ADDRESS', 'Chrome/120.0.0.0 and version 10.2.3.4 and 256.1.1.1 and 00:1A:2B:3C:4D:5E');
});
