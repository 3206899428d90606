import { DurableObject } from 'cloudflare:workers';
import { decodeValue, encodeValue, type ProbeCall } from './probeWire';

interface ProbeEnv {
	Probe: DurableObjectNamespace<StorageProbe>;
}

/** Runs each storage call it is sent on its own `ctx.storage` (SQLite-backed), exactly as DocStore would make it. */
export class StorageProbe extends DurableObject<ProbeEnv> {
	override async fetch(request: Request): Promise<Response> {
		const call = decodeValue<ProbeCall>(await request.text());
		try {
			if (call.op === 'list') return reply([...(await this.ctx.storage.list(call.options)).entries()]);
			if (call.op === 'put') return reply(await this.ctx.storage.put(call.entries));
			return reply(await this.ctx.storage.delete(call.keys));
		} catch (error) {
			// The storage refused the call (e.g. a value over the limit): the client rejects with this message.
			return new Response(encodeValue({ error: String(error) }), { status: 500 });
		}
	}
}

const reply = (result: unknown) => new Response(encodeValue({ result: result ?? null }));

/** `POST /<object name>` with a ProbeCall: one object per name, so each test gets empty storage. */
export default {
	async fetch(request: Request, env: ProbeEnv): Promise<Response> {
		const name = new URL(request.url).pathname.slice(1);
		if (request.method !== 'POST' || !name) return Response.json({ error: 'POST /<name>' }, { status: 404 });
		return env.Probe.get(env.Probe.idFromName(name)).fetch(request);
	}
} satisfies ExportedHandler<ProbeEnv>;
