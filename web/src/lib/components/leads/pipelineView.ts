import { LEAD_STATUS_ORDER } from '../../live/dashboardViews';
import type { Row } from '../../live/dashboardState';
import { analysisBadge, type AnalysisBadge } from '../../../../../shared/crm/leadAnalysis';

// What the pipeline board shows, from the live state's lead rows: pure, unit-tested, no Svelte, no zod (it ships
// to the browser). A lead row comes from the page's snapshot or from a live event: both carry the industry, the
// budget estimate and the analysis state (bknd/bridge/toEvent.ts publishes them for this board).

export type LeadStatus = (typeof LEAD_STATUS_ORDER)[number];

/** One card. */
export interface LeadCardView {
	id: number;
	title: string;
	company: string | null;
	industry: string | null;
	status: LeadStatus;
	estimateMga: number | null;
	createdAt: string | null;
	updatedAt: string | null;
	badge: AnalysisBadge;
	converted: boolean;
}

export interface PipelineColumn {
	status: LeadStatus;
	cards: LeadCardView[];
	/** The estimates of its cards added up (cards without one add nothing). */
	totalMga: number;
}

const str = (v: Row[string] | undefined) => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: Row[string] | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const stamp = (v: Row[string] | undefined) => {
	const ms = typeof v === 'string' ? Date.parse(v) : Number.NaN;
	return Number.isNaN(ms) ? null : ms;
};

export function isLeadStatus(value: unknown): value is LeadStatus {
	return typeof value === 'string' && (LEAD_STATUS_ORDER as readonly string[]).includes(value);
}

/** Whether revision `a` is strictly later than `b` (an unknown `b` counts as older). */
export function isLater(a: Row[string] | undefined, b: Row[string] | undefined): boolean {
	const x = stamp(a);
	const y = stamp(b);
	return x !== null && (y === null || x > y);
}

/** The card of a lead row: a snapshot row (lib/server/crm/leads.ts cardRow) or a live event's row, which carry the same fields. */
export function cardView(row: Row): LeadCardView | null {
	if (typeof row.id !== 'number') return null;
	return {
		id: row.id,
		title: str(row.title) ?? `#${row.id}`,
		company: str(row.company),
		industry: str(row.industry),
		status: isLeadStatus(row.status) ? row.status : 'new',
		estimateMga: num(row.estimate_mga),
		createdAt: str(row.created_at),
		updatedAt: str(row.updated_at),
		badge: analysisBadge({ analysis_status: str(row.analysis_status), analysis_source: str(row.analysis_source), hasAnalysis: row.has_analysis === true }),
		converted: typeof row.clients_id === 'number'
	};
}

/**
 * The board's columns in pipeline order, newest lead first in each; `moving` shows a card in the column it is
 * being moved to while the move is on its way.
 */
export function pipelineColumns(rows: readonly Row[], moving: Readonly<Record<number, LeadStatus>> = {}): PipelineColumn[] {
	const cards: LeadCardView[] = [];
	for (const row of rows) {
		const card = cardView(row);
		if (card) cards.push({ ...card, status: moving[card.id] ?? card.status });
	}
	cards.sort((a, b) => (stamp(b.createdAt) ?? 0) - (stamp(a.createdAt) ?? 0) || b.id - a.id);
	return LEAD_STATUS_ORDER.map((status) => {
		const own = cards.filter((card) => card.status === status);
		return { status, cards: own, totalMga: own.reduce((sum, card) => sum + (card.estimateMga ?? 0), 0) };
	});
}
