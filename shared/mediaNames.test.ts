import { describe, expect, it } from 'vitest';
import { mediaName, parseMediaName, sniffImageType } from './mediaNames';

const HEX = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const bytes = (text: string) => new TextEncoder().encode(text);

describe('stored media names', () => {
	it('MEDIA-1 a name encodes its project and type', () => {
		expect(parseMediaName(`p12-${HEX}.png`)).toEqual({ projectId: 12, extension: 'png', contentType: 'image/png' });
		expect(parseMediaName(`p7-${HEX}.jpg`)?.contentType).toBe('image/jpeg');
		expect(mediaName(12, HEX, 'webp')).toBe(`p12-${HEX}.webp`);
	});

	it.each([
		['a traversal', `../p12-${HEX}.png`],
		['an encoded traversal', `..%2Fp12-${HEX}.png`],
		['a folder', `x/p12-${HEX}.png`],
		['a backslash', `x\\p12-${HEX}.png`],
		['an absolute path', `/p12-${HEX}.png`],
		['a NUL', `p12-${HEX}.png\u0000.txt`],
		['a trailing newline', `p12-${HEX}.png\n`],
		['an svg', `p12-${HEX}.svg`],
		['upper case', `p12-${HEX.toUpperCase()}.png`],
		['a short random part', 'p12-abc.png'],
		['project 0', `p0-${HEX}.png`],
		['a leading zero', `p012-${HEX}.png`],
		['no project', `-${HEX}.png`],
		['a client-chosen name', 'maquette.png']
	])('MEDIA-2 %s is never a stored name', (_what, name) => {
		expect(parseMediaName(name)).toBeNull();
	});

	it('MEDIA-2 a name is never built from parts that would not parse', () => {
		expect(() => mediaName(0, HEX, 'png')).toThrow();
		expect(() => mediaName(12, '../x', 'png')).toThrow();
		expect(() => mediaName(12, HEX, 'svg' as never)).toThrow();
	});
});

describe('image sniffing', () => {
	it('MEDIA-3 knows png, jpeg, gif and webp by their bytes', () => {
		expect(sniffImageType(PNG)).toBe('png');
		expect(sniffImageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpg');
		expect(sniffImageType(bytes('GIF89a....'))).toBe('gif');
		expect(sniffImageType(bytes('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '))).toBe('webp');
	});

	it('MEDIA-3 an svg, a text file or an empty body is never an image', () => {
		expect(sniffImageType(bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBeNull();
		expect(sniffImageType(bytes('<?xml version="1.0"?><svg/>'))).toBeNull();
		expect(sniffImageType(bytes('not really a png'))).toBeNull();
		expect(sniffImageType(new Uint8Array())).toBeNull();
		expect(sniffImageType(PNG.slice(0, 4))).toBeNull();
		expect(sniffImageType(bytes('RIFF\u0000\u0000\u0000\u0000WAVE'))).toBeNull();
	});
});
