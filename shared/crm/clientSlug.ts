import { z } from 'zod';
import { RESERVED_SLUGS, TENANT_SLUG_PATTERN } from '../tenants';

// A client's slug is its subdomain (`<slug>.fata.plus`), its portal path (`/<slug>`) and its live room: the form
// checks the rule bknd enforces (bknd/dataRules.ts, from ../tenants.ts) so the browser shows it first.

/** The longest slug TENANT_SLUG_PATTERN admits. */
export const CLIENT_SLUG_MAX = 40;

/** A slug as typed: trimmed and lower-cased, then checked for the DNS-label shape and reserved names. */
export const clientSlugSchema = z.preprocess(
	(value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
	z
		.string({ error: 'form.required' })
		.min(1, 'form.required')
		.max(CLIENT_SLUG_MAX, 'crm.slugFormat')
		.regex(TENANT_SLUG_PATTERN, 'crm.slugFormat')
		.refine((slug) => !RESERVED_SLUGS.has(slug), 'crm.slugReserved')
);

/**
 * A slug proposed from a client's name, for the form to pre-fill while the slug is untouched: accents dropped,
 * anything else than letters and digits becomes one hyphen. `''` when nothing usable is left.
 * @example suggestClientSlug('Coopérative Sava & Fils') // "cooperative-sava-fils"
 */
export function suggestClientSlug(name: string): string {
	const ascii = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
	const slug = ascii
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, CLIENT_SLUG_MAX)
		.replace(/-+$/, '');
	return RESERVED_SLUGS.has(slug) ? `${slug}-client` : slug;
}
