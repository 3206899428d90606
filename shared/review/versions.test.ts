import { describe, expect, it } from 'vitest';
import { readEntries } from './layout';
import { ACTORS, reviewHarness } from './testKit';

const { designer, admin, editor, viewer, client } = ACTORS;
const version = (label: string, clientVisible: boolean) => ({ type: 'version.add' as const, label, clientVisible });
const labels = (docs: ReturnType<typeof reviewHarness>['docs'], lane: 'client' | 'internal') =>
	readEntries(lane === 'client' ? docs.client : docs.internal, 'versions').map((v) => v.label).sort();

describe('versions', () => {
	it('stores a client-visible version in the client document and an internal one in the internal document', () => {
		const r = reviewHarness();
		r.ok(designer, version('V1', true));
		r.ok(admin, { ...version('V2', false), figmaVersionId: '987654' });
		expect(labels(r.docs, 'client')).toEqual(['V1']);
		expect(labels(r.docs, 'internal')).toEqual(['V2']);
	});

	it('calls current the newest version for staff and the newest client-visible one for a client', () => {
		const r = reviewHarness();
		const v1 = r.ok(designer, version('V1', true));
		const v2 = r.ok(designer, version('V2', false));
		expect(r.view(designer).versions.map((v) => [v.label, v.current, v.clientVisible])).toEqual([['V2', true, false], ['V1', false, true]]);
		expect(r.view(designer).currentVersionId).toBe(v2);
		expect(r.view(editor).currentVersionId).toBe(v2);
		expect(r.view(client).versions.map((v) => [v.label, v.current])).toEqual([['V1', true]]);
		expect(r.view(client).currentVersionId).toBe(v1);
	});

	it('moves a version between the documents when its visibility changes', () => {
		const r = reviewHarness();
		const v = r.ok(designer, version('V1', false));
		expect(r.run(designer, { type: 'version.setVisibility', versionId: v, clientVisible: true })).toMatchObject({
			ok: true, effects: { lanes: ['client', 'internal'] }
		});
		expect(labels(r.docs, 'client')).toEqual(['V1']);
		expect(labels(r.docs, 'internal')).toEqual([]);
		expect(r.view(client).versions).toMatchObject([{ id: v, clientVisible: true, createdBy: { userId: designer.userId } }]);
		r.ok(designer, { type: 'version.setVisibility', versionId: v, clientVisible: false });
		expect(labels(r.docs, 'client')).toEqual([]);
		expect(labels(r.docs, 'internal')).toEqual(['V1']);
		expect(r.view(client).versions).toEqual([]);
		expect(r.view(designer).versions).toMatchObject([{ id: v, clientVisible: false }]);
		expect(r.run(designer, { type: 'version.setVisibility', versionId: v, clientVisible: false })).toMatchObject({ ok: true, effects: { lanes: [] } });
	});

	it('refuses version management to partners and clients, and unknown versions', () => {
		const r = reviewHarness();
		const v = r.ok(designer, version('V1', false));
		for (const who of [editor, viewer, client]) {
			expect(r.run(who, version('X', true))).toMatchObject({ ok: false, code: 'forbidden' });
			expect(r.run(who, { type: 'version.setVisibility', versionId: v, clientVisible: true })).toMatchObject({ ok: false, code: 'forbidden' });
		}
		expect(r.run(designer, { type: 'version.setVisibility', versionId: 'nope', clientVisible: true })).toMatchObject({ ok: false, code: 'not_found' });
		expect(labels(r.docs, 'client')).toEqual([]);
	});
});
