import { describe, expect, it } from 'vitest';
import { PUBLIC_BODY_LIMIT, readLimitedJson } from './readLimitedJson';

const post = (body: BodyInit, headers: Record<string, string> = {}) => new Request('http://x/api', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('readLimitedJson', () => {
	it('PUB-1: reads a JSON body under the limit', async () => {
		expect(await readLimitedJson(post(JSON.stringify({ a: 1 })))).toEqual({ ok: true, value: { a: 1 } });
	});

	it('PUB-2: refuses 413 over 64 KiB, whatever content-length claims', async () => {
		const big = JSON.stringify({ text: 'x'.repeat(PUBLIC_BODY_LIMIT) });
		expect(await readLimitedJson(post(big))).toEqual({ ok: false, status: 413 });
		const stream = new ReadableStream<Uint8Array>({
			start(controller) {
				controller.enqueue(new TextEncoder().encode(big));
				controller.close();
			}
		});
		expect(await readLimitedJson(post(stream, { 'content-length': '10' }))).toEqual({ ok: false, status: 413 });
	});

	it('PUB-3: refuses 400 for a body that is not JSON or not UTF-8', async () => {
		expect(await readLimitedJson(post('{nope'))).toEqual({ ok: false, status: 400 });
		expect(await readLimitedJson(post(new Uint8Array([0x7b, 0xff, 0x7d])))).toEqual({ ok: false, status: 400 });
	});
});
