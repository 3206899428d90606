import { SUBMISSIONS_TABLE } from '../../bknd/routes/submissionLimit';
import { openSqliteFile } from '../../bknd/sqliteFile';
import { DEMO_PASSWORD } from './stack';

/** Empties bknd's per-address counter of public submissions (every test request comes from 127.0.0.1). */
export async function resetSubmissionLimit(dbPath: string): Promise<void> {
	const db = openSqliteFile(dbPath);
	try {
		await db.execute(`DELETE FROM ${SUBMISSIONS_TABLE}`);
	} finally {
		db.close();
	}
}

/** Signs in straight at bknd (not through the web app) and returns its token. */
export async function bkndLogin(bkndUrl: string, email: string, password = DEMO_PASSWORD): Promise<string> {
	const response = await fetch(`${bkndUrl}/api/auth/password/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email, password })
	});
	if (!response.ok) throw new Error(`bknd login ${email}: ${response.status}`);
	return ((await response.json()) as { token: string }).token;
}

/** Reads rows of an entity from bknd with a token. */
export async function bkndRows<T = Record<string, unknown>>(bkndUrl: string, token: string, entity: string, query = ''): Promise<T[]> {
	const response = await fetch(`${bkndUrl}/api/data/entity/${entity}?limit=1000${query}`, {
		headers: { authorization: `Bearer ${token}` }
	});
	if (!response.ok) throw new Error(`bknd ${entity}: ${response.status}`);
	return ((await response.json()) as { data: T[] }).data;
}

/** Changes one row of an entity at bknd with a token (e.g. revoking a share as admin); throws unless 200. */
export async function bkndPatch(bkndUrl: string, token: string, entity: string, id: number, body: Record<string, unknown>): Promise<void> {
	const response = await fetch(`${bkndUrl}/api/data/entity/${entity}/${id}`, {
		method: 'PATCH',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	if (!response.ok) throw new Error(`bknd PATCH ${entity}/${id}: ${response.status} ${await response.text()}`);
}

/** The demo seed's ids the bridge tests write to: ferme-verte (client) and a project of it, and a project of atelier-sud. */
export async function demoIds(bkndUrl: string, token: string): Promise<{ ferme: number; fermeProject: number; sudProject: number }> {
	const clients = await bkndRows<{ id: number; slug: string }>(bkndUrl, token, 'clients');
	const ferme = clients.find((c) => c.slug === 'ferme-verte')!.id;
	const sud = clients.find((c) => c.slug === 'atelier-sud')!.id;
	const projects = await bkndRows<{ id: number; clients_id: number }>(bkndUrl, token, 'projects');
	return { ferme, fermeProject: projects.find((p) => p.clients_id === ferme)!.id, sudProject: projects.find((p) => p.clients_id === sud)!.id };
}
