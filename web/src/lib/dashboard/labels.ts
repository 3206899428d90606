import type { MessageKey } from '$lib/i18n';
import { LOCALES, formatDate } from '$lib/i18n/format';
import { currentLang, t } from '$lib/i18n/current';
import type { ActivityEntry } from '$lib/live/dashboardState';
import { LEAD_STATUS_ORDER, METRIC_ORDER, PROJECT_STATUS_ORDER } from '$lib/live/dashboardViews';

// French-first labels of the dashboards, for components (they read the page's language).

const has = (list: readonly string[], value: string | null): boolean => value !== null && list.includes(value);

/** A project status in words ("En cours"); "Non défini" for none or an unknown one. */
export function statusLabel(status: string | null): string {
	return has(PROJECT_STATUS_ORDER, status) ? t(`status.${status}` as MessageKey) : t('status.unknown');
}

export function leadStatusLabel(status: string): string {
	return has(LEAD_STATUS_ORDER, status) ? t(`leadStatus.${status}` as MessageKey) : status;
}

/** A metric's name ("Agriculteurs inscrits"); an unknown key is shown as written, underscores as spaces. */
export function metricLabel(key: string): string {
	return has(METRIC_ORDER, key) ? t(`metric.${key}` as MessageKey) : key.replaceAll('_', ' ');
}

/** The ROI line's label: "Coût par agriculteur inscrit". */
export function costPerLabel(key: string): string {
	return has(METRIC_ORDER, key) ? t(`roi.costPer.${key}` as MessageKey) : t('roi.costPerOther', { metric: metricLabel(key) });
}

/** A number in the page's language ("1 200", "12,5"). */
export function formatNumber(value: number, maximumFractionDigits = 1): string {
	return new Intl.NumberFormat(LOCALES[currentLang()], { maximumFractionDigits }).format(value);
}

/** A value with its unit when it has one ("12,5 ha"). */
export function withUnit(value: number, unit: string | null): string {
	return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

/** A date in the page's language, or `fallback`. */
export function dateLabel(value: string | null, fallback = ''): string {
	return formatDate(value, currentLang()) ?? fallback;
}

const REVIEW_KINDS = ['thread.opened', 'thread.resolved', 'thread.reopened', 'round.opened', 'round.decided', 'version.added'];

/** One activity line in words, e.g. "Hery Rakoto a ouvert une discussion : « Le titre ? »". */
export function activityText(entry: ActivityEntry, projectTitle: (id: number | null) => string | null): string {
	if (entry.source === 'review') {
		const kind = REVIEW_KINDS.includes(entry.review.kind) ? entry.review.kind : 'thread.opened';
		// A folded burst ("a ouvert 12 discussions") only exists for thread kinds (ActivityPublisher.foldBursts).
		const many = entry.review.count > 1 && kind.startsWith('thread.');
		const key = (many ? `activity.${kind}.many` : `activity.${kind}`) as MessageKey;
		return t(key, { actor: entry.review.actorName || '—', summary: entry.review.summary, count: entry.review.count });
	}
	const title = entry.title || projectTitle(entry.projectId) || `#${entry.projectId}`;
	const parts: string[] = [];
	if (entry.status) parts.push(t('activity.projectStatus', { from: statusLabel(entry.status.from), to: statusLabel(entry.status.to) }));
	if (entry.progress) parts.push(t('activity.projectProgress', { from: entry.progress.from ?? 0, to: entry.progress.to ?? 0 }));
	if (entry.op === 'update' && parts.length > 0) return `${title} : ${parts.join(' · ')}`;
	return t(`activity.project.${entry.op}`, { title });
}
