import type { ProjectRow } from '$shared/entities';

/** A project as its edit form's values (text, dates as `YYYY-MM-DD`, empty for none). */
export function projectFormValues(project: ProjectRow): Record<string, string> {
	const text = (value: string | number | null | undefined) => (value === null || value === undefined ? '' : String(value));
	return {
		title: project.title,
		description: text(project.description),
		category: text(project.category),
		status: text(project.status) || 'intake',
		progress: text(project.progress ?? 0),
		start_date: text(project.start_date).slice(0, 10),
		due_date: text(project.due_date).slice(0, 10),
		// Grouped as people read ariary ("45 000 000"); the form reads the spaces back.
		budget_mga: typeof project.budget_mga === 'number' ? String(project.budget_mga).replace(/\B(?=(\d{3})+(?!\d))/g, ' ') : '',
		figma_file_key: text(project.figma_file_key),
		internal_notes: text(project.internal_notes),
		margin_pct: text(project.margin_pct)
	};
}
