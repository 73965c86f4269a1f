import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGunzip, createGzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import type { UsageEvent } from '../common/types.js';
import type { UsageSink } from '../sdk/emitter.js';
import { pacer } from '../sdk/pace.js';

const isGz = (path: string) => path.endsWith('.gz');

/** Writes events as JSON lines (gzip when the name ends in .gz); returns the count. */
export async function writeJsonl(events: Iterable<UsageEvent>, path: string): Promise<number> {
  const file = createWriteStream(path);
  const out: Writable = isGz(path) ? createGzip() : file;
  if (out !== file) out.pipe(file);
  let n = 0;
  for (const e of events) {
    n++;
    if (!out.write(`${JSON.stringify(e)}\n`)) await once(out, 'drain');
  }
  out.end();
  await finished(file);
  return n;
}

/** Lines of a JSONL file, gunzipped when it is gzip (by magic bytes, whatever its name); '-' reads `stdin`. */
export async function* readLines(path: string, stdin?: NodeJS.ReadableStream): AsyncGenerator<string> {
  let input: Readable = path === '-' && stdin ? (stdin as Readable) : createReadStream(path);
  if (path !== '-') {
    const head = await new Promise<Buffer>((resolve, reject) => {
      const s = createReadStream(path, { start: 0, end: 1 });
      const parts: Buffer[] = [];
      s.on('data', (c) => parts.push(c as Buffer)).on('end', () => resolve(Buffer.concat(parts))).on('error', reject);
    });
    if (head[0] === 0x1f && head[1] === 0x8b) input = input.pipe(createGunzip());
  }
  yield* createInterface({ input, crlfDelay: Infinity });
}

/** Hands events to the emitter at `rate` events/s (unpaced when undefined); returns the count. */
export async function sendEvents(events: Iterable<UsageEvent> | AsyncIterable<UsageEvent>, sink: UsageSink, rate?: number, onProgress?: (n: number) => void): Promise<number> {
  const pace = pacer(rate);
  let n = 0;
  for await (const e of events) {
    await pace();
    await sink.emit(e);
    if (++n % 10_000 === 0) onProgress?.(n);
  }
  return n;
}
