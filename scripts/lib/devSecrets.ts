import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface DevSecrets {
	roomTokenSecret: string;
	bkndJwtSecret: string;
	/** Signs bknd's deliveries to the live rooms (BRIDGE_SECRET, both sides). */
	bridgeSecret: string;
	/** Lets the web app's server use bknd's public routes (BKND_SERVICE_SECRET, both sides). */
	serviceSecret: string;
}

/**
 * Secrets for a local run: from the environment when set, otherwise random ones made on the
 * first run and kept in `.data/` (ignored by git) so sessions survive a restart of `npm start`.
 */
export function loadDevSecrets(file: string, env: NodeJS.ProcessEnv = process.env): DevSecrets {
	let stored: Partial<DevSecrets> = {};
	if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevSecrets>;
	const secrets: DevSecrets = {
		roomTokenSecret: env.ROOM_TOKEN_SECRET ?? stored.roomTokenSecret ?? randomBytes(32).toString('hex'),
		bkndJwtSecret: env.BKND_JWT_SECRET ?? stored.bkndJwtSecret ?? randomBytes(32).toString('hex'),
		bridgeSecret: env.BRIDGE_SECRET ?? stored.bridgeSecret ?? randomBytes(32).toString('hex'),
		serviceSecret: env.BKND_SERVICE_SECRET ?? stored.serviceSecret ?? randomBytes(32).toString('hex')
	};
	mkdirSync(dirname(file), { recursive: true });
	writeFileSync(file, JSON.stringify({ ...stored, ...secrets }, null, 2), { mode: 0o600 });
	return secrets;
}
