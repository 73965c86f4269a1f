import { test } from 'node:test';
import { assertFinds, assertNone } from './testing.js';

const FIRES: [string, string][] = [
  ['Ship to 221B Baker Street, London NW1 6XE today', '221B Baker Street, London NW1 6XE'],
  ['1600 Pennsylvania Ave NW, Washington, DC 20500', '1600 Pennsylvania Ave NW, Washington, DC 20500'],
  ['lives at 42 Elm St Apt 4B', '42 Elm St Apt 4B'],
  ['postcode SW1A 1AA please', 'SW1A 1AA'],
  ['Hauptstraße 5, 10115 Berlin', 'Hauptstraße 5, 10115 Berlin'],
  ['Adresse: Alte Musterstr. 12a', 'Alte Musterstr. 12a'],
  ['12 rue de la Paix, 75002 Paris', '12 rue de la Paix, 75002 Paris'],
  ['Via Roma 10', 'Via Roma 10'],
  ['Calle Mayor, 5', 'Calle Mayor, 5'],
  ['Kerkstraat 12, Amsterdam', 'Kerkstraat 12'],
  ['Rua Augusta 100, 1100-053 Lisboa', 'Rua Augusta 100, 1100-053 Lisboa'],
  ['ul. Marszałkowska 10, 00-001 Warszawa', 'ul. Marszałkowska 10, 00-001 Warszawa'],
  ['Storgatan 3, 111 22 Stockholm', 'Storgatan 3, 111 22 Stockholm'],
  ['Rue de Rivoli 99, 75001 Paris', 'Rue de Rivoli 99, 75001 Paris'],
];
for (const [text, value] of FIRES) test(`STREET_ADDRESS fires: ${text}`, () => assertFinds('STREET_ADDRESS', text, value));

test('STREET_ADDRESS look-alikes: street names without a number, years, seasons', () => {
  for (const t of ['Wall Street fell 2% near Baker Street station', 'Via Appia is old', 'Spring 2024 and During 5 years', 'see section 3 Main results']) assertNone('STREET_ADDRESS', t);
});
