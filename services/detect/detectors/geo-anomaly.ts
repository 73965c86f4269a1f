import { defineConfig } from '../../common/config.js';
import { ConfigError } from '../../common/errors.js';
import { haversineKm } from '../geo.js';
import { defineDetector, fixtureEvent, hash32, series, spliceNumbers, type DetectorInstance, type Observation } from '../detector.js';

/**
 * geo_anomaly, from the GeoIP of each call (the engine adds source.geo.* to every document):
 * - new_country: a country never seen for the key, once the key has finished learning (learningMs and
 *   learningMinEvents), or any country outside the key's allowed list when it has one;
 * - impossible_travel: one principal (or a principal-less key) seen at two places further apart than
 *   minKm, faster than maxKmh, where the destination is not a country the key already uses. Travel between
 *   a key's familiar countries is not judged: gateways and clouds egress from several regions at once, so
 *   that "travel" is the normal state of a service key;
 * - denied_country: a call from a country on the global deny list, learning or not.
 * Calls refused with 401/403 are left to invalid_request_burst: they prove no use of the key from there.
 */
export const config = defineConfig('detect.geo_anomaly', {
  learningMs: { type: 'int', env: 'LLM_AUDIT_GEO_LEARNING_MS', default: 3_600_000, min: 0, description: 'Event time from a key\'s first call during which its countries are learned, not alerted on.' },
  learningMinEvents: { type: 'int', env: 'LLM_AUDIT_GEO_LEARNING_MIN_EVENTS', default: 20, min: 0, description: '...and the calls it must have made before learning ends (a quiet key needs longer to show all its countries).' },
  newCountryEvidenceMs: { type: 'int', env: 'LLM_AUDIT_GEO_NEW_COUNTRY_EVIDENCE_MS', default: 3_600_000, min: 0, description: 'Calls from a newly seen country add evidence to its incident for this long; then the country is familiar.' },
  maxKmh: { type: 'number', env: 'LLM_AUDIT_GEO_MAX_KMH', default: 900, min: 1, description: 'Impossible travel: implied speed above this.' },
  minKm: { type: 'number', env: 'LLM_AUDIT_GEO_MIN_KM', default: 500, min: 0, description: 'Impossible travel: only over more than this distance (GeoIP is city-level at best).' },
  allowedCountries: { type: 'list', env: 'LLM_AUDIT_GEO_ALLOWED_COUNTRIES', description: 'Per-key allowed countries, `<api_key_id>:<CC>|<CC>` entries; the identity directory (llm_audit.owner.allowed_countries) overrides.', example: 'key_abc:US|CA,key_def:DE' },
  denyCountries: { type: 'list', env: 'LLM_AUDIT_GEO_DENY_COUNTRIES', description: 'ISO country codes that alert on any call.', example: 'KP,IR' },
  ignoreAuthFailures: { type: 'bool', env: 'LLM_AUDIT_GEO_IGNORE_AUTH_FAILURES', default: true, description: 'Leave 401/403 calls out of geography.' },
  maxSubjects: { type: 'int', env: 'LLM_AUDIT_GEO_MAX_SUBJECTS', default: 32, min: 1, description: 'Principals whose last location is kept per key (memory bound).' },
  locationTtlMs: { type: 'int', env: 'LLM_AUDIT_GEO_LOCATION_TTL_MS', default: 86_400_000, min: 60_000, description: 'Last locations older than this are forgotten (any trip is possible in a day).' },
});
type Cfg = ReturnType<typeof config.parse>;

/**
 * One flat array per key: [first call, calls while learning, learning ended at (0: learning), countries n,
 * (country code, first seen) x n, (subject hash and location, t) per subject].
 * Locations are kept to 0.01 degree (~1 km, finer than GeoIP), packed into 30 bits, below a 21-bit hash of the
 * principal (0: none) in one number.
 */
type State = number[];
const H = 4;
const L = 2;
const LOC = 2 ** 30;
const subjectHash = (principal: string) => (principal ? (hash32(principal) % 2 ** 21) || 1 : 0);
const pack = (lat: number, lon: number) => Math.round((lat + 90) * 100) * 36_001 + Math.round((lon + 180) * 100);
const unpack = (n: number): [number, number] => [Math.floor(n / 36_001) / 100 - 90, (n % 36_001) / 100 - 180];
const code = (cc: string) => cc.charCodeAt(0) * 256 + cc.charCodeAt(1);
const iso = (n: number) => String.fromCharCode(n >> 8, n & 255);

function parseAllowed(entries: string[]): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const e of entries) {
    const i = e.lastIndexOf(':');
    if (i <= 0) throw new ConfigError(`detect.geo_anomaly.allowedCountries: entry '${e}' must look like <api_key_id>:<CC>|<CC>, e.g. key_abc:US|CA`);
    m.set(e.slice(0, i), new Set(e.slice(i + 1).split('|').map((s) => s.trim().toUpperCase()).filter(Boolean)));
  }
  return m;
}

function create(c: Cfg): DetectorInstance<State> {
  const allowed = parseAllowed(c.allowedCountries);
  const deny = new Set(c.denyCountries.map((s) => s.toUpperCase()));
  const base = (o: Observation) => ({ principal_id: o.event.principal_id, source_ip: o.event.source_ip, country: o.geo!.country_iso_code });
  const where = (o: Observation) => [o.geo!.city_name, o.geo!.country_name ?? o.geo!.country_iso_code].filter(Boolean).join(', ');

  /** The key's countries but `ccode`, sorted, from its first `nc` entries (which a new country only follows): for evidence, built only when it is emitted. */
  const knownCountries = (s: State, nc: number, ccode: number): string[] => {
    const out: string[] = [];
    for (let i = H; i < H + 2 * nc; i += 2) if (s[i] !== ccode) out.push(iso(s[i]!));
    return out.sort();
  };

  return {
    observe(o, st, emit) {
      const g = o.geo;
      if (!g || (c.ignoreAuthFailures && (o.event.status_code === 401 || o.event.status_code === 403))) return st;
      const t = o.t;
      let s: State = st ?? [t, 0, 0, 0];
      const cc = g.country_iso_code;
      if (!s[2]) {
        s[1]!++;
        if (t - s[0]! >= c.learningMs && s[1]! >= c.learningMinEvents) s[2] = t;
      }
      const learnedAt = s[2]!;
      // (the configured lists are usually empty: no lookup per event then)
      const allow = o.allowedCountries ? new Set(o.allowedCountries.map((x) => x.toUpperCase())) : allowed.size ? allowed.get(o.event.api_key_id) : undefined;
      const nc = s[3]!;
      const ccode = code(cc);
      let known: number | undefined;
      for (let i = H; i < H + 2 * nc; i += 2) if (s[i] === ccode) known = s[i + 1];
      const isNew = known === undefined || (learnedAt > 0 && known >= learnedAt && t - known < c.newCountryEvidenceMs);
      if (known === undefined) {
        // exact-size copy: every key's state stays as small as it can be
        s = spliceNumbers(s, H + 2 * nc, [ccode, t]);
        s[3] = nc + 1;
      }
      const subjects = H + 2 * s[3]!;

      if (deny.size && deny.has(cc)) {
        emit({ kind: 'denied_country', incident: `denied_country:${cc}`, severity: 'critical', message: `API key ${o.event.api_key_id} called from ${where(o)}, a denied country`, evidence: { country: cc, deny_list: [...deny] }, ...base(o) });
      }
      const outsideAllowed = allow ? !allow.has(cc) : false;
      // with an allowed list the key's geography is declared, no need to learn it
      const unfamiliar = allow ? outsideAllowed : learnedAt > 0 && isNew;
      if (unfamiliar) {
        emit({
          kind: 'new_country',
          incident: `new_country:${cc}`,
          severity: 'high',
          message: `API key ${o.event.api_key_id} used from ${where(o)}: ${outsideAllowed ? 'outside its allowed countries' : 'a country never seen for it'}`,
          evidence: { country: cc, country_name: g.country_name, city: g.city_name, known_countries: knownCountries(s, nc, ccode), reason: outsideAllowed ? 'outside_allowed_countries' : 'never_seen', ...(allow ? { allowed_countries: [...allow] } : {}), learning_since: new Date(s[0]!).toISOString() },
          ...base(o),
        });
      }

      if (g.location && !o.late) {
        const subj = o.event.principal_id ?? '';
        const h = subjectHash(subj);
        let at = -1;
        for (let i = subjects; i < s.length; i += L) if (Math.floor(s[i]! / LOC) === h) at = i;
        if (at >= 0 && unfamiliar) {
          const [lat, lon] = unpack(s[at]! % LOC);
          const km = haversineKm(lat, lon, g.location.lat, g.location.lon);
          const hours = Math.abs(t - s[at + 1]!) / 3_600_000;
          const kmh = hours > 0 ? km / hours : Infinity;
          if (km > c.minKm && kmh > c.maxKmh) {
            emit({
              kind: 'impossible_travel',
              incident: `impossible_travel:${cc}`,
              severity: 'high',
              message: `${subj ? 'A principal of API key' : 'API key'} ${o.event.api_key_id} moved ${Math.round(km)} km to ${where(o)} in ${Math.round(hours * 60)} min (${Number.isFinite(kmh) ? Math.round(kmh) : 'instant'} km/h)`,
              evidence: { distance_km: Math.round(km), elapsed_s: Math.round(hours * 3600), speed_kmh: Number.isFinite(kmh) ? Math.round(kmh) : null, max_kmh: c.maxKmh, min_km: c.minKm, to_country: cc, to_city: g.city_name, known_countries: knownCountries(s, nc, ccode), subject: subj ? 'principal' : 'api_key' },
              ...base(o),
            });
          }
        }
        if (at >= 0 && t >= s[at + 1]!) {
          s[at] = h * LOC + pack(g.location.lat, g.location.lon);
          s[at + 1] = t;
        } else if (at < 0 && (s.length - subjects) / L < c.maxSubjects) s = spliceNumbers(s, s.length, [h * LOC + pack(g.location.lat, g.location.lon), t]);
      }
      return s;
    },
    expire(s, now) {
      const subjects = H + 2 * s[3]!;
      for (let i = s.length - L; i >= subjects; i -= L) if (now - s[i + 1]! > c.locationTtlMs) s = spliceNumbers(s, i, [], L);
      return s;
    },
  };
}

const T0 = Date.UTC(2026, 0, 5, 9);
// addresses whose GeoLite2 city is stable: London area (GB), Berlin (DE), Buenos Aires area (AR)
const HOME = '81.2.69.142';
const HOME2 = '176.0.0.106';
const FAR = '138.0.56.74';

export const detector = defineDetector({
  name: 'geo_anomaly',
  description: 'A country never seen for a key, impossible travel of a principal or key, or a denied country.',
  severity: 'high',
  knownGaps: [
    'GeoIP is not where the person is: VPNs, proxies, mobile carriers and cloud egress move calls; GeoLite2 is coarse and ages (update the package or point LLM_AUDIT_GEOIP_DB at a fresh database).',
    'Travel between countries a key already uses is not judged (multi-region egress makes it the norm); an attacker in a familiar country is invisible here.',
    'A new key learns for learningMs/learningMinEvents: an attacker present from the first call becomes familiar.',
    'A country seen only rarely in learning (once in a few hundred calls) may not be learned and alerts later as new.',
    'A new country is usually also impossible travel for the principal who jumped there: both kinds are raised, one incident each per country.',
  ],
  config,
  clearAfterMs: (c) => c.newCountryEvidenceMs,
  create,
  fixtures: {
    fires: {
      description: 'A principal of a key used from GB and DE for two hours calls from Argentina 20 s after a call from GB.',
      events: () => [
        ...series(T0, T0 + 7_200_000, 60_000, (t, i) => fixtureEvent({ occurred_at: t, api_key_id: 'key_travel', source_ip: i % 3 ? HOME : HOME2 })),
        fixtureEvent({ occurred_at: T0 + 7_220_000, api_key_id: 'key_travel', source_ip: FAR }),
      ],
    },
    quiet: {
      description: 'A key that alternates GB and DE every call, and a 401 from Argentina.',
      events: () => [
        ...series(T0, T0 + 7_200_000, 30_000, (t, i) => fixtureEvent({ occurred_at: t, api_key_id: 'key_multiregion', source_ip: i % 2 ? HOME : HOME2 })),
        fixtureEvent({ occurred_at: T0 + 7_220_000, api_key_id: 'key_multiregion', source_ip: FAR, status_code: 401 }),
      ],
    },
  },
});
