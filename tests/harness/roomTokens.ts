import { signRoomToken, type RoomTokenSubject } from '../../shared/roomToken';
import { TEST_ROOM_TOKEN_SECRET } from './secrets';

/** Mints a room token as the web app would, for tests that talk to rooms directly. */
export async function mintRoomToken(
	subject: Partial<RoomTokenSubject> & Pick<RoomTokenSubject, 'tenant'>,
	{ secret = TEST_ROOM_TOKEN_SECRET, now, ttlSeconds }: { secret?: string; now?: number; ttlSeconds?: number } = {}
): Promise<string> {
	const { token } = await signRoomToken(
		{ sub: '7', name: 'Hery Rakoto', role: 'designer', projects: [], ...subject },
		secret,
		{ now, ttlSeconds }
	);
	return token;
}
