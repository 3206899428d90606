import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { translate } from '../i18n';
import { fieldErrors } from './fieldErrors';

const schema = z.object({
	name: z.string().trim().min(1).max(10),
	email: z.email(),
	size: z.enum(['sme', 'large']),
	seats: z.number().int().min(1),
	slug: z.string().regex(/^[a-z]+$/, 'form.invalid'),
	contact: z.object({ phone: z.string().min(6) })
});

describe('fieldErrors', () => {
	it('FORM-1: gives one French message per field, by path, for the usual issues', () => {
		const parsed = schema.safeParse({ name: '  ', email: 'nope', size: 'huge', seats: 0, slug: 'A!', contact: { phone: '12' } });
		expect(parsed.success).toBe(false);
		const errors = fieldErrors(parsed.error!);
		const fr = (path: string) => translate('fr', errors[path]!.key, errors[path]!.params);
		expect(fr('name')).toBe('Ce champ est obligatoire.');
		expect(fr('email')).toContain('adresse e-mail valide');
		expect(fr('size')).toBe('Choisissez une des options proposées.');
		expect(fr('seats')).toBe('La valeur minimale est 1.');
		expect(fr('slug')).toBe('Valeur non valide.');
		expect(fr('contact.phone')).toBe('Au moins 6 caractères.');
	});

	it('FORM-2: a too-long text says the limit; a missing field is "required"', () => {
		const parsed = schema.pick({ name: true, email: true }).safeParse({ name: 'x'.repeat(11) });
		const errors = fieldErrors(parsed.error!);
		expect(translate('fr', errors.name!.key, errors.name!.params)).toBe('Au plus 10 caractères.');
		expect(errors.email!.key).toBe('form.required');
	});
});
