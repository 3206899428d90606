import { describe, expect, it } from 'vitest';
import { briefLines, humanizeKey } from './leadBrief';

describe('briefLines', () => {
	it('LEAD-BRIEF-1 flattens a nested brief into labelled lines, in order, lists kept as lists', () => {
		expect(
			briefLines({
				project_type: 'application mobile',
				contact: { name: 'Tahina', email: 'tahina@vanille-sava.mg' },
				goals: ['traçabilité', 'export'],
				deadline: null,
				phases: [{ name: 'A' }]
			})
		).toEqual([
			{ path: ['project_type'], value: 'application mobile' },
			{ path: ['contact', 'name'], value: 'Tahina' },
			{ path: ['contact', 'email'], value: 'tahina@vanille-sava.mg' },
			{ path: ['goals'], value: ['traçabilité', 'export'] },
			{ path: ['phases', '1', 'name'], value: 'A' }
		]);
	});

	it('LEAD-BRIEF-2 no brief, or junk, gives no line and never throws; prototype keys are skipped', () => {
		for (const junk of [null, undefined, 12, [], '{oops']) expect(Array.isArray(briefLines(junk))).toBe(true);
		expect(briefLines(null)).toEqual([]);
		expect(briefLines(JSON.parse('{"__proto__":{"x":1},"ok":"oui"}'))).toEqual([{ path: ['ok'], value: 'oui' }]);
		const deep = { a: { b: { c: { d: { e: 'trop profond' } } } } };
		expect(briefLines(deep)).toEqual([]);
	});

	it('LEAD-BRIEF-3 humanises keys without a catalogue label', () => {
		expect(humanizeKey('project_goals')).toBe('Project goals');
		expect(humanizeKey('budgetRange')).toBe('Budget range');
	});
});
