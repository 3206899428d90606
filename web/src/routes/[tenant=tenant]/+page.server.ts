import { loadTenantDashboard } from '$lib/live/dashboardLoad.server';
import type { PageServerLoad } from './$types';

/** The client portal: the tenant's projects, then live (the layout already decided who may see the tenant). */
export const load: PageServerLoad = async (event) => loadTenantDashboard(event, await event.parent(), { metrics: false });
