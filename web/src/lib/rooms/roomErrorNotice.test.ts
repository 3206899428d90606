import { describe, expect, it } from 'vitest';
import type { ErrorMessage } from '../../../../shared/protocol';
import { RoomErrorNotice } from './roomErrorNotice';

const full: ErrorMessage = { type: 'error', code: 4413, message: 'the shared notes are full (at most 524288 bytes): …' };

describe('RoomErrorNotice', () => {
	it('HARDEN-NOTES-CLIENT-1: a full document is told in the page language, once, not on every re-sent edit', () => {
		const notice = new RoomErrorNotice((key) => `«${key}»`);
		expect(notice.text(full, 0)).toBe('«rooms.documentFull»');
		// the same refusal again (reconnect, next keystroke): not shown again for a while
		expect(notice.text(full, 2_000)).toBeNull();
		expect(notice.text({ ...full, code: 4429 }, 2_000)).toBe('«rooms.tooFast»');
		expect(notice.text(full, 12_000)).toBe('«rooms.documentFull»');
		// other refusals keep the room's own text
		expect(notice.text({ type: 'error', code: 4403, message: 'notes is read-only for you' }, 0)).toBe('notes is read-only for you');
	});
});
