import { test } from 'node:test';
import { assertFinds, assertNone } from './testing.js';

test('MAC_ADDRESS fires with colons, dashes and Cisco dots', () => {
  assertFinds('MAC_ADDRESS', 'device 00:1A:2B:3C:4D:5E joined', '00:1A:2B:3C:4D:5E');
  assertFinds('MAC_ADDRESS', 'hw 3c-22-fb-9a-01-7e.', '3c-22-fb-9a-01-7e');
  assertFinds('MAC_ADDRESS', 'cisco 0011.22aa.bbcc', '0011.22aa.bbcc');
});
test('MAC_ADDRESS look-alikes: times, mixed separators, five or seven groups, null and broadcast, IPv6', () => {
  for (const t of ['12:30:45', '00:1A-2B:3C:4D:5E', '00:1A:2B:3C:4D', '00:1A:2B:3C:4D:5E:6F', '00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff', 'fe80::1a:2b:3c', '1234.5678.9012']) {
    assertNone('MAC_ADDRESS', `value ${t} end`);
  }
});
