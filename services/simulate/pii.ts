import type { Rng } from './prng.js';

/** Synthetic PII and secrets: valid-looking (Luhn, IBAN mod-97, SSN rules), never real. */
export type PiiType = 'EMAIL' | 'PHONE' | 'CREDIT_CARD' | 'US_SSN' | 'IBAN' | 'PERSON' | 'SECRET' | 'AWS_ACCESS_KEY' | 'IP_ADDRESS';
export interface Planted {
  type: PiiType;
  value: string;
}

const FIRST = ['Maria', 'James', 'Aiko', 'Lukas', 'Priya', 'Oluwaseun', 'Sofia', 'Mateo', 'Chloe', 'Wei', 'Fatima', 'Noah', 'Elena', 'Kwame', 'Ingrid', 'Rahul', 'Hannah', 'Diego', 'Yuki', 'Amara'];
const LAST = ['Garcia', 'Smith', 'Tanaka', 'Muller', 'Sharma', 'Adeyemi', 'Rossi', 'Fernandez', 'Dubois', 'Chen', 'Khan', 'Johnson', 'Petrova', 'Mensah', 'Larsen', 'Gupta', 'Schmidt', 'Lopez', 'Sato', 'Okafor'];
const DOMAINS = ['contoso.com', 'fabrikam.net', 'example.org', 'northwind.io', 'mail.tailspin.dev', 'adatum.co.uk'];
const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(10)).join('');
const chars = (rng: Rng, alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[rng.int(alphabet.length)]).join('');

export function luhnValid(number: string): boolean {
  const d = number.replace(/\D/g, '');
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let x = Number(d[d.length - 1 - i]);
    if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
    sum += x;
  }
  return d.length >= 12 && sum % 10 === 0;
}

function luhnComplete(partial: string): string {
  for (let c = 0; c < 10; c++) if (luhnValid(partial + c)) return partial + c;
  throw new Error('unreachable');
}

/** ISO 13616 check: move the country and check digits to the end, letters to numbers, mod 97 must be 1. */
export function ibanValid(iban: string): boolean {
  const s = iban.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(s)) return false;
  return mod97(s.slice(4) + s.slice(0, 4)) === 1;
}

function mod97(s: string): number {
  let r = 0;
  for (const ch of s) {
    const v = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const d of v) r = (r * 10 + Number(d)) % 97;
  }
  return r;
}

export const gen = {
  person: (rng: Rng) => `${rng.pick(FIRST)} ${rng.pick(LAST)}`,
  email: (rng: Rng, person?: string) => {
    const [f, l] = (person ?? `${rng.pick(FIRST)} ${rng.pick(LAST)}`).toLowerCase().split(' ');
    return `${rng.pick([`${f}.${l}`, `${f![0]}${l}`, `${f}${rng.int(100)}`])}@${rng.pick(DOMAINS)}`;
  },
  phone: (rng: Rng) =>
    rng.weighted<() => string>([
      [() => `(${2 + rng.int(8)}${rng.int(10)}${1 + rng.int(9)}) ${2 + rng.int(8)}${digits(rng, 2)}-${digits(rng, 4)}`, 4],
      [() => `+44 7${digits(rng, 3)} ${digits(rng, 6)}`, 1],
      [() => `+49 151 ${digits(rng, 8)}`, 1],
      [() => `+91 ${7 + rng.int(3)}${digits(rng, 4)} ${digits(rng, 5)}`, 1],
    ])(),
  card: (rng: Rng) => {
    const kind = rng.pick(['visa', 'mc', 'amex'] as const);
    const raw = kind === 'visa' ? luhnComplete(`4${digits(rng, 14)}`) : kind === 'mc' ? luhnComplete(`5${1 + rng.int(5)}${digits(rng, 13)}`) : luhnComplete(`3${rng.pick(['4', '7'])}${digits(rng, 12)}`);
    const style = rng.int(3);
    if (style === 0) return raw;
    const sep = style === 1 ? ' ' : '-';
    return kind === 'amex' ? [raw.slice(0, 4), raw.slice(4, 10), raw.slice(10)].join(sep) : raw.match(/.{4}/g)!.join(sep);
  },
  ssn: (rng: Rng) => {
    let area: number;
    do area = 1 + rng.int(899);
    while (area === 666);
    return `${String(area).padStart(3, '0')}-${String(1 + rng.int(99)).padStart(2, '0')}-${String(1 + rng.int(9999)).padStart(4, '0')}`;
  },
  iban: (rng: Rng) => {
    const [cc, bban] = rng.pick([
      ['DE', () => digits(rng, 18)],
      ['GB', () => `${chars(rng, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 4)}${digits(rng, 14)}`],
      ['NL', () => `${chars(rng, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 4)}${digits(rng, 10)}`],
      ['FR', () => digits(rng, 23)],
    ] as const);
    const body = bban();
    const check = String(98 - mod97(`${body}${cc}00`)).padStart(2, '0');
    const iban = `${cc}${check}${body}`;
    return rng.chance(0.5) ? iban.match(/.{1,4}/g)!.join(' ') : iban;
  },
  openaiKey: (rng: Rng) => `sk-proj-${chars(rng, B62 + '-_', 74)}T3BlbkFJ${chars(rng, B62 + '-_', 74)}`,
  awsKeyId: (rng: Rng) => `AKIA${chars(rng, B32, 16)}`,
  awsSecret: (rng: Rng) => chars(rng, B62 + '/+', 40),
};

type Template = (rng: Rng, plant: (p: Planted) => string) => string;

const PII_TEMPLATES: Template[] = [
  (r, p) => { const n = gen.person(r); return `Draft a polite reply to ${p({ type: 'PERSON', value: n })} (${p({ type: 'EMAIL', value: gen.email(r, n) })}) about order ${r.int(900000) + 100000}: the payment with card ${p({ type: 'CREDIT_CARD', value: gen.card(r) })} was declined.`; },
  (r, p) => `Customer ${p({ type: 'PERSON', value: gen.person(r) })} called from ${p({ type: 'PHONE', value: gen.phone(r) })} and wants the shipping address changed. Summarize the ticket in two lines.`,
  (r, p) => `Check this applicant record before onboarding: ${p({ type: 'PERSON', value: gen.person(r) })}, SSN ${p({ type: 'US_SSN', value: gen.ssn(r) })}, start date 2025-0${1 + r.int(9)}-1${r.int(9)}. List missing documents.`,
  (r, p) => `Write the refund confirmation for ${p({ type: 'PERSON', value: gen.person(r) })}: EUR ${r.int(900) + 10}.${r.int(90) + 10} goes to IBAN ${p({ type: 'IBAN', value: gen.iban(r) })} within 5 business days.`,
  (r, p) => `Why does this throw 401?\nconst client = new OpenAI({ apiKey: "${p({ type: 'SECRET', value: gen.openaiKey(r) })}" });\nawait client.models.list();`,
  (r, p) => `Our CI log printed AWS_ACCESS_KEY_ID=${p({ type: 'AWS_ACCESS_KEY', value: gen.awsKeyId(r) })} and AWS_SECRET_ACCESS_KEY=${p({ type: 'SECRET', value: gen.awsSecret(r) })}. How do we rotate them and purge the log?`,
  (r, p) => `Translate to German: "Hi ${p({ type: 'PERSON', value: gen.person(r) })}, please call me back at ${p({ type: 'PHONE', value: gen.phone(r) })} or write to ${p({ type: 'EMAIL', value: gen.email(r) })}."`,
  (r, p) => `Explain this nginx line: ${p({ type: 'IP_ADDRESS', value: `${11 + r.int(180)}.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}` })} - - "POST /v1/chat/completions" 429 (build v${r.int(9)}.${r.int(20)}.${r.int(50)})`,
];

/** Prompts with look-alikes that are not PII: versions, order numbers, dates, arithmetic, hashes. */
const BENIGN_TEMPLATES: ((r: Rng) => string)[] = [
  (r) => `Summarize the release notes for v${r.int(9)}.${r.int(20)}.${r.int(50)} in three bullet points.`,
  (r) => `What is ${r.int(900) + 100} * ${r.int(900) + 100}? Show the steps.`,
  (r) => `Classify the sentiment of this review: "Delivery took ${r.int(9) + 2} days but the product is great."`,
  (r) => `Write a SQL query that counts orders per day since 2025-0${1 + r.int(9)}-01 from table orders(id, created_at, total).`,
  (r) => `Rewrite this commit message to be clearer: "fix ${r.hex(7)} regression in retry loop"`,
  (r) => `Generate ${r.int(5) + 3} test cases for a function that validates ISO 8601 dates.`,
  () => 'Explain the difference between at-least-once and exactly-once delivery in Kafka.',
  (r) => `Suggest a name for an internal tool that tracks ${r.pick(['API quotas', 'on-call rotations', 'GPU budgets', 'feature flags'])}.`,
];

const ANSWERS = [
  'Here is a concise summary with the key points and suggested next steps.',
  'Sure. The short answer is that it depends on your retry and idempotency settings; details below.',
  'I have drafted the message below. Feel free to adjust the tone before sending.',
  'The result is shown step by step, followed by a quick check of the arithmetic.',
  'Below is a version that keeps the meaning while being easier to scan.',
];

export interface TextSample {
  prompt: string;
  completion: string;
  pii: Planted[];
}

/** A prompt and completion; with probability `piiRate` the prompt carries PII or secrets (and sometimes the answer echoes one). */
export function sampleText(rng: Rng, piiRate: number): TextSample {
  const pii: Planted[] = [];
  if (!rng.chance(piiRate)) return { prompt: rng.pick(BENIGN_TEMPLATES)(rng), completion: rng.pick(ANSWERS), pii };
  const prompt = rng.pick(PII_TEMPLATES)(rng, (p) => {
    pii.push(p);
    return p.value;
  });
  let completion = rng.pick(ANSWERS);
  const echo = pii.find((p) => p.type === 'EMAIL' || p.type === 'PERSON');
  // models often repeat names and addresses back, so completions need tokenizing too
  if (echo && rng.chance(0.3)) completion = `${completion} I addressed it to ${echo.value}.`;
  return { prompt, completion, pii };
}
