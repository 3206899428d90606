import { describe, expect, it } from 'vitest';
import { intakeBriefSchema } from '../../../../shared/intake/brief';
import { sampleBrief } from '../../../../shared/intake/testKit';
import { DRAFT_KEY, DRAFT_VERSION, clearDraft, emptyDraft, loadDraft, saveDraft, toBrief, type IntakeDraft } from './draft';
import { STEPS, firstFieldWithError, firstStepWithError, validateStep } from './steps';

// The intake page's kept draft (draft.ts) and its step checks (steps.ts): a reload gives back what was typed,
// nothing foreign gets in, and each step refuses exactly what the server would.

function memoryStorage(initial: Record<string, string> = {}) {
	const items = new Map(Object.entries(initial));
	return {
		getItem: (key: string) => items.get(key) ?? null,
		setItem: (key: string, value: string) => void items.set(key, value),
		removeItem: (key: string) => void items.delete(key),
		items
	};
}

/** The sample brief as the page holds it (feature lists as lines). */
function filledDraft(): IntakeDraft {
	const brief = sampleBrief();
	return { ...brief, mustHave: brief.mustHave.join('\n'), niceToHave: brief.niceToHave.join('\n') };
}

describe('INTAKE-DRAFT: kept in the browser', () => {
	it('INTAKE-DRAFT-1 what is saved comes back as it was, and the page sends the same brief', () => {
		const storage = memoryStorage();
		saveDraft(storage, { step: 2, reached: 3, values: filledDraft() });
		expect(loadDraft(storage)).toEqual({ step: 2, reached: 3, values: filledDraft() });
		expect(intakeBriefSchema.parse(toBrief(loadDraft(storage)!.values))).toEqual(sampleBrief());
		clearDraft(storage);
		expect(loadDraft(storage)).toBeNull();
	});

	it('INTAKE-DRAFT-2 junk, another version or an empty draft give nothing; wrong fields are dropped, not trusted', () => {
		expect(loadDraft(memoryStorage({ [DRAFT_KEY]: '{not json' }))).toBeNull();
		expect(loadDraft(memoryStorage({ [DRAFT_KEY]: JSON.stringify({ version: DRAFT_VERSION + 1, step: 1, values: filledDraft() }) }))).toBeNull();
		expect(loadDraft(memoryStorage({ [DRAFT_KEY]: JSON.stringify({ version: DRAFT_VERSION, step: 0, values: emptyDraft() }) }))).toBeNull();

		const tampered = {
			version: DRAFT_VERSION,
			step: 99,
			reached: -4,
			values: { ...filledDraft(), industry: 'casino', projectTypes: ['website', 42, 'website', 'hack'], consent: 'yes', email: { $ne: '' }, title: 'x'.repeat(5000) }
		};
		const loaded = loadDraft(memoryStorage({ [DRAFT_KEY]: JSON.stringify(tampered) }))!;
		expect(loaded.step).toBe(STEPS.length - 1);
		expect(loaded.values).toMatchObject({ industry: '', projectTypes: ['website'], consent: false, email: '' });
		expect(loaded.values.title).toHaveLength(120);
		expect(Object.keys(loaded.values).sort()).toEqual(Object.keys(emptyDraft()).sort());
	});

	it('INTAKE-DRAFT-3 a storage that refuses writes does not break the form', () => {
		const full = { setItem: () => { throw new Error('QuotaExceededError'); } };
		expect(() => saveDraft(full, { step: 0, reached: 0, values: filledDraft() })).not.toThrow();
	});
});

describe('INTAKE-STEPS: each step checks its own fields', () => {
	it('INTAKE-STEPS-1 an empty form stops at the first step with its own fields only', () => {
		const errors = validateStep(0, toBrief(emptyDraft()));
		expect(Object.keys(errors).sort()).toEqual(['companySize', 'contactName', 'email']);
		expect(firstFieldWithError(0, errors)).toBe('contactName');
		expect(errors.email).toEqual({ key: 'form.required' });
	});

	it('INTAKE-STEPS-2 the filled sample passes every step; a bad feature line is reported on its list', () => {
		for (const index of STEPS.keys()) expect(validateStep(index, toBrief(filledDraft()))).toEqual({});
		const long = { ...filledDraft(), mustHave: `Saisie hors ligne\n${'x'.repeat(201)}` };
		const errors = validateStep(2, toBrief(long));
		expect(errors['mustHave.1']).toEqual({ key: 'form.tooLong', params: { max: 200 } });
		expect(firstFieldWithError(2, errors)).toBe('mustHave');
		expect(firstStepWithError(errors)).toBe(2);
	});

	it('INTAKE-STEPS-3 the last step needs the consent, with its own message', () => {
		expect(validateStep(4, toBrief({ ...filledDraft(), consent: false }))).toEqual({ consent: { key: 'form.consent' } });
		expect(validateStep(1, toBrief({ ...filledDraft(), phone: 'appelez-moi' }))).toEqual({});
		expect(validateStep(0, toBrief({ ...filledDraft(), phone: 'appelez-moi' }))).toEqual({ phone: { key: 'intake.phoneInvalid' } });
	});
});
