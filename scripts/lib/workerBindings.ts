import type { ResolvedConfig } from '../wranglerRoutes';

/**
 * One line per binding a Worker gets from its resolved wrangler config (`NAME: kind → target`), for the deploy
 * dry run: what the Worker will reach once deployed. Variables are listed by name only (values are public, but
 * the point is which ones exist); secrets are never in a config, so never here.
 */
export function bindingsOf(config: ResolvedConfig): string[] {
	const lines: string[] = [];
	for (const d1 of config.d1_databases ?? []) lines.push(`${d1.binding}: D1 database → ${d1.database_name ?? d1.database_id ?? '?'}`);
	for (const r2 of config.r2_buckets ?? []) lines.push(`${r2.binding}: R2 bucket → ${r2.bucket_name ?? '?'}`);
	for (const kv of config.kv_namespaces ?? []) lines.push(`${kv.binding}: KV namespace → ${kv.id ?? '?'}`);
	for (const dobj of config.durable_objects?.bindings ?? []) {
		lines.push(`${dobj.name}: Durable Object → ${dobj.class_name}${dobj.script_name ? ` in ${dobj.script_name}` : ''}`);
	}
	for (const service of config.services ?? []) lines.push(`${service.binding}: service → ${service.service}${service.entrypoint ? `#${service.entrypoint}` : ''}`);
	if (config.assets?.binding) lines.push(`${config.assets.binding}: static assets → ${config.assets.directory ?? '?'}`);
	for (const name of Object.keys(config.vars ?? {})) lines.push(`${name}: variable`);
	for (const cron of config.triggers?.crons ?? []) lines.push(`cron: ${cron}`);
	return lines;
}
