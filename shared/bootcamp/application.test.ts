import { describe, expect, it } from 'vitest';
import { APPLICATION_LIMITS, bootcampApplicationSchema, isHoneypotFilled, storedAnswersOf } from './application';

const valid = {
	cohortId: '3',
	fullName: '  Fara Rasoa ',
	email: ' fara@example.mg ',
	phone: '+261 34 12 345 67',
	level: 'beginner',
	occupation: 'Étudiante en informatique',
	motivation: 'Je veux apprendre Figma pour concevoir des applications utiles aux coopératives.',
	portfolioUrl: '',
	heardFrom: 'event',
	consent: 'on',
	website: ''
};

const issuesOf = (input: unknown) => {
	const result = bootcampApplicationSchema.safeParse(input);
	expect(result.success).toBe(false);
	const first = new Map<string, string>();
	for (const issue of result.error!.issues) {
		const path = issue.path.join('.');
		if (!first.has(path)) first.set(path, issue.code === 'too_small' ? `too_small:${(issue as { minimum: number }).minimum}` : issue.message.startsWith('bootcamp.') || issue.message.startsWith('form.') ? issue.message : issue.code);
	}
	return Object.fromEntries(first);
};

describe('bootcamp application schema', () => {
	it('BOOT-SCHEMA-1 accepts a form post as typed (strings, a checked box) and trims it', () => {
		const parsed = bootcampApplicationSchema.parse(valid);
		expect(parsed).toMatchObject({ cohortId: 3, fullName: 'Fara Rasoa', email: 'fara@example.mg', consent: true, portfolioUrl: undefined });
		// The same from JSON (numbers, booleans).
		expect(bootcampApplicationSchema.parse({ ...valid, cohortId: 3, consent: true }).cohortId).toBe(3);
	});

	it('BOOT-SCHEMA-2 an empty form names every required field, blank fields as required', () => {
		expect(issuesOf({ cohortId: '', fullName: ' ', email: '', level: '', occupation: '', motivation: '', heardFrom: '', consent: '' })).toEqual({
			cohortId: 'bootcamp.cohortRequired',
			fullName: 'too_small:1',
			email: 'too_small:1',
			level: 'invalid_value',
			occupation: 'too_small:1',
			motivation: 'too_small:1',
			heardFrom: 'invalid_value',
			consent: 'form.consent'
		});
	});

	it('BOOT-SCHEMA-3 refuses a bad email, phone, short motivation, unknown level and a non-web portfolio link', () => {
		expect(issuesOf({ ...valid, email: 'fara@', phone: 'appelez-moi', motivation: 'Trop court.', level: 'expert', portfolioUrl: 'javascript:alert(1)' })).toEqual({
			email: 'invalid_format',
			phone: 'bootcamp.phoneFormat',
			motivation: `too_small:${APPLICATION_LIMITS.motivation.min}`,
			level: 'invalid_value',
			portfolioUrl: 'invalid_format'
		});
		expect(bootcampApplicationSchema.safeParse({ ...valid, portfolioUrl: 'https://www.behance.net/fara' }).success).toBe(true);
	});

	it('BOOT-SCHEMA-4 every text field has a length limit', () => {
		const long = (n: number) => 'a'.repeat(n + 1);
		const tooLong = {
			...valid,
			fullName: long(APPLICATION_LIMITS.fullName.max),
			occupation: long(APPLICATION_LIMITS.occupation.max),
			motivation: long(APPLICATION_LIMITS.motivation.max),
			email: `${long(APPLICATION_LIMITS.email.max)}@example.mg`,
			phone: `+261${'1'.repeat(APPLICATION_LIMITS.phone.max)}`,
			portfolioUrl: `https://example.mg/${long(APPLICATION_LIMITS.portfolioUrl.max)}`,
			website: long(APPLICATION_LIMITS.website.max)
		};
		const issues = bootcampApplicationSchema.safeParse(tooLong).error!.issues;
		expect(new Set(issues.map((i) => i.path.join('.')))).toEqual(new Set(['fullName', 'occupation', 'motivation', 'email', 'phone', 'portfolioUrl', 'website']));
		// The first issue of each field (the one shown) is its length.
		const first = new Map<string, string>();
		for (const issue of issues) if (!first.has(issue.path.join('.'))) first.set(issue.path.join('.'), issue.code);
		expect([...first.values()].every((code) => code === 'too_big')).toBe(true);
	});

	it('BOOT-SCHEMA-5 the consent box must be ticked', () => {
		for (const consent of [false, 'off', undefined, 'yes']) expect(issuesOf({ ...valid, consent }).consent).toBe('form.consent');
	});

	it('BOOT-SCHEMA-6 the honeypot is told apart; stored answers hold neither it nor the columns', () => {
		expect(isHoneypotFilled({ website: 'http://spam.example' })).toBe(true);
		expect(isHoneypotFilled({ website: '  ' })).toBe(false);
		expect(isHoneypotFilled({})).toBe(false);
		const answers = storedAnswersOf(bootcampApplicationSchema.parse({ ...valid, website: 'x' }));
		expect(answers).toEqual({
			motivation: valid.motivation,
			level: 'beginner',
			occupation: 'Étudiante en informatique',
			portfolioUrl: null,
			heardFrom: 'event',
			consent: true
		});
	});
});
