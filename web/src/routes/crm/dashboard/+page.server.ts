import { loadStaffDashboard } from '$lib/live/dashboardLoad.server';
import type { PageServerLoad } from './$types';

/** The agency's live dashboard across tenants (staff only: 403 otherwise). */
export const load: PageServerLoad = (event) => loadStaffDashboard(event);
