import { isMessageKey, type MessageKey } from '$lib/i18n';
import { t } from '$lib/i18n/current';
import { humanizeKey } from '$shared/crm/leadBrief';

// Words for what the intake stored as codes: a brief's field names and choices (shared/intake/brief.ts) get the
// intake form's own labels (`intake.field.*`, `intake.industry.*`...), so staff read what the visitor read; a
// key the catalogue does not know (an older or newer form) is shown humanised rather than hidden.

const known = (key: string): key is MessageKey => isMessageKey(key);

/** The label of a brief field (`problem` → "Le problème à résoudre"). */
export function briefFieldLabel(path: readonly string[]): string {
	// The form's consent label is the whole consent sentence: staff need only to know it was given.
	if (path.length === 1 && path[0] === 'consent') return t('leads.briefConsent');
	return path.map((part) => (known(`intake.field.${part}`) ? t(`intake.field.${part}` as MessageKey) : humanizeKey(part))).join(' › ');
}

/** The catalogue prefix of a brief field's choices. */
const CHOICES: Record<string, string> = {
	industry: 'intake.industry',
	companySize: 'intake.size',
	budget: 'intake.budget',
	timeline: 'intake.timeline',
	projectTypes: 'intake.type',
	existingAssets: 'intake.asset'
};

/** A brief value in words: a known choice by its label, booleans as Oui/Non, anything else as written. */
export function briefValueLabel(field: string, value: string): string {
	const prefix = CHOICES[field];
	if (prefix && known(`${prefix}.${value}`)) return t(`${prefix}.${value}` as MessageKey);
	if (value === 'true') return t('leads.yes');
	if (value === 'false') return t('leads.no');
	return value;
}

/** A lead's industry: the intake's label for its code, else as written. */
export function industryLabel(value: string | null): string | null {
	return value === null ? null : briefValueLabel('industry', value);
}
