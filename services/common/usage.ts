import { FramedDecoder, FramedEncoder, loadSchemaFile, type SchemaSource } from './avro.js';
import type { UsageEvent } from './types.js';

export const USAGE_SUBJECT = 'llm.usage.v1-value';
export const usageType = () => loadSchemaFile('usage-event.v1.avsc');
export const usageEncoder = (source: SchemaSource) => new FramedEncoder<UsageEvent>(source, USAGE_SUBJECT, usageType());
export const usageDecoder = (source: SchemaSource) => new FramedDecoder<UsageEvent>(source, usageType());
