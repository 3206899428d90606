import { error } from '@sveltejs/kit';
import { STAFF_LIVE_ROOM } from '$shared/tenants';
import { translate } from '$lib/i18n';
import { SNAPSHOT_DEPENDENCY } from '$lib/live/liveJoin';
import { joinLiveRoom, liveSubject } from '$lib/live/liveJoin.server';
import { listLeadCards } from '$lib/server/crm/leads';
import { moveLeadAction } from '$lib/server/crm/leadsActions';
import { requireStaff } from '$lib/server/crm/staffForms';
import { withBknd } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

/**
 * The leads pipeline (staff only): the staff live room's number FIRST, then every lead as a card, so the board
 * joins the feed where its snapshot was taken (lib/live/liveJoin.ts) and neither misses nor repeats a change.
 */
export const load: PageServerLoad = async (event) => {
	event.depends(SNAPSHOT_DEPENDENCY);
	const { user, token, env } = requireStaff(event);
	const lang = event.locals.lang;
	const subject = await liveSubject(env, token, user, STAFF_LIVE_ROOM);
	if (!subject) error(403, translate(lang, 'error.body403'));
	const live = await joinLiveRoom(env, subject, STAFF_LIVE_ROOM);
	const cards = await withBknd(lang, () => listLeadCards(env, token));
	return { live, snapshot: { rows: { leads: cards } } };
};

export const actions: Actions = {
	/** A card moved to another column (drag and drop, the card's select, or the form without JavaScript). */
	move: (event) => moveLeadAction(event)
};
