import type * as Party from 'partykit/server';

/**
 * PartyKit requires a `main` party. Ours serves nothing: every real room lives under
 * `/parties/project/…` or `/parties/live/…`, so requests and connections here are refused.
 */
export default class MainParty {
	constructor(readonly room: Party.Room) {}

	static onBeforeConnect() {
		return Response.json({ error: 'unknown party' }, { status: 404 });
	}

	static onBeforeRequest() {
		return Response.json({ error: 'unknown party' }, { status: 404 });
	}
}
