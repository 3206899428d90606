import { describe, expect, it } from 'vitest';
import { MAX_MEDIA_BYTES } from '../../../../shared/mediaNames';
import { readImageUpload } from './imageUpload';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

function multipart(bytes: Uint8Array<ArrayBuffer>, { field = 'file', name = 'maquette.png', type = 'image/png' } = {}): Request {
	const form = new FormData();
	form.append(field, new Blob([bytes], { type }), name);
	return new Request('http://app.test/ferme-verte/projects/1/review/images', { method: 'POST', body: form });
}

describe('readImageUpload (WEB-MEDIA rules, checked again by bknd/mediaRules.ts)', () => {
	it('WEB-MEDIA-1 accepts a png by its bytes, whatever the client named it', async () => {
		const result = await readImageUpload(multipart(PNG, { name: '../../etc/passwd', type: 'application/octet-stream' }));
		expect(result).toMatchObject({ ok: true, extension: 'png' });
		expect(result.ok && result.bytes).toEqual(PNG);
	});

	it('WEB-MEDIA-2 an svg or a text file named .png is never accepted (415)', async () => {
		const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
		expect(await readImageUpload(multipart(svg, { name: 'logo.svg', type: 'image/svg+xml' }))).toEqual({ ok: false, status: 415, key: 'api.imageType' });
		const text = new TextEncoder().encode('not an image');
		expect(await readImageUpload(multipart(text))).toEqual({ ok: false, status: 415, key: 'api.imageType' });
	});

	it('WEB-MEDIA-3 an image over 5 MiB is never accepted (413), nor an empty one or a missing field (400)', async () => {
		const big = new Uint8Array(MAX_MEDIA_BYTES + 1);
		big.set(PNG);
		expect(await readImageUpload(multipart(big))).toEqual({ ok: false, status: 413, key: 'api.imageTooLarge' });
		expect(await readImageUpload(multipart(new Uint8Array()))).toEqual({ ok: false, status: 400, key: 'api.imageMissing' });
		expect(await readImageUpload(multipart(PNG, { field: 'image' }))).toEqual({ ok: false, status: 400, key: 'api.imageMissing' });
	});

	it('WEB-MEDIA-4 a body that is not multipart is refused (415)', async () => {
		const raw = new Request('http://app.test/x', { method: 'POST', body: PNG, headers: { 'content-type': 'image/png' } });
		expect(await readImageUpload(raw)).toEqual({ ok: false, status: 415, key: 'api.imageMissing' });
	});
});
