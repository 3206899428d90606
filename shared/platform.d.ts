// The few web-platform globals shared/ uses. They exist in every runtime we target (browsers,
// workerd, Node >= 18) but not in the ES library this folder compiles against on purpose.
declare var TextEncoder: { new (): { encode(input?: string): Uint8Array } };
declare var TextDecoder: { new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): { decode(input?: Uint8Array): string } };
