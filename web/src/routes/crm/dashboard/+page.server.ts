import { isStaff } from '$shared/roles';
import { loadStaffDashboard } from '$lib/live/dashboardLoad.server';
import { getEnv } from '$lib/server/env';
import { requireUser } from '$lib/server/guards';
import { loadBootcampAnalytics } from './bootcampAnalytics.server';
import type { PageServerLoad } from './$types';

/** The agency's live dashboard across tenants (staff only: 403 otherwise), with the bootcamp's figures. */
export const load: PageServerLoad = async (event) => {
	const { user, token } = requireUser(event);
	// Read alongside the live snapshot; never for a non-staff visitor, whom loadStaffDashboard refuses anyway.
	const bootcamp = isStaff(user.role) ? loadBootcampAnalytics(getEnv(event.platform), token) : Promise.resolve(null);
	const dashboard = await loadStaffDashboard(event);
	return { ...dashboard, bootcamp: await bootcamp };
};
