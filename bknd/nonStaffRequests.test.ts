import { describe, expect, it } from 'vitest';
import { nonStaffVerdict, scrubAnswer, scrubMeta } from './nonStaffRequests';

// The allowlist decision alone (no server): what a client, partner or anonymous caller may send.

const q = (params: Record<string, string> = {}) => new URLSearchParams(params);
const where = (value: unknown) => q({ where: JSON.stringify(value) });

describe('nonStaffVerdict', () => {
	it('lets the web app log in, read itself, list, read by id and query', () => {
		expect(nonStaffVerdict('POST', '/api/auth/password/login', q())).toEqual({ ok: true, dataRead: false });
		expect(nonStaffVerdict('GET', '/api/auth/me', q())).toEqual({ ok: true, dataRead: false });
		expect(nonStaffVerdict('GET', '/api/data/entity/projects', q({ limit: '5', sort: '-due_date', select: 'id,title' }))).toEqual({ ok: true, dataRead: true });
		expect(nonStaffVerdict('GET', '/api/data/entity/clients', where({ slug: 'ferme-verte' }))).toEqual({ ok: true, dataRead: true });
		expect(nonStaffVerdict('GET', '/api/data/entity/projects/3', q())).toEqual({ ok: true, dataRead: true });
		expect(nonStaffVerdict('POST', '/api/data/entity/projects/query', q(), { where: { status: 'review' } })).toEqual({ ok: true, dataRead: true });
		expect(nonStaffVerdict('OPTIONS', '/api/data/entity/projects', q())).toMatchObject({ ok: true });
	});

	it('never lets with, join, $or or dotted keys through, in the URL or a body', () => {
		expect(nonStaffVerdict('GET', '/api/data/entity/projects', q({ with: 'users' }))).toMatchObject({ ok: false, status: 400 });
		expect(nonStaffVerdict('GET', '/api/data/entity/projects/1', q({ join: 'clients' }))).toMatchObject({ ok: false, status: 400 });
		expect(nonStaffVerdict('GET', '/api/data/entity/projects', where({ $or: { id: 1 } }))).toMatchObject({ ok: false, status: 400 });
		expect(nonStaffVerdict('GET', '/api/data/entity/projects', where({ 'projects.clients_id': 2 }))).toMatchObject({ ok: false, status: 400 });
		expect(nonStaffVerdict('POST', '/api/data/entity/projects/query', q(), { with: { clients: {} } })).toMatchObject({ ok: false, status: 400 });
		expect(nonStaffVerdict('POST', '/api/data/entity/projects/query', q(), { where: { $or: { id: 1 } } })).toMatchObject({ ok: false, status: 400 });
		expect(nonStaffVerdict('POST', '/api/data/entity/projects/query', q(), 'not an object')).toMatchObject({ ok: false, status: 400 });
		// A repeated parameter is checked in every copy, whichever one bknd reads.
		const twice = new URLSearchParams([['where', '{}'], ['where', '{"$or":{"id":1}}']]);
		expect(nonStaffVerdict('GET', '/api/data/entity/projects', twice)).toMatchObject({ ok: false, status: 400 });
	});

	it('never lets counts, related lists, writes or other routes through', () => {
		expect(nonStaffVerdict('POST', '/api/data/entity/projects/fn/count', q(), {})).toMatchObject({ ok: false, status: 403 });
		expect(nonStaffVerdict('POST', '/api/data/entity/projects/fn/exists', q(), {})).toMatchObject({ ok: false, status: 403 });
		expect(nonStaffVerdict('GET', '/api/data/entity/clients/2/projects', q())).toMatchObject({ ok: false, status: 403 });
		expect(nonStaffVerdict('POST', '/api/data/entity/projects', q(), { title: 'x' })).toMatchObject({ ok: false, status: 403 });
		expect(nonStaffVerdict('PATCH', '/api/data/entity/projects/1', q(), { title: 'x' })).toMatchObject({ ok: false, status: 403 });
		expect(nonStaffVerdict('DELETE', '/api/data/entity/projects/1', q())).toMatchObject({ ok: false, status: 403 });
		expect(nonStaffVerdict('HEAD', '/api/data/entity/projects', q())).toMatchObject({ ok: false, status: 403 });
		expect(nonStaffVerdict('GET', '/api/system/config', q())).toMatchObject({ ok: false, status: 403 });
		expect(nonStaffVerdict('GET', '/api/data/schema.json', q())).toMatchObject({ ok: false, status: 403 });
		expect(nonStaffVerdict('GET', '/api/data/entity/projects', q({ unknown: '1' }))).toMatchObject({ ok: false, status: 400 });
	});
});

describe('scrubMeta', () => {
	it('replaces the whole-table total with the filtered count', () => {
		expect(scrubMeta({ data: [], meta: { items: 0, count: 4, total: 7 } })).toEqual({ data: [], meta: { items: 0, count: 4, total: 4 } });
		expect(scrubMeta({ meta: { items: 0, total: 7 } })).toEqual({ meta: { items: 0, total: undefined } });
		expect(scrubMeta('not json')).toBe('not json');
	});
});

describe('money for partners', () => {
	const answer = { data: [{ id: 3, title: 'Suivi', budget_mga: 45_000_000, internal_notes: 'x' }], meta: { count: 1, total: 9 } };

	it('HARDEN-MONEY-4 a partner’s answers lose the budget; a client’s keep it; staff-only columns go for both', () => {
		expect(scrubAnswer(answer, 'partner')).toEqual({ data: [{ id: 3, title: 'Suivi' }], meta: { count: 1, total: 1 } });
		expect(scrubAnswer(answer, 'client')).toEqual({ data: [{ id: 3, title: 'Suivi', budget_mga: 45_000_000 }], meta: { count: 1, total: 1 } });
		expect(scrubAnswer({ data: answer.data[0] }, 'partner')).toEqual({ data: { id: 3, title: 'Suivi' } });
	});

	it('HARDEN-MONEY-5 a partner may not name the budget in select, sort or where (an oracle even when the answer omits it)', () => {
		for (const query of [q({ select: 'id,budget_mga' }), q({ sort: '-budget_mga' }), where({ budget_mga: { $gt: 1 } }), q({ where: '{"budget\\u005fmga":1}' })]) {
			expect(nonStaffVerdict('GET', '/api/data/entity/projects', query, undefined, 'partner')).toMatchObject({ ok: false, status: 400 });
			expect(nonStaffVerdict('GET', '/api/data/entity/projects', query, undefined, 'client')).toEqual({ ok: true, dataRead: true });
		}
		expect(nonStaffVerdict('POST', '/api/data/entity/projects/query', q(), { sort: 'budget_mga' }, 'partner')).toMatchObject({ ok: false, status: 400 });
		expect(nonStaffVerdict('GET', '/api/data/entity/projects', q({ select: 'id,margin_pct' }), undefined, 'client')).toMatchObject({ ok: false, status: 400 });
	});
});
