import type { roomsFr } from './rooms.fr';

/** English messages about a project room's refusals: the same keys as rooms.fr.ts. */
export const roomsEn: { readonly [K in keyof typeof roomsFr]: string } = {
	'rooms.documentFull': 'the notes are full, your last change was not saved. Delete some text to make room.',
	'rooms.tooFast': 'too many messages at once. Wait a moment, then try again.'
};
