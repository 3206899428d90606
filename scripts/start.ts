// `npm start`: builds the web app if needed, then starts bknd (seeded demo data), the rooms
// (PartyServer worker under wrangler dev) and the web app (wrangler dev) on loopback, prints where they are, and stops
// all three on Ctrl-C.
import { join } from 'node:path';
import { startBknd, type BkndServer } from './lib/bknd';
import { loadDevSecrets } from './lib/devSecrets';
import { ROOT } from './lib/root';
import { startRooms, type RoomsServer } from './lib/rooms';
import { startWeb, type WebServer } from './lib/web';
import { ensureWebBuilt } from './lib/webBuild';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const BKND_PORT = port('BKND_PORT', 1337);
const ROOMS_PORT = port('ROOMS_PORT', 1999);
const WEB_PORT = port('WEB_PORT', 5173);
const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'fataplus-demo';

const running: Array<BkndServer | RoomsServer | WebServer> = [];
let stopping = false;

async function stopAll(code: number) {
	if (stopping) return;
	stopping = true;
	console.log('\nArrêt des services…');
	await Promise.allSettled(running.reverse().map((service) => service.stop()));
	process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
	const secrets = loadDevSecrets(join(ROOT, '.data/dev-secrets.json'));
	ensureWebBuilt();
	// Rooms first: bknd delivers its changes to the live rooms (bknd/bridge/) as soon as it is up (they would
	// wait in its outbox otherwise, with a warning).
	const rooms = await startRooms({
		port: ROOMS_PORT,
		stateDir: join(ROOT, '.wrangler/state/rooms'),
		secret: secrets.roomTokenSecret,
		bridgeSecret: secrets.bridgeSecret,
		quiet: false
	});
	running.push(rooms);
	const roomsUrl = `http://localhost:${ROOMS_PORT}`;
	const bknd = await startBknd({
		dbPath: process.env.BKND_DB ?? join(ROOT, '.data/bknd.sqlite'),
		port: BKND_PORT,
		jwtSecret: secrets.bkndJwtSecret,
		demoPassword: DEMO_PASSWORD,
		liveRoomsUrl: rooms.url,
		bridgeSecret: secrets.bridgeSecret,
		serviceSecret: secrets.serviceSecret,
		quiet: false
	});
	running.push(bknd);
	// Claude for the intake analysis when a key is set; without one the offline analyser answers.
	const anthropic = Object.fromEntries(
		(['ANTHROPIC_API_KEY', 'ANTHROPIC_MODEL', 'ANTHROPIC_BASE_URL'] as const).flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : []))
	);
	const web = await startWeb({
		bkndUrl: bknd.url,
		roomsUrl,
		roomTokenSecret: secrets.roomTokenSecret,
		serviceSecret: secrets.serviceSecret,
		vars: anthropic,
		port: WEB_PORT,
		quiet: false
	});
	running.push(web);

	console.log(`
Fataplus Live tourne en local.

  Application web   ${web.url}
    tenant (chemin)     ${web.url}/ferme-verte
    tenant (sous-domaine) http://ferme-verte.localhost:${WEB_PORT}
  Salles (PartyServer) ${roomsUrl}
  Backend (bknd)    ${bknd.url}/api

Comptes de démonstration (mot de passe : ${DEMO_PASSWORD})
  admin@fata.plus               admin
  designer@fata.plus            designer
  partner@studio-partenaire.mg  partenaire (Studio Partenaire)
  client@ferme-verte.mg         client de ferme-verte
  client@atelier-sud.mg         client de atelier-sud

Ctrl-C pour tout arrêter.
`);
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	await stopAll(1);
}
