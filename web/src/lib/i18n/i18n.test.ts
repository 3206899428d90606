import { describe, expect, it } from 'vitest';
import { en } from './en';
import { fr } from './fr';
import { parseLang, requestLang, translate } from './index';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
	it('I18N-1: fr and en have exactly the same keys', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
	});

	it('I18N-2: every message uses the same placeholders in both languages', () => {
		for (const key of Object.keys(fr) as (keyof typeof fr)[]) {
			expect(placeholders(en[key]), key).toEqual(placeholders(fr[key]));
		}
	});

	it('I18N-3: no message is empty', () => {
		for (const [key, value] of [...Object.entries(fr), ...Object.entries(en)]) {
			expect(value.trim(), key).not.toBe('');
		}
	});
});

describe('translate', () => {
	it('fills placeholders and leaves unknown ones visible', () => {
		expect(translate('fr', 'home.welcome', { name: 'Hery' })).toBe('Bonjour Hery !');
		expect(translate('en', 'home.welcome', { name: 'Hery' })).toBe('Hello Hery!');
		expect(translate('en', 'home.welcome')).toBe('Hello {name}!');
	});

	it('keeps the required French wording of a failed sign-in', () => {
		expect(translate('fr', 'login.invalidCredentials')).toBe('Adresse e-mail ou mot de passe incorrect.');
	});
});

describe('parseLang', () => {
	it('defaults to French for anything but en/fr', () => {
		expect(parseLang(undefined)).toBe('fr');
		expect(parseLang('')).toBe('fr');
		expect(parseLang('de')).toBe('fr');
		expect(parseLang('EN')).toBe('fr');
		expect(parseLang('en')).toBe('en');
	});
});

describe('requestLang', () => {
	it('LANG-QUERY-1: a valid ?lang= wins over the cookie for one request; anything else falls back to the cookie', () => {
		expect(requestLang('en', undefined)).toBe('en');
		expect(requestLang('fr', 'en')).toBe('fr');
		expect(requestLang('de', 'en')).toBe('en');
		expect(requestLang(null, 'en')).toBe('en');
		expect(requestLang('', undefined)).toBe('fr');
	});
});
