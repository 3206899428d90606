import { bootcampAnalytics, type CohortAnalytics } from '$shared/bootcamp/analytics';
import { isCohortStatus } from '$shared/bootcamp/statuses';
import { BkndUnavailableError, proxyDataGet } from '$lib/server/bknd';
import type { ServerEnv } from '$lib/server/env';

// The staff dashboard's bootcamp figures: cohorts and applications read from bknd's REST API with the staff
// member's own token (bknd's guard lets only staff read them), then computed by shared/bootcamp/analytics.ts.
// Only the columns the figures need are asked for: no applicant's name or email reaches the page.

type Row = Record<string, unknown>;

async function readAll(env: ServerEnv, token: string, entity: string, select: string): Promise<Row[] | null> {
	const { status, body } = await proxyDataGet(env, token, `entity/${entity}`, new URLSearchParams({ limit: '10000', select }));
	const data = (body as { data?: unknown } | null)?.data;
	if (status !== 200 || !Array.isArray(data)) {
		console.warn(`[dashboard] bknd ${entity}: ${status}`);
		return null;
	}
	return data.filter((row): row is Row => typeof row === 'object' && row !== null);
}

const numberOrNull = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const day = (value: unknown) => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null);

/** Every cohort's figures, newest first; `null` when bknd did not answer (the section says so, the rest of the page stays). */
export async function loadBootcampAnalytics(env: ServerEnv, token: string): Promise<CohortAnalytics[] | null> {
	try {
		const [cohorts, applications] = await Promise.all([
			readAll(env, token, 'bootcamp_cohorts', 'id,title,status,start_date,seats'),
			readAll(env, token, 'bootcamp_applications', 'id,status,bootcamp_cohorts_id')
		]);
		if (!cohorts || !applications) return null;
		return bootcampAnalytics(
			cohorts
				.filter((c) => typeof c.id === 'number')
				.map((c) => ({
					id: c.id as number,
					title: typeof c.title === 'string' && c.title ? c.title : `#${c.id}`,
					status: isCohortStatus(c.status) ? c.status : null,
					startDate: day(c.start_date),
					seats: numberOrNull(c.seats)
				})),
			applications.map((a) => ({ cohortId: numberOrNull(a.bootcamp_cohorts_id), status: typeof a.status === 'string' ? a.status : null }))
		);
	} catch (caught) {
		if (caught instanceof BkndUnavailableError) return null;
		throw caught;
	}
}
