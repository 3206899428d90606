import { startBknd, type BkndServer } from '../../scripts/lib/bknd';
import { freePort } from '../../scripts/lib/freePort';
import { startRooms, type RoomsServer } from '../../scripts/lib/rooms';
import { startWeb, type WebServer } from '../../scripts/lib/web';
import { TEST_BKND_JWT_SECRET, TEST_BRIDGE_SECRET, TEST_ROOM_TOKEN_SECRET, TEST_SERVICE_SECRET } from './secrets';

export const DEMO_PASSWORD = 'fataplus-demo';

export const DEMO_USERS = {
	admin: 'admin@fata.plus',
	designer: 'designer@fata.plus',
	partner: 'partner@studio-partenaire.mg',
	clientFerme: 'client@ferme-verte.mg',
	clientSud: 'client@atelier-sud.mg'
} as const;

export interface Stack {
	bknd: BkndServer;
	rooms: RoomsServer;
	web: WebServer;
	stop(): Promise<void>;
}

/**
 * The whole product on loopback: seeded bknd, the rooms worker (its deploy bundle in workerd) and the built web app under wrangler dev. bknd's live
 * bridge delivers its changes to the rooms' live feeds (both start at once: the rooms' port is chosen first, and
 * deliveries wait in bknd's outbox until the rooms answer).
 */
export interface StackOptions {
	/** More web worker variables, e.g. `{ ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL }` pointing at a fake Claude. */
	webVars?: Record<string, string>;
}

export async function startStack({ webVars }: StackOptions = {}): Promise<Stack> {
	const roomsPort = await freePort();
	const [bknd, rooms] = await Promise.all([
		startBknd({
			jwtSecret: TEST_BKND_JWT_SECRET,
			demoPassword: DEMO_PASSWORD,
			liveRoomsUrl: `http://127.0.0.1:${roomsPort}`,
			bridgeSecret: TEST_BRIDGE_SECRET,
			serviceSecret: TEST_SERVICE_SECRET
		}),
		startRooms({ port: roomsPort, secret: TEST_ROOM_TOKEN_SECRET, bridgeSecret: TEST_BRIDGE_SECRET })
	]);
	const web = await startWeb({ bkndUrl: bknd.url, roomsUrl: rooms.url, roomTokenSecret: TEST_ROOM_TOKEN_SECRET, serviceSecret: TEST_SERVICE_SECRET, vars: webVars });
	return {
		bknd,
		rooms,
		web,
		async stop() {
			await Promise.allSettled([web.stop(), rooms.stop(), bknd.stop()]);
		}
	};
}
