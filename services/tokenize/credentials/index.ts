export { findSecrets, formats, isHighRisk, RULES, PARSED_FORMATS, type FormatInfo, type SecretSpan } from './scan.js';
export { HIGH_FAMILIES, type Family } from './rule.js';
