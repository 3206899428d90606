import type { App } from 'bknd';
import { bootcampApplicationSchema, isHoneypotFilled, storedAnswersOf } from '../../shared/bootcamp/application';
import type { CohortRefusal } from '../../shared/bootcamp/applicationWire';
import { MAX_PUBLIC_COHORTS, type PublicCohort } from '../../shared/bootcamp/publicCohort';
import { cohortAvailability, seatsLeft } from '../../shared/bootcamp/seats';
import { isCohortStatus, SEAT_HOLDING_STATUSES } from '../../shared/bootcamp/statuses';
import { CLIENT_IP_HEADER, PUBLIC_APPLICATIONS_ROUTE, PUBLIC_COHORTS_ROUTE } from '../../shared/publicApi';
import { readCappedJson } from '../../shared/cappedBody';
import type { BkndContext, BkndServer } from '../serverTypes';
import { isServiceCall } from './serviceAuth';
import { clientKeyOf, takeSubmission } from './submissionLimit';

// The public side of the Figma bootcamp, for the web app's server only (it holds BKND_SERVICE_SECRET):
//
// - `GET  /api/fataplus/public/bootcamp/cohorts`: the cohorts a visitor may see (not `finished`), with public
//   fields and the seats left, never an application;
// - `POST /api/fataplus/public/bootcamp/applications`: one application (shared/bootcamp/application.ts), stored
//   with status `received`, when its cohort is `open` with a seat left; at most 5 per visitor address per
//   10 minutes (submissionLimit.ts), the address coming in CLIENT_IP_HEADER.
//
// Anonymous visitors have no bknd token and bknd's data API stays closed to them: these routes read and write
// through `app.em` (no guard) and so check their caller themselves. Staff read and change cohorts and
// applications through bknd's REST API with their own token (CRM_ENTITIES). Registered before hardening.ts
// (config.ts), whose non-staff allowlist would refuse them.

/** The web app reads at most 64 KiB of a public form; bknd takes no more from it. */
export const APPLICATION_BODY_LIMIT = 64 * 1024;
/** An address is at most an IPv6 text with a zone; anything longer is not one. */
const CLIENT_IP_MAX = 100;

const COHORTS_TABLE = 'bootcamp_cohorts';
const APPLICATIONS_TABLE = 'bootcamp_applications';
const NO_STORE = { 'cache-control': 'no-store' };

/** Registers the bootcamp routes (call from `options.manager.onServerInit`, before hardening). */
export function installBootcampRoutes(server: BkndServer, options: { serviceSecret?: string }): void {
	server.get(PUBLIC_COHORTS_ROUTE, async (c) => {
		const refused = refuseUnlessService(c, options.serviceSecret);
		if (refused) return refused;
		return c.json({ cohorts: await readPublicCohorts(c.get('app') as App) }, 200, NO_STORE);
	});

	server.post(PUBLIC_APPLICATIONS_ROUTE, async (c) => {
		const refused = refuseUnlessService(c, options.serviceSecret);
		if (refused) return refused;
		return applicationAnswer(c, options.serviceSecret!);
	});
}

/** 503 when bknd has no service secret (the routes are off), 401 for any caller without the right one. */
function refuseUnlessService(c: BkndContext, secret: string | undefined): Response | undefined {
	if (!secret) return c.json({ ok: false, error: 'service_disabled' }, 503, NO_STORE);
	if (!isServiceCall(c, secret)) return c.json({ ok: false, error: 'service_only' }, 401, NO_STORE);
	return undefined;
}

async function applicationAnswer(c: BkndContext, secret: string): Promise<Response> {
	const address = c.req.header(CLIENT_IP_HEADER)?.trim();
	if (!address || address.length > CLIENT_IP_MAX) return c.json({ ok: false, error: 'client_ip_required' }, 400, NO_STORE);

	const body = await readCappedJson(c.req.raw, APPLICATION_BODY_LIMIT);
	if (!body.ok) return c.json({ ok: false, error: body.status === 413 ? 'too_large' : 'not_json' }, body.status, NO_STORE);
	const parsed = bootcampApplicationSchema.safeParse(body.value);
	if (!parsed.success) {
		// Field names only: the web server has already shown the visitor its messages; this is a second check.
		const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))];
		return c.json({ ok: false, error: 'invalid', fields }, 400, NO_STORE);
	}
	// A bot filled the hidden field: answered like a success, nothing stored, nothing counted.
	if (isHoneypotFilled(parsed.data)) return c.json({ ok: true }, 201, NO_STORE);

	const app = c.get('app') as App;
	const verdict = await takeSubmission(app, 'bootcamp', clientKeyOf(address, secret));
	if (!verdict.ok) {
		return c.json({ ok: false, error: 'too_many_submissions', retryAfterSeconds: verdict.retryAfterSeconds }, 429, {
			...NO_STORE,
			'retry-after': String(verdict.retryAfterSeconds)
		});
	}

	const refusal = await cohortRefusal(app, parsed.data.cohortId);
	if (refusal) return c.json({ ok: false, error: refusal }, 409, NO_STORE);

	const now = new Date().toISOString();
	const application = parsed.data;
	const { data } = await app.em.mutator(APPLICATIONS_TABLE as never).insertOne({
		full_name: application.fullName,
		email: application.email,
		phone: application.phone ?? null,
		answers: storedAnswersOf(application),
		status: 'received',
		bootcamp_cohorts_id: application.cohortId,
		created_at: now,
		updated_at: now
	} as never);
	return c.json({ ok: true, id: Number((data as { id: number }).id) }, 201, NO_STORE);
}

/** Why `cohortId` takes no application now, or undefined when it does (read at this moment, not cached). */
async function cohortRefusal(app: App, cohortId: number): Promise<CohortRefusal | undefined> {
	const cohort = await readPublicCohort(app, cohortId);
	if (!cohort) return 'unknown_cohort';
	const availability = cohortAvailability(cohort);
	if (availability === 'open') return undefined;
	return availability === 'full' ? 'cohort_full' : 'cohort_closed';
}

interface CohortRow {
	id: number;
	title: string | null;
	start_date: unknown;
	weeks: number | null;
	seats: number | null;
	price_mga: number | null;
	status: string | null;
}

const COHORT_COLUMNS = ['id', 'title', 'start_date', 'weeks', 'seats', 'price_mga', 'status'] as const;

/** Every cohort a visitor may see: not finished, soonest first (undated last). */
export async function readPublicCohorts(app: App): Promise<PublicCohort[]> {
	const rows = (await app.em.connection.kysely
		.selectFrom(COHORTS_TABLE)
		.select([...COHORT_COLUMNS])
		.where((eb) => eb.or([eb('status', 'is', null), eb('status', '!=', 'finished')]))
		.orderBy('start_date')
		.orderBy('id')
		.limit(MAX_PUBLIC_COHORTS)
		.execute()) as CohortRow[];
	const held = await seatHolders(app, rows.map((r) => r.id));
	const cohorts = rows.map((row) => toPublic(row, held.get(row.id) ?? 0));
	// SQLite sorts NULL first; a cohort without a date yet goes after the dated ones.
	return [...cohorts.filter((c) => c.startDate !== null), ...cohorts.filter((c) => c.startDate === null)];
}

async function readPublicCohort(app: App, id: number): Promise<PublicCohort | undefined> {
	const row = (await app.em.connection.kysely.selectFrom(COHORTS_TABLE).select([...COHORT_COLUMNS]).where('id', '=', id).executeTakeFirst()) as CohortRow | undefined;
	if (!row) return undefined;
	return toPublic(row, (await seatHolders(app, [id])).get(id) ?? 0);
}

/** Accepted and enrolled applications per cohort. */
async function seatHolders(app: App, cohortIds: number[]): Promise<Map<number, number>> {
	if (cohortIds.length === 0) return new Map();
	const rows = (await app.em.connection.kysely
		.selectFrom(APPLICATIONS_TABLE)
		.select((eb) => ['bootcamp_cohorts_id', eb.fn.countAll<number>().as('held')])
		.where('bootcamp_cohorts_id', 'in', cohortIds)
		.where('status', 'in', [...SEAT_HOLDING_STATUSES])
		.groupBy('bootcamp_cohorts_id')
		.execute()) as { bootcamp_cohorts_id: number; held: number }[];
	return new Map(rows.map((r) => [Number(r.bootcamp_cohorts_id), Number(r.held)]));
}

function toPublic(row: CohortRow, held: number): PublicCohort {
	const seats = Math.max(0, Math.floor(Number(row.seats) || 0));
	return {
		id: Number(row.id),
		title: (row.title ?? '').slice(0, 200) || `#${row.id}`,
		startDate: calendarDay(row.start_date),
		weeks: typeof row.weeks === 'number' && row.weeks >= 1 ? Math.floor(row.weeks) : null,
		seats,
		priceMga: typeof row.price_mga === 'number' && row.price_mga >= 0 ? row.price_mga : null,
		// A status staff left empty or mistyped takes no application: shown as closed.
		status: isCohortStatus(row.status) ? row.status : 'closed',
		seatsLeft: seatsLeft(seats, held)
	};
}

/** `YYYY-MM-DD` of a stored date (bknd keeps `date()` as text, sometimes a full ISO datetime); null otherwise. */
function calendarDay(value: unknown): string | null {
	const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : '';
	const day = /^(\d{4}-\d{2}-\d{2})/.exec(text)?.[1];
	return day ?? null;
}
