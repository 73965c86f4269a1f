import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import avro from 'avsc';
import { ConfigError, InvalidInputError, TransientError } from './errors.js';
import { schemasDir } from './paths.js';

type Resolver = ReturnType<avro.Type['createResolver']>;

/**
 * Confluent wire format: magic byte 0, big-endian 4-byte schema id, Avro binary payload.
 * avsc has no framing of its own; this is all of it.
 */
export const MAGIC = 0;

export function frame(schemaId: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + payload.length);
  out.writeUInt8(MAGIC, 0);
  out.writeUInt32BE(schemaId, 1);
  payload.copy(out, 5);
  return out;
}

export function unframe(buf: Buffer | null): { schemaId: number; payload: Buffer } {
  if (!buf || buf.length < 5) throw new InvalidInputError('bad_framing', `message of ${buf?.length ?? 0} bytes is shorter than the 5-byte Confluent header`);
  if (buf[0] !== MAGIC) throw new InvalidInputError('bad_framing', `magic byte is ${buf[0]}, expected 0 (Confluent wire format)`);
  return { schemaId: buf.readUInt32BE(1), payload: buf.subarray(5) };
}

/** The schema text a type was parsed from: avsc's own `schema()` drops logical types (and, unasked, defaults). */
const schemaTexts = new WeakMap<avro.Type, string>();

export function loadSchemaFile(file: string): avro.Type {
  const path = file.includes('/') ? file : join(schemasDir(), file);
  const schema = JSON.parse(readFileSync(path, 'utf8')) as avro.Schema;
  const type = avro.Type.forSchema(schema);
  schemaTexts.set(type, JSON.stringify(schema));
  return type;
}

/** What a registry is given for `type`: its source text when known, else avsc's export with defaults. */
export function schemaText(type: avro.Type): string {
  return schemaTexts.get(type) ?? JSON.stringify(type.schema({ exportAttrs: true }));
}

/** Where schema ids come from: the schemas/ folder (no registry) or a Confluent Schema Registry. */
export interface SchemaSource {
  /** Id under which `type` is registered for `subject` (registering it if the source can). */
  idFor(subject: string, type: avro.Type): Promise<number>;
  /** Writer type of a schema id; InvalidInputError('unknown_schema') when the id is unknown. */
  typeFor(id: number): Promise<avro.Type>;
}

interface RegistryFile {
  schemas: { id: number; subject: string; file: string }[];
}

export class LocalSchemaSource implements SchemaSource {
  private readonly byId = new Map<number, avro.Type>();
  private readonly bySubjectFingerprint = new Map<string, number>();

  constructor(dir = schemasDir()) {
    const reg = JSON.parse(readFileSync(join(dir, 'registry.json'), 'utf8')) as RegistryFile;
    for (const s of reg.schemas) {
      if (this.byId.has(s.id)) throw new ConfigError(`schemas/registry.json: id ${s.id} is used twice`);
      const type = loadSchemaFile(join(dir, s.file));
      this.byId.set(s.id, type);
      this.bySubjectFingerprint.set(`${s.subject}/${type.fingerprint('sha256').toString('hex')}`, s.id);
    }
  }

  async idFor(subject: string, type: avro.Type): Promise<number> {
    const id = this.bySubjectFingerprint.get(`${subject}/${type.fingerprint('sha256').toString('hex')}`);
    if (id === undefined) throw new ConfigError(`schema for subject ${subject} is not listed in schemas/registry.json; add it with a new id`);
    return id;
  }

  async typeFor(id: number): Promise<avro.Type> {
    const t = this.byId.get(id);
    if (!t) throw new InvalidInputError('unknown_schema', `schema id ${id} is not in schemas/registry.json`);
    return t;
  }
}

/** Confluent Schema Registry REST API (POST /subjects/{s}/versions, GET /schemas/ids/{id}). */
export class RegistrySchemaSource implements SchemaSource {
  private readonly byId = new Map<number, avro.Type>();
  private readonly ids = new Map<string, number>();

  /** Schema ids the registry refused or that do not parse, until `until` (the registry may be fixed). */
  private readonly refused = new Map<number, { err: InvalidInputError; until: number }>();
  constructor(
    private readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly negativeTtlMs = 300_000,
    private readonly now: () => number = Date.now,
  ) {}

  private async call(path: string, init?: RequestInit): Promise<Response> {
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.baseUrl.replace(/\/$/, '')}${path}`, {
        ...init,
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', ...(init?.headers ?? {}) },
      });
    } catch (err) {
      throw new TransientError(`schema registry unreachable at ${this.baseUrl}`, err);
    }
    if (res.status >= 500 || res.status === 429) throw new TransientError(`schema registry answered ${res.status} for ${path}`);
    return res;
  }

  async idFor(subject: string, type: avro.Type): Promise<number> {
    const key = `${subject}/${type.fingerprint('sha256').toString('hex')}`;
    const cached = this.ids.get(key);
    if (cached !== undefined) return cached;
    const res = await this.call(`/subjects/${encodeURIComponent(subject)}/versions`, {
      method: 'POST',
      body: JSON.stringify({ schema: schemaText(type) }),
    });
    if (!res.ok) throw new ConfigError(`schema registry refused subject ${subject}: ${res.status} ${await res.text()}`);
    const { id } = (await res.json()) as { id: number };
    this.ids.set(key, id);
    this.byId.set(id, type);
    return id;
  }

  async typeFor(id: number): Promise<avro.Type> {
    const cached = this.byId.get(id);
    if (cached) return cached;
    const refused = this.refused.get(id);
    if (refused && refused.until > this.now()) throw refused.err;
    const res = await this.call(`/schemas/ids/${id}`);
    const unknown = (why: string, cause?: unknown) => {
      // a schema that can never be read: dead letters for its messages, and no second look for a while
      const err = new InvalidInputError('unknown_schema', `schema id ${id} ${why}`, cause);
      this.refused.set(id, { err, until: this.now() + this.negativeTtlMs });
      if (this.refused.size > 10_000) this.refused.delete(this.refused.keys().next().value!);
      return err;
    };
    if (res.status === 404) throw unknown('is unknown to the schema registry');
    if (res.status === 408) throw new TransientError(`schema registry answered 408 for schema id ${id}`);
    if (res.status >= 400 && res.status < 500) throw unknown(`is refused by the schema registry (HTTP ${res.status})`);
    if (!res.ok) throw new TransientError(`schema registry answered ${res.status} for schema id ${id}`);
    let t: avro.Type;
    try {
      const body = (await res.json()) as { schema?: unknown };
      if (typeof body?.schema !== 'string') throw new Error('no "schema" string in the answer');
      const depth = jsonDepth(body.schema);
      if (depth > MAX_SCHEMA_DEPTH) throw new Error(`schema nests ${depth} levels deep (at most ${MAX_SCHEMA_DEPTH})`);
      t = avro.Type.forSchema(JSON.parse(body.schema) as avro.Schema);
    } catch (err) {
      throw unknown(`has a schema that does not parse: ${(err as Error).message}`.slice(0, 300), err);
    }
    this.byId.set(id, t);
    return t;
  }
}

/** Deeper than any real event schema; avsc resolves types recursively, so a hostile one could exhaust the stack. */
export const MAX_SCHEMA_DEPTH = 64;

/** Bracket nesting of a JSON text, strings skipped (before parsing it). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return max;
}

export function schemaSourceFor(registryUrl: string | undefined): SchemaSource {
  return registryUrl ? new RegistrySchemaSource(registryUrl) : new LocalSchemaSource();
}

/** Buffer's own UTF-8 slice (what avsc reads strings with), without toString's argument handling. */
const utf8 = (buf: Buffer, from: number, to: number): string => (buf as unknown as { utf8Slice(a: number, b: number): string }).utf8Slice(from, to);

/** Short strings read through a table, so a value the stream repeats is one string, not a new one per message. */
class InternTable {
  private readonly keys: (Buffer | undefined)[] = new Array(INTERN_SLOTS);
  private readonly values: string[] = new Array(INTERN_SLOTS);
  private lookups = 0;
  private hits = 0;
  /** Reads left without the table: a field whose values do not repeat (ids) is sampled again only now and then. */
  private bypass = 0;

  read(buf: Buffer, p: number, len: number): string {
    if (len > INTERN_MAX_BYTES || this.bypass > 0) {
      if (this.bypass > 0) this.bypass--;
      return utf8(buf, p, p + len);
    }
    if (++this.lookups === INTERN_SAMPLE) {
      if (this.hits < INTERN_SAMPLE / 4) this.bypass = INTERN_BYPASS;
      this.lookups = this.hits = 0;
    }
    let h = len;
    for (let i = p; i < p + len; i++) h = Math.imul(h ^ buf[i]!, 16777619);
    const slot = h & (INTERN_SLOTS - 1);
    const key = this.keys[slot];
    if (key !== undefined && key.length === len) {
      let i = 0;
      while (i < len && key[i] === buf[p + i]) i++;
      if (i === len) {
        this.hits++;
        return this.values[slot]!;
      }
    }
    const v = utf8(buf, p, p + len);
    this.keys[slot] = Buffer.from(buf.subarray(p, p + len));
    this.values[slot] = v;
    return v;
  }
}

const INTERN_SLOTS = 1024;
const INTERN_MAX_BYTES = 64;
const INTERN_SAMPLE = 4096;
const INTERN_BYPASS = 65_536;

/** avsc's Tap reads (same varint arithmetic, same overflow rule: past the end marks the read invalid), on one reused cursor. */
class Cursor {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;

  long(): number {
    const buf = this.buf;
    let n = 0;
    let k = 0;
    let b: number;
    let h: number;
    do {
      b = buf[this.pos++]!;
      h = b & 0x80;
      n |= (b & 0x7f) << k;
      k += 7;
    } while (h && k < 28);
    if (h) {
      let f = n;
      let fk = 268435456;
      do {
        b = buf[this.pos++]!;
        f += (b & 0x7f) * fk;
        fk *= 128;
      } while (b & 0x80);
      return (f % 2 ? -(f + 1) : f) / 2;
    }
    return (n >> 1) ^ -(n & 1);
  }

  safeLong(): number {
    const n = this.long();
    if (!(n >= -9007199254740990 && n <= 9007199254740990)) throw new Error('potential precision loss');
    return n;
  }

  string(table: InternTable): string {
    const len = this.long();
    if (len < 0) {
      this.pos = this.buf.length + 1;
      return '';
    }
    const p = this.pos;
    this.pos += len;
    if (this.pos > this.buf.length) return '';
    return table.read(this.buf, p, len);
  }

  boolean(): boolean {
    return !!this.buf[this.pos++];
  }

  symbol(symbols: readonly string[], name: string): string {
    const i = this.long();
    const s = symbols[i];
    if (s === undefined) throw new Error(`invalid ${name} enum index: ${i}`);
    return s;
  }

  /** The branch index of a two-branch union with null: true for the value branch, false for null. */
  branch(valueIndex: number): boolean {
    const i = this.long();
    if (i === valueIndex) return true;
    if (i === 1 - valueIndex) return false;
    throw new Error(`invalid union index: ${i}`);
  }
}

/**
 * A reader compiled for a record of strings, ints, longs, booleans, enums and unions of null with one of those,
 * straight into avsc's record class (the same values avsc decodes, and the same errors), with short strings
 * interned per field; undefined for any other schema (avsc then decodes). avsc compiles its readers too, but
 * allocates a Tap and a result object per message and a new string per field.
 */
function compileFlatReader(type: avro.Type): ((c: Cursor) => unknown) | undefined {
  if (!(type instanceof avro.types.RecordType)) return undefined;
  const args: unknown[] = [];
  const code: string[] = [];
  const readOf = (t: avro.Type, i: number): string | undefined => {
    if (t instanceof avro.types.StringType) {
      args.push(new InternTable());
      return `c.string(a${args.length - 1})`;
    }
    if (t instanceof avro.types.IntType) return 'c.long()';
    if (t instanceof avro.types.LongType) return 'c.safeLong()';
    if (t instanceof avro.types.BooleanType) return 'c.boolean()';
    if (t instanceof avro.types.EnumType) {
      args.push(t.symbols.slice(), t.name ?? '');
      return `c.symbol(a${args.length - 2}, a${args.length - 1})`;
    }
    if (t instanceof avro.types.UnwrappedUnionType && t.types.length === 2) {
      const v = t.types.findIndex((x) => !(x instanceof avro.types.NullType));
      if (v < 0 || !(t.types[1 - v] instanceof avro.types.NullType)) return undefined;
      const inner = readOf(t.types[v]!, i);
      return inner && `(c.branch(${v}) ? ${inner} : null)`;
    }
    return undefined;
  };
  for (const [i, f] of type.fields.entries()) {
    const r = readOf(f.type, i);
    if (r === undefined) return undefined;
    code.push(r);
  }
  const names = args.map((_, i) => `a${i}`);
  // fields are read in schema order: JavaScript evaluates constructor arguments left to right
  return new Function('R', ...names, `return function read(c) { return new R(${code.join(', ')}); };`)(type.recordConstructor, ...args) as (c: Cursor) => unknown;
}

/**
 * Decodes framed messages into values of one reader schema, resolving each writer schema once
 * (schema evolution: a v2 reader reads v1 data and the reverse, per Avro resolution rules).
 */
export class FramedDecoder<T> {
  private readonly resolvers = new Map<number, Resolver | null>();
  /** For messages written with the reader schema itself (no resolution): the compiled reader, if it has one. */
  private readonly compiled: ((c: Cursor) => unknown) | undefined;
  private readonly cursor = new Cursor();

  constructor(private readonly source: SchemaSource, private readonly reader: avro.Type, opts: { compiled?: boolean } = {}) {
    this.compiled = opts.compiled === false ? undefined : compileFlatReader(reader);
  }

  async decode(buf: Buffer | null): Promise<T> {
    const { schemaId, payload } = unframe(buf);
    let r = this.resolvers.get(schemaId);
    if (r === undefined) {
      const writer = await this.source.typeFor(schemaId);
      try {
        // null: same schema, no resolution needed
        r = writer.fingerprint('sha256').equals(this.reader.fingerprint('sha256')) ? null : this.reader.createResolver(writer);
      } catch (err) {
        throw new InvalidInputError('incompatible_schema', `schema id ${schemaId} cannot be read as ${this.reader.name ?? 'reader schema'}: ${(err as Error).message}`, err);
      }
      this.resolvers.set(schemaId, r);
    }
    return this.read(schemaId, payload, r);
  }

  /**
   * The decoded value when the message's writer schema is already resolved, else undefined (then `decode`):
   * the hot path without a promise per message. Throws what `decode` throws for bad framing or payloads.
   */
  decodeCached(buf: Buffer | null): T | undefined {
    if (!buf || buf.length < 5 || buf[0] !== MAGIC) unframe(buf);
    const schemaId = buf!.readUInt32BE(1);
    const r = this.resolvers.get(schemaId);
    if (r === undefined) return undefined;
    // the compiled reader starts past the header: no payload view per message
    if (r === null && this.compiled) return this.readCompiled(schemaId, buf!, 5);
    return this.read(schemaId, buf!.subarray(5), r);
  }

  private read(schemaId: number, payload: Buffer, r: Resolver | null): T {
    try {
      if (r === null && this.compiled) return this.readCompiled(schemaId, payload, 0);
      const { value, offset } = this.reader.decode(payload, 0, r ?? undefined);
      if (offset !== payload.length) {
        throw new InvalidInputError('bad_payload', `Avro payload of schema id ${schemaId}: ${offset < 0 ? 'truncated' : `${payload.length - offset} trailing bytes`}`);
      }
      return value as T;
    } catch (err) {
      if (err instanceof InvalidInputError) throw err;
      throw new InvalidInputError('bad_payload', `Avro payload of schema id ${schemaId} does not decode: ${(err as Error).message}`, err);
    }
  }

  /** The payload is `buf` from `start` to its end. */
  private readCompiled(schemaId: number, buf: Buffer, start: number): T {
    const c = this.cursor;
    c.buf = buf;
    c.pos = start;
    let value: unknown;
    try {
      value = this.compiled!(c);
    } catch (err) {
      if (err instanceof InvalidInputError) throw err;
      throw new InvalidInputError('bad_payload', `Avro payload of schema id ${schemaId} does not decode: ${(err as Error).message}`, err);
    } finally {
      // the cursor must not keep the message alive
      c.buf = EMPTY;
    }
    if (c.pos !== buf.length) {
      // a NaN position (a length varint too long to be a number) is truncation, as avsc says
      throw new InvalidInputError('bad_payload', `Avro payload of schema id ${schemaId}: ${!(c.pos <= buf.length) ? 'truncated' : `${buf.length - c.pos} trailing bytes`}`);
    }
    return value as T;
  }
}

const EMPTY = Buffer.alloc(0);

export class FramedEncoder<T> {
  private id?: number;
  private scratch = Buffer.allocUnsafe(16 * 1024);
  constructor(private readonly source: SchemaSource, private readonly subject: string, readonly type: avro.Type) {}

  async schemaId(): Promise<number> {
    return (this.id ??= await this.source.idFor(this.subject, this.type));
  }

  /** Throws InvalidInputError naming the first invalid field when `value` doesn't fit the schema. */
  async encode(value: T): Promise<Buffer> {
    const id = await this.schemaId();
    const paths: string[] = [];
    if (!this.type.isValid(value, { errorHook: (p) => paths.push(p.join('.') || '(root)') })) {
      throw new InvalidInputError('invalid_event', `value does not match ${this.subject}: invalid field(s) ${[...new Set(paths)].join(', ')}`);
    }
    // header and payload written into one scratch buffer, then one copy out (toBuffer then frame copied twice)
    let end = this.type.encode(value, this.scratch, 5);
    if (end < 0) {
      this.scratch = Buffer.allocUnsafe(Math.max(2 * this.scratch.length, this.scratch.length - end));
      end = this.type.encode(value, this.scratch, 5);
    }
    this.scratch.writeUInt8(MAGIC, 0);
    this.scratch.writeUInt32BE(id, 1);
    return Buffer.from(this.scratch.subarray(0, end));
  }
}
