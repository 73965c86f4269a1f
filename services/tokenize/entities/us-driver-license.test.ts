import { test } from 'node:test';
import { assertFinds, assertNone } from './testing.js';

test("US_DRIVER_LICENSE fires on state formats after a driver's licence word", () => {
  assertFinds('US_DRIVER_LICENSE', "driver's license D1234567", 'D1234567');
  assertFinds('US_DRIVER_LICENSE', 'DL# 123456789', '123456789');
  assertFinds('US_DRIVER_LICENSE', 'Driving licence: S123-456-78-901-0', 'S123-456-78-901-0');
});
test("US_DRIVER_LICENSE look-alikes: no licence word; too few digits", () => {
  assertNone('US_DRIVER_LICENSE', 'build D1234567 passed');
  assertNone('US_DRIVER_LICENSE', "driver's license class A1");
});
