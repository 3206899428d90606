import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Y_MESSAGE } from '../../shared/protocol';
import { decodeFrame, encodeFrame, fullStateFrame } from './syncFrames';

describe('syncFrames', () => {
	it('SYNC-FRAME-1: the full-state frame a joiner gets is the y-protocols sync step 2 of the whole document, byte for byte', () => {
		const doc = new Y.Doc();
		// Over 128 bytes, so the length prefix takes more than one varint byte.
		doc.getText('notes').insert(0, 'Relire la maquette de la page d’accueil. '.repeat(500));
		const state = Y.encodeStateAsUpdate(doc);
		const frame = fullStateFrame(3, state);
		const reference = encodeFrame(3, Y_MESSAGE.sync, (e) => {
			encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
			encoding.writeVarUint8Array(e, state);
		});
		expect(frame).toEqual(reference);
		const decoded = decodeFrame(frame);
		expect(decoded).toMatchObject({ kind: 'update', channel: 3 });
		const joiner = new Y.Doc();
		Y.applyUpdate(joiner, (decoded as { update: Uint8Array }).update);
		expect(joiner.getText('notes').toString()).toBe(doc.getText('notes').toString());
	});
});
