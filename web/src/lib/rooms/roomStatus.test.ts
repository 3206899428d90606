import { describe, expect, it } from 'vitest';
import { CLOSE, CLOSE_REASON } from '../../../../shared/closeCodes';
import { deniedReason } from './roomStatus';

describe('deniedReason', () => {
	const closed = (code: number, reason = '') => ({ code, reason });

	it('ROOM-1: a 401 from the token endpoint means signed out', () => {
		expect(deniedReason(closed(CLOSE.unauthorized), 401, true)).toBe('signedOut');
	});

	it('ROOM-2: the room refusing the token itself is an expired or invalid token', () => {
		expect(deniedReason(closed(CLOSE.unauthorized, CLOSE_REASON.tokenExpired), null, true)).toBe('unauthorized');
	});

	it('ROOM-3: "revoked" comes from the room’s close reason, or from the token endpoint refusing a page that was in; other refusals are "forbidden"', () => {
		expect(deniedReason(closed(CLOSE.forbidden, CLOSE_REASON.accessRevoked), null, true)).toBe('revoked');
		expect(deniedReason(closed(CLOSE.forbidden, CLOSE_REASON.accessRevoked), null, false)).toBe('revoked');
		// A page that was live and is then refused for another reason is not told its access was revoked.
		expect(deniedReason(closed(CLOSE.forbidden, 'project not granted'), null, true)).toBe('forbidden');
		expect(deniedReason(closed(CLOSE.forbidden), 403, false)).toBe('forbidden');
		expect(deniedReason(closed(CLOSE.forbidden), 403, true)).toBe('revoked');
		expect(deniedReason(closed(CLOSE.unauthorized), 403, true)).toBe('revoked');
	});

	it('ROOM-4: a broken message or an outdated page asks for a reload', () => {
		expect(deniedReason(closed(CLOSE.badMessage), null, true)).toBe('error');
		expect(deniedReason(closed(CLOSE.tooLarge), null, false)).toBe('error');
	});
});
