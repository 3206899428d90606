/**
 * How many bytes `text` takes in UTF-8, without encoding it: what a WebSocket text frame weighs on the wire
 * (`text.length` counts UTF-16 units, so 'é' counts 1 for 2 bytes and an emoji 2 for 4).
 */
export function utf8Length(text: string): number {
	let bytes = 0;
	for (let i = 0; i < text.length; i++) {
		const unit = text.charCodeAt(i);
		if (unit < 0x80) bytes += 1;
		else if (unit < 0x800) bytes += 2;
		else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) (bytes += 4), i++;
		else bytes += 3; // the rest of the BMP, and a lone surrogate (sent as U+FFFD, 3 bytes)
	}
	return bytes;
}
