import type { WelcomeMessage } from '../../../../shared/protocol';
import type { Actor } from '../../../../shared/review';

/**
 * The viewer as the review permissions see them, from the room's welcome (the room's word, from the
 * verified token). The welcome carries no share level, but it says what the socket may write: a partner
 * whose share is `editor` may write the shared notes, a `viewer` may not (party/room/channelAccess.ts).
 */
export function actorFromWelcome(welcome: Pick<WelcomeMessage, 'user' | 'writable'>): Actor {
	const { userId, name, role } = welcome.user;
	return { userId, name, role, partnerAccess: role === 'partner' ? (welcome.writable.includes('notes') ? 'editor' : 'viewer') : null };
}

/** A fresh command id: 32 hex digits, inside the ids' alphabet and length. */
export function newCommandId(): string {
	// randomUUID exists only in secure contexts (https, localhost); a page served over plain http elsewhere still works.
	if (typeof crypto.randomUUID === 'function') return crypto.randomUUID().replaceAll('-', '');
	return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
