import { describe, expect, it } from 'vitest';
import { DRAIN_LIMIT, readCappedBytes, readCappedJson, readCappedText } from './cappedBody';
import { PUBLIC_BODY_LIMIT } from './publicApi';

// The one capped body reader of the web server, the rooms and bknd. What must never happen: a body over the cap
// buffered (or accepted) because its content-length lied, or a refused sender cut off mid-upload (a reset instead of
// the 413) while its body is within the drain allowance.

const post = (body: BodyInit, headers: Record<string, string> = {}) => new Request('http://x/api', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

/** A streamed body of `chunks` chunks of `size` bytes that records how many were read and whether it was cancelled. */
function countingBody(chunks: number, size: number) {
	const seen = { pulled: 0, cancelled: false };
	const stream = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (seen.pulled === chunks) return controller.close();
			seen.pulled++;
			controller.enqueue(new Uint8Array(size).fill(120));
		},
		cancel() {
			seen.cancelled = true;
		}
	});
	return { stream, seen };
}

describe('capped body readers', () => {
	it('BODY-1: reads a JSON body under the limit; an absent body is empty', async () => {
		expect(await readCappedJson(post(JSON.stringify({ a: 1 })), PUBLIC_BODY_LIMIT)).toEqual({ ok: true, value: { a: 1 } });
		expect(await readCappedText(new Request('http://x/'), 10)).toEqual({ ok: true, text: '' });
	});

	it('BODY-2: refuses 413 over the limit, whatever content-length claims', async () => {
		const big = JSON.stringify({ text: 'x'.repeat(PUBLIC_BODY_LIMIT) });
		expect(await readCappedJson(post(big), PUBLIC_BODY_LIMIT)).toEqual({ ok: false, status: 413 });
		const { stream } = countingBody(3, PUBLIC_BODY_LIMIT);
		expect(await readCappedBytes(post(stream, { 'content-length': '10' }), PUBLIC_BODY_LIMIT)).toEqual({ ok: false, status: 413 });
	});

	it('BODY-3: refuses 400 for a body that is empty JSON, not JSON or not UTF-8', async () => {
		expect(await readCappedJson(post(''), 100)).toEqual({ ok: false, status: 400 });
		expect(await readCappedJson(post('{nope'), 100)).toEqual({ ok: false, status: 400 });
		expect(await readCappedJson(post(new Uint8Array([0x7b, 0xff, 0x7d])), 100)).toEqual({ ok: false, status: 400 });
		expect(await readCappedText(post(new Uint8Array([0xc3])), 100)).toEqual({ ok: false, status: 400 });
	});

	it('BODY-4: one drain policy: a refused body is read to its end within the drain allowance, and cancelled past it', async () => {
		const chunk = 64 * 1024;
		const small = countingBody(16, chunk); // 1 MiB, over a 100-byte cap but within the allowance
		expect(await readCappedBytes(post(small.stream), 100)).toEqual({ ok: false, status: 413 });
		expect(small.seen).toEqual({ pulled: 16, cancelled: false });
		const huge = countingBody(1_000, chunk); // 64 MiB: the reading stops near DRAIN_LIMIT
		expect(await readCappedBytes(post(huge.stream), 100)).toEqual({ ok: false, status: 413 });
		expect(huge.seen.cancelled).toBe(true);
		expect(huge.seen.pulled * chunk).toBeLessThanOrEqual(DRAIN_LIMIT + 2 * chunk);
	});
});
