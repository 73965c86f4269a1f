/** Reading the documentation as a graph of pages: the link test and the docs test use it. */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { repoRoot } from '../services/common/paths.js';

/**
 * Pages other branches are writing now: a link to one of them passes while the file does not exist yet.
 * Once it exists it is checked like any other page; empty this list when they have all landed.
 */
export const PENDING = new Set([
  'docs/pii/person-names.md', 'docs/pii/structured-types.md', 'docs/pii/normalisation.md', 'docs/pii/presidio-comparison.md',
  'docs/pii/secrets.md', 'docs/reference/entity-types.md', 'docs/reference/credential-formats.md', 'docs/detect/detectors.md',
  'docs/compliance/reveal-and-erasure.md', 'docs/operators/alert-delivery.md', 'docs/gateway/intake.md', 'docs/operators/security.md',
]);

/** README.md and every .md under docs/, as paths from the repository root. */
export function markdownFiles(root = repoRoot()): string[] {
  const out = ['README.md'];
  const walk = (d: string) => {
    for (const f of readdirSync(join(root, d)).sort()) {
      const p = join(d, f);
      if (statSync(join(root, p)).isDirectory()) walk(p);
      else if (f.endsWith('.md')) out.push(p);
    }
  };
  walk('docs');
  return out;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function anchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fence = false;
  for (const line of md.split('\n')) {
    if (line.startsWith('```')) fence = !fence;
    const m = !fence && /^#{1,6} (.*)$/.exec(line);
    if (!m) continue;
    const base = m[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

/** Relative link targets of a page, outside code fences and inline code. */
export function links(md: string): string[] {
  const out: string[] = [];
  let fence = false;
  for (const line of md.split('\n')) {
    if (line.startsWith('```')) fence = !fence;
    if (fence) continue;
    const text = line.replace(/`[^`]*`/g, '');
    for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const t = m[1]!;
      if (!/^[a-z][a-z0-9+.-]*:/i.test(t)) out.push(t);
    }
  }
  return out;
}

/** Every problem with the links of `files` (dead files, dead anchors), and the pages reachable from the first. */
export function checkLinks(read: (path: string) => string | undefined, files: string[]): { problems: string[]; reachable: Set<string> } {
  const problems: string[] = [];
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const md = read(f)!;
    const to: string[] = [];
    for (const l of links(md)) {
      const [path, anchor] = l.split('#') as [string, string | undefined];
      const target = path === '' ? f : normalize(join(dirname(f), decodeURIComponent(path)));
      const content = read(target);
      if (content === undefined) {
        if (!PENDING.has(target)) problems.push(`${f}: dead link ${l}`);
        continue;
      }
      if (target.endsWith('.md')) to.push(target);
      if (anchor && target.endsWith('.md') && !anchors(content).has(anchor)) problems.push(`${f}: no heading #${anchor} in ${target}`);
    }
    graph.set(f, to);
  }
  const reachable = new Set<string>([files[0]!]);
  const queue = [files[0]!];
  while (queue.length) for (const t of graph.get(queue.shift()!) ?? []) if (!reachable.has(t)) (reachable.add(t), queue.push(t));
  return { problems, reachable };
}

