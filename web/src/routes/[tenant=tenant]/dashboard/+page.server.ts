import { loadTenantDashboard } from '$lib/live/dashboardLoad.server';
import type { PageServerLoad } from './$types';

/** The tenant's live dashboard: projects, approvals, activity, metrics over time and ROI. */
export const load: PageServerLoad = async (event) => loadTenantDashboard(event, await event.parent(), { metrics: true });
