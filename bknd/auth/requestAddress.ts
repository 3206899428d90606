import { CLIENT_IP_HEADER } from '../../shared/publicApi';
import { isServiceCall } from '../routes/serviceAuth';
import type { BkndContext } from '../serverTypes';

/**
 * The address a request comes from, for the sign-in throttle: the visitor's address as the web app's server
 * passes it in `x-fataplus-client-ip`, believed only on a call carrying the service secret (anyone else could
 * write any address there); otherwise, on Workers, `cf-connecting-ip` (set by Cloudflare's edge, which
 * overwrites any value a client sends; a request there carries `request.cf`, a Node request never does, so the
 * header is not believed on Node); otherwise the socket's own address (@hono/node-server puts the Node request
 * on `c.env.incoming`). `unknown` when none is there: all such callers then share one budget.
 */
export function requestAddress(c: BkndContext, serviceSecret: string | undefined): string {
	if (isServiceCall(c, serviceSecret)) {
		const forwarded = c.req.header(CLIENT_IP_HEADER)?.trim();
		if (forwarded) return forwarded.slice(0, 64);
	}
	if ((c.req.raw as Request & { cf?: unknown }).cf) {
		const edge = c.req.header('cf-connecting-ip')?.trim();
		if (edge) return edge.slice(0, 64);
	}
	const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
	return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}
