import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { repoRoot } from '../services/common/paths.js';
import type { UsageEvent } from '../services/common/types.js';

/** The development data in ../shared/data: only the eval suite reads it (a user's clone has none). */
export const sharedDataDir = () => process.env.LLM_AUDIT_SHARED_DATA ?? join(repoRoot(), '..', 'shared', 'data');

export function requireSharedData(file: string): string {
  const p = join(sharedDataDir(), file);
  if (!existsSync(p)) throw new Error(`eval needs ${p} (the shared development data); set LLM_AUDIT_SHARED_DATA to its folder`);
  return p;
}

export async function readTraffic(): Promise<UsageEvent[]> {
  const rl = createInterface({ input: createReadStream(requireSharedData('traffic-dev.events.jsonl.gz')).pipe(createGunzip()), crlfDelay: Infinity });
  const out: UsageEvent[] = [];
  for await (const line of rl) if (line.trim()) out.push(JSON.parse(line) as UsageEvent);
  return out;
}

export interface TrafficLabels {
  start: number;
  minutes: number;
  events: number;
  labels: { rule: string; kind?: string; api_key_id: string; start: number; end: number }[];
  controls: { kind: string; api_key_id: string; start?: number }[];
  canaries: string[];
  keys: { api_key_id: string; service: string; environment: string; home: string[]; users: string[] }[];
}

export const readLabels = (): TrafficLabels => JSON.parse(readFileSync(requireSharedData('traffic-dev.labels.json'), 'utf8')) as TrafficLabels;

/** Aho-Corasick: finds which of many needles occur in a text in one pass. */
export class NeedleFinder {
  private readonly goto: Map<string, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  private readonly out: number[][] = [[]];

  constructor(readonly needles: string[]) {
    needles.forEach((n, idx) => {
      let s = 0;
      for (const ch of n) {
        let nx = this.goto[s]!.get(ch);
        if (nx === undefined) {
          nx = this.goto.length;
          this.goto.push(new Map());
          this.fail.push(0);
          this.out.push([]);
          this.goto[s]!.set(ch, nx);
        }
        s = nx;
      }
      this.out[s]!.push(idx);
    });
    const queue: number[] = [];
    for (const s of this.goto[0]!.values()) queue.push(s);
    while (queue.length) {
      const r = queue.shift()!;
      for (const [ch, s] of this.goto[r]!) {
        queue.push(s);
        let f = this.fail[r]!;
        while (f !== 0 && !this.goto[f]!.has(ch)) f = this.fail[f]!;
        const g = this.goto[f]!.get(ch);
        this.fail[s] = g !== undefined && g !== s ? g : 0;
        this.out[s]!.push(...this.out[this.fail[s]!]!);
      }
    }
  }

  find(text: string): Set<string> {
    const found = new Set<string>();
    let s = 0;
    for (const ch of text) {
      while (s !== 0 && !this.goto[s]!.has(ch)) s = this.fail[s]!;
      s = this.goto[s]!.get(ch) ?? 0;
      for (const i of this.out[s]!) found.add(this.needles[i]!);
    }
    return found;
  }
}
