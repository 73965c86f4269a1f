import { keccak_256 } from '@noble/hashes/sha3.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base58check, bech32, bech32m } from '@scure/base';
import { defineEntity, eachMatch, textFacts, type Candidate, type ScanContext } from './registry.js';

const B58CHECK = base58check(sha256);
const BASE58_RE = /(?<![A-Za-z0-9])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![A-Za-z0-9])/g;
const BECH32_RE = /(?<![A-Za-z0-9])(?:bc1|tb1)[02-9ac-hj-np-z]{8,87}(?![A-Za-z0-9])|(?<![A-Za-z0-9])(?:BC1|TB1)[02-9AC-HJ-NP-Z]{8,87}(?![A-Za-z0-9])/g;
const ETH_RE = /(?<![A-Za-z0-9])0x[0-9a-fA-F]{40}(?![0-9A-Za-z])/g;

/** Bitcoin P2PKH / P2SH: base58check with a valid double-SHA256 checksum, version 0x00 or 0x05, 20-byte hash. */
export function btcBase58Ok(s: string): boolean {
  try {
    const b = B58CHECK.decode(s);
    return b.length === 21 && (b[0] === 0x00 || b[0] === 0x05);
  } catch {
    return false;
  }
}

/** Segwit: bech32 for witness version 0 (20 or 32-byte program), bech32m for versions 1-16 (BIP 173 / 350). */
export function btcBech32Ok(s: string): boolean {
  const lower = s.toLowerCase();
  for (const [coder, v0] of [[bech32, true], [bech32m, false]] as const) {
    try {
      const { prefix, words } = coder.decode(lower as `${string}1${string}`, 90);
      if (prefix !== 'bc' && prefix !== 'tb') continue;
      const version = words[0]!;
      if ((version === 0) !== v0 || version > 16) continue;
      const program = coder.fromWords(words.slice(1));
      if (version === 0 ? program.length === 20 || program.length === 32 : program.length >= 2 && program.length <= 40) return true;
    } catch {
      // not this encoding
    }
  }
  return false;
}

/** Ethereum: all-lower or all-upper hex has no checksum; mixed case must be the EIP-55 checksum (keccak-256). */
export function ethOk(s: string): boolean {
  const hex = s.slice(2);
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return !/^0+$/.test(hex);
  const hash = keccak_256(new TextEncoder().encode(hex.toLowerCase()));
  for (let i = 0; i < 40; i++) {
    const c = hex[i]!;
    if (c >= '0' && c <= '9') continue;
    const nibble = (hash[i >> 1]! >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    if ((nibble >= 8) !== (c >= 'A' && c <= 'F')) return false;
  }
  return true;
}

// checksum work per document is capped; past the cap the shape decides (a wallet-shaped flood is tokenized, not kept)
const BUDGET = 512;

function find(text: string, out: Candidate[], ctx: ScanContext): void {
  let budget = BUDGET;
  const checked = (ok: (s: string) => boolean, s: string) => (budget-- > 0 ? ok(s) : true);
  if (text.indexOf('0x') !== -1) eachMatch(ETH_RE, text, (m) => void (checked(ethOk, m[0]) && out.push({ type: 'CRYPTO_WALLET', start: m.index, end: m.index + 42 })));
  if (textFacts(text, ctx).alnum >= 26) eachMatch(BASE58_RE, text, (m) => void (checked(btcBase58Ok, m[0]) && out.push({ type: 'CRYPTO_WALLET', start: m.index, end: m.index + m[0].length })));
  if (/bc1|tb1/i.test(text)) eachMatch(BECH32_RE, text, (m) => void (checked(btcBech32Ok, m[0]) && out.push({ type: 'CRYPTO_WALLET', start: m.index, end: m.index + m[0].length })));
}

export default defineEntity({
  type: 'CRYPTO_WALLET',
  rank: 25,
  description: 'Crypto wallet addresses: Bitcoin P2PKH/P2SH (base58check) and segwit (bech32/bech32m), Ethereum (0x + 40 hex).',
  validator: 'base58check double-SHA256 checksum and version byte; bech32/bech32m checksum and witness program length; EIP-55 checksum when the hex is mixed case',
  context: 'none',
  lookalike: 'git 9fceb02d0ae598e95dc970b74767f19372d61af8 and 0xDEADBEEF',
  find: (text, out, ctx) => {
    if (ctx.hasDigit) find(text, out, ctx);
  },
  normalise: (raw) => (raw.startsWith('0x') || /^(?:bc1|tb1)/i.test(raw) ? raw.trim().toLowerCase() : raw.trim()),
});
