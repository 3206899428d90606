// Links of the CRM lists, built the same way by their loads (redirects) and their pages (pagination, view switch):
// only the filters in use, so links stay short and shareable.

/** `/crm?q=&page=` */
export function clientsHref(q: string, page = 1): string {
	const params = new URLSearchParams();
	if (q) params.set('q', q);
	if (page > 1) params.set('page', String(page));
	return params.size ? `/crm?${params}` : '/crm';
}

/** The filters of the projects list and board. */
export interface ProjectFilters {
	tenant: number | null;
	status?: string | null;
	category: string | null;
	late?: boolean;
}

/** `/crm/projects?tenant=&status=&category=&late=1&page=` (or the board at `/crm/projects/board`, which has no status or page). */
export function projectsHref(filters: ProjectFilters, { page = 1, board = false }: { page?: number; board?: boolean } = {}): string {
	const params = new URLSearchParams();
	if (filters.tenant !== null) params.set('tenant', String(filters.tenant));
	if (filters.status && !board) params.set('status', filters.status);
	if (filters.category) params.set('category', filters.category);
	if (filters.late && !board) params.set('late', '1');
	if (page > 1 && !board) params.set('page', String(page));
	const path = board ? '/crm/projects/board' : '/crm/projects';
	return params.size ? `${path}?${params}` : path;
}
