import { error } from '@sveltejs/kit';
import { STAFF_LIVE_ROOM } from '$shared/tenants';
import { translate } from '$lib/i18n';
import { SNAPSHOT_DEPENDENCY, type LiveJoin } from '$lib/live/liveJoin';
import { joinLiveRoom, liveSubject } from '$lib/live/liveJoin.server';
import { readLeadPage, type LeadPage } from '$lib/server/crm/leads';
import { convertAction, moveLeadAction, saveDraftAction } from '$lib/server/crm/leadsActions';
import { staffFormLoad } from '$lib/server/crm/staffForms';
import type { Actions, PageServerLoad } from './$types';

/**
 * One lead (staff only): contact, brief, analysis, proposal draft, and the conversion into a client once won.
 * The staff room's number is read first so the page follows the lead live (its analysis arriving, a colleague's
 * move or edit). After a form that bknd could not save, the page still renders (degraded) with what was typed.
 */
export const load: PageServerLoad = (event) =>
	staffFormLoad(event, { live: null as LiveJoin | null, page: null as LeadPage | null }, async ({ user, token, env }) => {
		event.depends(SNAPSHOT_DEPENDENCY);
		const lang = event.locals.lang;
		const subject = await liveSubject(env, token, user, STAFF_LIVE_ROOM);
		if (!subject) error(403, translate(lang, 'error.body403'));
		const live = await joinLiveRoom(env, subject, STAFF_LIVE_ROOM);
		const page = await readLeadPage(env, token, Number(event.params.id));
		if (!page) error(404, translate(lang, 'leads.convert.not_found'));
		return { live, page };
	});

export const actions: Actions = {
	move: (event) => moveLeadAction(event),
	draft: (event) => saveDraftAction(event, Number(event.params.id)),
	convert: (event) => convertAction(event, Number(event.params.id))
};
