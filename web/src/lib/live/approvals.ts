import type { Lane } from '../../../../shared/review/lanes';

// Review rounds as dashboards need them, read from a project room's review API (`GET …/rounds`, see
// party/room/reviewApi.ts): which rounds wait for the viewer's decision, and how many are still open.
// Pure; the server reads the rooms (reviewRounds.server.ts) and the page shows the result.

/** A round of one project, as the dashboards read it. */
export interface RoundSummary {
	id: string;
	projectId: number;
	lane: Lane;
	status: 'in_review' | 'approved' | 'changes_requested';
	dueDate: string | null;
	openedAt: string | null;
	openedBy: string | null;
	reviewers: Array<{ reviewerId: string; decided: boolean; stale: boolean }>;
}

/** A round waiting for the viewer's decision. */
export interface Approval {
	roundId: string;
	projectId: number;
	projectTitle: string;
	lane: Lane;
	dueDate: string | null;
	openedAt: string | null;
	openedBy: string | null;
	/** The viewer decided on an older version: their decision is shown but no longer counted. */
	again: boolean;
}

const STATUSES = new Set(['in_review', 'approved', 'changes_requested']);
const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

/** The rounds of `{ rounds: RoundView[] }` (the review API's answer); malformed entries are skipped. */
export function parseRounds(body: unknown, projectId: number): RoundSummary[] {
	const list = (body as { rounds?: unknown } | null)?.rounds;
	if (!Array.isArray(list)) return [];
	const rounds: RoundSummary[] = [];
	for (const raw of list as Array<Record<string, unknown>>) {
		if (typeof raw !== 'object' || raw === null || typeof raw.id !== 'string' || !STATUSES.has(raw.status as string)) continue;
		if (raw.lane !== 'client' && raw.lane !== 'internal') continue;
		const states = Array.isArray(raw.reviewerStates) ? (raw.reviewerStates as Array<Record<string, unknown>>) : [];
		rounds.push({
			id: raw.id,
			projectId,
			lane: raw.lane,
			status: raw.status as RoundSummary['status'],
			dueDate: text(raw.dueDate),
			openedAt: text(raw.openedAt),
			openedBy: text((raw.openedBy as { name?: unknown } | null)?.name),
			reviewers: states
				.filter((s) => typeof s?.reviewerId === 'string')
				.map((s) => ({ reviewerId: s.reviewerId as string, decided: s.decision === 'approved' || s.decision === 'changes_requested', stale: s.stale === true }))
		});
	}
	return rounds;
}

/**
 * The rounds in review where `userId` is a required reviewer and has not decided on the current version,
 * soonest due first. A round where someone asked for changes waits for the agency, not for the viewer.
 */
export function approvalsFor(rounds: readonly RoundSummary[], userId: string, titles: ReadonlyMap<number, string>): Approval[] {
	const waiting: Approval[] = [];
	for (const round of rounds) {
		if (round.status !== 'in_review') continue;
		const me = round.reviewers.find((r) => r.reviewerId === userId);
		if (!me || (me.decided && !me.stale)) continue;
		waiting.push({
			roundId: round.id,
			projectId: round.projectId,
			projectTitle: titles.get(round.projectId) ?? '',
			lane: round.lane,
			dueDate: round.dueDate,
			openedAt: round.openedAt,
			openedBy: round.openedBy,
			again: me.decided && me.stale
		});
	}
	return waiting.sort((a, b) => (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') || a.roundId.localeCompare(b.roundId));
}

/** Rounds not approved yet (in review, or changes requested and waiting for a new version). */
export function openRoundCount(rounds: readonly RoundSummary[]): number {
	return rounds.filter((r) => r.status !== 'approved').length;
}

/** Activity kinds after which the rounds a dashboard shows may have changed. */
export const ROUND_ACTIVITY = new Set(['round.opened', 'round.decided', 'version.added']);
