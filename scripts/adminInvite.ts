import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createRuntimeApp } from 'bknd/adapter';
import { $console } from 'bknd/utils';
import { z } from 'zod';
import { adminInviteSchema, inviteAdmin, welcomeUrl } from '../bknd/adminInvite';
import { createBkndConfig } from '../bknd/config';

// `npm run admin:invite -- --email <address> [--name <name>] [--env local|production] [--base-url <url>]`
//
// The first admin of an installation without demo data (production never seeds). Creates the admin account,
// or finds it, and prints a one-time `/welcome/<token>` link (72 h) through which the person sets a password.
// Running it again for the same address makes a new link and no second account. The logic is bknd/adminInvite.ts,
// which takes a built App: only the opening of the database below is tied to bknd running on a SQLite file
// (BKND_DB, as bknd/serve.ts reads it). In production BKND_DB must be given: no default path is written by accident.
// The link goes to stdout; the rest to stderr.

const BASE_URLS = { local: 'http://localhost:5173', production: 'https://fata.plus' } as const;

const argsSchema = z.strictObject({
	email: z.string({ error: '--email <address> is required' }),
	name: z.string().optional(),
	env: z.enum(['local', 'production'], { error: '--env must be local or production' }).default('local'),
	'base-url': z.url({ protocol: /^https?$/, error: '--base-url must be an http(s) URL' }).optional()
});

function fail(message: string): never {
	console.error(`admin:invite: ${message}`);
	process.exit(1);
}

function readArgs(): z.output<typeof argsSchema> {
	let values: Record<string, unknown>;
	try {
		values = parseArgs({
			options: { email: { type: 'string' }, name: { type: 'string' }, env: { type: 'string' }, 'base-url': { type: 'string' } },
			strict: true
		}).values;
	} catch (error) {
		return fail(error instanceof Error ? error.message : String(error));
	}
	const parsed = argsSchema.safeParse(values);
	return parsed.success ? parsed.data : fail(parsed.error.issues.map((issue) => issue.message).join('; '));
}

const args = readArgs();
// Checked before the database is opened: bad input changes nothing.
const invite = adminInviteSchema.safeParse({ email: args.email, name: args.name });
// (The schema's own messages are the web form's translation keys; say it in words here.)
const INVALID = { email: '--email must be an email address (at most 254 characters)', name: '--name must be 1 to 120 characters' };
if (!invite.success) fail([...new Set(invite.error.issues.map((issue) => INVALID[issue.path[0] as keyof typeof INVALID]))].join('; '));
if (args.env === 'production' && !process.env.BKND_DB) fail('--env production needs BKND_DB, the production database file.');
const dbPath = resolve(process.env.BKND_DB || '.data/bknd.sqlite');
if (args.env === 'production' && !existsSync(dbPath)) fail(`no database at ${dbPath}: start bknd on it once first.`);
mkdirSync(dirname(dbPath), { recursive: true });

$console.setLevel('warn');
// No one signs in through this App: the secret only satisfies the config. No bridge, no seed.
const { config, client } = createBkndConfig({ dbPath, jwtSecret: 'admin-invite-tool-no-login' });
try {
	const app = await createRuntimeApp(config, {});
	const invited = await inviteAdmin(app, invite.data);
	const { account, link } = invited;
	console.error(`admin:invite: ${invited.created ? 'created' : 'found'} admin #${account.id} ${account.email} in ${dbPath}`);
	console.error(`admin:invite: one-time link, valid until ${link.expiresAt}; earlier unused links of this account no longer work:`);
	process.stdout.write(`${welcomeUrl(args['base-url'] ?? BASE_URLS[args.env], link.token)}\n`);
} catch (error) {
	fail(error instanceof z.ZodError ? error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') : error instanceof Error ? error.message : String(error));
} finally {
	client.close();
}
