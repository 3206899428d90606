import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRuntimeApp } from 'bknd/adapter';
import { $console } from 'bknd/utils';
import { createBkndConfig } from './config';

// The deliberate path for destructive schema changes (see bknd/README.md "Migrations").
// Every boot already ADDS what schema.ts declares (tables, columns, indices) and never drops anything.
// This tool boots bknd on the file without serving it, then prints what the database still has that
// schema.ts no longer declares; with --apply-drops it first copies the database next to itself
// (`VACUUM INTO`, consistent under WAL) and then drops those tables, columns and indices.
//
//   BKND_DB=.data/bknd.sqlite npx tsx bknd/migrate.ts                 # dry run: print the drops
//   BKND_DB=.data/bknd.sqlite npx tsx bknd/migrate.ts --apply-drops   # back up, then drop
//
// Stop the server first: bknd keeps the schema it booted with in memory.

$console.setLevel('warn');
const dbPath = resolve(process.env.BKND_DB || '.data/bknd.sqlite');
const apply = process.argv.includes('--apply-drops');
if (!existsSync(dbPath)) {
	console.error(`bknd migrate: no database at ${dbPath} (set BKND_DB).`);
	process.exit(1);
}

// No one logs in here: the secret only satisfies the config.
const { config, client } = createBkndConfig({ dbPath, jwtSecret: 'migrate-tool-no-login' });
const app = await createRuntimeApp(config, {});
const schema = app.em.schema();

const drops = (await schema.getDiff()).filter((t) => t.isDrop || t.columns.drop.length > 0 || t.indices.drop.length > 0);
if (drops.length === 0) {
	console.log('bknd migrate: the database matches schema.ts; nothing to drop.');
} else {
	for (const t of drops) {
		if (t.isDrop) console.log(`drop table ${t.name}`);
		for (const column of t.columns.drop) console.log(`drop column ${t.name}.${column}`);
		for (const index of t.indices.drop) console.log(`drop index ${index} (on ${t.name})`);
	}
	if (apply) {
		const backup = `${dbPath}.before-drop-${new Date().toISOString().replace(/[:.]/g, '-')}`;
		await client.execute({ sql: 'VACUUM INTO ?', args: [backup] });
		console.log(`bknd migrate: backup written to ${backup}`);
		const statements = await schema.sync({ force: true, drop: true });
		for (const { sql } of statements) console.log(`applied: ${sql}`);
	} else {
		console.log('bknd migrate: dry run. Re-run with --apply-drops to back up the file and apply these drops.');
	}
}
client.close();
