import { describe, expect, it } from 'vitest';
import type { LiveEvent, LoggedEvent } from '../../../../shared/live/events';
import { rowEventId } from '../../../../shared/live/events';
import { ACTIVITY_LIMIT, applyEvent, applyEvents, forgetProject, fromSnapshot, rowsOf, type DashboardState, type Row } from './dashboardState';

const T = (minute: number) => new Date(Date.UTC(2026, 10, 26, 8, minute)).toISOString();
const project = (progress: number, minute: number, extra: Row = {}): Row => ({ id: 3, clients_id: 1, title: 'Suivi des récoltes', status: 'in_progress', progress, updated_at: T(minute), ...extra });

/** The event bknd's bridge publishes for a write of `row` (same id scheme as shared/live/events.ts). */
function rowEvent(seq: number, entity: 'projects' | 'project_metrics', row: Row, op: LiveEvent['op'] = 'update'): LoggedEvent {
	return { seq, id: rowEventId(entity, row.id as number, op, String(row.updated_at)), tenant: 'ferme-verte', entity, op, row, at: String(row.updated_at) };
}
function reviewEvent(seq: number, id: string, minute: number, lane: 'client' | 'internal' = 'client'): LoggedEvent {
	return { seq, id, tenant: 'ferme-verte', entity: 'activity', op: 'insert', at: T(minute), row: { projectId: 3, kind: 'thread.opened', lane, actorName: 'Hery', summary: 'Le titre ?' } };
}

/** What the page would show: rows per entity sorted by id, and activity keys. */
const shown = (state: DashboardState) => ({
	projects: rowsOf(state, 'projects').sort((a, b) => Number(a.id) - Number(b.id)),
	metrics: rowsOf(state, 'project_metrics').sort((a, b) => Number(a.id) - Number(b.id)),
	activity: state.activity.map((e) => e.key)
});

describe('dashboard state: snapshot + feed join', () => {
	it('JOIN-1 a change that lands between the seq read and the snapshot read is neither missed nor counted twice', () => {
		// t0: the page reads the room's seq: 5.
		const joinSeq = 5;
		// t1: the agency moves the project from 40 % to 60 % and records a metric; the bridge publishes both (seq 6, 7).
		const moved = project(60, 1);
		const metric: Row = { id: 9, projects_id: 3, key: 'farmers_onboarded', value: 90, target: 120, unit: 'agriculteurs', date: '2026-11-26', updated_at: T(1) };
		const log: LoggedEvent[] = [rowEvent(6, 'projects', moved), rowEvent(7, 'project_metrics', metric, 'insert')];
		// t2: the page reads the snapshot from bknd: it already holds both writes.
		const snapshot = fromSnapshot({ tenant: 'ferme-verte', rows: { projects: [moved], project_metrics: [metric] } });
		// t3: the browser joins with since = 5 and receives seq 6 and 7 on top of that snapshot.
		const state = applyEvents(snapshot, log.filter((e) => e.seq > joinSeq));

		expect(shown(state)).toEqual(shown(snapshot));
		expect(rowsOf(state, 'projects')).toEqual([{ ...moved, tenant: 'ferme-verte' }]);
		expect(rowsOf(state, 'project_metrics')).toHaveLength(1);
		// One activity line for that change, not two (the snapshot's line and the event share a key).
		expect(state.activity.filter((e) => e.projectId === 3 && e.source === 'project')).toHaveLength(1);
	});

	it('JOIN-2 a change that lands after the snapshot read is applied once, with what changed', () => {
		const snapshot = fromSnapshot({ tenant: 'ferme-verte', rows: { projects: [project(40, 0)] } });
		const event = rowEvent(6, 'projects', project(60, 2, { status: 'review' }));
		const once = applyEvent(snapshot, event);
		expect(rowsOf(once, 'projects')[0]).toMatchObject({ progress: 60, status: 'review' });
		expect(once.activity[0]).toMatchObject({ source: 'project', status: { from: 'in_progress', to: 'review' }, progress: { from: 40, to: 60 } });
		// Delivered twice (a reconnect that resumed too early, a re-sent delivery): nothing changes.
		expect(applyEvent(once, event)).toBe(once);
		expect(applyEvent(once, { ...event, seq: 9 })).toBe(once);
	});

	it('JOIN-3 an older revision arriving after a newer one never rolls a row back', () => {
		const state = fromSnapshot({ rows: { projects: [project(80, 5)] } });
		const stale = applyEvent(state, rowEvent(6, 'projects', project(60, 2)));
		expect(rowsOf(stale, 'projects')[0]).toMatchObject({ progress: 80 });
	});

	it('JOIN-4 review activity is deduplicated by event id, newest first, capped', () => {
		let state = fromSnapshot({ rows: {} });
		state = applyEvents(state, [reviewEvent(1, 'activity:a', 1), reviewEvent(2, 'activity:b', 3), reviewEvent(3, 'activity:a', 1)]);
		expect(state.activity.map((e) => e.key)).toEqual(['activity:b', 'activity:a']);
		for (let i = 0; i < ACTIVITY_LIMIT + 5; i++) state = applyEvent(state, reviewEvent(10 + i, `activity:n${i}`, 10 + i));
		expect(state.activity).toHaveLength(ACTIVITY_LIMIT);
		expect(state.activity[0]!.key).toBe(`activity:n${ACTIVITY_LIMIT + 4}`);
		// An old event replayed into a full list is cut at once: the state object does not change.
		expect(applyEvent(state, reviewEvent(99, 'activity:old', 0))).toBe(state);
	});

	it('JOIN-5 deletes remove a row unless the row held is newer; a revoked project disappears entirely', () => {
		const metric: Row = { id: 9, projects_id: 3, key: 'hectares_covered', value: 12, date: '2026-11-20', updated_at: T(1) };
		let state = fromSnapshot({ rows: { projects: [project(40, 0)], project_metrics: [metric] } });
		state = applyEvent(state, reviewEvent(1, 'activity:a', 2));
		const deleteOld: LoggedEvent = { seq: 2, id: 'project_metrics:9:delete:x', tenant: 'ferme-verte', entity: 'project_metrics', op: 'delete', at: T(0), row: { id: 9 } };
		expect(rowsOf(applyEvent(state, deleteOld), 'project_metrics')).toHaveLength(1);
		expect(rowsOf(applyEvent(state, { ...deleteOld, at: T(4) }), 'project_metrics')).toHaveLength(0);
		const revoked = forgetProject(state, 3);
		expect(shown(revoked)).toEqual({ projects: [], metrics: [], activity: [] });
	});

	it('JOIN-6 seeded fuzz: whatever the interleaving of writes, publishes, seq read and snapshot read, the result matches bknd', () => {
		for (let seed = 1; seed <= 300; seed++) {
			const random = mulberry32(seed);
			const bknd = new Map<number, Row>([[3, project(0, 0)], [4, { ...project(0, 0), id: 4, title: 'Prix du marché' }]]);
			const log: LoggedEvent[] = [];
			const unpublished: Row[] = [];
			let minute = 1;
			let joinSeq: number | null = null;
			let snapshot: DashboardState | null = null;
			// Ten writes; each is published later (possibly after later writes: the bridge retries out of order).
			let writes = 0;
			while (writes < 10 || unpublished.length > 0 || snapshot === null) {
				const roll = random();
				if (writes < 10 && roll < 0.4) {
					const id = random() < 0.5 ? 3 : 4;
					const row = { ...bknd.get(id)!, progress: Math.floor(random() * 101), updated_at: T(minute++) };
					bknd.set(id, row);
					unpublished.push(row);
					writes++;
				} else if (unpublished.length > 0 && roll < 0.8) {
					const [row] = unpublished.splice(Math.floor(random() * unpublished.length), 1);
					log.push(rowEvent(log.length + 1, 'projects', row!));
					// Sometimes a publisher re-sends an event the room already logged (new seq, same id).
					if (random() < 0.1) log.push({ ...log[log.length - 1]!, seq: log.length + 1 });
				} else if (joinSeq === null) {
					joinSeq = log.length;
				} else if (snapshot === null) {
					snapshot = fromSnapshot({ tenant: 'ferme-verte', rows: { projects: [...bknd.values()] } });
				}
			}
			const state = applyEvents(snapshot, log.filter((e) => e.seq > joinSeq!));
			const expected = [...bknd.values()].map((row): Row => ({ ...row, tenant: 'ferme-verte' })).sort((a, b) => Number(a.id) - Number(b.id));
			expect(shown(state).projects, `seed ${seed}`).toEqual(expected);
			const keys = state.activity.map((e) => e.key);
			expect(new Set(keys).size, `seed ${seed}: no activity line twice`).toBe(keys.length);
			// Applying the whole tail again (a reconnect from an older seq) changes nothing.
			expect(applyEvents(state, log.filter((e) => e.seq > joinSeq!)), `seed ${seed}`).toBe(state);
		}
	});
});

/** A small seeded PRNG, so a failing seed can be replayed. */
function mulberry32(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
