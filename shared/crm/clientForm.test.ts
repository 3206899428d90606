import { describe, expect, it } from 'vitest';
import { clientFormSchema } from './clientForm';
import { clientListQuerySchema } from './clientListQuery';
import { suggestClientSlug } from './clientSlug';
import { codesByField, issuesByField } from './testIssues';

const valid = {
	name: ' Coopérative Sava ',
	slug: 'Cooperative-Sava',
	industry: 'Vanille',
	country: '',
	contact_name: 'Tahina Randria',
	contact_email: 'tahina@sava.mg',
	contact_phone: '+261 34 12 345 67'
};

describe('clientFormSchema (create and edit a client)', () => {
	it('CRM-CLIENT-1 gives a bknd body: trimmed, slug lower-cased, empty fields null', () => {
		expect(clientFormSchema.parse(valid)).toEqual({
			name: 'Coopérative Sava',
			slug: 'cooperative-sava',
			industry: 'Vanille',
			country: null,
			contact_name: 'Tahina Randria',
			contact_email: 'tahina@sava.mg',
			contact_phone: '+261 34 12 345 67'
		});
		// A form that leaves the optional fields out entirely is the same as blank ones.
		expect(clientFormSchema.parse({ name: 'A', slug: 'a' })).toMatchObject({ industry: null, contact_email: null, contact_phone: null });
	});

	it('CRM-CLIENT-2 names and slugs are required; blanks count as missing', () => {
		expect(issuesByField(clientFormSchema.safeParse({ ...valid, name: '   ', slug: '' }))).toEqual({ name: 'form.required', slug: 'form.required' });
		expect(issuesByField(clientFormSchema.safeParse({}))).toEqual({ name: 'form.required', slug: 'form.required' });
	});

	it('CRM-CLIENT-3 the slug follows the tenant rule of bknd (DNS label, not reserved)', () => {
		for (const slug of ['ferme verte', 'ferme_verte', '-ferme', 'ferme-', 'éco', 'a'.repeat(41), 'ferme.verte']) {
			expect(issuesByField(clientFormSchema.safeParse({ ...valid, slug })), slug).toEqual({ slug: 'crm.slugFormat' });
		}
		for (const slug of ['crm', 'api', 'admin', 'fataplus', 'login', 'www']) {
			expect(issuesByField(clientFormSchema.safeParse({ ...valid, slug })), slug).toEqual({ slug: 'crm.slugReserved' });
		}
		for (const slug of ['a', 'ferme-verte', 'atelier-sud-2', 'a'.repeat(40)]) {
			expect(clientFormSchema.safeParse({ ...valid, slug }).success, slug).toBe(true);
		}
	});

	it('CRM-CLIENT-4 contact e-mail and phone are checked when given', () => {
		const result = clientFormSchema.safeParse({ ...valid, contact_email: 'pas-un-email', contact_phone: 'appelez-moi' });
		expect(codesByField(result)).toMatchObject({ contact_email: 'invalid_format' });
		expect(issuesByField(result)).toMatchObject({ contact_phone: 'crm.phoneFormat' });
	});

	it('CRM-CLIENT-5 long texts are refused, not cut', () => {
		expect(codesByField(clientFormSchema.safeParse({ ...valid, name: 'x'.repeat(121) }))).toEqual({ name: 'too_big' });
	});

	it('CRM-CLIENT-6 values that are not text are refused (a crafted body)', () => {
		expect(clientFormSchema.safeParse({ ...valid, name: ['a', 'b'] }).success).toBe(false);
		expect(clientFormSchema.safeParse({ ...valid, slug: 42 }).success).toBe(false);
	});
});

describe('suggestClientSlug', () => {
	it('turns a name into a valid slug', () => {
		expect(suggestClientSlug('Coopérative Sava & Fils')).toBe('cooperative-sava-fils');
		expect(suggestClientSlug('  Ferme   Verte  ')).toBe('ferme-verte');
		expect(suggestClientSlug('CRM')).toBe('crm-client');
		expect(suggestClientSlug('!!!')).toBe('');
		const long = suggestClientSlug('Une très longue raison sociale de coopérative agricole du Sud');
		expect(long.length).toBeLessThanOrEqual(40);
		expect(clientFormSchema.shape.slug.safeParse(long).success).toBe(true);
	});
});

describe('clientListQuerySchema (?q=&page=)', () => {
	it('never fails: bad values fall back to the defaults', () => {
		expect(clientListQuerySchema.parse({})).toEqual({ q: '', page: 1 });
		expect(clientListQuerySchema.parse({ q: '  verte ', page: '3' })).toEqual({ q: 'verte', page: 3 });
		expect(clientListQuerySchema.parse({ q: 'x'.repeat(200), page: '-2' })).toEqual({ q: 'x'.repeat(80), page: 1 });
		expect(clientListQuerySchema.parse({ page: 'abc' }).page).toBe(1);
		expect(clientListQuerySchema.parse({ page: '2.5' }).page).toBe(1);
	});
});
