import auAbn from './au-abn.js';
import auMedicare from './au-medicare.js';
import auTfn from './au-tfn.js';
import creditCard from './credit-card.js';
import cryptoWallet from './crypto-wallet.js';
import dateOfBirth from './date-of-birth.js';
import email from './email.js';
import esNif from './es-nif.js';
import iban from './iban.js';
import inAadhaar from './in-aadhaar.js';
import inPan from './in-pan.js';
import ipAddress from './ip-address.js';
import itFiscalCode from './it-fiscal-code.js';
import macAddress from './mac-address.js';
import person from './person.js';
import phone from './phone.js';
import secret from './secret.js';
import sgNric from './sg-nric.js';
import streetAddress from './street-address.js';
import ukNhs from './uk-nhs.js';
import ukNino from './uk-nino.js';
import urlCredentials from './url-credentials.js';
import usBankAccount from './us-bank-account.js';
import usDriverLicense from './us-driver-license.js';
import usItin from './us-itin.js';
import usPassport from './us-passport.js';
import usSsn from './us-ssn.js';
import type { EntityDef } from './registry.js';

/**
 * Every entity type, one import per file in this folder (registry.test.ts fails when a file is not listed).
 * Order is irrelevant: the overlap ranking comes from each file's `rank`.
 */
const DEFS = [
  secret, urlCredentials, email, cryptoWallet, iban, creditCard, usSsn, usItin, usPassport, usDriverLicense, usBankAccount,
  ukNhs, ukNino, esNif, itFiscalCode, inAadhaar, inPan, auTfn, auAbn, auMedicare, sgNric, dateOfBirth, phone, ipAddress,
  macAddress, streetAddress, person,
] as const;

export type EntityType = (typeof DEFS)[number]['type'];
export const ENTITY_DEFS: readonly EntityDef<EntityType>[] = [...DEFS].sort((a, b) => a.rank - b.rank);
export const ENTITY_TYPES: readonly EntityType[] = ENTITY_DEFS.map((d) => d.type);
const BY_TYPE = new Map<string, EntityDef<EntityType>>(ENTITY_DEFS.map((d) => [d.type, d]));
export const entityDef = (type: string): EntityDef<EntityType> | undefined => BY_TYPE.get(type);
