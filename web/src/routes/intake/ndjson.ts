import { intakeEventSchema, type IntakeEvent } from '../../../../shared/intake/stream';

/**
 * The events of POST /api/leads's streamed answer, each as soon as its line is complete. Lines that are not a
 * known event are skipped: the page shows what it understands and the final state comes from `result`/`error`.
 */
export async function* readIntakeEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<IntakeEvent> {
	const reader = body.getReader();
	const decoder = new TextDecoder();
	let buffer = '';
	try {
		for (;;) {
			const { done, value } = await reader.read();
			// `stream: true` keeps a character split across two chunks whole.
			buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
			let end: number;
			while ((end = buffer.indexOf('\n')) >= 0) {
				const event = parseLine(buffer.slice(0, end));
				buffer = buffer.slice(end + 1);
				if (event) yield event;
			}
			if (done) break;
		}
		const last = parseLine(buffer);
		if (last) yield last;
	} finally {
		reader.releaseLock();
	}
}

function parseLine(line: string): IntakeEvent | null {
	if (line.trim() === '') return null;
	try {
		const parsed = intakeEventSchema.safeParse(JSON.parse(line));
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}
