import { Hono, type Context } from 'hono';
import { clientCommandSchema, type ClientCommand } from '../../shared/review/commands';
import { WIRE_LIMITS, type ErrorCode } from '../../shared/protocol';
import type { Actor } from '../../shared/review';
import { roomPath } from '../../shared/roomNames';
import type { RoomTokenClaims } from '../../shared/roomToken';
import { REVOCATION_NOTICE_PATH, type RevocationAnswer } from '../../shared/live/revocationNotice';
import { readCappedText } from '../../shared/cappedBody';
import type { RevocationInbox } from './RevocationInbox';
import type { ReviewRoom } from './ReviewRoom';
import { CLOSE_REASON } from '../../shared/closeCodes';
import { httpStatus } from './roomErrors';
import { TokenBucket } from './TokenBucket';

type Authorize = (token: string | null) => Promise<{ ok: true; claims: RoomTokenClaims } | { ok: false; status: number; error: string }>;
type Env = { Variables: { actor: Actor; body: string } };


/**
 * The review over HTTP, for scripts and integrations: the same commands as the WebSocket path,
 * through the same `ReviewRoom.run`, authenticated by a Bearer room token. Routes see the full
 * path (`/ws/project/<room>/...`). With an `inbox`, also `POST …/revocations`: signed
 * notices from the tenant's live room that a partner's share was revoked (RevocationInbox).
 */
export function reviewApi(getRoom: () => Promise<ReviewRoom>, authorize: Authorize, now: () => number = Date.now, inbox?: RevocationInbox): Hono<Env> {
	const app = new Hono<Env>().basePath(roomPath('project', ':room'));
	const buckets = new Map<string, TokenBucket>();

	app.use('*', async (c, next) => {
		const read = await readCappedText(c.req.raw, WIRE_LIMITS.frameBytes);
		if (!read.ok) return read.status === 413 ? c.json({ error: `body over ${WIRE_LIMITS.frameBytes} bytes` }, 413) : c.json({ error: 'the body is not UTF-8 text' }, 400);
		c.set('body', read.text);
		return next();
	});
	// Registered before the Bearer check on purpose: a notice is signed with BRIDGE_SECRET, it carries no room token.
	if (inbox) {
		app.post(`/${REVOCATION_NOTICE_PATH}`, async (c) => {
			const checked = await inbox.receive({ headers: c.req.raw.headers, body: c.get('body') });
			if (!checked.ok) return c.json({ error: checked.error }, checked.status);
			const closed = (await getRoom()).revokePartner(checked.notice.partnerId, checked.notice.at);
			return c.json({ closed } satisfies RevocationAnswer, 200);
		});
	}
	app.use('*', async (c, next) => {
		const header = c.req.header('authorization') ?? '';
		const auth = await authorize(header.startsWith('Bearer ') ? header.slice(7) : null);
		if (!auth.ok) return c.json({ error: auth.error }, auth.status === 403 ? 403 : 401);
		const room = await getRoom();
		if (room.isRevoked(auth.claims)) return c.json({ error: CLOSE_REASON.accessRevoked }, 403);
		c.set('actor', room.actorOf(auth.claims));
		return next();
	});

	app.get('/threads', async (c) => {
		const view = (await getRoom()).view(c.get('actor'));
		const { status, frame, version } = c.req.query();
		const threads = view.threads.filter(
			(t) => (!status || t.status === status) && (!frame || t.frameId === frame) && (!version || t.versionId === version)
		);
		return c.json({ threads });
	});

	app.get('/versions', async (c) => c.json({ versions: (await getRoom()).view(c.get('actor')).versions }));
	app.get('/rounds', async (c) => c.json({ rounds: (await getRoom()).view(c.get('actor')).rounds }));

	const post = (path: string, type: ClientCommand['type'], params: (c: Context<Env>) => Record<string, string> = () => ({})) =>
		app.post(path, async (c) => {
			const actor = c.get('actor');
			let bucket = buckets.get(actor.userId);
			if (!bucket) buckets.set(actor.userId, (bucket = new TokenBucket(WIRE_LIMITS.commandsPerSecond, WIRE_LIMITS.commandBurst, now())));
			if (!bucket.take(now())) return c.json({ error: `too many commands: at most ${WIRE_LIMITS.commandsPerSecond} per second` }, 429);
			const body = parseJson(c.get('body'));
			if (typeof body !== 'object' || body === null || Array.isArray(body)) return c.json({ error: 'expected a JSON object body' }, 400);
			const parsed = clientCommandSchema.safeParse({ commandId: crypto.randomUUID().replaceAll('-', ''), ...body, ...params(c), type });
			if (!parsed.success) {
				const issue = parsed.error.issues[0];
				return c.json({ error: `invalid ${type}: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` }, 400);
			}
			const outcome = await (await getRoom()).run(actor, parsed.data);
			if (!outcome.ok) return c.json({ error: outcome.message }, httpStatus(outcome.code as ErrorCode));
			return c.json({ ok: true, commandId: parsed.data.commandId, duplicate: outcome.duplicate, created: outcome.created }, outcome.duplicate ? 200 : 201);
		});

	post('/threads', 'thread.create');
	post('/threads/:threadId/replies', 'thread.reply', (c) => ({ threadId: c.req.param('threadId')! }));
	post('/threads/:threadId/resolve', 'thread.resolve', (c) => ({ threadId: c.req.param('threadId')! }));
	post('/threads/:threadId/reopen', 'thread.reopen', (c) => ({ threadId: c.req.param('threadId')! }));
	post('/rounds', 'round.open');
	post('/rounds/:roundId/decisions', 'round.decide', (c) => ({ roundId: c.req.param('roundId')! }));

	app.notFound((c) => c.json({ error: 'unknown route' }, 404));
	app.onError((error, c) => {
		console.error('[review api]', error);
		return c.json({ error: 'internal error' }, 500);
	});
	return app;
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
