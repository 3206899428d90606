import type { ErrorMessage } from '../../../../shared/protocol';
import type { MessageKey } from '$lib/i18n';

/** The same refusal is shown again only after this long: a refused edit comes back on every reconnect and keystroke. */
const REPEAT_MS = 10_000;

/**
 * What to tell the user about a room error that no command claimed (a refused Yjs write, a message over the
 * budget): the translated text for the refusals the room documents (4413 a full document, 4429 too many
 * messages), the room's own text otherwise, or `null` when the same refusal was just shown.
 */
export class RoomErrorNotice {
	private readonly lastShown = new Map<number, number>();

	constructor(private readonly translate: (key: MessageKey) => string) {}

	text(error: ErrorMessage, now: number): string | null {
		const last = this.lastShown.get(error.code);
		if (last !== undefined && now - last < REPEAT_MS) return null;
		this.lastShown.set(error.code, now);
		const key = KEYS[error.code];
		return key ? this.translate(key) : error.message;
	}
}

const KEYS: Partial<Record<number, MessageKey>> = {
	4413: 'rooms.documentFull',
	4429: 'rooms.tooFast'
};
