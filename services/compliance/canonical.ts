import { createHash } from 'node:crypto';

/**
 * Deterministic JSON: object keys sorted at every level, no whitespace. Hashes and signatures are
 * taken over this form so that key order (which Elasticsearch and JSON.parse may not keep) never matters.
 */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'number' && !Number.isFinite(v)) return 'null';
    return v === undefined ? 'null' : JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  const keys = Object.keys(v as object).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * JSON.parse keeps the last of two equal keys, so `{"files": [...], "files": [...]}` could show a
 * reader one thing and a verifier another. Parses `text` and refuses any object with a key twice
 * (compared after unescaping: "\u0061" and "a" are the same key).
 */
export function parseJsonNoDuplicates<T = unknown>(text: string): T {
  const value = JSON.parse(text) as T; // valid JSON first: the scan below may then assume it
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const keys = stack[stack.length - 1];
      if (keys && expectKey) {
        const k = JSON.parse(text.slice(i, j + 1)) as string;
        if (keys.has(k)) throw new SyntaxError(`duplicate key ${JSON.stringify(k)}`);
        keys.add(k);
        expectKey = false;
      }
      i = j;
    } else if (c === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      stack.push(null);
      expectKey = false;
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
    } else if (c === ',') expectKey = stack[stack.length - 1] instanceof Set;
  }
  return value;
}
