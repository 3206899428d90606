import { z } from 'zod';

/** Ids in commands and documents: short, URL-safe and usable as map keys. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

// `__proto__` fits the pattern but `obj[key] = …` (as in Y.Map#toJSON) would set a prototype instead of a property.
const FORBIDDEN_IDS: ReadonlySet<string> = new Set(['__proto__']);

/** Whether `value` is a well-formed id. */
export function isId(value: unknown): value is string {
	return typeof value === 'string' && ID_PATTERN.test(value) && !FORBIDDEN_IDS.has(value);
}

export const idSchema = z.string().max(64).refine(isId, 'expected an id: 1 to 64 letters, digits, "_" or "-"');
