import { describe, expect, it } from 'vitest';
import { deniedReason } from './roomStatus';

describe('deniedReason', () => {
	it('ROOM-1: a 401 from the token endpoint means signed out', () => {
		expect(deniedReason(4401, 401, true)).toBe('signedOut');
	});

	it('ROOM-2: the room refusing the token itself is an expired or invalid token', () => {
		expect(deniedReason(4401, null, true)).toBe('unauthorized');
	});

	it('ROOM-3: a refusal is "forbidden" before getting in, "revoked" after having been in', () => {
		expect(deniedReason(4403, 403, false)).toBe('forbidden');
		expect(deniedReason(4403, null, false)).toBe('forbidden');
		expect(deniedReason(4403, 403, true)).toBe('revoked');
		expect(deniedReason(4401, 403, true)).toBe('revoked');
	});

	it('ROOM-4: a broken message or an outdated page asks for a reload', () => {
		expect(deniedReason(4400, null, true)).toBe('error');
		expect(deniedReason(4413, null, false)).toBe('error');
	});
});
