import { describe, expect, it } from 'vitest';
import { bootcampApplicationSchema } from '../../../../shared/bootcamp/application';
import { fieldErrors } from '../../lib/forms/fieldErrors';
import { translator } from '../../lib/i18n';
import { fieldMessages } from './fieldMessages';

// The words a visitor reads next to each field: the shared schema's issues through the app's one mapping, in
// French by default and in English on request.

const messagesFor = (input: unknown, lang: 'fr' | 'en' = 'fr') => {
	const parsed = bootcampApplicationSchema.safeParse(input);
	expect(parsed.success).toBe(false);
	return fieldMessages(fieldErrors(parsed.error!), translator(lang));
};

describe('bootcamp form messages', () => {
	it('BOOT-MSG-1 an empty form reads in French, one message per required field', () => {
		expect(messagesFor({ cohortId: '', fullName: '', email: '', level: '', occupation: '', motivation: '', heardFrom: '', consent: false })).toEqual({
			cohortId: 'Choisissez une session.',
			fullName: 'Ce champ est obligatoire.',
			email: 'Ce champ est obligatoire.',
			level: 'Choisissez une des options proposées.',
			occupation: 'Ce champ est obligatoire.',
			motivation: 'Ce champ est obligatoire.',
			heardFrom: 'Choisissez une des options proposées.',
			consent: 'Votre accord est nécessaire pour envoyer ce formulaire.'
		});
	});

	it('BOOT-MSG-2 wrong values get a message that says what to type, in either language', () => {
		const input = { cohortId: '3', fullName: 'Fara', email: 'fara@', phone: 'demain', level: 'beginner', occupation: 'Étudiante', motivation: 'Court.', heardFrom: 'event', consent: true, portfolioUrl: 'ftp://x' };
		expect(messagesFor(input)).toEqual({
			email: 'Saisissez une adresse e-mail valide (ex. nom@domaine.mg).',
			phone: 'Saisissez un numéro de téléphone valide (ex. +261 34 12 345 67).',
			motivation: 'Au moins 30 caractères.',
			portfolioUrl: 'Saisissez une adresse web valide (https://…).'
		});
		expect(messagesFor(input, 'en').motivation).toBe('At least 30 characters.');
	});
});
