import creditCard from './credit-card.js';
import email from './email.js';
import iban from './iban.js';
import ipAddress from './ip-address.js';
import person from './person.js';
import phone from './phone.js';
import secret from './secret.js';
import usSsn from './us-ssn.js';
import type { EntityDef } from './registry.js';

/**
 * Every entity type, one import per file in this folder (a test fails when a file is not listed here).
 * Order is irrelevant: the overlap ranking comes from each file's `rank`.
 */
const DEFS = [secret, email, iban, creditCard, usSsn, phone, ipAddress, person] as const;

export type EntityType = (typeof DEFS)[number]['type'];
export const ENTITY_DEFS: readonly EntityDef<EntityType>[] = [...DEFS].sort((a, b) => a.rank - b.rank);
export const ENTITY_TYPES: readonly EntityType[] = ENTITY_DEFS.map((d) => d.type);
const BY_TYPE = new Map<string, EntityDef<EntityType>>(ENTITY_DEFS.map((d) => [d.type, d]));
export const entityDef = (type: string): EntityDef<EntityType> | undefined => BY_TYPE.get(type);
