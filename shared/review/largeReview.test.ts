import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Actor } from './actor';
import { applyCommand } from './applyCommand';
import type { CommandResult } from './outcome';
import { readReview } from './readReview';
import { ACTORS, MEMBERS, newDocs, stamps } from './testKit';

// A benchmark in the unit tier: builds a large review as the room would and prints what each command and a
// new client's load cost. No timing assertions (machines differ, and CI shares them); the shape of what was
// built is asserted, so the numbers measure what they say. Reference figures are in README.md.
const { designer, client } = ACTORS;

function timer() {
	const start = performance.now();
	return () => Math.round((performance.now() - start) * 100) / 100;
}

function session() {
	const docs = newDocs();
	const stamp = stamps();
	let count = 0;
	const run = (actor: Actor, command: Record<string, unknown>): CommandResult => {
		const result = applyCommand(docs, { commandId: `c${++count}`, ...command }, stamp(actor), MEMBERS);
		if (!result.ok) throw new Error(`${String(command.type)} refused: ${result.message}`);
		return result;
	};
	return { docs, run, created: (result: CommandResult) => (result.ok ? result.effects.created[0]!.id : '') };
}

describe('a large review (benchmark: prints its numbers, asserts no timing)', () => {
	it('10,000 threads, 3/4 in the client lane: thread.create and thread.reply stay flat; a new client loads the client document', () => {
		const { docs, run, created } = session();
		const frameId = created(run(designer, { type: 'frame.add', name: 'Accueil', width: 1440, height: 900 }));
		run(designer, { type: 'version.add', label: 'V1', clientVisible: true });
		const clientThreads: string[] = [];
		const creates = timer();
		let firstThousand = 0;
		let lastThousand = timer();
		for (let i = 0; i < 10_000; i++) {
			if (i === 1000) firstThousand = creates();
			if (i === 9000) lastThousand = timer();
			const lane = i % 4 === 3 ? 'internal' : 'client';
			const result = run(lane === 'client' ? client : designer, {
				type: 'thread.create', lane, frameId, anchor: { kind: 'point', x: 0.5, y: 0.25 }, body: `Commentaire numéro ${i} sur cet écran`, mentions: []
			});
			if (lane === 'client') clientThreads.push(created(result));
		}
		const createMs = creates();
		const perCreateLast = lastThousand() / 1000;

		const update = Y.encodeStateAsUpdate(docs.client);
		const encode = timer();
		Y.encodeStateAsUpdate(docs.client);
		const encodeMs = encode();
		const loads = [0, 1].map(() => {
			const fresh = new Y.Doc();
			const apply = timer();
			Y.applyUpdate(fresh, update);
			return { fresh, ms: apply() };
		});
		const read = timer();
		const view = readReview({ client: loads[0]!.fresh }, client);
		const readMs = read();
		// What the page pays on each change once the review is shown: one entry changed, the rest cached.
		const fresh = loads[0]!.fresh;
		const someThread = [...fresh.getMap('threads').keys()][42]!;
		fresh.getMap('threads').set(someThread, (fresh.getMap('threads').get(someThread) as string).replace('"open"', '"resolved"'));
		const reread = timer();
		const after = readReview({ client: fresh }, client);
		const rereadMs = reread();
		expect(after.threads.find((t) => t.id === someThread)!.status).toBe('resolved');
		expect(view.threads.find((t) => t.id === someThread)!.status).toBe('open');

		const replies = timer();
		for (let i = 0; i < 1000; i++) run(designer, { type: 'thread.reply', threadId: clientThreads[(i * 7) % clientThreads.length]!, body: `Réponse ${i}`, mentions: [] });
		const perReply = replies() / 1000;

		expect(clientThreads).toHaveLength(7500);
		expect(loads[0]!.fresh.getMap('threads').size).toBe(7500);
		expect(view.threads).toHaveLength(7500);
		expect(docs.client.getMap('applied').size).toBe(0);
		console.log(
			[
				'10,000 thread.create (7,500 in the client lane):',
				`  thread.create  ${(createMs / 10_000).toFixed(3)} ms avg (first 1,000: ${(firstThousand / 1000).toFixed(3)}, last 1,000: ${perCreateLast.toFixed(3)})`,
				`  thread.reply   ${perReply.toFixed(3)} ms avg over 1,000 at 10,000 threads`,
				`  client doc     ${update.byteLength.toLocaleString('en')} bytes, encode ${encodeMs} ms`,
				`  applyUpdate    ${loads[0]!.ms} ms into a new Y.Doc (again: ${loads[1]!.ms} ms; a cold process pays more)`,
				`  readReview     ${readMs} ms for the client's view; ${rereadMs} ms again after one thread changed`,
				`  ledger         ${Y.encodeStateAsUpdate(docs.ledger).byteLength.toLocaleString('en')} bytes, server-side only`
			].join('\n')
		);
	}, 120_000);

	it('5,000 frames: frame.add does not parse every frame', () => {
		const { docs, run } = session();
		for (let i = 0; i < 4900; i++) run(designer, { type: 'frame.add', name: `Écran ${i}`, width: 390, height: 844 });
		const adds = timer();
		for (let i = 0; i < 100; i++) run(designer, { type: 'frame.add', name: `Nouvel écran ${i}`, width: 390, height: 844 });
		const perAdd = adds() / 100;
		const view = readReview(docs, designer);
		expect(view.frames).toHaveLength(5000);
		expect(view.frames.at(-1)!.name).toBe('Nouvel écran 99');
		expect(Math.max(...view.frames.map((f) => f.order.length))).toBeLessThanOrEqual(8);
		console.log(`5,000 frames: frame.add ${perAdd.toFixed(3)} ms per add (the last 100)`);
	}, 120_000);
});
