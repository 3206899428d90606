import { describe, expect, it } from 'vitest';
import { mentionsSecretField } from './secretFields';

describe('mentionsSecretField', () => {
	it('sees strategy_value in a where, a sort, a select, a body, even JSON-escaped', () => {
		expect(mentionsSecretField(new URLSearchParams({ where: '{"strategy_value":{"$like":"$2*"}}' }), undefined)).toBe(true);
		expect(mentionsSecretField(new URLSearchParams({ where: '{"strategy\\u005fvalue":{"$like":"$2*"}}' }), undefined)).toBe(true);
		expect(mentionsSecretField(new URLSearchParams({ sort: '-strategy_value' }), undefined)).toBe(true);
		expect(mentionsSecretField(new URLSearchParams(), { where: { strategy_value: { $like: 'x' } } })).toBe(true);
	});

	it('lets ordinary queries through', () => {
		expect(mentionsSecretField(new URLSearchParams({ where: '{"email":"a@b.c"}', select: 'id,email' }), { title: 'strategy' })).toBe(false);
	});
});
