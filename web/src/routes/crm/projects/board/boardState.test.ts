import { describe, expect, it } from 'vitest';
import type { LiveOp, LoggedEvent } from '../../../../../../shared/live/events';
import type { ProjectStatus } from '../../../../../../shared/entities';
import { applyEvent, fromSnapshot, type DashboardState, type Row } from '../../../../lib/live/dashboardState';
import { PROJECT_STATUS_ORDER } from '../../../../lib/live/dashboardViews';
import { boardColumns, isLatestMove, isOthersChange, revisionKey, withoutProject, withSaved, type BoardFilters, type PendingMove } from './boardState';

const T = (minute: number) => new Date(Date.UTC(2026, 10, 26, 8, minute)).toISOString();
const TODAY = '2026-11-26';
const ALL: BoardFilters = { tenant: null, category: null };
const FERME = 1;
const ATELIER = 2;

const project = (id: number, status: string, minute: number, extra: Row = {}): Row => ({ id, clients_id: FERME, title: `Projet ${id}`, category: 'agritech', status, progress: 40, due_date: '2026-12-15', updated_at: T(minute), ...extra });
const clients: Row[] = [
	{ id: FERME, name: 'Ferme Verte', slug: 'ferme-verte' },
	{ id: ATELIER, name: 'Atelier Sud', slug: 'atelier-sud' }
];
const snapshot = (projects: Row[]): DashboardState => fromSnapshot({ rows: { projects, clients } });

let seqs = 100;
/** The event bknd's bridge publishes to the staff room for a write of `row`. */
function event(row: Row, op: LiveOp = 'update', entity: 'projects' | 'clients' = 'projects', seq = ++seqs): LoggedEvent {
	const at = typeof row.updated_at === 'string' ? row.updated_at : T(59);
	return { seq, id: `${entity}:${String(row.id)}:${op}:${at}`, tenant: 'ferme-verte', entity, op, row, at };
}

/** The column card `id` is shown in (`null`: not on the board). */
function columnOf(state: DashboardState, id: number, moving: Record<number, PendingMove> = {}, filters = ALL): string | null {
	return boardColumns(state, { filters, moving, today: TODAY }).find((column) => column.cards.some((card) => card.id === id))?.status ?? null;
}

describe('projects board state', () => {
	it('BOARD-1 the snapshot: a column per status in workflow order, cards by due date (undated last), client names, filters', () => {
		const state = snapshot([
			project(1, 'planning', 0),
			project(2, 'planning', 0, { due_date: null }),
			project(3, 'planning', 0, { due_date: '2026-12-01' }),
			project(4, 'archived', 0),
			project(5, 'review', 0, { clients_id: ATELIER, category: 'design', due_date: '2026-11-01' })
		]);
		const columns = boardColumns(state, { filters: ALL, moving: {}, today: TODAY });
		expect(columns.map((c) => c.status)).toEqual([...PROJECT_STATUS_ORDER]);
		expect(columns.find((c) => c.status === 'planning')!.cards.map((c) => c.id)).toEqual([3, 1, 2]);
		// An unknown status is shown in the first column rather than lost from the board.
		expect(columns[0]!.cards.map((c) => c.id)).toEqual([4]);
		expect(columns.find((c) => c.status === 'review')!.cards).toEqual([
			{ id: 5, title: 'Projet 5', clientName: 'Atelier Sud', status: 'review', progress: 40, dueDate: '2026-11-01', late: true, pending: false }
		]);
		// Filtered: nothing of another client or category is on the board.
		expect(columnOf(state, 5, {}, { tenant: FERME, category: null })).toBeNull();
		expect(columnOf(state, 1, {}, { tenant: FERME, category: null })).toBe('planning');
		expect(columnOf(state, 1, {}, { tenant: null, category: 'design' })).toBeNull();
		expect(columnOf(state, 5, {}, { tenant: null, category: 'design' })).toBe('review');
	});

	it('BOARD-2 live: a colleague’s move, a new project, a deleted one, a renamed client; a stale event never undoes a newer state', () => {
		let state = snapshot([project(1, 'planning', 0), project(2, 'intake', 0)]);
		state = applyEvent(state, event(project(1, 'review', 5)));
		expect(columnOf(state, 1)).toBe('review');
		// The older revision arrives late (a replay, a slow path): the card stays where the newer one put it.
		const stale = applyEvent(state, event(project(1, 'in_progress', 3)));
		expect(stale.rows).toBe(state.rows);
		expect(columnOf(stale, 1)).toBe('review');

		state = applyEvent(state, event(project(7, 'intake', 6), 'insert'));
		expect(columnOf(state, 7)).toBe('intake');
		// A new project of another client does not join a board filtered on this one.
		state = applyEvent(state, event(project(8, 'intake', 6, { clients_id: ATELIER }), 'insert'));
		expect(columnOf(state, 8, {}, { tenant: FERME, category: null })).toBeNull();

		state = applyEvent(state, event({ id: 2 }, 'delete'));
		expect(columnOf(state, 2)).toBeNull();

		state = applyEvent(state, event({ id: FERME, name: 'Ferme Verte Itasy', slug: 'ferme-verte' }, 'update', 'clients'));
		expect(boardColumns(state, { filters: ALL, moving: {}, today: TODAY }).flatMap((c) => c.cards).find((c) => c.id === 1)?.clientName).toBe('Ferme Verte Itasy');
	});

	it('BOARD-3 my own move never flickers back: shown at once, kept through the answer and its echo, whichever comes first', () => {
		const start = snapshot([project(1, 'planning', 0, { due_date: '2026-11-01' })]);
		const saved = { id: 1, status: 'completed', updated_at: T(5) };
		const echo = event(project(1, 'completed', 5, { due_date: '2026-11-01' }));
		const moving = { 1: { status: 'completed' as ProjectStatus, ticket: 1 } };
		const card = (state: DashboardState, pending: Record<number, PendingMove>) => boardColumns(state, { filters: ALL, moving: pending, today: TODAY }).flatMap((c) => c.cards)[0]!;

		// Dropped on "Terminé": there at once, marked as saving, and no longer late.
		expect(card(start, moving)).toMatchObject({ status: 'completed', pending: true, late: false });
		expect(card(start, {})).toMatchObject({ status: 'planning', late: true });

		// The answer first, then the echo: the echo changes nothing.
		const answered = withSaved(start, saved, T(6));
		expect(card(answered, {})).toMatchObject({ status: 'completed', pending: false });
		expect(applyEvent(answered, echo).rows).toBe(answered.rows);

		// The echo first (the bridge was quicker than the answer), then the answer: still "Terminé" at every step.
		const echoed = applyEvent(start, echo);
		expect(card(echoed, moving).status).toBe('completed');
		expect(card(withSaved(echoed, saved, T(6)), {}).status).toBe('completed');
	});

	it('BOARD-4 two moves of one card in a row: the first answer does not pull it back while the second is on its way', () => {
		let state = snapshot([project(1, 'planning', 0)]);
		// Moved to "Revue" (ticket 1), then at once to "Terminé" (ticket 2), which replaced the first in `moving`.
		let moving: Record<number, PendingMove> = { 1: { status: 'completed', ticket: 2 } };
		state = withSaved(state, { id: 1, status: 'review', updated_at: T(5) }, T(5));
		expect(isLatestMove(moving, 1, 1)).toBe(false);
		expect(columnOf(state, 1, moving)).toBe('completed');
		state = withSaved(state, { id: 1, status: 'completed', updated_at: T(6) }, T(6));
		expect(isLatestMove(moving, 1, 2)).toBe(true);
		moving = {};
		expect(columnOf(state, 1, moving)).toBe('completed');
	});

	it('BOARD-5 a colleague moved the card after me: my older answer, arriving later, does not undo their move', () => {
		let state = snapshot([project(1, 'planning', 0)]);
		state = applyEvent(state, event(project(1, 'review', 5))); // my move's echo
		state = applyEvent(state, event(project(1, 'on_hold', 7))); // a colleague, after
		state = withSaved(state, { id: 1, status: 'review', updated_at: T(5) }, T(8));
		expect(columnOf(state, 1)).toBe('on_hold');
	});

	it('BOARD-6 a move refused because the project is gone removes the card; its delete event, arriving later, changes nothing', () => {
		// Even when this browser's clock is behind bknd's (its "now" is before the row's revision).
		const state = withoutProject(snapshot([project(1, 'planning', 9), project(2, 'intake', 0)]), 1, T(5));
		expect(columnOf(state, 1)).toBeNull();
		expect(columnOf(state, 2)).toBe('intake');
		expect(applyEvent(state, event({ id: 1, updated_at: T(10) }, 'delete')).rows).toBe(state.rows);
	});

	it('BOARD-7 only someone else’s change after the snapshot is news (highlighted, announced): not replays, not my own move or its echo', () => {
		const change = event(project(1, 'review', 5), 'update', 'projects', 42);
		const page = { joinSeq: 40, snapshotRevision: T(0), moving: false, ownRevision: false };
		expect(isOthersChange(change, page)).toBe(true);
		expect(isOthersChange(event(project(9, 'intake', 5), 'insert', 'projects', 43), { ...page, snapshotRevision: undefined })).toBe(true);
		// Replayed from before the join point, or already in the snapshot.
		expect(isOthersChange(change, { ...page, joinSeq: 42 })).toBe(false);
		expect(isOthersChange(change, { ...page, snapshotRevision: T(5) })).toBe(false);
		// My own move, on its way or saved.
		expect(isOthersChange(change, { ...page, moving: true })).toBe(false);
		expect(isOthersChange(change, { ...page, ownRevision: true })).toBe(false);
		expect(revisionKey(1, T(5))).toBe(revisionKey(1, '2026-11-26 08:05:00'));
		// Deletes and other entities are not card news.
		expect(isOthersChange(event({ id: 1 }, 'delete', 'projects', 44), page)).toBe(false);
		expect(isOthersChange(event({ id: 1, name: 'x' }, 'update', 'clients', 45), page)).toBe(false);
	});

	it('BOARD-8 seeded fuzz: whatever order revisions, echoes, replays and my answer arrive in, the card shows the newest revision seen', () => {
		for (let seed = 1; seed <= 300; seed++) {
			const random = mulberry32(seed);
			const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
			// Revisions 1..n of project 1 (mine is one of them), delivered shuffled, some twice.
			const n = 2 + Math.floor(random() * 6);
			const revisions = Array.from({ length: n }, (_, i) => project(1, pick(PROJECT_STATUS_ORDER), i + 1));
			const mine = Math.floor(random() * n);
			const deliveries: Array<{ kind: 'event' | 'answer'; index: number }> = revisions.flatMap((_, index) => (random() < 0.3 ? [{ kind: 'event' as const, index }, { kind: 'event' as const, index }] : [{ kind: 'event' as const, index }]));
			deliveries.push({ kind: 'answer', index: mine });
			for (let i = deliveries.length - 1; i > 0; i--) {
				const j = Math.floor(random() * (i + 1));
				[deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
			}

			let state = snapshot([project(1, 'planning', 0)]);
			let newest = 0;
			let moving: Record<number, PendingMove> = { 1: { status: revisions[mine]!.status as ProjectStatus, ticket: 1 } };
			for (const delivery of deliveries) {
				const row = revisions[delivery.index]!;
				if (delivery.kind === 'answer') {
					state = withSaved(state, { id: 1, status: String(row.status), updated_at: String(row.updated_at) }, T(30));
					if (isLatestMove(moving, 1, 1)) moving = {};
				} else {
					state = applyEvent(state, event(row));
				}
				newest = Math.max(newest, delivery.index + 1);
				const expected = Object.keys(moving).length > 0 ? revisions[mine]!.status : revisions[newest - 1]!.status;
				expect(columnOf(state, 1, moving), `seed ${seed}`).toBe(expected);
			}
			expect(columnOf(state, 1), `seed ${seed}`).toBe(revisions[n - 1]!.status);
		}
	});
});

/** A small seeded PRNG, so a failing seed can be replayed. */
function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
